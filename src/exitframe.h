/* SPDX-License-Identifier: MIT
 *
 * exitframe.h - the exiting thread as it was when it called exit().
 */
#ifndef LS_EXITFRAME_H
#define LS_EXITFRAME_H

#include "leakcheck.h"

/*
 * Moves *e, captured inside an exit handler, to the frame that called exit() or
 * quick_exit(): its stack pointer and callee-saved registers there. Returns 0, or -1 (e
 * unchanged) when no such frame is found.
 */
int ls_exitframe_entry(struct ls_entry *e);

#endif
