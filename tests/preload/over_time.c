/* SPDX-License-Identifier: MIT
 *
 * over_time.c - known leaks for the output formats and for memory over time.
 *
 * Usage: over_time MODE
 *   exit:      leak_small leaks 3 x 100 bytes, leak_big 1 x 4096 (calloc), churn()
 *              allocates and frees 10 x 50 bytes; then exit.
 *   snapshots: as exit, then leakshim_report_now(); leak_small again (3 x 100) and
 *              leak_more (2 x 256); leakshim_report_now(); exit.
 *   steady MS: leaks 1 KiB from leak_step every 10 ms for MS milliseconds and
 *              allocates nothing else; then exit.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "leakshim.h"

void *volatile sink;
/* Loop counts the compiler cannot see, so it cannot unroll a loop into several call sites
 * (each would be a stack of its own). */
volatile int three = 3, two = 2, ten = 10;

__attribute__((noinline)) static void leak_small(void)
{
    for (int i = 0; i < three; i++)
        sink = malloc(100);
}

__attribute__((noinline)) static void leak_big(void)
{
    sink = calloc(1, 4096);
}

__attribute__((noinline)) static void leak_more(void)
{
    for (int i = 0; i < two; i++)
        sink = malloc(256);
}

__attribute__((noinline)) static void churn(void)
{
    for (int i = 0; i < ten; i++) {
        void *p = malloc(50);
        sink = p;
        free(p);
    }
}

__attribute__((noinline)) static void leak_step(void)
{
    sink = malloc(1024);
}

static void steady(long ms)
{
    struct timespec tick = {0, 10 * 1000 * 1000};

    for (long t = 0; t < ms; t += 10) {
        leak_step();
        nanosleep(&tick, NULL);
    }
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "exit";

    if (strcmp(mode, "steady") == 0) {
        steady(argc > 2 ? atol(argv[2]) : 1000);
        return 0;
    }
    leak_small();
    leak_big();
    churn();
    if (strcmp(mode, "snapshots") == 0) {
        leakshim_report_now();
        leak_small();
        leak_more();
        leakshim_report_now();
    }
    sink = NULL;
    return 0;
}
