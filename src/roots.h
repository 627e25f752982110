/* SPDX-License-Identifier: MIT
 *
 * roots.h - feed the scan its roots: writable memory that is not the heap, the stacks of
 * the threads from their stack pointers up, and their registers.
 */
#ifndef LS_ROOTS_H
#define LS_ROOTS_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "leakcheck.h"
#include "maps.h"
#include "scan.h"
#include "stopworld.h"

struct ls_roots {
    const struct ls_maps *maps;
    const struct ls_stopped *threads; /* those in LS_STOP_PARKED count */
    size_t n_threads;
    const struct ls_unstopped *unstopped; /* threads left running; sp 0 when unknown */
    size_t n_unstopped;
    const struct ls_entry *entry; /* the calling thread, or NULL */
    bool knows_every_thread;      /* every other thread was stopped, so its tp is known */
    const struct ls_range *shim;  /* the shim's own memory (arena): never a root */
    size_t n_shim;
    const struct ls_range *self; /* the shim's own data segments: never a root */
    size_t n_self;
    bool is_glibc; /* blocks come from glibc's malloc: its chunk headers can be read */
};

/* Scans every root into s (after ls_scan_begin). With the world stopped; allocates only
 * with mmap. Returns 0, or -1 when out of memory (then nothing was scanned). */
int ls_roots_scan(struct ls_scan *s, const struct ls_roots *r);

#endif
