/* SPDX-License-Identifier: MIT
 *
 * track.c - the bookkeeping behind every interposed call.
 *
 * Runs inside malloc with the guard held: libunwind and the stack store may allocate,
 * and those allocations pass straight through unrecorded.
 *
 * With LEAKSHIM_SAMPLE most blocks are never recorded, so most frees are of blocks the
 * table does not hold: the filter in sample.h keeps those frees off the table's locks.
 */
#include "track.h"

#include <stdatomic.h>

#include "config.h"
#include "guard.h"
#include "log.h"
#include "sample.h"
#include "scan.h"
#include "stack.h"
#include "stackdb.h"
#include "table.h"

void (*volatile ls_track_poll)(void);
__thread int ls_guard_depth __attribute__((tls_model("initial-exec")));
__thread int ls_guard_in_fork __attribute__((tls_model("initial-exec")));
__thread int ls_track_disabled __attribute__((tls_model("initial-exec")));

/* One shared counter pair; a report reads exact totals from the table instead.
 * TODO: per-thread live-byte deltas would avoid this cache line bouncing between cores. */
static atomic_uint_fast64_t live_bytes, peak_bytes;

/* Inserts and removals keep the filter (sample.h) up to date: set with every stripe
 * locked, before ls_sample_filtering; only ever goes from false to true. */
static atomic_bool is_counting;

/* Sampling mode: allocations and frees since sampling started, each weighted as the
 * report weighs it (LS_WEIGHT_ONE units), on top of the exact counts before it. */
static atomic_uint_fast64_t weighted_allocations, weighted_frees;
static struct ls_table_counts counts_before_sampling;

struct ls_weight ls_track_weight(size_t size, uint32_t flags)
{
    if (!(flags & LS_BLOCK_SAMPLED)) // exact mode's every block: no call, no division
        return (struct ls_weight){.bytes = size, .blocks = LS_WEIGHT_ONE};
    return ls_sample_weight(size, atomic_load_explicit(&ls_sample_rate, memory_order_relaxed));
}

static uint32_t capture_stack(void)
{
    uintptr_t ips[LS_MAX_DEPTH];

    int n = ls_stack_capture(ips, ls_cfg.max_depth);
    return n > 0 ? ls_stackdb_intern(ips, n) : LS_STACK_NONE;
}

static void raise_peak(uint64_t live)
{
    uint64_t peak = atomic_load_explicit(&peak_bytes, memory_order_relaxed);

    while (live > peak && !atomic_compare_exchange_weak(&peak_bytes, &peak, live))
        ;
}

/* A block just entered the table: the filter, the live bytes and the peak. */
static void note_live(uintptr_t addr, struct ls_weight w)
{
    // Read after the insert: a block inserted while sampling starts is counted here, or
    // by the walk in ls_track_start_sampling(), or both; never by neither.
    if (atomic_load_explicit(&is_counting, memory_order_relaxed)) {
        ls_sample_filter_add(addr);
        atomic_fetch_add_explicit(&weighted_allocations, w.blocks, memory_order_relaxed);
    }
    raise_peak(atomic_fetch_add_explicit(&live_bytes, w.bytes, memory_order_relaxed) + w.bytes);
}

/* A block just left the table: the filter (when is_counted: see ls_track_take()), the
 * weighted frees and the live bytes. */
static void note_gone(const struct ls_block *b, bool is_counted)
{
    struct ls_weight w = ls_track_weight(b->size, b->flags);

    if (is_counted) {
        ls_sample_filter_remove(b->addr);
        atomic_fetch_add_explicit(&weighted_frees, w.blocks, memory_order_relaxed);
    }
    atomic_fetch_sub_explicit(&live_bytes, w.bytes, memory_order_relaxed);
}

void ls_track_alloc(void *p, size_t size)
{
    void (*poll)(void) = ls_track_poll;

    if (poll != NULL) {
        ls_track_poll = NULL;
        poll();
    }
    uint64_t rate = atomic_load_explicit(&ls_sample_rate, memory_order_relaxed);
    if (rate != 0 && !ls_sample_take(size, rate))
        return; // not sampled: no stack, no table entry, nothing to undo at its free

    ls_table_prefetch((uintptr_t)p); // in cache by the time the stack is captured
    uint32_t stack_id = capture_stack();
    uint32_t flags =
        (ls_track_disabled > 0 ? LS_BLOCK_IGNORED : 0) | (rate != 0 ? LS_BLOCK_SAMPLED : 0);
    // Counted before the block is live, so a report never sees more live than allocated,
    // and with the weight the report gives the block (sampling mode).
    struct ls_weight w = ls_track_weight(size, flags);
    ls_stackdb_note_alloc(stack_id, w.bytes, w.blocks);
    struct ls_block replaced;
    int rc = ls_table_insert((uintptr_t)p, size, stack_id, flags, &replaced);
    if (replaced.addr != 0) // freed where the shim did not see it, and handed out again
        note_gone(&replaced, atomic_load_explicit(&is_counting, memory_order_relaxed));
    if (rc == LS_TABLE_UNSUPPORTED) {
        ls_log_once(LS_LOG_ERROR,
                    "a block at %p lies above the 48-bit address range "
                    "(a tagged pointer?): such blocks go untracked",
                    p);
        return;
    }
    if (rc != LS_TABLE_ADDED) {
        ls_log_once(LS_LOG_ERROR, "out of memory for the block table; some blocks go untracked");
        return;
    }
    note_live((uintptr_t)p, w);
}

bool ls_track_take(void *p, struct ls_block *saved, bool is_program)
{
    if (ls_guard_in_fork)
        return false; // this thread holds every table lock

    // Read before the removal: true means sampling started before this block could be
    // removed, so the block was counted in the filter (see note_live()).
    bool is_counted = atomic_load_explicit(&is_counting, memory_order_relaxed);
    // Frees the shim makes itself (__libc_freeres giving back dlerror state that was
    // allocated inside the shim) are not the program's: they count as nothing. Sampling
    // leaves most blocks unrecorded, so their frees are no news either.
    if (ls_table_remove((uintptr_t)p, saved, is_program && !is_counted) != 0)
        return false;
    note_gone(saved, is_counted);
    return true;
}

bool ls_track_free(void *p, bool is_program)
{
    struct ls_block b;

    return ls_track_take(p, &b, is_program);
}

void ls_track_restore(const struct ls_block *saved)
{
    if (ls_table_restore(saved) != 0)
        return;
    struct ls_weight w = ls_track_weight(saved->size, saved->flags);
    if (atomic_load_explicit(&is_counting, memory_order_relaxed)) {
        ls_sample_filter_add(saved->addr);
        atomic_fetch_sub_explicit(&weighted_frees, w.blocks, memory_order_relaxed);
    }
    atomic_fetch_add_explicit(&live_bytes, w.bytes, memory_order_relaxed);
}

static void count_block(const struct ls_block *b, bool is_new, void *unused)
{
    (void)is_new;
    (void)unused;
    ls_sample_filter_add(b->addr);
}

void ls_track_start_sampling(uint64_t rate)
{
    if (rate == 0 || atomic_load(&ls_sample_rate) != 0)
        return;
    // Blocks recorded before now (before the constructor, or by threads started earlier)
    // are exact: they go in the filter as they are, and weigh one block each.
    ls_table_lock_all();
    atomic_store(&is_counting, true);
    ls_table_walk_locked(count_block, NULL, false);
    ls_table_counts_locked(&counts_before_sampling);
    ls_table_unlock_all();
    atomic_store_explicit(&ls_sample_filtering, true, memory_order_release);
    atomic_store(&ls_sample_rate, rate);
}

uint64_t ls_track_sample_rate(void)
{
    return atomic_load_explicit(&ls_sample_rate, memory_order_relaxed);
}

void ls_track_estimate_counts(struct ls_table_counts *c)
{
    if (!atomic_load(&is_counting))
        return;
    // Racing inserts while sampling starts may count twice: estimates, not exact counts.
    c->allocations =
        counts_before_sampling.allocations +
        ls_weight_blocks(atomic_load_explicit(&weighted_allocations, memory_order_relaxed));
    c->frees = counts_before_sampling.frees +
               ls_weight_blocks(atomic_load_explicit(&weighted_frees, memory_order_relaxed));
}

uint64_t ls_track_live_bytes(void)
{
    return atomic_load_explicit(&live_bytes, memory_order_relaxed);
}

uint64_t ls_track_peak_bytes(void)
{
    return atomic_load(&peak_bytes);
}
