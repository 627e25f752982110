/* SPDX-License-Identifier: MIT
 *
 * table.c - live blocks, keyed by address, split over LS_STRIPES locked stripes, each an
 * open-addressing table of 16-byte slots (linear probing, deletion by backward shift).
 *
 * Every allocation and free lands here, so the layout is chosen for cache misses and
 * memory: one slot holds a whole block (address and epoch in one word; size, stack id
 * and flags in the other), a lookup touches one or two cache lines, and at most 4/5 of
 * the slots are full, so a block costs 20 to 30 bytes. Sizes of 4 GiB and more do not
 * fit the slot's 32 bits: those few keep their size in a small uthash table beside it.
 *
 * Runs inside malloc and free: no allocation except from the arena, no stdio, and no
 * call out of this file while a stripe lock is held (the arena lock nests inside).
 */
#include "table.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "addrhash.h"
#include "arena.h"

#define uthash_malloc(sz)        ls_arena_alloc(sz)
#define uthash_free(p, sz)       ls_arena_free((p), (sz))
#define HASH_NONFATAL_OOM        1
/* uthash calls this when an add failed for want of memory; every HASH_ADD site declares
 * add_failed. */
#define uthash_nonfatal_oom(obj) (add_failed = 1)
#include <uthash.h>

#define LS_STRIPES  256 // 2^8, picked by the mixed address's top 8 bits; many more than cores
#define MIN_SLOTS   64
#define ADDR_BITS   48 // x86-64 user addresses (without a hint above, mmap stays below 2^47)
#define ADDR_MASK   ((1ull << ADDR_BITS) - 1)
#define SIZE_BIG    UINT32_MAX // the slot's size field when the size is kept in `big`
#define STACK_SHIFT 32
#define STACK_MASK  ((1ull << 30) - 1) // ids stay below 2^26 (stackdb.c)
#define FLAGS_SHIFT 62
#define MAX_FLAGS   3u

/* One hash per address (addrhash.h): its top 8 bits pick the stripe, the 40 below them
 * the home slot. */

/* A live block packed: key = address | epoch << 48 (0: empty slot); val = size (or
 * SIZE_BIG) | stack id << 32 | flags << 62. */
struct slot {
    uint64_t key, val;
};

/* The exact size of a block of 4 GiB or more. */
struct big {
    uintptr_t addr;
    size_t size;
    UT_hash_handle hh;
};

struct stripe {
    pthread_mutex_t lock;
    struct slot *slots;
    size_t n_slots, n_used;
    struct big *big;
    struct ls_table_counts counts;
    uint16_t epoch; /* new blocks get it; a walk with advance moves it on */
} __attribute__((aligned(64)));

/* Static zero bytes are a valid, unlocked mutex in glibc (PTHREAD_MUTEX_INITIALIZER). */
static struct stripe stripes[LS_STRIPES];

static struct stripe *stripe_for(uintptr_t addr)
{
    return &stripes[ls_addr_hash(addr) >> (64 - 8)];
}

/* The slot a key would sit in with no collision: the mix's 40 bits below the stripe's,
 * scaled to n_slots (which need not be a power of two). */
static size_t home_of(uint64_t key, size_t n_slots)
{
    uint64_t h = (ls_addr_hash(key & ADDR_MASK) >> 16) & ((1ull << 40) - 1);

    return (size_t)((h * n_slots) >> 40);
}

static size_t next_slot(size_t i, size_t n_slots)
{
    return i + 1 < n_slots ? i + 1 : 0;
}

/* The slot holding addr, or the empty slot where it would go. Stripe lock held. */
static struct slot *probe(const struct stripe *st, uintptr_t addr)
{
    size_t i = home_of(addr, st->n_slots);

    while (st->slots[i].key != 0 && (st->slots[i].key & ADDR_MASK) != addr)
        i = next_slot(i, st->n_slots);
    return &st->slots[i];
}

static size_t big_size(struct stripe *st, uintptr_t addr)
{
    struct big *b;

    HASH_FIND(hh, st->big, &addr, sizeof(addr), b);
    return b != NULL ? b->size : SIZE_BIG;
}

static struct ls_block unpack(struct stripe *st, const struct slot *s)
{
    struct ls_block b = {
        .addr = s->key & ADDR_MASK,
        .size = (uint32_t)s->val,
        .stack_id = (uint32_t)((s->val >> STACK_SHIFT) & STACK_MASK),
        .flags = (uint16_t)(s->val >> FLAGS_SHIFT),
        .epoch = (uint16_t)(s->key >> ADDR_BITS),
    };

    if (b.size == SIZE_BIG)
        b.size = big_size(st, b.addr);
    return b;
}

/* Keeps the exact size of a big block; false without memory. Stripe lock held. */
static bool keep_big(struct stripe *st, uintptr_t addr, size_t size)
{
    struct big *b = ls_arena_alloc(sizeof(*b));
    int add_failed = 0;

    if (b == NULL)
        return false;
    b->addr = addr;
    b->size = size;
    HASH_ADD(hh, st->big, addr, sizeof(b->addr), b);
    if (add_failed)
        ls_arena_free(b, sizeof(*b));
    return !add_failed;
}

static void forget_big(struct stripe *st, uintptr_t addr)
{
    struct big *b;

    HASH_FIND(hh, st->big, &addr, sizeof(addr), b);
    if (b != NULL) {
        HASH_DELETE(hh, st->big, b);
        ls_arena_free(b, sizeof(*b));
    }
}

/* Moves every block into a table half again as big (MIN_SLOTS at first). */
static bool grow(struct stripe *st)
{
    size_t n = st->n_slots < MIN_SLOTS ? MIN_SLOTS : st->n_slots + st->n_slots / 2;
    struct slot *fresh = ls_arena_alloc(n * sizeof(*fresh));

    if (fresh == NULL)
        return false;
    memset(fresh, 0, n * sizeof(*fresh));
    for (size_t i = 0; i < st->n_slots; i++) {
        if (st->slots[i].key == 0)
            continue;
        size_t j = home_of(st->slots[i].key, n);
        while (fresh[j].key != 0)
            j = next_slot(j, n);
        fresh[j] = st->slots[i];
    }
    ls_arena_free(st->slots, st->n_slots * sizeof(*st->slots));
    // Atomic stores: ls_table_prefetch() reads both without the lock.
    __atomic_store_n(&st->slots, fresh, __ATOMIC_RELAXED);
    __atomic_store_n(&st->n_slots, n, __ATOMIC_RELAXED);
    return true;
}

/* Empties slot `hole` and shifts back the blocks after it that probed past it, so every
 * lookup still finds its block without tombstones. Stripe lock held. */
static void take_out(struct stripe *st, struct slot *hole_slot)
{
    size_t n = st->n_slots, hole = (size_t)(hole_slot - st->slots);

    for (size_t j = next_slot(hole, n); st->slots[j].key != 0; j = next_slot(j, n)) {
        size_t home = home_of(st->slots[j].key, n);
        // j's block may move back to the hole unless its home lies after the hole,
        // cyclically: in (hole, j].
        bool home_after_hole = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (!home_after_hole) {
            st->slots[hole] = st->slots[j];
            hole = j;
        }
    }
    st->slots[hole].key = 0;
    __atomic_store_n(&st->n_used, st->n_used - 1, __ATOMIC_RELAXED); // read unlocked
}

/* The live block at addr, or NULL. Stripe lock held.
 * TODO: the home slot is a hash of the address, so each lookup on a big heap is a cache
 * miss (15% of a jq run); a layout keeping neighbouring blocks on one line must not cluster. */
static struct slot *lookup(struct stripe *st, uintptr_t addr)
{
    if (st->n_slots == 0 || addr == 0 || addr > ADDR_MASK)
        return NULL;
    struct slot *s = probe(st, addr);
    return s->key != 0 ? s : NULL;
}

/* Takes the block in slot s out, counting its free, and returns it. Stripe lock held. */
static struct ls_block remove_slot(struct stripe *st, struct slot *s)
{
    struct ls_block b = unpack(st, s);

    if ((uint32_t)s->val == SIZE_BIG)
        forget_big(st, b.addr);
    take_out(st, s);
    st->counts.frees++;
    return b;
}

/* Fills b's slot. An address already live was freed behind the shim's back (a free it
 * does not interpose, such as __libc_free) and handed out again: the old block goes, as
 * an unseen free, and comes back in *replaced (replaced->addr 0 when there was none).
 * Stripe lock held. */
static int put(struct stripe *st, const struct ls_block *b, struct ls_block *replaced)
{
    replaced->addr = 0;
    if (b->addr == 0 || b->addr > ADDR_MASK || b->flags > MAX_FLAGS || b->stack_id > STACK_MASK)
        return LS_TABLE_UNSUPPORTED;
    struct slot *s = lookup(st, b->addr);
    if (s != NULL)
        *replaced = remove_slot(st, s);
    if ((st->n_used + 1) * 5 > st->n_slots * 4 && !grow(st))
        return LS_TABLE_NO_MEMORY;
    s = probe(st, b->addr);
    bool is_big = b->size >= SIZE_BIG;
    if (is_big && !keep_big(st, b->addr, b->size))
        return LS_TABLE_NO_MEMORY;
    s->key = b->addr | (uint64_t)b->epoch << ADDR_BITS;
    s->val = (is_big ? SIZE_BIG : b->size) | (uint64_t)b->stack_id << STACK_SHIFT |
             (uint64_t)b->flags << FLAGS_SHIFT;
    __atomic_store_n(&st->n_used, st->n_used + 1, __ATOMIC_RELAXED); // read unlocked
    return LS_TABLE_ADDED;
}

/* Adds b to its stripe; with is_restore, undoes the free its removal counted instead of
 * counting an allocation (and keeps b's epoch). */
static int add_block(const struct ls_block *b, bool is_restore, struct ls_block *replaced)
{
    struct stripe *st = stripe_for(b->addr);
    struct ls_block fill = *b;

    pthread_mutex_lock(&st->lock);
    if (!is_restore)
        fill.epoch = st->epoch;
    int rc = put(st, &fill, replaced);
    if (rc == LS_TABLE_ADDED && is_restore)
        st->counts.frees--;
    else if (rc == LS_TABLE_ADDED)
        st->counts.allocations++;
    pthread_mutex_unlock(&st->lock);
    return rc;
}

int ls_table_insert(uintptr_t addr, size_t size, uint32_t stack_id, uint32_t flags,
                    struct ls_block *replaced)
{
    struct ls_block b = {
        .addr = addr, .size = size, .stack_id = stack_id, .flags = (uint16_t)flags};

    return add_block(&b, false, replaced);
}

int ls_table_restore(const struct ls_block *b)
{
    struct ls_block replaced;

    return add_block(b, true, &replaced) == LS_TABLE_ADDED ? 0 : -1;
}

void ls_table_prefetch(uintptr_t addr)
{
    const struct stripe *st = stripe_for(addr);
    // Unlocked: a grow may have just replaced the array, and a prefetch of the old one
    // only warms a useless line (a prefetch never faults).
    struct slot *slots = __atomic_load_n(&st->slots, __ATOMIC_RELAXED);
    size_t n = __atomic_load_n(&st->n_slots, __ATOMIC_RELAXED);

    if (slots != NULL && n != 0)
        __builtin_prefetch(&slots[home_of(addr, n)], 1);
}

int ls_table_remove(uintptr_t addr, struct ls_block *out, bool count_untracked)
{
    struct stripe *st = stripe_for(addr);

    pthread_mutex_lock(&st->lock);
    struct slot *s = lookup(st, addr);
    if (s != NULL) {
        struct ls_block b = remove_slot(st, s);
        if (out != NULL)
            *out = b;
    } else if (count_untracked) {
        st->counts.untracked_frees++;
    }
    pthread_mutex_unlock(&st->lock);
    return s != NULL ? 0 : -1;
}

int ls_table_find(uintptr_t addr, struct ls_block *out)
{
    struct stripe *st = stripe_for(addr);

    pthread_mutex_lock(&st->lock);
    struct slot *s = lookup(st, addr);
    if (s != NULL && out != NULL)
        *out = unpack(st, s);
    pthread_mutex_unlock(&st->lock);
    return s != NULL ? 0 : -1;
}

int ls_table_add_flags(uintptr_t addr, uint32_t flags)
{
    struct stripe *st = stripe_for(addr);

    pthread_mutex_lock(&st->lock);
    struct slot *s = lookup(st, addr);
    if (s != NULL)
        s->val |= (uint64_t)(flags & MAX_FLAGS) << FLAGS_SHIFT;
    pthread_mutex_unlock(&st->lock);
    return s != NULL ? 0 : -1;
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

/* Visits stripe st's blocks; its lock held. */
static void walk_stripe(struct stripe *st, ls_table_visit_fn fn, void *ctx, bool advance)
{
    for (size_t j = 0; j < st->n_slots; j++) {
        if (st->slots[j].key == 0)
            continue;
        struct ls_block b = unpack(st, &st->slots[j]);
        fn(&b, b.epoch == st->epoch, ctx);
    }
    if (advance)
        st->epoch++;
}

void ls_table_walk_locked(ls_table_visit_fn fn, void *ctx, bool advance)
{
    for (int i = 0; i < LS_STRIPES; i++)
        walk_stripe(&stripes[i], fn, ctx, advance);
}

static void add_counts(struct ls_table_counts *sum, const struct ls_table_counts *c)
{
    sum->allocations += c->allocations;
    sum->frees += c->frees;
    sum->untracked_frees += c->untracked_frees;
}

void ls_table_walk_each(ls_table_visit_fn fn, void *ctx, bool advance, struct ls_table_counts *sum)
{
    memset(sum, 0, sizeof(*sum));
    for (int i = 0; i < LS_STRIPES; i++) {
        pthread_mutex_lock(&stripes[i].lock);
        walk_stripe(&stripes[i], fn, ctx, advance);
        add_counts(sum, &stripes[i].counts);
        pthread_mutex_unlock(&stripes[i].lock);
    }
}

size_t ls_table_live_blocks_relaxed(void)
{
    size_t n = 0;

    for (int i = 0; i < LS_STRIPES; i++)
        n += __atomic_load_n(&stripes[i].n_used, __ATOMIC_RELAXED);
    return n;
}

size_t ls_table_live_blocks_locked(void)
{
    return ls_table_live_blocks_relaxed(); // with every lock held, the sum is exact
}

void ls_table_counts_locked(struct ls_table_counts *sum)
{
    memset(sum, 0, sizeof(*sum));
    for (int i = 0; i < LS_STRIPES; i++)
        add_counts(sum, &stripes[i].counts);
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
