/* SPDX-License-Identifier: MIT
 *
 * arena.h - the shim's own memory, straight from mmap, never from the traced heap.
 */
#ifndef LS_ARENA_H
#define LS_ARENA_H

#include <stddef.h>
#include <stdint.h>

struct ls_range {
    uintptr_t start, end;
};

/*
 * Returns size bytes aligned to 16, or NULL when mmap fails. Safe inside malloc hooks and
 * with any table or stack-store lock held (the arena lock is always taken last).
 * Memory is not zeroed when it is reused.
 */
void *ls_arena_alloc(size_t size);

/* Gives back a block from ls_arena_alloc(); size must be the size it was asked with. */
void ls_arena_free(void *p, size_t size);

/* Grows an array of *cap elements of elem_size bytes (p may be NULL with *cap 0) to
 * new_cap, keeping its first n elements; sets *cap. Returns the new array, or NULL (the
 * old one is then left as it was). */
void *ls_arena_grow(void *p, size_t n, size_t *cap, size_t new_cap, size_t elem_size);

/* With ls_arena_lock() held: every mapping the arena holds now. */
const struct ls_range *ls_arena_ranges_locked(size_t *n);

/* Fork support: the prepare handler locks, parent unlocks, child re-creates the lock. */
void ls_arena_lock(void);
void ls_arena_unlock(void);
void ls_arena_reset_after_fork(void);

#endif
