/* SPDX-License-Identifier: MIT
 *
 * leakshim.h - the public API of libleakshim.so.
 *
 * A program includes this header and links nothing extra: each call looks leakshim up at
 * run time (dlsym, once per call site's file), so the same binary runs with and without
 * LD_PRELOAD=libleakshim.so, and the calls quietly do nothing in the second case.
 * None of them may be called from a signal handler.
 */
#ifndef LEAKSHIM_H
#define LEAKSHIM_H

#include <dlfcn.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What leakshim_check() found; bytes and blocks per kind, as in a report's summary. */
struct leakshim_counts {
    unsigned long long leaked_bytes, leaked_blocks; /* what LEAKSHIM_EXITCODE tests */
    unsigned long long definite_bytes, definite_blocks;
    unsigned long long indirect_bytes, indirect_blocks;
    unsigned long long possible_bytes, possible_blocks;
    unsigned long long reachable_bytes, reachable_blocks;
    unsigned long long suppressed_bytes, suppressed_blocks;
    unsigned long long ignored_bytes, ignored_blocks;
};

/* The library's function called name, or NULL without leakshim. dlsym, not a weak
 * symbol: a weak reference is resolved to NULL at link time in a non-PIE executable, and
 * would then never see the preloaded library. */
static inline void *leakshim_lookup_(const char *name)
{
    return dlsym(RTLD_DEFAULT, name);
}

/* The library's entry points, as the inline functions below call them. */
typedef int (*leakshim_write_report_fn)(void);
typedef int (*leakshim_leak_check_fn)(struct leakshim_counts *out, size_t out_size);
typedef int (*leakshim_ignore_object_fn)(const void *block);
typedef void (*leakshim_thread_fn)(void);

/* Declares var, found once (racing threads find the same address). */
#define LEAKSHIM_FN_(var, type, name) \
    static type var;                  \
    if (var == NULL)                  \
    *(void **)&var = leakshim_lookup_(name)

/*
 * leakshim_report_now() - write a report of the live blocks now, while the program keeps
 * running, to the place and in the format LEAKSHIM_OUTPUT and LEAKSHIM_FORMAT name. The
 * report's reason is "request"; it is classified only with LEAKSHIM_SCAN=all. Returns 0
 * when the report was written, -1 when it could not be (the reason is on stderr) or the
 * program is not running under leakshim. Safe from any thread.
 */
static inline int leakshim_report_now(void)
{
    LEAKSHIM_FN_(fn, leakshim_write_report_fn, "leakshim_write_report");
    return fn != NULL ? fn() : -1;
}

/*
 * leakshim_check() - run a leak check now: stop the other threads for a moment, classify
 * every live block by reachability (even with LEAKSHIM_SCAN=none), and fill *out (when not NULL)
 * with the totals a report would give, suppressions, LEAKSHIM_MIN_BYTES and LEAKSHIM_BASELINE
 * applied. Writes no report. Returns 1 when leaks count (leaked bytes or blocks, or with a baseline
 * growth beyond it), 0 when none do, -1 when not running under leakshim (*out is then untouched).
 * With LEAKSHIM_SAMPLE the counts are estimates from the sampled blocks, and a sampled block
 * reached only through unsampled ones counts as lost: do not gate on it while sampling.
 */
static inline int leakshim_check(struct leakshim_counts *out)
{
    LEAKSHIM_FN_(fn, leakshim_leak_check_fn, "leakshim_leak_check");
    return fn != NULL ? fn(out, sizeof(*out)) : -1;
}

/*
 * leakshim_ignore() - never report the live block that starts at block, and treat what it
 * points to as reachable (a deliberate, never-freed allocation). Returns 0, or -1 when
 * block is not the start of a live block or leakshim is not loaded. With LEAKSHIM_SAMPLE
 * a block that was not sampled is not known to leakshim: that returns 0 too.
 */
static inline int leakshim_ignore(const void *block)
{
    LEAKSHIM_FN_(fn, leakshim_ignore_object_fn, "leakshim_ignore_object");
    return fn != NULL ? fn(block) : -1;
}

/*
 * leakshim_disable() / leakshim_enable() - blocks the calling thread allocates between the
 * two are ignored as by leakshim_ignore() (still counted as allocations and frees). They
 * nest: after two disables it takes two enables. Other threads are not affected.
 */
static inline void leakshim_disable(void)
{
    LEAKSHIM_FN_(fn, leakshim_thread_fn, "leakshim_disable_thread");
    if (fn != NULL)
        fn();
}

static inline void leakshim_enable(void)
{
    LEAKSHIM_FN_(fn, leakshim_thread_fn, "leakshim_enable_thread");
    if (fn != NULL)
        fn();
}

#ifdef __cplusplus
}
#endif

#endif /* LEAKSHIM_H */
