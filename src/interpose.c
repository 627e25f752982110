/* SPDX-License-Identifier: MIT
 *
 * interpose.c - the exported malloc family: find the real function, call it, record.
 *
 * Nothing else lives here. Every hook keeps glibc's behaviour and errno exactly: the
 * bookkeeping happens around the real call and never changes its result.
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "bootstrap.h"
#include "export.h"
#include "guard.h"
#include "real.h"
#include "sample.h"
#include "track.h"

/* False only while dlsym is still looking the real functions up (or could not). */
static inline int have_real(void)
{
    return ls_real_ready() || ls_real_init() == 0;
}

/* Records p unless it is NULL, not sampled or this thread is inside the shim; keeps
 * errno. An allocation sampling leaves out costs the inlined test and nothing more (the
 * guard is asked first: the shim's own allocations must not move the countdown; and a
 * pending ls_track_poll, a fork child's snapshot thread, goes the long way to run). */
static void *record(void *p, size_t size)
{
    if (p != NULL && !ls_guard_held() && ls_track_poll == NULL && ls_sample_skips(size))
        return p;
    if (p != NULL && ls_guard_enter()) {
        int err = errno;
        ls_track_alloc(p, size);
        errno = err;
    }
    if (p != NULL)
        ls_guard_leave();
    return p;
}

/* Takes the guard while the table is touched, so an exit() from a signal handler that
 * interrupts this knows the table may be locked and skips the exit report. */
static void forget(void *p)
{
    int err = errno;
    bool is_program = !ls_guard_held();

    ls_guard_enter();
    ls_track_free(p, is_program);
    ls_guard_leave();
    errno = err;
}

LS_EXPORT void *malloc(size_t size)
{
    if (!have_real())
        return ls_bootstrap_alloc(size, 16);
    return record(ls_real.malloc(size), size);
}

LS_EXPORT void free(void *p)
{
    if (p == NULL || ls_bootstrap_owns(p))
        return; // bootstrap blocks live in static memory and are never given back
    if (!ls_sample_never_held(p))
        forget(p);
    if (have_real())
        ls_real.free(p);
}

LS_EXPORT void *calloc(size_t n, size_t size)
{
    size_t total;

    if (!have_real()) {
        if (__builtin_mul_overflow(n, size, &total))
            return NULL;
        return ls_bootstrap_alloc(total, 16); // static memory, never reused: already zero
    }
    void *p = ls_real.calloc(n, size);
    return record(p, p != NULL ? n * size : 0); // no overflow: calloc succeeded
}

/* realloc of a bootstrap block: move it to the real heap. */
static void *move_from_bootstrap(void *old, size_t size)
{
    size_t old_size = ls_bootstrap_size(old);

    if (size == 0)
        return NULL; // glibc's realloc(p, 0) frees p and returns NULL
    void *p = ls_real.malloc(size);
    if (p != NULL)
        memcpy(p, old, old_size < size ? old_size : size);
    return record(p, size);
}

LS_EXPORT void *realloc(void *old, size_t size)
{
    struct ls_block saved;

    if (!have_real())
        return ls_bootstrap_alloc(size, 16); // only dlsym runs now, and it never reallocs
    if (old == NULL)
        return record(ls_real.realloc(NULL, size), size);
    if (ls_bootstrap_owns(old))
        return move_from_bootstrap(old, size);

    // Forget first: once the C library frees old, another thread may be handed it.
    int err = errno;
    bool was_tracked = !ls_sample_never_held(old) && ls_track_take(old, &saved, !ls_guard_held());
    errno = err;
    void *p = ls_real.realloc(old, size);
    if (p == NULL && size != 0 && was_tracked) {
        err = errno;
        ls_track_restore(&saved); // failed: old is still the program's
        errno = err;
    }
    return record(p, size);
}

LS_EXPORT void *reallocarray(void *old, size_t n, size_t size)
{
    size_t total;

    if (__builtin_mul_overflow(n, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(old, total);
}

LS_EXPORT int posix_memalign(void **out, size_t alignment, size_t size)
{
    if (!have_real()) {
        *out = ls_bootstrap_alloc(size, alignment);
        return *out != NULL ? 0 : ENOMEM;
    }
    int rc = ls_real.posix_memalign(out, alignment, size);
    if (rc == 0)
        record(*out, size);
    return rc;
}

LS_EXPORT void *aligned_alloc(size_t alignment, size_t size)
{
    if (!have_real())
        return ls_bootstrap_alloc(size, alignment);
    return record(ls_real.aligned_alloc(alignment, size), size);
}

LS_EXPORT void *memalign(size_t alignment, size_t size)
{
    if (!have_real())
        return ls_bootstrap_alloc(size, alignment);
    return record(ls_real.memalign(alignment, size), size);
}

LS_EXPORT void *valloc(size_t size)
{
    if (!have_real())
        return ls_bootstrap_alloc(size, 4096);
    return record(ls_real.valloc(size), size);
}

/* TODO: pvalloc rounds the size up to a page; we record the request, as for the others. */
LS_EXPORT void *pvalloc(size_t size)
{
    if (!have_real())
        return ls_bootstrap_alloc(size, 4096);
    return record(ls_real.pvalloc(size), size);
}

LS_EXPORT size_t malloc_usable_size(void *p)
{
    if (p == NULL)
        return 0;
    if (ls_bootstrap_owns(p))
        return ls_bootstrap_size(p);
    return have_real() ? ls_real.malloc_usable_size(p) : 0;
}
