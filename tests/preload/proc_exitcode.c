/* SPDX-License-Identifier: MIT
 *
 * proc_exitcode.c - prints one line with printf, without a trailing newline and without
 * fflush, optionally leaks 50 bytes from leak_for_exitcode, and returns STATUS from main.
 *
 * Usage: proc_exitcode leak|clean STATUS
 * stdout is a pipe under the test, so the text sits in stdio's buffer until exit(); it
 * reaches the pipe only if exit() gets to flush stdio, whatever leakshim does at exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc_util.h"

static void leak_for_exitcode(void)
{
    proc_keep(malloc(50));
}

int main(int argc, char **argv)
{
    if (argc != 3)
        proc_die(64, "usage: proc_exitcode leak|clean STATUS");

    int status = (int)proc_parse_long(argv[2]);
    if (strcmp(argv[1], "leak") == 0)
        leak_for_exitcode();
    printf("proc_exitcode %s status %d", argv[1], status);
    return status;
}
