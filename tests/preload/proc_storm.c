/* SPDX-License-Identifier: MIT
 *
 * proc_storm.c - three threads churn malloc/realloc/free while a fourth sends the process
 * SIGUSR2 200 times, 2 ms apart; storm_leak leaks 3 x 1000 bytes before any thread starts,
 * so every snapshot holds at least those. Exits with status 7, which must reach the
 * parent unchanged.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "proc_util.h"

#define PROC_CHURNERS 3
#define PROC_SIGNALS  200

static atomic_int is_stopping;

static void storm_leak(void)
{
    for (int i = 0; i < proc_opaque(3); i++)
        proc_keep(malloc(1000));
}

static void *storm_churn(void *arg)
{
    size_t size = 8 + (size_t)(long)arg * 100;
    void *held[8] = {NULL};
    unsigned i = 0;

    while (!atomic_load(&is_stopping)) {
        free(held[i % 8]); // keep a few blocks live so snapshots see churn blocks too
        held[i % 8] = malloc(size);
        if (i % 3 == 0)
            held[i % 8] = realloc(held[i % 8], size * 2 + 1);
        size = size % 4000 + 40;
        i++;
    }
    for (int k = 0; k < 8; k++)
        free(held[k]);
    return NULL;
}

static void *storm_sender(void *arg)
{
    (void)arg;
    for (int i = 0; i < PROC_SIGNALS; i++) {
        kill(getpid(), SIGUSR2);
        proc_sleep_ms(2);
    }
    return NULL;
}

int main(void)
{
    pthread_t churners[PROC_CHURNERS];
    pthread_t sender;

    storm_leak();
    for (long t = 0; t < PROC_CHURNERS; t++)
        if (pthread_create(&churners[t], NULL, storm_churn, (void *)t) != 0)
            proc_die(91, "pthread_create failed");
    if (pthread_create(&sender, NULL, storm_sender, NULL) != 0)
        proc_die(91, "pthread_create failed");

    pthread_join(sender, NULL);
    atomic_store(&is_stopping, 1);
    for (int t = 0; t < PROC_CHURNERS; t++)
        pthread_join(churners[t], NULL);
    return 7;
}
