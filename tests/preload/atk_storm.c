/* SPDX-License-Identifier: MIT
 *
 * atk_storm.c - for two seconds: four threads churn malloc/realloc/free, one forks
 * children (each allocates, frees, leaks 33 bytes in child_leak and exits 17), one sends
 * the process SIGUSR2 every 500 us. Then every thread stops and frees what it holds, and
 * main leaks 1234 bytes in main_leak. Exits 42, or 1 when a child's status was wrong.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static atomic_int stop;
void *atk_kept;

static void *churn(void *unused)
{
    void *keep[32] = {0};

    (void)unused;
    for (unsigned long i = 0; !atomic_load(&stop); i++) {
        unsigned k = i % 32;
        if (i % 3 == 0) {
            keep[k] = realloc(keep[k], i % 500 + 1);
        } else {
            free(keep[k]);
            keep[k] = malloc(i % 300 + 1);
        }
    }
    for (int k = 0; k < 32; k++)
        free(keep[k]);
    return NULL;
}

static void child_leak(void)
{
    free(malloc(10));
    atk_kept = malloc(33);
    exit(17);
}

static void *forker(void *unused)
{
    long bad = 0;

    (void)unused;
    while (!atomic_load(&stop)) {
        int status;
        pid_t pid = fork();
        if (pid == 0)
            child_leak();
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 17)
            bad++;
        usleep(5000);
    }
    return (void *)bad;
}

static void *signaller(void *unused)
{
    (void)unused;
    while (!atomic_load(&stop)) {
        kill(getpid(), SIGUSR2);
        usleep(500);
    }
    return NULL;
}

static void main_leak(void)
{
    atk_kept = malloc(1234);
}

/* Sleeps until two seconds have passed, however often signals cut usleep short. */
static void run_two_seconds(void)
{
    struct timespec t0, t1;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    do {
        usleep(10000);
        clock_gettime(CLOCK_MONOTONIC, &t1);
    } while ((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 < 2000);
}

int main(void)
{
    pthread_t tids[6];
    void *(*const fns[6])(void *) = {churn, churn, churn, churn, forker, signaller};
    long bad = 0;

    for (int i = 0; i < 6; i++) {
        if (pthread_create(&tids[i], NULL, fns[i], NULL) != 0)
            return 3;
    }
    run_two_seconds();
    atomic_store(&stop, 1);
    for (int i = 0; i < 6; i++) {
        void *res;
        pthread_join(tids[i], &res);
        bad += (long)res;
    }
    main_leak();
    return bad != 0 ? 1 : 42;
}
