/* SPDX-License-Identifier: MIT
 *
 * proc_exec.c - leaks 2 x 50 bytes from pre_exec_leak, then replaces itself with another
 * program through execv (LD_PRELOAD and LEAKSHIM_* are inherited with the environment).
 *
 * Usage: proc_exec TARGET plain
 *        proc_exec TARGET request OUTPUT
 * "request" first asks for a report (reason "request") and then points LEAKSHIM_OUTPUT
 * at OUTPUT for the new image: the pid stays the same across exec and the new image
 * numbers its reports from 0 again, so it would otherwise replace the request report.
 * Prints "pid=<pid>" before exec.
 */
#define _GNU_SOURCE
#include <leakshim.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc_util.h"

static void pre_exec_leak(void)
{
    for (int i = 0; i < proc_opaque(2); i++)
        proc_keep(malloc(50));
}

int main(int argc, char **argv)
{
    if (argc < 3)
        proc_die(64, "usage: proc_exec TARGET plain|request [OUTPUT]");

    pre_exec_leak();
    proc_write_kv(1, "pid", getpid());

    if (strcmp(argv[2], "request") == 0) {
        if (argc != 4)
            proc_die(64, "request needs OUTPUT");
        if (leakshim_report_now() != 0)
            proc_die(3, "leakshim_report_now failed");
        setenv("LEAKSHIM_OUTPUT", argv[3], 1);
    }

    char *target_argv[] = {argv[1], NULL};
    execv(argv[1], target_argv);
    proc_die(4, "execv failed");
}
