/* SPDX-License-Identifier: MIT
 *
 * table.c - live blocks, keyed by address, split over LS_STRIPES locked stripes, each
 * with its own uthash table and its own pool of block nodes.
 *
 * Runs inside malloc and free: no allocation except from the arena, no stdio, and no
 * call out of this file while a stripe lock is held (the arena lock nests inside).
 */
#include "table.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "arena.h"

#define uthash_malloc(sz)        ls_arena_alloc(sz)
#define uthash_free(p, sz)       ls_arena_free((p), (sz))
#define HASH_NONFATAL_OOM        1
/* uthash calls this when an add failed for want of memory; every HASH_ADD site declares
 * add_failed. */
#define uthash_nonfatal_oom(obj) (add_failed = 1)
/* One multiplicative mix per address: its top 8 bits pick the stripe and the 32 bits
 * below them the bucket, so the two never correlate (uthash stops growing a table whose
 * buckets fill unevenly, and lookups then crawl along long chains). */
#define LS_MIX(addr)             ((uint64_t)(addr)*0x9e3779b97f4a7c15ull)
#define HASH_FUNCTION(keyptr, keylen, hashv) \
    ((hashv) = (unsigned)(LS_MIX(*(const uintptr_t *)(keyptr)) >> 24))
#include <uthash.h>

#define LS_STRIPES    256 // 2^8, matching LS_MIX's top 8 bits; many more than cores
#define LS_POOL_BYTES (64 * 1024)

struct node {
    struct ls_block b;
    UT_hash_handle hh;
};

struct stripe {
    pthread_mutex_t lock;
    struct node *map;
    struct node *spare; /* freed nodes, linked through hh.next */
    struct ls_table_counts counts;
} __attribute__((aligned(64)));

/* Static zero bytes are a valid, unlocked mutex in glibc (PTHREAD_MUTEX_INITIALIZER). */
static struct stripe stripes[LS_STRIPES];
static uint16_t epoch; /* written with every stripe lock held, read with one */

static struct stripe *stripe_for(uintptr_t addr)
{
    return &stripes[LS_MIX(addr) >> (64 - 8)];
}

/* A node from the stripe's pool, refilled a chunk at a time; stripe lock held. */
static struct node *take_node(struct stripe *st)
{
    if (st->spare == NULL) {
        struct node *chunk = ls_arena_alloc(LS_POOL_BYTES);
        if (chunk == NULL)
            return NULL;
        size_t n = LS_POOL_BYTES / sizeof(*chunk);
        for (size_t i = 0; i < n; i++) {
            chunk[i].hh.next = st->spare;
            st->spare = &chunk[i];
        }
    }
    struct node *nd = st->spare;
    st->spare = nd->hh.next;
    return nd;
}

static void give_node(struct stripe *st, struct node *nd)
{
    nd->hh.next = st->spare;
    st->spare = nd;
}

/* Adds b to its stripe; with is_restore, undoes the free its removal counted instead of
 * counting an allocation. */
static int add_block(const struct ls_block *b, bool is_restore)
{
    struct stripe *st = stripe_for(b->addr);
    int add_failed = 0;

    pthread_mutex_lock(&st->lock);
    struct node *nd = take_node(st);
    if (nd != NULL) {
        nd->b = *b;
        if (!is_restore)
            nd->b.epoch = epoch;
        HASH_ADD(hh, st->map, b.addr, sizeof(nd->b.addr), nd);
        if (add_failed)
            give_node(st, nd);
    }
    if (nd == NULL || add_failed)
        add_failed = 1;
    else if (is_restore)
        st->counts.frees--;
    else
        st->counts.allocations++;
    pthread_mutex_unlock(&st->lock);
    return add_failed ? -1 : 0;
}

int ls_table_insert(uintptr_t addr, size_t size, uint32_t stack_id, uint32_t flags)
{
    struct ls_block b = {
        .addr = addr, .size = size, .stack_id = stack_id, .flags = (uint16_t)flags};

    return add_block(&b, false);
}

int ls_table_restore(const struct ls_block *b)
{
    return add_block(b, true);
}

int ls_table_remove(uintptr_t addr, struct ls_block *out, bool count_untracked)
{
    struct stripe *st = stripe_for(addr);
    struct node *nd;

    pthread_mutex_lock(&st->lock);
    HASH_FIND(hh, st->map, &addr, sizeof(addr), nd);
    if (nd != NULL) {
        HASH_DELETE(hh, st->map, nd);
        if (out != NULL)
            *out = nd->b;
        give_node(st, nd);
        st->counts.frees++;
    } else if (count_untracked) {
        st->counts.untracked_frees++;
    }
    pthread_mutex_unlock(&st->lock);
    return nd != NULL ? 0 : -1;
}

int ls_table_find(uintptr_t addr, struct ls_block *out)
{
    struct stripe *st = stripe_for(addr);
    struct node *nd;

    pthread_mutex_lock(&st->lock);
    HASH_FIND(hh, st->map, &addr, sizeof(addr), nd);
    if (nd != NULL && out != NULL)
        *out = nd->b;
    pthread_mutex_unlock(&st->lock);
    return nd != NULL ? 0 : -1;
}

int ls_table_add_flags(uintptr_t addr, uint32_t flags)
{
    struct stripe *st = stripe_for(addr);
    struct node *nd;

    pthread_mutex_lock(&st->lock);
    HASH_FIND(hh, st->map, &addr, sizeof(addr), nd);
    if (nd != NULL)
        nd->b.flags |= flags;
    pthread_mutex_unlock(&st->lock);
    return nd != NULL ? 0 : -1;
}

void ls_table_lock_all(void)
{
    for (int i = 0; i < LS_STRIPES; i++)
        pthread_mutex_lock(&stripes[i].lock);
}

void ls_table_unlock_all(void)
{
    for (int i = LS_STRIPES; i-- > 0;)
        pthread_mutex_unlock(&stripes[i].lock);
}

void ls_table_walk_locked(void (*fn)(const struct ls_block *b, void *ctx), void *ctx)
{
    for (int i = 0; i < LS_STRIPES; i++) {
        for (struct node *nd = stripes[i].map; nd != NULL; nd = nd->hh.next)
            fn(&nd->b, ctx);
    }
}

size_t ls_table_live_blocks_locked(void)
{
    size_t n = 0;

    for (int i = 0; i < LS_STRIPES; i++)
        n += HASH_COUNT(stripes[i].map);
    return n;
}

void ls_table_counts_locked(struct ls_table_counts *sum)
{
    memset(sum, 0, sizeof(*sum));
    for (int i = 0; i < LS_STRIPES; i++) {
        sum->allocations += stripes[i].counts.allocations;
        sum->frees += stripes[i].counts.frees;
        sum->untracked_frees += stripes[i].counts.untracked_frees;
    }
}

uint16_t ls_table_epoch_locked(void)
{
    return epoch;
}

void ls_table_advance_epoch_locked(void)
{
    epoch++;
}

void ls_table_counts_relaxed(struct ls_table_counts *sum)
{
    memset(sum, 0, sizeof(*sum));
    for (int i = 0; i < LS_STRIPES; i++) {
        const struct ls_table_counts *c = &stripes[i].counts;
        sum->allocations += __atomic_load_n(&c->allocations, __ATOMIC_RELAXED);
        sum->frees += __atomic_load_n(&c->frees, __ATOMIC_RELAXED);
        sum->untracked_frees += __atomic_load_n(&c->untracked_frees, __ATOMIC_RELAXED);
    }
}

void ls_table_reset_after_fork(void)
{
    for (int i = 0; i < LS_STRIPES; i++)
        pthread_mutex_init(&stripes[i].lock, NULL);
}
