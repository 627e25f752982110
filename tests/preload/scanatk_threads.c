/* SPDX-License-Identifier: MIT
 *
 * scanatk_threads.c - many threads, and forks, at exit.
 *
 * argv[1] = "many": 200 threads each keep the only pointer to a 32-byte block
 * (make_thread_block) in a local variable and block in read(2) on one pipe nobody writes.
 * main loses 77 bytes (lose_block) and calls exit(0) with all 200 blocked: every one must
 * be stopped (a thread in a blocking system call takes the signal) and every block is
 * still reachable.
 * argv[1] = "fork", argv[2] a directory: a thread forks without pause; each child loses
 * 64 bytes (lose_in_child), creates the empty file argv[2]/<its pid> and calls exit(0),
 * and the thread waits for it. Once 5 children have
 * ended, main loses 77 bytes and calls exit(6) while the thread goes on forking. Every
 * child that runs exit() has to write its own exit report.
 */
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scanatk_common.h"

#define N_MANY 200

static struct reach_gate started, never;
static atomic_int n_children;
static const char *marker_dir;

__attribute__((noinline)) static void *make_thread_block(void)
{
    return must_malloc(32);
}

static void *blocked_main(void *arg)
{
    void *volatile kept = make_thread_block();
    char c;

    (void)arg;
    (void)kept;
    reach_gate_post(&started);
    while (read(never.fds[0], &c, 1) != 1) {
    }
    return NULL;
}

static void start_many(void)
{
    reach_gate_open(&started);
    reach_gate_open(&never);
    for (int i = 0; i < N_MANY; i++)
        start_thread(blocked_main, NULL);
    for (int i = 0; i < N_MANY; i++)
        reach_gate_wait(&started);
}

__attribute__((noinline)) static void lose_in_child(void)
{
    lose_block(64);
    reach_scrub_stack();
}

/* An empty file <marker_dir>/<pid>: this child is about to call exit(). */
static void mark_child(void)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/%d", marker_dir, (int)getpid());
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        _exit(3);
    close(fd);
}

static void *forker_main(void *arg)
{
    (void)arg;
    for (;;) {
        pid_t pid = fork();
        if (pid == 0) {
            lose_in_child();
            mark_child();
            exit(0);
        }
        if (pid > 0)
            waitpid(pid, NULL, 0);
        atomic_fetch_add(&n_children, 1);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int status = 0;

    if (argc > 2 && strcmp(argv[1], "fork") == 0) {
        marker_dir = argv[2];
        start_thread(forker_main, NULL);
        while (atomic_load(&n_children) < 5) {
        }
        status = 6;
    } else {
        start_many();
    }
    lose_block(77);
    reach_scrub_stack();
    exit(status);
}
