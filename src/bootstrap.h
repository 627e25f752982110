/* SPDX-License-Identifier: MIT
 *
 * bootstrap.h - memory for allocations made before the real allocator is known.
 */
#ifndef LS_BOOTSTRAP_H
#define LS_BOOTSTRAP_H

#include <stdbool.h>
#include <stddef.h>

/* A 16-byte aligned block from a static arena, or NULL when it is full. Never freed. */
void *ls_bootstrap_alloc(size_t size, size_t alignment);

#define LS_BOOTSTRAP_BYTES (64 * 1024) // glibc's dlsym needs well under 1 KiB

extern unsigned char ls_bootstrap_arena[LS_BOOTSTRAP_BYTES];

/* True when p came from ls_bootstrap_alloc(); free() must then ignore it. Inline: every
 * free asks. */
static inline bool ls_bootstrap_owns(const void *p)
{
    const unsigned char *c = p;

    return c >= ls_bootstrap_arena && c < ls_bootstrap_arena + LS_BOOTSTRAP_BYTES;
}

/* The size asked for when p was allocated (p must be owned). */
size_t ls_bootstrap_size(const void *p);

#endif
