/* SPDX-License-Identifier: MIT
 *
 * scanatk_check.c - leakshim_check() from two threads at once while two others allocate.
 *
 * main loses 1000 bytes (lose_block) first. Two churn threads then malloc, realloc and
 * free into a global table without pause (every block of theirs reachable), while two
 * checker threads each run leakshim_check() 100 times. Every check must return 1 and
 * count exactly the lost block as definite (1000 bytes, 1 block), nothing indirect, and
 * leaked = definite + indirect. main prints "checks N bad M" and exits 0.
 */
#include <leakshim.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scanatk_common.h"

#define N_CHECKS 100
#define N_SLOTS  16

static void *slots[2][N_SLOTS];
static atomic_int n_checks, n_bad;

static void *churn_main(void *arg)
{
    void **mine = slots[(long)arg];
    unsigned r = 12345u + (unsigned)(long)arg;

    for (;;) {
        r = r * 1103515245u + 12345u;
        void **slot = &mine[(r >> 8) % N_SLOTS];
        if (*slot == NULL) {
            *slot = must_malloc(16 + (r >> 4) % 3000);
        } else if ((r >> 4) % 3 == 0) {
            free(*slot);
            *slot = NULL;
        } else {
            void *q = realloc(*slot, 16 + (r >> 4) % 5000);
            if (q == NULL)
                abort();
            *slot = q;
        }
    }
    return NULL;
}

static bool is_right(int rc, const struct leakshim_counts *c)
{
    return rc == 1 && c->definite_bytes == 1000 && c->definite_blocks == 1 &&
           c->indirect_bytes == 0 && c->indirect_blocks == 0 &&
           c->leaked_bytes == c->definite_bytes + c->indirect_bytes &&
           c->leaked_blocks == c->definite_blocks + c->indirect_blocks;
}

static void *checker_main(void *arg)
{
    struct leakshim_counts c;

    for (int i = 0; i < N_CHECKS; i++) {
        memset(&c, 0xff, sizeof(c));
        int rc = leakshim_check(&c);
        atomic_fetch_add(&n_checks, 1);
        if (!is_right(rc, &c)) {
            atomic_fetch_add(&n_bad, 1);
            fprintf(stderr, "check: rc %d definite %llu/%llu indirect %llu/%llu leaked %llu/%llu\n",
                    rc, c.definite_bytes, c.definite_blocks, c.indirect_bytes, c.indirect_blocks,
                    c.leaked_bytes, c.leaked_blocks);
        }
    }
    return arg;
}

int main(void)
{
    pthread_t checkers[2];

    lose_block(1000);
    reach_scrub_stack();
    start_thread(churn_main, (void *)0);
    start_thread(churn_main, (void *)1);
    for (int i = 0; i < 2; i++) {
        if (pthread_create(&checkers[i], NULL, checker_main, NULL) != 0)
            return 3;
    }
    for (int i = 0; i < 2; i++)
        pthread_join(checkers[i], NULL);
    printf("checks %d bad %d\n", atomic_load(&n_checks), atomic_load(&n_bad));
    return 0;
}
