/* SPDX-License-Identifier: MIT
 *
 * atk_report_fds.c - takes a report with leakshim_report_now(), then checks every file
 * descriptor that was not open before: one the report left open without FD_CLOEXEC is
 * inherited by every program this one later execs. Prints "leftover=N" (open and
 * inheritable) and exits 0.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "leakshim.h"

#define MAX_FD 1024

void *atk_kept;

static void note_open(char *is_open)
{
    for (int fd = 0; fd < MAX_FD; fd++)
        is_open[fd] = fcntl(fd, F_GETFD) != -1;
}

int main(void)
{
    static char before[MAX_FD];
    char line[64];
    int leftover = 0;

    atk_kept = malloc(45);
    note_open(before);
    if (leakshim_report_now() != 0)
        return 3;
    for (int fd = 0; fd < MAX_FD; fd++) {
        int flags = fcntl(fd, F_GETFD);
        if (!before[fd] && flags != -1 && !(flags & FD_CLOEXEC))
            leftover++;
    }
    int n = snprintf(line, sizeof(line), "leftover=%d\n", leftover);
    return write(STDOUT_FILENO, line, (size_t)n) == n ? 0 : 1;
}
