/* SPDX-License-Identifier: MIT
 *
 * maps.h - the process's mappings, read from /proc/self/maps without allocating.
 */
#ifndef LS_MAPS_H
#define LS_MAPS_H

#include <stddef.h>
#include <stdint.h>

enum ls_map_kind {
    LS_MAP_ANON,    /* no file: heap arenas, thread stacks, the program's own mmaps */
    LS_MAP_FILE,    /* a regular file: modules' data, mapped files */
    LS_MAP_HEAP,    /* [heap], the brk area of glibc's main arena */
    LS_MAP_STACK,   /* [stack], the main thread's */
    LS_MAP_SPECIAL, /* [vdso], [vvar], [vsyscall] and the like: never read */
    LS_MAP_DEVICE,  /* a device under /dev (reading it may have effects): never read */
};

/* One mapping. */
struct ls_region {
    uintptr_t start, end;
    unsigned flags; /* LS_REGION_* */
    unsigned kind;  /* enum ls_map_kind */
};
#define LS_REGION_READ  1u
#define LS_REGION_WRITE 2u
#define LS_REGION_EXEC  4u
#define LS_REGION_FILE  8u /* backed by a file: what memcheck's vtable heuristic wants */

struct ls_maps {
    struct ls_region *maps; /* sorted by address */
    size_t n;
    char *text; /* the raw file */
    size_t text_cap, maps_cap;
};

/* Reads /proc/self/maps into m (buffers from mmap, kept for the next read).
 * Returns 0, or -1 when it cannot be read. */
int ls_maps_read(struct ls_maps *m);

/* The mapping holding p, or NULL. */
const struct ls_region *ls_maps_find(const struct ls_maps *m, uintptr_t p);

/* Gives the buffers back. */
void ls_maps_release(struct ls_maps *m);

#endif
