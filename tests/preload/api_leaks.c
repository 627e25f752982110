/* SPDX-License-Identifier: MIT
 *
 * api_leaks.c - leaks chosen on the command line, each from a function of its own, for
 * the report filters (suppressions, LEAKSHIM_MIN_BYTES, the baseline, the leak kinds).
 *
 * Usage: api_leaks [NAME[=COUNT]]... [status=N]
 * Each NAME leaks COUNT (default 1) zeroed blocks of its size, from one call site:
 *   alpha 100  beta 200  gamma_one 30  gamma_two 40  small 5   (this file)
 *   file_leak 70                                           (api_leaks_file.c)
 *   lib_leak 50                            (libapi_leaks_lib.so, its own module)
 *   kept 64: held by the global `kept` (one block; reachable once scanned)
 * Pointers are dropped at once and the stack is scrubbed before exit, so a scan finds
 * every block but kept's definitely lost. Exits with status N (default 0).
 */
#include "api_leaks.h"

#include <stdlib.h>
#include <string.h>

#include "proc_util.h"
#include "reach_common.h"

void *volatile kept;

void *api_zeroed(size_t size)
{
    void *p = malloc(size);

    if (p == NULL)
        proc_die(3, "out of memory");
    return memset(p, 0, size);
}

#define LEAK_FN(name, size)                             \
    __attribute__((noinline)) static void name(int n)   \
    {                                                   \
        for (int i = 0; i < n; i++) {                   \
            void *p = api_zeroed(size);                 \
            __asm__ volatile("" : : "r"(p) : "memory"); \
        }                                               \
    }

LEAK_FN(alpha, 100)
LEAK_FN(beta, 200)
LEAK_FN(gamma_one, 30)
LEAK_FN(gamma_two, 40)
LEAK_FN(small, 5)

__attribute__((noinline)) static void keep(int n)
{
    (void)n;
    kept = api_zeroed(64);
}

static const struct {
    const char *name;
    void (*leak)(int n);
} leaks[] = {
    {"alpha", alpha}, {"beta", beta},           {"gamma_one", gamma_one}, {"gamma_two", gamma_two},
    {"small", small}, {"file_leak", file_leak}, {"lib_leak", lib_leak},   {"kept", keep},
};

/* Runs the leak NAME[=COUNT] names; exits with status 64 on an unknown one. */
__attribute__((noinline)) static void run_leak(const char *arg)
{
    size_t len = strcspn(arg, "=");
    int n = arg[len] == '=' ? (int)proc_parse_long(arg + len + 1) : 1;

    for (size_t i = 0; i < sizeof(leaks) / sizeof(leaks[0]); i++) {
        if (strlen(leaks[i].name) == len && strncmp(arg, leaks[i].name, len) == 0) {
            leaks[i].leak(n);
            return;
        }
    }
    proc_die(64, "unknown leak");
}

int main(int argc, char **argv)
{
    int status = 0;

    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "status=", 7) == 0)
            status = (int)proc_parse_long(argv[i] + 7);
        else
            run_leak(argv[i]);
    }
    reach_scrub_stack();
    return status;
}
