/* SPDX-License-Identifier: MIT
 *
 * test_no_malloc.c - capturing a stack, storing it and recording a block must not call
 * the public allocator: inside the shim that would recurse into our own hooks.
 *
 * This program replaces malloc and friends with counting wrappers around glibc's.
 */
#include <malloc.h>
#include <stdint.h>

#include "check.h"
#include "module.h"
#include "stack.h"
#include "stackdb.h"
#include "table.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static int counting, calls;

void *malloc(size_t n)
{
    calls += counting;
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t m)
{
    calls += counting;
    return __libc_calloc(n, m);
}

void *realloc(void *p, size_t n)
{
    calls += counting;
    return __libc_realloc(p, n);
}

void *memalign(size_t a, size_t n)
{
    calls += counting;
    return __libc_memalign(a, n);
}

int posix_memalign(void **out, size_t a, size_t n)
{
    calls += counting;
    *out = __libc_memalign(a, n);
    return *out != NULL ? 0 : 12;
}

void free(void *p)
{
    calls += counting;
    __libc_free(p);
}

/* A few distinct call paths, so new stacks are stored, not just found. */
static void __attribute__((noinline)) record_one(uintptr_t addr)
{
    uintptr_t ips[32];
    int n = ls_stack_capture(ips, 32);
    uint32_t id = ls_stackdb_intern(ips, n);

    CHECK(id != LS_STACK_NONE);
    struct ls_block replaced;
    CHECK(ls_table_insert(addr, 16, id, 0, &replaced) == LS_TABLE_ADDED);
}

static void __attribute__((noinline)) deeper(uintptr_t addr)
{
    record_one(addr);
    __asm__ volatile("" ::: "memory"); // keeps this frame a real call
}

int main(void)
{
    ls_module_init();
    ls_stack_init();
    deeper(0x10); // warms libunwind up: its first use may set up caches

    counting = 1;
    for (uintptr_t i = 1; i <= 1000; i++) {
        record_one(0x1000 + i * 16);
        deeper(0x100000 + i * 16);
    }
    for (uintptr_t i = 1; i <= 1000; i++)
        CHECK(ls_table_remove(0x1000 + i * 16, NULL, true) == 0);
    counting = 0;

    CHECK_EQ_U(calls, 0);
    PASS();
}
