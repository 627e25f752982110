/* SPDX-License-Identifier: MIT
 *
 * sample.c - known leaks for LEAKSHIM_SAMPLE: many small blocks, whose estimate has a
 * known spread, blocks far above the rate, which are always sampled and so exact, and
 * blocks allocated and freed again, which must leave nothing behind.
 *
 * Usage: sample THREADS
 *   Each of THREADS threads (1-8) runs work(): leak_many leaks 20000 x 1000 bytes,
 *   leak_huge leaks 4 x 1 MiB, churn allocates 50000 blocks of 1-4000 bytes (malloc,
 *   calloc, realloc) and frees them all. Prints "done" and exits 0.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    churn();
    return NULL;
}

int main(int argc, char **argv)
{
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
    puts("done");
    return 0;
}
