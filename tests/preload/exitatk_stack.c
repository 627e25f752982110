/* SPDX-License-Identifier: MIT
 *
 * exitatk_stack.c - exit() called where little stack is left for the exit report, which
 * leakshim runs inside exit(): libdw alone takes about 150 KiB to read a line table.
 *   thread  - a thread created with a 64 KiB stack leaks 33 bytes in leak_lost, keeps 77
 *             in exitatk_kept[0] (leak_kept) and calls exit(5) while main waits in pause().
 *   altstack - a SIGALRM handler running on a 64 KiB sigaltstack (a malloc'd block kept in
 *             exitatk_kept[1]) does the same and calls exit(6).
 *   check  - a thread with a 64 KiB stack leaks the same, then calls leakshim_check() and
 *             leakshim_report_now() and prints their results; main joins it and returns.
 * All crashed with SIGSEGV (status 139, no report) before reports had a stack of their
 * own. valgrind: definitely lost 33 bytes in 1 block; still reachable 77 bytes in 1 block
 * (thread; the DTV of the thread, 272 bytes under valgrind, more under leakshim as its
 * libraries add TLS modules, is possibly lost), 77 + 65536 bytes in 2 blocks (altstack).
 */
#include <leakshim.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *exitatk_kept[2];

__attribute__((noinline)) static void leak_lost(void)
{
    char *volatile p = malloc(33);

    memset(p, 'l', 33);
}

__attribute__((noinline)) static void leak_kept(void)
{
    exitatk_kept[0] = malloc(77);
}

static void leak_and_exit(int status)
{
    leak_lost();
    leak_kept();
    exit(status);
}

static void *small_thread(void *unused)
{
    (void)unused;
    leak_and_exit(5);
    return NULL;
}

static void *small_checker(void *unused)
{
    struct leakshim_counts c;

    (void)unused;
    leak_lost();
    leak_kept();
    int rc = leakshim_check(&c);
    printf("check=%d definite=%llu/%llu reachable=%llu/%llu\n", rc, c.definite_bytes,
           c.definite_blocks, c.reachable_bytes, c.reachable_blocks);
    printf("report_now=%d\n", leakshim_report_now());
    return NULL;
}

/* A thread with a 64 KiB stack running fn; joined when join is set. */
static int small_thread_run(void *(*fn)(void *), int join)
{
    pthread_attr_t attr;
    pthread_t tid;

    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    if (pthread_create(&tid, &attr, fn, NULL) != 0)
        return -1;
    return join ? pthread_join(tid, NULL) : 0;
}

static void on_alarm(int sig)
{
    (void)sig;
    leak_and_exit(6);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "thread") == 0) {
        if (small_thread_run(small_thread, 0) != 0)
            return 3;
    } else if (argc > 1 && strcmp(argv[1], "check") == 0) {
        return small_thread_run(small_checker, 1) != 0 ? 3 : 0;
    } else if (argc > 1 && strcmp(argv[1], "altstack") == 0) {
        stack_t ss = {.ss_sp = exitatk_kept[1] = malloc(64 * 1024), .ss_size = 64 * 1024};
        struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = SA_ONSTACK};
        if (ss.ss_sp == NULL || sigaltstack(&ss, NULL) != 0 || sigaction(SIGALRM, &sa, NULL) != 0)
            return 3;
        alarm(1);
    } else {
        return 2;
    }
    for (;;)
        pause();
}
