/* SPDX-License-Identifier: MIT
 *
 * stack.h - capture the calling thread's stack with libunwind, minus the shim's frames.
 */
#ifndef LS_STACK_H
#define LS_STACK_H

#include <stdint.h>

/*
 * Records up to max_depth return addresses of the caller's stack into ips, innermost
 * first, leaving out the frames inside libleakshim.so itself. Returns how many were
 * stored (0 when unwinding failed). Must run with the guard held: libunwind may allocate.
 */
int ls_stack_capture(uintptr_t *ips, int max_depth);

/* A 64-bit hash of a stack; never 0. */
uint64_t ls_stack_hash(const uintptr_t *ips, int n);

/* Finds the shim's own code range so captures can drop it; once, at start-up. */
void ls_stack_init(void);

#endif
