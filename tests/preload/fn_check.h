/* SPDX-License-Identifier: MIT
 *
 * fn_check.h - helpers shared by the fn_ test programs.
 *
 * The programs must allocate exactly what their check scripts expect, so nothing here
 * uses stdio or any other libc call that allocates: messages go out with write(2).
 */
#ifndef FN_CHECK_H
#define FN_CHECK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Blocks a program leaks on purpose: a global keeps the compiler from reasoning them away
 * and makes the leak deliberate rather than an accident of the test. Each program is one
 * source file, so defining it here is safe. */
void *fn_kept[16];

/* Exits with status 1 and one line on stderr when cond is false; the check script then
 * fails on the status and shows the line. _exit, so a failed check writes no report. */
static inline void fn_expect(int cond, const char *what)
{
    static const char prefix[] = "fn: glibc semantics not met: ";

    if (cond)
        return;
    if (write(2, prefix, sizeof(prefix) - 1) < 0 || write(2, what, strlen(what)) < 0 ||
        write(2, "\n", 1) < 0)
        _exit(2);
    _exit(1);
}

static inline int fn_is_aligned(const void *p, size_t alignment)
{
    return ((uintptr_t)p % alignment) == 0;
}

/* Hides a number from the compiler: an impossible size reaches the allocator at run time
 * instead of drawing an -Walloc-size-larger-than warning, and a loop bound stops GCC from
 * unrolling the loop into several call sites, which would be several stacks. */
static inline size_t fn_opaque(size_t n)
{
    volatile size_t v = n;

    return v;
}

#endif /* FN_CHECK_H */
