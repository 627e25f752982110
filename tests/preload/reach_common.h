/* SPDX-License-Identifier: MIT
 *
 * reach_common.h - helpers shared by the reach_* test programs, which leave blocks in
 * places a reachability scan must (or must not) find, and check leakshim's kinds against
 * what valgrind memcheck says of the same program.
 *
 * A conservative scan sees every stale pointer left in memory it scans, while memcheck
 * skips words that are not initialised. So the programs keep heap pointers only where
 * they mean to: allocations happen in noinline functions that return nothing, and the
 * dead part of the stack is zeroed before a check, so frames called later (a helper that
 * calls leakshim_check(), a function that calls exit()) do not sit on stale slots without
 * writing them. The exit check alone does not need it (reach_exit.c shows why). Nothing
 * here allocates.
 */
#ifndef REACH_COMMON_H
#define REACH_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Zeroes the 64 KiB of stack below the caller's frame: the slots that earlier, deeper
 * calls used and that later frames (exit handlers, the report) may reuse unwritten. */
void reach_scrub_stack(void);

/* A pipe one thread waits on (forever, or until another thread posts). */
struct reach_gate {
    int fds[2];
};

/* Opens the gate's pipe; exits with status 3 when it cannot. */
void reach_gate_open(struct reach_gate *g);

/* Wakes one reach_gate_wait() on g. */
void reach_gate_post(struct reach_gate *g);

/* Blocks until reach_gate_post() on g. */
void reach_gate_wait(struct reach_gate *g);

/* Blocks the calling thread for good, in read(2) on a pipe nobody writes. */
void reach_block_forever(void) __attribute__((noreturn));

#ifdef __cplusplus
}
#endif

#endif
