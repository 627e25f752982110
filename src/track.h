/* SPDX-License-Identifier: MIT
 *
 * track.h - record and forget one block: capture, intern the stack, update the table.
 */
#ifndef LS_TRACK_H
#define LS_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample.h"
#include "table.h"

/*
 * Records a new live block of size bytes at p (p != NULL). Called with the guard held.
 * Works from the very first allocation, before the shim's constructor has run (other
 * libraries' constructors allocate first); until then stacks use the default depth.
 */
void ls_track_alloc(void *p, size_t size);

/*
 * Forgets the block at p (p != NULL) if it is tracked, and returns whether it was.
 * Safe with or without the guard held: the shim's own code may free a program block
 * (__libc_freeres does). is_program: the free is the program's own, so an untracked
 * pointer counts in untracked_frees; frees made inside the shim never count there.
 * Callers skip this for a block ls_sample_never_held() (sample.h) rules out: the common
 * free in sampling mode, tested inline in free() and realloc() before any call.
 */
bool ls_track_free(void *p, bool is_program);

/*
 * For realloc: forgets the block at p like ls_track_free(), keeping what it was in *saved
 * so ls_track_restore() can put it back if the C library's realloc then fails.
 */
bool ls_track_take(void *p, struct ls_block *saved, bool is_program);
void ls_track_restore(const struct ls_block *saved);

/*
 * Starts LEAKSHIM_SAMPLE's sampling at rate bytes (0: stay exact), once, after the
 * configuration is read; blocks recorded before stay exact. Guard held, no shim lock held.
 */
void ls_track_start_sampling(uint64_t rate);

/* What a block of size bytes with these LS_BLOCK_* flags stands for in a report: itself,
 * or, recorded by sampling (LS_BLOCK_SAMPLED), its weight at the sampling rate. */
struct ls_weight ls_track_weight(size_t size, uint32_t flags);

/* The sampling rate in bytes once sampling started, else 0 (every block recorded). */
uint64_t ls_track_sample_rate(void);

/* In sampling mode, replaces c's allocations and frees (the table's counts of sampled
 * ones) by estimates of all of them; in exact mode leaves c alone. Reads without locks. */
void ls_track_estimate_counts(struct ls_table_counts *c);

/* leakshim_disable() depth of this thread: while above 0, new blocks are ignored. */
extern __thread int ls_track_disabled;

/* The live byte count now (an estimate when sampling); read without locks. */
uint64_t ls_track_live_bytes(void);

/* The highest live byte count seen; read without locks. */
uint64_t ls_track_peak_bytes(void);

/* When set, called (with the guard held) on the next recorded allocation, then cleared:
 * lets a fork child restart its snapshot thread only once it actually runs. */
extern void (*volatile ls_track_poll)(void);

#endif
