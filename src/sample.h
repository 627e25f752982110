/* SPDX-License-Identifier: MIT
 *
 * sample.h - LEAKSHIM_SAMPLE: which allocations are recorded, and how many blocks and
 * bytes each recorded one stands for in a report.
 */
#ifndef LS_SAMPLE_H
#define LS_SAMPLE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "addrhash.h"

/* Blocks in weights are fixed point with 8 fractional bits: a sampled block of size s
 * stands for 1/p(s) blocks, rarely a whole number. 2^56 blocks fit before a total wraps. */
#define LS_WEIGHT_ONE 256u

/* What one recorded block stands for: bytes, and blocks in LS_WEIGHT_ONE units. */
struct ls_weight {
    uint64_t bytes;
    uint64_t blocks;
};

/* Bytes this thread may still allocate before its next sample point; 0 before its first
 * draw. Only the functions here touch it. */
extern __thread uint64_t ls_sample_left;

/* The slow half of ls_sample_take(): the thread's first allocation, or a crossing. */
bool ls_sample_crossed(uint64_t size, uint64_t rate);

/* True, with the countdown taken down by size, when an allocation of size bytes ends
 * before the thread's next sample point: the one test every allocation pays. */
static inline bool ls_sample_count_down(uint64_t size)
{
    if (size >= ls_sample_left)
        return false;
    ls_sample_left -= size;
    return true;
}

/*
 * Whether this thread records an allocation of size bytes, at rate bytes (the mean
 * distance between sample points, LEAKSHIM_SAMPLE). Sample points fall on the line of
 * bytes this thread allocates as a Poisson process of rate 1/rate, and an allocation is
 * sampled when its interval holds one, so with probability 1 - exp(-size/rate) (see
 * sample.c). An allocation that is not sampled costs a compare and a subtraction.
 */
static inline bool ls_sample_take(uint64_t size, uint64_t rate)
{
    return !ls_sample_count_down(size) && ls_sample_crossed(size, rate);
}

/* In a fork child (one thread): draw new points, so that parent and child, or a pool of
 * forked workers, do not all sample the same allocations. */
void ls_sample_after_fork_child(void);

/* The chance that an allocation of size bytes is sampled: 1 - exp(-size/rate). */
double ls_sample_probability(uint64_t size, uint64_t rate);

/*
 * What a sampled block of size bytes stands for: 1/p blocks and size/p bytes, with p its
 * probability above, which makes every sum of weights an unbiased estimate of the sum
 * over all blocks. With rate 0 (no sampling), exactly one block of size bytes.
 */
struct ls_weight ls_sample_weight(uint64_t size, uint64_t rate);

/*
 * The filter in front of the table in sampling mode: per slot of an address hash, how
 * many of the table's blocks hash there, so a zero slot proves a block is not in the
 * table and its free need not look. Counts only ever run high (a block counted twice
 * while sampling starts; a slot stuck at LS_FILTER_STUCK), which costs a lookup, never
 * a missed removal. 16-bit counts keep it at 128 KiB, mostly in cache.
 */
#define LS_FILTER_SLOTS (1u << 16)
#define LS_FILTER_STUCK UINT16_MAX
extern _Atomic uint16_t ls_sample_filter[LS_FILTER_SLOTS];

/* Set once the filter holds every block of the table; only ever goes false to true. */
extern atomic_bool ls_sample_filtering;

/* LEAKSHIM_SAMPLE once sampling has started, else 0 (every block recorded). */
extern _Atomic uint64_t ls_sample_rate;

static inline _Atomic uint16_t *ls_sample_filter_slot(uintptr_t addr)
{
    return &ls_sample_filter[ls_addr_hash(addr) >> 48]; // top 16 bits
}

void ls_sample_filter_add(uintptr_t addr);
void ls_sample_filter_remove(uintptr_t addr);

/* True when the block at p cannot be in the table: its free has nothing to forget. */
static inline bool ls_sample_never_held(const void *p)
{
    return atomic_load_explicit(&ls_sample_filtering, memory_order_acquire) &&
           atomic_load_explicit(ls_sample_filter_slot((uintptr_t)p), memory_order_relaxed) == 0;
}

/*
 * The whole cost of an allocation that is not sampled, inlined into malloc: true when
 * sampling is on and this allocation does not reach the thread's next sample point (the
 * countdown is taken down by size). False means "ask ls_track_alloc()", which decides
 * the rest (a crossing, the thread's first draw) exactly as ls_sample_take() would.
 */
static inline bool ls_sample_skips(uint64_t size)
{
    return atomic_load_explicit(&ls_sample_rate, memory_order_relaxed) != 0 &&
           ls_sample_count_down(size);
}

/* A fixed-point block count rounded to whole blocks. */
static inline uint64_t ls_weight_blocks(uint64_t blocks)
{
    return (blocks + LS_WEIGHT_ONE / 2) / LS_WEIGHT_ONE;
}

#endif
