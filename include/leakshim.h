/* SPDX-License-Identifier: MIT
 *
 * leakshim.h - the public API of libleakshim.so.
 *
 * A program includes this header and links nothing extra: each call looks leakshim up at
 * run time, so the same binary runs with and without LD_PRELOAD=libleakshim.so, and the
 * calls quietly do nothing in the second case.
 */
#ifndef LEAKSHIM_H
#define LEAKSHIM_H

#include <dlfcn.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * leakshim_write_report() - write a report of the live blocks now, while the program keeps
 * running, to the place and in the format LEAKSHIM_OUTPUT and LEAKSHIM_FORMAT name. The
 * report's reason is "request". Returns 0 when the report was written, -1 when it could
 * not be (the reason is on stderr), and -1 when the program is not running under leakshim.
 * Safe to call from any thread, but not from a signal handler.
 */
typedef int (*leakshim_write_report_fn)(void);

static inline int leakshim_report_now(void)
{
    /* dlsym rather than a weak symbol: a weak reference is resolved to NULL at link time
     * in a non-PIE executable, and would then never see the preloaded library. */
    void *sym = dlsym(RTLD_DEFAULT, "leakshim_write_report");
    leakshim_write_report_fn fn;

    if (sym == NULL)
        return -1;
    *(void **)&fn = sym;
    return fn();
}

#ifdef __cplusplus
}
#endif

#endif /* LEAKSHIM_H */
