/* SPDX-License-Identifier: MIT
 *
 * real.c - dlsym(RTLD_NEXT) lookup of the functions the shim wraps.
 *
 * RTLD_NEXT rather than glibc's __libc_malloc: it finds whatever allocator comes after us
 * in the search order, so a program that also preloads jemalloc or tcmalloc still works.
 */
#include "real.h"

#include <dlfcn.h>
#include <stdatomic.h>

#include "guard.h"

struct ls_real_fns ls_real;

atomic_int ls_real_state = LS_REAL_NONE;

#define LOOKUP(name) (*(void **)&ls_real.name = dlsym(RTLD_NEXT, #name))

static void look_up_all(void)
{
    LOOKUP(malloc);
    LOOKUP(free);
    LOOKUP(calloc);
    LOOKUP(realloc);
    LOOKUP(reallocarray);
    LOOKUP(posix_memalign);
    LOOKUP(aligned_alloc);
    LOOKUP(memalign);
    LOOKUP(valloc);
    LOOKUP(pvalloc);
    LOOKUP(malloc_usable_size);
    LOOKUP(sigaction);
    LOOKUP(signal);
    LOOKUP(dlclose);
    LOOKUP(unshare);
    LOOKUP(setns);
}

int ls_real_init(void)
{
    int expected = LS_REAL_NONE;

    if (ls_real_ready())
        return 0;
    if (!atomic_compare_exchange_strong(&ls_real_state, &expected, LS_REAL_LOOKING))
        return -1; // another thread is looking: use the bootstrap arena meanwhile

    ls_guard_enter(); // dlsym's own allocations must not be recorded
    look_up_all();
    ls_guard_leave();

    if (ls_real.malloc == NULL || ls_real.free == NULL) {
        atomic_store(&ls_real_state, LS_REAL_NONE);
        return -1;
    }
    atomic_store_explicit(&ls_real_state, LS_REAL_READY, memory_order_release);
    return 0;
}
