/* SPDX-License-Identifier: MIT
 *
 * stackdb.h - each distinct stack stored once, found by its hash, named by a small id.
 */
#ifndef LS_STACKDB_H
#define LS_STACKDB_H

#include <stdint.h>

#define LS_STACK_NONE 0 /* id of the empty stack: blocks allocated before capture began */

struct ls_stack {
    uint64_t hash;
    uint32_t id;
    uint32_t n_frames;
    uintptr_t *ips;       /* innermost first */
    uint32_t *module_ids; /* ls_module id of each frame, LS_MODULE_NONE when unknown */
};

/*
 * Returns the id of this stack, storing it (and resolving its frames' modules) the first
 * time it is seen. Safe from many threads at once. Never call it with a table lock held:
 * a new stack asks the loader for module ranges. Returns LS_STACK_NONE when the arena
 * is exhausted.
 */
uint32_t ls_stackdb_intern(const uintptr_t *ips, int n_frames);

/* The stack with this id, or NULL. Stacks never change once stored. */
const struct ls_stack *ls_stackdb_get(uint32_t id);

/* Counts one allocation from stack id (not LS_STACK_NONE) as what it stands for: bytes,
 * and blocks in fixed point (LS_WEIGHT_ONE a block, see sample.h; one sampled block may
 * stand for a fraction more than a whole number). Reads the totals back, blocks in the
 * same fixed point: everything ever allocated from the stack, freed or not. */
void ls_stackdb_note_alloc(uint32_t id, uint64_t bytes, uint64_t blocks);
void ls_stackdb_allocs(uint32_t id, uint64_t *blocks, uint64_t *bytes);

/* One more than the highest id handed out so far. */
uint32_t ls_stackdb_count(void);

void ls_stackdb_lock_all(void);
void ls_stackdb_unlock_all(void);
void ls_stackdb_reset_after_fork(void);

#endif
