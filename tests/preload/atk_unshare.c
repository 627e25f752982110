/* SPDX-License-Identifier: MIT
 *
 * atk_unshare.c - a single-threaded program that enters a new user namespace, as
 * `unshare -U`, bubblewrap and rootless container tools do. The kernel refuses
 * unshare(CLONE_NEWUSER) to a process with more than one thread (EINVAL).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *atk_kept;

int main(void)
{
    atk_kept = malloc(19);
    if (unshare(CLONE_NEWUSER) != 0) {
        const char *why = strerror(errno);
        if (write(STDOUT_FILENO, why, strlen(why)) < 0 || write(STDOUT_FILENO, "\n", 1) < 0)
            return 2;
        return 1;
    }
    return write(STDOUT_FILENO, "ok\n", 3) == 3 ? 0 : 2;
}
