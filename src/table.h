/* SPDX-License-Identifier: MIT
 *
 * table.h - the live blocks: address -> size and stack id, split over locked stripes.
 */
#ifndef LS_TABLE_H
#define LS_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ls_block {
    uintptr_t addr;
    size_t size;
    uint32_t stack_id;
    uint16_t flags; /* LS_BLOCK_* (scan.h) */
    uint16_t epoch; /* its stripe's walk epoch when it was allocated (mod 2^16: a block
                     * 65536 advancing walks old would pass for new) */
};

/* Totals kept per stripe under its lock, so a report that holds every lock reads a
 * consistent set. */
struct ls_table_counts {
    uint64_t allocations;
    uint64_t frees;
    uint64_t untracked_frees;
};

enum {
    LS_TABLE_ADDED = 0,
    LS_TABLE_NO_MEMORY = -1,   /* the arena is exhausted */
    LS_TABLE_UNSUPPORTED = -2, /* an address above 2^48 (a tagged pointer?), or a stack id
                                * or flags out of range */
};

/*
 * Records a live block and counts one allocation. Safe against concurrent calls for
 * other addresses. Returns LS_TABLE_ADDED, or an error above (the block then goes
 * untracked and its free counts as untracked). When addr was still live (its free went
 * past the shim), that block is taken out first, counted as freed, and returned in
 * *replaced; replaced->addr is 0 otherwise, whatever the result.
 */
int ls_table_insert(uintptr_t addr, size_t size, uint32_t stack_id, uint32_t flags,
                    struct ls_block *replaced);

/* Sets flags on the live block at addr. Returns 0, or -1 when addr is no live block. */
int ls_table_add_flags(uintptr_t addr, uint32_t flags);

/* Puts back a block that ls_table_remove() took out, without counting anything: for a
 * realloc that failed after its old block was already forgotten. */
int ls_table_restore(const struct ls_block *b);

/*
 * Forgets the block at addr and counts one free; fills *out when out is not NULL. Returns
 * 0, or -1 when addr is not a live block (counted in untracked_frees when count_untracked
 * is set). A realloc that
 * fails after this puts the block back with ls_table_restore(), which uncounts the free.
 */
int ls_table_remove(uintptr_t addr, struct ls_block *out, bool count_untracked);

/* Starts loading the cache line where addr's block is, or would go: called first thing,
 * it overlaps that memory's latency with the work before the table is touched. */
void ls_table_prefetch(uintptr_t addr);

/* Looks a block up without changing anything. Returns 0 when found. */
int ls_table_find(uintptr_t addr, struct ls_block *out);

/* Locks every stripe in index order, for a consistent report and for fork. */
void ls_table_lock_all(void);
void ls_table_unlock_all(void);

/* With every stripe locked: how many blocks are live. */
size_t ls_table_live_blocks_locked(void);

/* Called for each live block a walk visits. is_new: allocated since the last walk that
 * advanced (every block is new to the first). */
typedef void (*ls_table_visit_fn)(const struct ls_block *b, bool is_new, void *ctx);

/* With every stripe locked: calls fn on each live block, and sums the counts. With
 * advance, the blocks allocated from now on are the new ones of the next walk. */
void ls_table_walk_locked(ls_table_visit_fn fn, void *ctx, bool advance);
void ls_table_counts_locked(struct ls_table_counts *sum);

/*
 * Without any stripe lock held: the same walk one stripe at a time, each locked only while
 * it is visited, so an allocating thread waits for one stripe's visit at most (a snapshot
 * of a million blocks stalls nobody for long). The blocks are not one instant's: a block
 * allocated or freed meanwhile is seen or not depending on its stripe. Each stripe's
 * counts are added to *sum as it is visited. fn may take arena memory.
 */
void ls_table_walk_each(ls_table_visit_fn fn, void *ctx, bool advance, struct ls_table_counts *sum);

/* How many blocks are live now, read without locks (a size hint). */
size_t ls_table_live_blocks_relaxed(void);

/* Allocation and free counts now, without locks: a timeline row, not a report. */
void ls_table_counts_relaxed(struct ls_table_counts *sum);

/* In a fork child: every stripe lock made new (the parent held them across fork). */
void ls_table_reset_after_fork(void);

#endif
