/* SPDX-License-Identifier: MIT
 *
 * test_table.c - the striped block table: insert, find, remove, restore, counts, walk,
 * and concurrent use from several threads.
 */
#include <pthread.h>
#include <stdint.h>

#include "check.h"
#include "table.h"

#define N_THREADS  4
#define PER_THREAD 50000

struct walk_sum {
    uint64_t blocks, bytes, new_blocks;
};

static void add_up(const struct ls_block *b, bool is_new, void *ctx)
{
    struct walk_sum *s = ctx;

    s->blocks++;
    s->bytes += b->size;
    s->new_blocks += is_new;
}

static struct walk_sum walk(void)
{
    struct walk_sum s = {0, 0, 0};

    ls_table_lock_all();
    ls_table_walk_locked(add_up, &s, false);
    ls_table_unlock_all();
    return s;
}

/* A walk a stripe at a time, moving the epoch on: what it calls new. */
static struct walk_sum walk_each_advancing(void)
{
    struct walk_sum s = {0, 0, 0};
    struct ls_table_counts c;

    ls_table_walk_each(add_up, &s, true, &c);
    return s;
}

static struct ls_table_counts counts(void)
{
    struct ls_table_counts c;

    ls_table_lock_all();
    ls_table_counts_locked(&c);
    ls_table_unlock_all();
    return c;
}

/* What the last insert of this thread replaced (addr 0: nothing). */
static __thread struct ls_block replaced;

static void check_single(void)
{
    struct ls_block b;

    CHECK(ls_table_insert(0x1000, 10, 7, 0, &replaced) == LS_TABLE_ADDED);
    CHECK(ls_table_insert(0x2000, 20, 8, 1, &replaced) == LS_TABLE_ADDED);
    CHECK(ls_table_find(0x1000, &b) == 0);
    CHECK_EQ_U(b.size, 10);
    CHECK_EQ_U(b.stack_id, 7);
    CHECK_EQ_U(b.flags, 0);
    CHECK(ls_table_add_flags(0x1000, 1) == 0);
    CHECK(ls_table_add_flags(0x1008, 1) == -1); // interior: no block starts there
    CHECK(ls_table_find(0x1000, &b) == 0);
    CHECK_EQ_U(b.flags, 1);
    CHECK(ls_table_find(0x2000, &b) == 0);
    CHECK_EQ_U(b.flags, 1);
    CHECK(ls_table_find(0x3000, &b) == -1);

    CHECK(ls_table_remove(0x1000, &b, true) == 0);
    CHECK_EQ_U(b.addr, 0x1000);
    CHECK(ls_table_remove(0x1000, NULL, true) == -1); // a second free of the same address
    CHECK(ls_table_restore(&b) == 0);                 // a failed realloc puts it back, uncounted

    struct ls_table_counts c = counts();
    CHECK_EQ_U(c.allocations, 2);
    CHECK_EQ_U(c.frees, 0);
    CHECK_EQ_U(c.untracked_frees, 1);
    struct walk_sum s = walk();
    CHECK_EQ_U(s.blocks, 2);
    CHECK_EQ_U(s.bytes, 30);

    CHECK(ls_table_remove(0x1000, NULL, true) == 0);
    CHECK(ls_table_remove(0x2000, NULL, false) == 0);
    CHECK(ls_table_remove(0x2000, NULL, false) == -1); // not counted this time
    CHECK_EQ_U(counts().untracked_frees, 1);
}

/* Each thread owns its own address range: inserts all, removes every other one. */
static void *churn(void *arg)
{
    uintptr_t base = (uintptr_t)arg;

    for (uintptr_t i = 0; i < PER_THREAD; i++)
        CHECK(ls_table_insert(base + i * 16, 1, 1, 0, &replaced) == LS_TABLE_ADDED);
    for (uintptr_t i = 0; i < PER_THREAD; i += 2)
        CHECK(ls_table_remove(base + i * 16, NULL, true) == 0);
    return NULL;
}

static void check_threads(void)
{
    pthread_t t[N_THREADS];
    struct ls_table_counts before = counts();

    for (uintptr_t i = 0; i < N_THREADS; i++)
        pthread_create(&t[i], NULL, churn, (void *)((i + 1) << 32));
    for (int i = 0; i < N_THREADS; i++)
        pthread_join(t[i], NULL);

    struct ls_table_counts after = counts();
    CHECK_EQ_U(after.allocations - before.allocations, N_THREADS * PER_THREAD);
    CHECK_EQ_U(after.frees - before.frees, N_THREADS * PER_THREAD / 2);
    CHECK_EQ_U(walk().blocks, N_THREADS * PER_THREAD / 2);
}

/* An address handed out again while still live (its free went past the shim): the new
 * block takes over, the old one comes back as replaced and counts as freed; sizes kept
 * beside the slot (4 GiB and more) follow. */
static void check_reuse(void)
{
    struct ls_block b;
    struct ls_table_counts before = counts(), after;
    size_t huge = (size_t)6 << 32;

    CHECK(ls_table_insert(0xa000, 40, 5, 0, &replaced) == LS_TABLE_ADDED);
    CHECK(ls_table_insert(0xa000, 24, 6, 0, &replaced) == LS_TABLE_ADDED);
    CHECK(replaced.addr == 0xa000 && replaced.size == 40 && replaced.stack_id == 5);
    CHECK(ls_table_find(0xa000, &b) == 0 && b.size == 24 && b.stack_id == 6);
    CHECK(ls_table_insert(0xa000, huge, 7, 0, &replaced) == LS_TABLE_ADDED);
    CHECK(replaced.size == 24 && replaced.stack_id == 6);
    CHECK(ls_table_insert(0xa000, huge + 1, 8, 0, &replaced) == LS_TABLE_ADDED);
    CHECK(replaced.size == huge && replaced.stack_id == 7);
    CHECK(ls_table_insert(0xa000, 3, 9, 0, &replaced) == LS_TABLE_ADDED);
    CHECK(replaced.size == huge + 1);
    CHECK(ls_table_find(0xa000, &b) == 0 && b.size == 3 && b.stack_id == 9);
    CHECK(ls_table_remove(0xa000, NULL, true) == 0);
    CHECK(ls_table_find(0xa000, NULL) == -1);
    after = counts();
    CHECK_EQ_U(after.allocations - before.allocations, 5);
    CHECK_EQ_U(after.frees - before.frees, 5);
}

/* Sizes past the slot's 32 bits, addresses it cannot hold, and a failed realloc's
 * restore keeping the block's epoch. */
static void check_edges(void)
{
    struct ls_block b;
    size_t huge = (size_t)5 << 32; // 20 GiB

    CHECK(ls_table_insert(0x7000, huge, 3, 0, &replaced) == LS_TABLE_ADDED);
    CHECK(ls_table_insert(0x7010, UINT32_MAX - 1, 4, 0, &replaced) == LS_TABLE_ADDED);
    CHECK(ls_table_find(0x7000, &b) == 0);
    CHECK(b.size == huge);
    CHECK(ls_table_find(0x7010, &b) == 0);
    CHECK(b.size == UINT32_MAX - 1);
    CHECK(ls_table_remove(0x7000, &b, true) == 0);
    CHECK(b.size == huge && b.stack_id == 3);
    CHECK(ls_table_find(0x7000, NULL) == -1);
    CHECK(ls_table_remove(0x7010, NULL, true) == 0);

    CHECK(ls_table_insert((uintptr_t)1 << 48, 1, 1, 0, &replaced) == LS_TABLE_UNSUPPORTED);
    CHECK(replaced.addr == 0);
    check_reuse();
    CHECK(ls_table_insert(0x8000, 1, 1, 0, &replaced) == LS_TABLE_ADDED);
    CHECK(replaced.addr == 0);

    struct walk_sum s = walk_each_advancing(); // 0x8000 is new to it, then old
    CHECK_EQ_U(s.blocks, 1);
    CHECK_EQ_U(s.new_blocks, 1);
    CHECK(ls_table_insert(0x9000, 2, 1, 0, &replaced) == LS_TABLE_ADDED);
    CHECK(ls_table_remove(0x8000, &b, true) == 0);
    CHECK(ls_table_restore(&b) == 0); // a failed realloc: the block is not new again
    s = walk_each_advancing();
    CHECK_EQ_U(s.blocks, 2);
    CHECK_EQ_U(s.new_blocks, 1); // 0x9000 only
    s = walk_each_advancing();
    CHECK_EQ_U(s.new_blocks, 0);
    CHECK(ls_table_remove(0x8000, NULL, true) == 0);
    CHECK(ls_table_remove(0x9000, NULL, true) == 0);
}

/* Inserts and removes in a scrambled order against a plain array: every block is found
 * with its own size and stack until removed, never after (backward shifts included). */
static void check_against_reference(void)
{
    enum { N = 200000 };
    static unsigned char live[N];
    uint64_t x = 88172645463325252ull;

    for (int round = 0; round < 6 * N; round++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t i = (size_t)(x % N);
        uintptr_t addr = 0x100000000ull + i * 48;
        struct ls_block b;
        if (live[i]) {
            CHECK(ls_table_remove(addr, &b, true) == 0);
            CHECK(b.size == i % 1000 && b.stack_id == (uint32_t)(i % 77));
        } else {
            CHECK(ls_table_insert(addr, i % 1000, (uint32_t)(i % 77), 0, &replaced) ==
                  LS_TABLE_ADDED);
        }
        live[i] ^= 1;
    }
    for (size_t i = 0; i < N; i++)
        CHECK((ls_table_find(0x100000000ull + i * 48, NULL) == 0) == live[i]);
    for (size_t i = 0; i < N; i++) {
        if (live[i])
            CHECK(ls_table_remove(0x100000000ull + i * 48, NULL, true) == 0);
    }
}

int main(void)
{
    check_single();
    check_edges();
    check_against_reference();
    check_threads();
    PASS();
}
