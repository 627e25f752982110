/* SPDX-License-Identifier: MIT
 *
 * bigstack.h - run a report on a stack of the shim's own.
 */
#ifndef LS_BIGSTACK_H
#define LS_BIGSTACK_H

#include <stdbool.h>

/*
 * Calls fn(arg) on a fresh 8 MiB stack from the arena, or where we are when none can be
 * had. A report needs far more stack than its caller may have left: libdw alone takes
 * about 150 KiB to read a line table, and the program may call from a thread with a
 * small stack or a handler on a small sigaltstack. The arena is never a root, so the
 * report's own frames never keep a block alive. is_kept leaves the stack mapped
 * afterwards, for the exit report: the process is ending anyway.
 * TODO: find why unmapping it at exit loses the reports of children forked during exit
 * (scanatk_200_threads_and_fork_during_exit fails every run then): a race not understood.
 */
void ls_bigstack_run(void (*fn)(void *arg), void *arg, bool is_kept);

#endif
