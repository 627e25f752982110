/* SPDX-License-Identifier: MIT
 *
 * atk_kill_fork.c - 20 times: send this process the snapshot signal, fork at once, and
 * let the child allocate and live 100 ms before exiting. The signal was the parent's;
 * a fork child does not inherit pending signals.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

void *atk_kept;

static void child_life(void)
{
    atk_kept = malloc(5);
    usleep(100000);
    exit(0);
}

int main(void)
{
    for (int i = 0; i < 20; i++) {
        int status;

        kill(getpid(), SIGUSR2);
        pid_t pid = fork();
        if (pid == 0)
            child_life();
        if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
            return 2;
    }
    return 0;
}
