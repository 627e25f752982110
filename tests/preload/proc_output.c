/* SPDX-License-Identifier: MIT
 *
 * proc_output.c - leaks 2 x 100 bytes from out_leak_a and 2 x 50 bytes from out_leak_b,
 * prints "pid=<pid>", optionally asks for a report (reason "request") or changes to the
 * root directory, and exits with STATUS.
 *
 * Usage: proc_output plain|request|chdir STATUS
 * Exits 3 if the requested report could not be written.
 */
#define _GNU_SOURCE
#include <leakshim.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc_util.h"

static void out_leak_a(void)
{
    for (int i = 0; i < proc_opaque(2); i++)
        proc_keep(malloc(100));
}

static void out_leak_b(void)
{
    for (int i = 0; i < proc_opaque(2); i++)
        proc_keep(malloc(50));
}

int main(int argc, char **argv)
{
    if (argc != 3)
        proc_die(64, "usage: proc_output plain|request|chdir STATUS");

    out_leak_a();
    out_leak_b();
    proc_write_kv(1, "pid", getpid());
    if (strcmp(argv[1], "request") == 0 && leakshim_report_now() != 0)
        proc_die(3, "leakshim_report_now failed");
    if (strcmp(argv[1], "chdir") == 0 && chdir("/") != 0)
        proc_die(3, "chdir / failed");
    return (int)proc_parse_long(argv[2]);
}
