/* SPDX-License-Identifier: MIT
 *
 * scanatk_spawn.c - exit() while other threads are in vfork, or posix_spawn.
 *
 * Three threads loop without pause: vfork then execve("/bin/true"), vfork then _exit(0),
 * and posix_spawn("/bin/true") then waitpid. Once each has made 3 children, main loses 500
 * bytes (lose_block) and calls exit(5) while they go on. A thread in vfork cannot take a
 * signal until its child has exec'd or exited: the stop has to wait for it.
 */
#include <spawn.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scanatk_common.h"

extern char **environ;

static atomic_int n_made[3];

static void *vfork_exec_main(void *arg)
{
    char *argv[] = {"true", NULL};

    (void)arg;
    for (;;) {
        pid_t pid = vfork();
        if (pid == 0) {
            execve("/bin/true", argv, environ);
            _exit(127);
        }
        if (pid > 0)
            waitpid(pid, NULL, 0);
        atomic_fetch_add(&n_made[0], 1);
    }
}

static void *vfork_exit_main(void *arg)
{
    (void)arg;
    for (;;) {
        pid_t pid = vfork();
        if (pid == 0)
            _exit(0);
        if (pid > 0)
            waitpid(pid, NULL, 0);
        atomic_fetch_add(&n_made[1], 1);
    }
}

static void *spawn_main(void *arg)
{
    char *argv[] = {"true", NULL};
    pid_t pid;

    (void)arg;
    for (;;) {
        if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ) == 0)
            waitpid(pid, NULL, 0);
        atomic_fetch_add(&n_made[2], 1);
    }
    return NULL;
}

int main(void)
{
    start_thread(vfork_exec_main, NULL);
    start_thread(vfork_exit_main, NULL);
    start_thread(spawn_main, NULL);
    for (int i = 0; i < 3; i++) {
        while (atomic_load(&n_made[i]) < 3) {
        }
    }
    lose_block(500);
    reach_scrub_stack();
    exit(5);
}
