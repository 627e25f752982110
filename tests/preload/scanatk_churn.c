/* SPDX-License-Identifier: MIT
 *
 * scanatk_churn.c - exit() from main while four threads churn malloc, realloc and free.
 *
 * Each churn thread keeps its blocks in a global table (so every one is reachable) and
 * never pauses. Once each has done 2000 operations, main loses a 4242-byte block
 * (lose_block) and calls exit(7) with the threads still running: the exit scan has to stop
 * them mid-malloc, classify, and let exit go on.
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "scanatk_common.h"

#define N_THREADS 4
#define N_SLOTS   16

static void *slots[N_THREADS][N_SLOTS];
static atomic_int n_warm;

__attribute__((noinline)) static void churn_step(void **slot, unsigned r)
{
    if (*slot == NULL) {
        *slot = must_malloc(16 + r % 4000);
    } else if (r % 3 == 0) {
        free(*slot);
        *slot = NULL;
    } else {
        void *q = realloc(*slot, 16 + r % 9000);
        if (q == NULL)
            abort();
        *slot = q;
    }
}

static void *churn_main(void *arg)
{
    void **mine = slots[(long)arg];
    unsigned r = (unsigned)(long)arg * 7919u + 1;

    for (long n = 0;; n++) {
        r = r * 1103515245u + 12345u;
        churn_step(&mine[(r >> 8) % N_SLOTS], r >> 4);
        if (n == 2000)
            atomic_fetch_add(&n_warm, 1);
    }
    return NULL;
}

int main(void)
{
    for (long i = 0; i < N_THREADS; i++)
        start_thread(churn_main, (void *)i);
    while (atomic_load(&n_warm) < N_THREADS) {
    }
    lose_block(4242);
    reach_scrub_stack();
    exit(7);
}
