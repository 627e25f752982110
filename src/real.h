/* SPDX-License-Identifier: MIT
 *
 * real.h - the C library's allocator, found behind the shim with dlsym(RTLD_NEXT).
 */
#ifndef LS_REAL_H
#define LS_REAL_H

#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>

struct ls_real_fns {
    void *(*malloc)(size_t);
    void (*free)(void *);
    void *(*calloc)(size_t, size_t);
    void *(*realloc)(void *, size_t);
    void *(*reallocarray)(void *, size_t, size_t);
    int (*posix_memalign)(void **, size_t, size_t);
    void *(*aligned_alloc)(size_t, size_t);
    void *(*memalign)(size_t, size_t);
    void *(*valloc)(size_t);
    void *(*pvalloc)(size_t);
    size_t (*malloc_usable_size)(void *);
    int (*sigaction)(int, const struct sigaction *, struct sigaction *);
    sighandler_t (*signal)(int, sighandler_t);
    int (*dlclose)(void *);
    int (*unshare)(int);
    int (*setns)(int, int);
};

extern struct ls_real_fns ls_real;

/*
 * Looks every function up once; later calls return at once. Allocations dlsym makes on
 * the way are served by the bootstrap arena. Thread-safe: a second thread arriving during
 * the lookup is served by the bootstrap arena too. Returns 0, or -1 when the C library's
 * malloc could not be found (nothing then works, and the caller says so).
 */
int ls_real_init(void);

enum { LS_REAL_NONE, LS_REAL_LOOKING, LS_REAL_READY };
extern atomic_int ls_real_state;

/* True once ls_real holds every function. Inline: every call of the family asks. */
static inline int ls_real_ready(void)
{
    return atomic_load_explicit(&ls_real_state, memory_order_acquire) == LS_REAL_READY;
}

#endif
