/* SPDX-License-Identifier: MIT
 *
 * proc_fork.c - the parent leaks 3 x 111 bytes from parent_leak and forks; the child leaks
 * 5 x 222 bytes from child_leak and leaves through exit(); the parent waits for it.
 *
 * Prints "child=<pid>" so the check script can tell the two exit reports apart. The
 * parent allocates nothing after fork, so the child's counters are the parent's plus its
 * own five allocations.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc_util.h"

static void parent_leak(void)
{
    for (int i = 0; i < proc_opaque(3); i++)
        proc_keep(malloc(111));
}

static void child_leak(void)
{
    for (int i = 0; i < proc_opaque(5); i++)
        proc_keep(malloc(222));
}

int main(void)
{
    int status;

    parent_leak();

    pid_t child = fork();
    if (child < 0)
        proc_die(90, "fork failed");
    if (child == 0) {
        child_leak();
        exit(0);
    }

    proc_write_kv(1, "child", child);
    if (waitpid(child, &status, 0) != child)
        proc_die(91, "waitpid failed");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        proc_die(92, "child did not exit with status 0");
    return 0;
}
