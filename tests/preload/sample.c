/* SPDX-License-Identifier: MIT
 *
 * sample.c - known leaks for LEAKSHIM_SAMPLE: many small blocks, whose estimate has a
 * known spread, blocks far above the rate, which are always sampled and so exact, and
 * blocks allocated and freed again, which must leave nothing behind.
 *
 * Usage: sample THREADS | sample fork
 *   THREADS: each of THREADS threads (1-8) runs work(): leak_many leaks 20000 x 1000
 *   bytes, leak_huge 4 x 1 MiB, leak_mixed 2000 blocks of 8 and 100000 bytes in turn,
 *   churn allocates 50000 blocks of 1-4000 bytes (malloc, calloc, realloc) and frees
 *   them all. Then main asks leakshim_ignore() about a 1-byte block it holds and prints
 *   "ignore rc=N", then "done", and exits 0.
 *   fork: allocates and frees 100 x 64 bytes, forks; parent and child each leak 20000 blocks of 64-127 bytes from
 *   leak_after_fork; the child then makes a 16-byte allocation every 50 ms for a second
 *   and exits 0; the parent waits for it and prints "done".
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "leakshim.h"

void *volatile sink;
volatile int many = 20000, huge = 4, churned = 50000;

__attribute__((noinline)) static void leak_many(void)
{
    for (int i = 0; i < many; i++)
        sink = malloc(1000);
}

__attribute__((noinline)) static void leak_huge(void)
{
    for (int i = 0; i < huge; i++)
        sink = malloc(1 << 20);
}

__attribute__((noinline)) static void leak_mixed(void)
{
    for (int i = 0; i < 2000; i++)
        sink = malloc(i % 2 ? 100000 : 8);
}

__attribute__((noinline)) static void leak_after_fork(void)
{
    for (int i = 0; i < many; i++)
        sink = malloc(64 + i % 64);
}

__attribute__((noinline)) static void churn(void)
{
    static __thread void *held[64];
    unsigned x = 12345;

    for (int i = 0; i < churned; i++) {
        x = x * 1103515245u + 12345u;
        size_t size = 1 + (x >> 8) % 4000;
        void **slot = &held[i % 64];
        if (*slot != NULL && i % 3 == 0)
            *slot = realloc(*slot, size);
        else {
            free(*slot);
            *slot = i % 2 ? calloc(1, size) : malloc(size);
        }
    }
    for (int i = 0; i < 64; i++) {
        free(held[i]);
        held[i] = NULL;
    }
}

static void *work(void *unused)
{
    (void)unused;
    leak_many();
    leak_huge();
    leak_mixed();
    churn();
    return NULL;
}

static int run_fork(void)
{
    for (int i = 0; i < 100; i++) // the thread's countdown starts before the fork
        free(malloc(64));

    pid_t child = fork();

    if (child < 0)
        return 1;
    leak_after_fork();
    if (child == 0) {
        for (int i = 0; i < 20; i++) {
            free(malloc(16));
            usleep(50000);
        }
        return 0;
    }
    int status;
    waitpid(child, &status, 0);
    puts("done");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "fork") == 0)
        return run_fork();

    int n = argc > 1 ? atoi(argv[1]) : 1;
    pthread_t t[8];

    if (n < 1 || n > 8) {
        fprintf(stderr, "usage: sample THREADS (1-8)\n");
        return 2;
    }
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, work, NULL);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    char *held = malloc(1); // at 4096 bytes a sample point, sampled once in 4096 runs
    printf("ignore rc=%d\n", leakshim_ignore(held));
    free(held);
    puts("done");
    return 0;
}
