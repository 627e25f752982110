/* SPDX-License-Identifier: MIT
 *
 * diff_grow.c - a slow leak among churn, for `leakshim diff` on interval snapshots:
 *
 *     diff_grow K PHASES PATTERN...
 *
 * grow_leak() leaks 1 KiB per iteration; each iteration also allocates and frees blocks
 * of varied sizes from two other stacks (churn_small, churn_medium), and three blocks
 * from steady_table() stay live throughout. The program paces itself on the snapshots:
 * it waits for snapshot n (each PATTERN, "%p" the pid and "%n" the number, exists), runs
 * K iterations, and so on for n = 0 .. PHASES-1, then waits for snapshot PHASES and
 * exits 0. An interval snapshot comes a whole LEAKSHIM_INTERVAL after the last one was
 * written, and the K iterations take a millisecond or so, so snapshot n holds exactly
 * n * K blocks of grow_leak. Exits 3 when a snapshot does not come within 30 s.
 *
 * The churn never holds more than 660 bytes at once, less than one leaked block, so
 * every timeline row's live bytes are at least the row before's.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc_util.h"

#define LEAK_BYTES 1024
#define N_SMALL    12

void grow_leak(void)
{
    char *p = malloc(LEAK_BYTES);

    memset(p, 0x5a, LEAK_BYTES);
    proc_keep(p);
}

/* N_SMALL blocks of 8 to 55 bytes, a different mix each iteration, all freed. */
void churn_small(int iteration)
{
    char *blocks[N_SMALL];

    for (int k = 0; k < N_SMALL; k++) {
        size_t size = 8 + (size_t)(iteration * 7 + k * 13) % 48;
        blocks[k] = malloc(size);
        memset(blocks[k], k, size);
    }
    for (int k = 0; k < N_SMALL; k++)
        free(blocks[k]);
}

/* One block of 200 to 600 bytes, freed. */
void churn_medium(int iteration)
{
    size_t size = 200 + (size_t)(iteration % 5) * 100;
    char *p = malloc(size);

    memset(p, 1, size);
    free(p);
}

void steady_table(void)
{
    for (int k = 1; k <= proc_opaque(3); k++)
        proc_keep(malloc((size_t)k * 100));
}

/* Waits until every pattern's file of snapshot seq exists. */
static void wait_snapshot(char **patterns, int n_patterns, int seq)
{
    char path[4096];

    for (int i = 0; i < n_patterns; i++) {
        proc_expand_path(path, sizeof(path), patterns[i], (long)getpid(), seq);
        if (proc_wait_for_file(path, 30000) != 0)
            proc_die(3, "no snapshot came within 30 s");
    }
}

int main(int argc, char **argv)
{
    int k_iterations, phases, iteration = 0;

    if (argc < 4)
        proc_die(64, "usage: diff_grow K PHASES PATTERN...");
    k_iterations = (int)proc_parse_long(argv[1]);
    phases = (int)proc_parse_long(argv[2]);
    steady_table();

    for (int phase = 0; phase < phases; phase++) {
        wait_snapshot(argv + 3, argc - 3, phase);
        for (int i = 0; i < k_iterations; i++, iteration++) {
            churn_small(iteration);
            churn_medium(iteration);
            grow_leak();
        }
    }
    wait_snapshot(argv + 3, argc - 3, phases);
    return 0;
}
