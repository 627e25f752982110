/* SPDX-License-Identifier: MIT
 *
 * atk_spawn.c - 20 rounds of posix_spawn(/bin/true), vfork + exec(/bin/false) and
 * system("exit 3"), each status checked; then leaks 31 bytes. Exits with the number of
 * wrong statuses (0).
 */
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
void *atk_kept;

static int wait_for(pid_t pid, int expected)
{
    int status;

    if (pid <= 0 || waitpid(pid, &status, 0) != pid)
        return 1;
    return !(WIFEXITED(status) && WEXITSTATUS(status) == expected);
}

/* vfork in a function of its own: the child shares this frame only until execv. */
static pid_t vfork_false(char **argv)
{
    pid_t pid = vfork();

    if (pid == 0) {
        execv("/bin/false", argv);
        _exit(127);
    }
    return pid;
}

static void leak_spawner(void)
{
    atk_kept = malloc(31);
}

int main(void)
{
    char *argv_true[] = {"true", NULL};
    char *argv_false[] = {"false", NULL};
    int bad = 0;

    for (int i = 0; i < 20; i++) {
        pid_t pid = -1;
        if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv_true, environ) != 0)
            bad++;
        bad += wait_for(pid, 0);

        bad += wait_for(vfork_false(argv_false), 1);

        int status = system("exit 3");
        bad += !(WIFEXITED(status) && WEXITSTATUS(status) == 3);
    }
    leak_spawner();
    return bad;
}
