/* SPDX-License-Identifier: MIT
 *
 * guard.h - per-thread recursion guard.
 *
 * While a thread holds the guard, every allocation it makes is the shim's own (libunwind,
 * libdw, report writing, pthread_create of the snapshot thread) and is passed straight to
 * the C library unrecorded. Initial-exec TLS: reading it never calls into the loader, which
 * could itself allocate.
 */
#ifndef LS_GUARD_H
#define LS_GUARD_H

#include <stdbool.h>

extern __thread int ls_guard_depth;

/* Set on the forking thread from the prepare handler to the parent/child handler: the
 * shim's locks are held then, so a free on that thread must not touch the table. */
extern __thread int ls_guard_in_fork;

/* Takes the guard; false when this thread already held it (the caller must not record). */
static inline bool ls_guard_enter(void)
{
    return ls_guard_depth++ == 0;
}

/* Releases one level taken by ls_guard_enter(), whatever it returned. */
static inline void ls_guard_leave(void)
{
    ls_guard_depth--;
}

static inline bool ls_guard_held(void)
{
    return ls_guard_depth > 0;
}

#endif
