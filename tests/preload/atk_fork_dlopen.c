/* SPDX-License-Identifier: MIT
 *
 * atk_fork_dlopen.c - one thread loads and unloads the library named by argv[1] without
 * pause while main forks for four seconds; each child allocates once and leaves with
 * _exit(0), which runs no exit handlers and takes none of glibc's locks. A child still
 * alive after two seconds is counted as hung and killed. Prints "hung=N forks_ok=0|1".
 */
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static atomic_int stop;
static const char *lib_path;
void *atk_kept;

static void *load_loop(void *unused)
{
    (void)unused;
    while (!atomic_load(&stop)) {
        void *h = dlopen(lib_path, RTLD_NOW | RTLD_LOCAL);
        if (h != NULL)
            dlclose(h);
    }
    return NULL;
}

static void child_alloc(void)
{
    atk_kept = malloc(8);
    _exit(0);
}

static long elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* 1 when pid ended with status 0 within two seconds; else kills it and returns 0. */
static int reaped_in_time(pid_t pid)
{
    int status = 0;

    for (int i = 0; i < 200; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) && WEXITSTATUS(status) == 0;
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return 0;
}

int main(int argc, char **argv)
{
    struct timespec t0;
    pthread_t tid;
    int hung = 0, forks = 0;
    char line[64];

    if (argc != 2)
        return 64;
    lib_path = argv[1];
    pthread_create(&tid, NULL, load_loop, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (elapsed_ms(&t0) < 4000 && hung == 0) {
        pid_t pid = fork();
        if (pid == 0)
            child_alloc();
        forks += pid > 0;
        hung += pid > 0 && !reaped_in_time(pid);
    }
    atomic_store(&stop, 1);
    pthread_join(tid, NULL);
    int n = snprintf(line, sizeof(line), "hung=%d forks_ok=%d\n", hung, forks >= 20);
    return write(STDOUT_FILENO, line, (size_t)n) == n ? 0 : 1;
}
