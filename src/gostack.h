/* SPDX-License-Identifier: MIT
 *
 * gostack.h - carry a stack across cgo's switch from a goroutine's stack to the thread's.
 */
#ifndef LS_GOSTACK_H
#define LS_GOSTACK_H

#include <stdint.h>

/* Looks for Go's runtime.asmcgocall in the executable; once, at start-up, guard held.
 * Programs that are not Go pay one look at the section headers. */
void ls_gostack_init(void);

/*
 * When the stack in ips[0..n) ends in runtime.asmcgocall (C code called from a
 * goroutine), appends the goroutine's frames, walked by Go's frame pointers, up to
 * max_depth. Every read of Go memory goes through process_vm_readv, so a layout other
 * than the one expected fails the read instead of faulting. Returns the new count.
 */
int ls_gostack_extend(uintptr_t *ips, int n, int max_depth);

#endif
