/* SPDX-License-Identifier: MIT
 *
 * proc_snapshot.c - leaks 10 x 64 bytes from snap_leak_before, sends itself the snapshot
 * signal, waits up to 5 s for the snapshot file (leakshim writes it from a helper thread,
 * after kill returns), then leaks 5 x 32 bytes from snap_leak_after and exits 0.
 *
 * Usage: proc_snapshot OUTPUT_PATTERN [SIGNO]
 * OUTPUT_PATTERN is the LEAKSHIM_OUTPUT value; the file waited for is its expansion with
 * the own pid and sequence 0. SIGNO defaults to SIGUSR2. Exits 3 if no snapshot appears.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "proc_util.h"

static void snap_leak_before(void)
{
    for (int i = 0; i < proc_opaque(10); i++)
        proc_keep(malloc(64));
}

static void snap_leak_after(void)
{
    for (int i = 0; i < proc_opaque(5); i++)
        proc_keep(malloc(32));
}

int main(int argc, char **argv)
{
    char path[4096];

    if (argc < 2 || argc > 3)
        proc_die(64, "usage: proc_snapshot OUTPUT_PATTERN [SIGNO]");
    int sig = argc == 3 ? (int)proc_parse_long(argv[2]) : SIGUSR2;
    proc_expand_path(path, sizeof(path), argv[1], getpid(), 0);

    snap_leak_before();
    kill(getpid(), sig);
    if (proc_wait_for_file(path, 5000) != 0)
        proc_die(3, "no snapshot file within 5 s");

    snap_leak_after();
    return 0;
}
