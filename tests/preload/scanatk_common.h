/* SPDX-License-Identifier: MIT
 *
 * scanatk_common.h - helpers shared by the scanatk_* programs, which attack the exit-time
 * leak scan (stopping threads, reading roots) and check what the report then says.
 * They build on reach_common.h: allocations happen in noinline functions that keep no
 * copy of the pointer, so a block meant to be lost is definitely lost.
 */
#ifndef SCANATK_COMMON_H
#define SCANATK_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "reach_common.h"

/* Allocates n bytes and drops the pointer: definitely lost, from lose_block. */
void lose_block(size_t n);

/* malloc that exits with status 3 when out of memory. */
void *must_malloc(size_t n);

/* Starts a thread running fn(arg) (detached); exits with status 3 when it cannot. */
void start_thread(void *(*fn)(void *), void *arg);

/* Blocks every signal in the calling thread; exits with status 3 when it cannot. */
void block_all_signals(void);

/* What holder_main() is told. */
struct holder {
    struct reach_gate *ready; /* posted once the block is held */
    bool blocks_signals;      /* so that no signal can stop the thread */
};

/* A thread body: keeps the only pointer to a 100-byte block (make_held_block) in a
 * local, blocks every signal if asked, posts ready and blocks for good in read(2). */
void *holder_main(void *holder);

#endif
