/* SPDX-License-Identifier: MIT
 *
 * atk_forkgen.c - four generations: each process leaks 100 * (g + 1) bytes (g = 0 for
 * the first), forks the next and exits with its child's status; the last exits with 5.
 */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

void *atk_kept[4];

static void leak_gen(int g)
{
    atk_kept[g] = malloc(100 * (size_t)(g + 1));
}

int main(void)
{
    leak_gen(0);
    for (int g = 1; g <= 3; g++) {
        int status;
        pid_t pid = fork();

        if (pid < 0)
            return 2;
        if (pid > 0) {
            if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
                return 3;
            return WEXITSTATUS(status);
        }
        leak_gen(g);
    }
    return 5;
}
