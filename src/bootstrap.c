/* SPDX-License-Identifier: MIT
 *
 * bootstrap.c - a static arena for allocations made while dlsym looks up the real
 * allocator (dlsym may allocate for its error state before we can call malloc).
 *
 * A bump allocator: lock-free, never frees. Each block carries its size just before it
 * so realloc and malloc_usable_size work on it later.
 */
#include "bootstrap.h"

#include <stdatomic.h>
#include <stdint.h>

_Alignas(64) unsigned char ls_bootstrap_arena[LS_BOOTSTRAP_BYTES];
static atomic_size_t used;

void *ls_bootstrap_alloc(size_t size, size_t alignment)
{
    if (alignment < 16)
        alignment = 16;
    if (size > LS_BOOTSTRAP_BYTES || alignment > 4096)
        return NULL;

    size_t need = size + 2 * alignment; // header and alignment padding, generously
    size_t start = atomic_fetch_add(&used, need);
    if (start + need > LS_BOOTSTRAP_BYTES)
        return NULL;

    uintptr_t p = (uintptr_t)&ls_bootstrap_arena[start] + sizeof(size_t);
    p = (p + alignment - 1) & ~(uintptr_t)(alignment - 1);
    ((size_t *)p)[-1] = size;
    return (void *)p;
}

size_t ls_bootstrap_size(const void *p)
{
    return ((const size_t *)p)[-1];
}
