/* SPDX-License-Identifier: MIT
 *
 * pprof_leaks.c - known leaks for the pprof format's checks (pprof.cmake), each from one
 * malloc call in its own noinline function called once from main:
 *
 *   leak_a  3 blocks of 100 bytes, dropped: definitely lost
 *   leak_b  2 blocks of 4096 bytes from one call in a loop: the first held by the global
 *           `held` (still reachable), the second dropped (definitely lost); one stack,
 *           two groups
 *   churn   10 blocks of 256 bytes from one call in a loop, 9 freed again, the first
 *           dropped: 256 bytes live, 2560 ever allocated
 *   leak_c  2 blocks of 512 bytes, dropped; only with "snapshot"
 *
 * Usage: pprof_leaks [snapshot]
 *   snapshot: after the first three, leakshim_report_now() (report 0), then leak_c, then
 *   leakshim_report_now() again (report 1), printing "report_now=<rc>" for each; the exit
 *   report is report 2.
 *
 * As the reach_ programs do, blocks are made in functions that return nothing and the
 * stack is scrubbed after them, so the exit scan finds no stale pointer; output goes
 * through write(2), so the program allocates nothing else. Lines are found by the
 * `fn-mark:` comments.
 */
#include <leakshim.h>
#include <stdlib.h>
#include <string.h>

#include "proc_util.h"
#include "reach_common.h"

void *volatile held; // a root: what it points to stays reachable

static void *checked(void *p, size_t size)
{
    if (p == NULL)
        proc_die(3, "out of memory");
    return memset(p, 0, size);
}

__attribute__((noinline)) static void leak_a(void)
{
    for (int i = 0; i < proc_opaque(3); i++) {
        void *p = checked(malloc(100), 100); // fn-mark: leak_a_malloc
        __asm__ volatile("" : : "r"(p) : "memory");
    }
}

__attribute__((noinline)) static void leak_b(void)
{
    for (int i = 0; i < proc_opaque(2); i++) {
        void *p = checked(malloc(4096), 4096); // fn-mark: leak_b_malloc
        if (i == 0)
            held = p;
        __asm__ volatile("" : : "r"(p) : "memory");
    }
}

__attribute__((noinline)) static void churn(void)
{
    void *first = NULL;

    for (int i = 0; i < proc_opaque(10); i++) {
        void *p = checked(malloc(256), 256); // fn-mark: churn_malloc
        if (first == NULL)
            first = p;
        else
            free(p);
    }
    __asm__ volatile("" : : "r"(first) : "memory");
}

__attribute__((noinline)) static void leak_c(void)
{
    for (int i = 0; i < proc_opaque(2); i++) {
        void *p = checked(malloc(512), 512); // fn-mark: leak_c_malloc
        __asm__ volatile("" : : "r"(p) : "memory");
    }
}

int main(int argc, char **argv)
{
    int is_snapshot = argc == 2 && strcmp(argv[1], "snapshot") == 0;

    if (argc > 2 || (argc == 2 && !is_snapshot))
        proc_die(64, "usage: pprof_leaks [snapshot]");
    leak_a(); // fn-mark: main_calls_leak_a
    leak_b(); // fn-mark: main_calls_leak_b
    churn();  // fn-mark: main_calls_churn
    reach_scrub_stack();
    if (is_snapshot) {
        proc_write_kv(1, "report_now", leakshim_report_now());
        leak_c(); // fn-mark: main_calls_leak_c
        reach_scrub_stack();
        proc_write_kv(1, "report_now", leakshim_report_now());
    }
    return 0;
}
