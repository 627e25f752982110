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
    uint16_t epoch; /* the table's epoch when it was allocated (ls_table_epoch_locked) */
};

/* Totals kept per stripe under its lock, so a report that holds every lock reads a
 * consistent set. */
struct ls_table_counts {
    uint64_t allocations;
    uint64_t frees;
    uint64_t untracked_frees;
};

/*
 * Records a live block and counts one allocation. Safe against concurrent calls for
 * other addresses. Returns 0, or -1 when the arena is exhausted (the block then goes
 * untracked and its free counts as untracked).
 */
int ls_table_insert(uintptr_t addr, size_t size, uint32_t stack_id, uint32_t flags);

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

/* Looks a block up without changing anything. Returns 0 when found. */
int ls_table_find(uintptr_t addr, struct ls_block *out);

/* Locks every stripe in index order, for a consistent report and for fork. */
void ls_table_lock_all(void);
void ls_table_unlock_all(void);

/* With every stripe locked: how many blocks are live. */
size_t ls_table_live_blocks_locked(void);

/* With every stripe locked: calls fn on each live block, and sums the counts. */
void ls_table_walk_locked(void (*fn)(const struct ls_block *b, void *ctx), void *ctx);
void ls_table_counts_locked(struct ls_table_counts *sum);

/* With every stripe locked: the epoch new blocks get now. It moves on with each written
 * report, so a report tells the blocks allocated since the previous one by epoch alone
 * (mod 2^16: a block 65536 reports old would pass for new). */
uint16_t ls_table_epoch_locked(void);
void ls_table_advance_epoch_locked(void);

/* Allocation and free counts now, without locks: a timeline row, not a report. */
void ls_table_counts_relaxed(struct ls_table_counts *sum);

/* In a fork child: every stripe lock made new (the parent held them across fork). */
void ls_table_reset_after_fork(void);

#endif
