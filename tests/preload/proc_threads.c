/* SPDX-License-Identifier: MIT
 *
 * proc_threads.c - four threads churn malloc/calloc/realloc/free; thread 2 leaks 7 blocks
 * of 333 bytes from leak_in_worker.
 *
 * Usage: proc_threads ITERATIONS leak|noleak
 *
 * Every count is fixed by the arguments, so the check script can compute the exact
 * difference between a run with ITERATIONS=0 (pthread's own allocations only) and a churn
 * run: per thread ITERATIONS allocations plus one realloc every PROC_REALLOC_EVERY.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "proc_util.h"

#define PROC_THREADS       4
#define PROC_LEAKER        2
#define PROC_REALLOC_EVERY 8
#define PROC_CALLOC_EVERY  5

struct worker {
    int index;
    long iterations;
    int is_leaking;
};

// All threads exist at once before any finishes, so pthread allocates the same
// thread-control memory in every run (no stack reuse between threads).
static pthread_barrier_t start_line;

static size_t size_for(int thread, long i)
{
    return 1 + (size_t)((i * 131 + thread * 17) % 2000);
}

static void leak_in_worker(void)
{
    for (int i = 0; i < proc_opaque(7); i++)
        proc_keep(malloc(333));
}

static char *allocate(int thread, long i)
{
    if (i % PROC_CALLOC_EVERY == 0)
        return calloc(1, size_for(thread, i));
    return malloc(size_for(thread, i));
}

static void churn(int thread, long iterations)
{
    for (long i = 0; i < iterations; i++) {
        char *p = allocate(thread, i);
        if (p == NULL)
            proc_die(90, "allocation failed");
        p[0] = (char)i;

        if (i % PROC_REALLOC_EVERY == 0) {
            p = realloc(p, 2 * size_for(thread, i + 1));
            if (p == NULL)
                proc_die(90, "realloc failed");
        }
        free(p);
    }
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;

    pthread_barrier_wait(&start_line);
    churn(w->index, w->iterations);
    if (w->is_leaking && w->index == PROC_LEAKER)
        leak_in_worker();
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        proc_die(64, "usage: proc_threads ITERATIONS leak|noleak");

    struct worker workers[PROC_THREADS];
    pthread_t tids[PROC_THREADS];
    long iterations = proc_parse_long(argv[1]);
    int is_leaking = strcmp(argv[2], "leak") == 0;

    pthread_barrier_init(&start_line, NULL, PROC_THREADS);
    for (int t = 0; t < PROC_THREADS; t++) {
        workers[t] = (struct worker){t, iterations, is_leaking};
        if (pthread_create(&tids[t], NULL, worker_main, &workers[t]) != 0)
            proc_die(91, "pthread_create failed");
    }
    for (int t = 0; t < PROC_THREADS; t++)
        pthread_join(tids[t], NULL);
    pthread_barrier_destroy(&start_line);
    return 0;
}
