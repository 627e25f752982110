/* SPDX-License-Identifier: MIT
 *
 * stopworld.h - hold every other thread of the process still while the leak check reads
 * memory, and learn where each one's stack pointer and registers were.
 */
#ifndef LS_STOPWORLD_H
#define LS_STOPWORLD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define LS_STOP_REGS 16 /* rax..r15 as the thread left them */

enum ls_stop_state { LS_STOP_SENT = 1, LS_STOP_PARKED, LS_STOP_GONE, LS_STOP_LEFT };

struct ls_stopped {
    pid_t tid;
    int state; /* enum ls_stop_state, written by the thread itself */
    uintptr_t sp;
    uintptr_t tp; /* thread pointer: the address of its thread descriptor */
    uintptr_t regs[LS_STOP_REGS];
};

/*
 * Stops every thread but the caller and the tids in skip (the shim's own). Threads that
 * block the stop signal, or do not stop within a bound, are left running: the caller
 * scans their stacks whole instead. Never allocates; call it with the table and arena
 * locks held, so no stopped thread holds them. Returns the threads signalled (*out, valid
 * until the next stop; only those in state LS_STOP_PARKED are held), and in *n_missed how
 * many threads could not be stopped.
 */
size_t ls_stopworld_stop(const pid_t *skip, size_t n_skip, struct ls_stopped **out,
                         size_t *n_missed);

/* A thread left running, and its stack pointer where the kernel shows one (a thread
 * blocked in a system call, as most are when a program ends), else 0. */
struct ls_unstopped {
    pid_t tid;
    uintptr_t sp;
};

/* After ls_stopworld_stop(): the threads it could not stop (up to a bound), valid until
 * the next stop; *n set. */
const struct ls_unstopped *ls_stopworld_unstopped(size_t *n);

/* The calling thread's thread pointer (x86-64: the first word at %fs). */
uintptr_t ls_stopworld_self_tp(void);

/* Lets every stopped thread run on, and waits (briefly) until each has left the
 * handler: a thread still in it blocks every signal, so the next stop would miss it. */
void ls_stopworld_resume(void);

#endif
