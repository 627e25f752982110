/* SPDX-License-Identifier: MIT
 *
 * atk_closeout.c - does what gnulib's close_stdout does for every coreutils program: an
 * atexit handler closes stdout and stderr, to catch write errors. Leaks 21 bytes,
 * prints one line, exits 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void *atk_kept;

static void close_std_streams(void)
{
    if (fclose(stdout) != 0 || fclose(stderr) != 0)
        _exit(1);
}

int main(void)
{
    atexit(close_std_streams);
    atk_kept = malloc(21);
    fputs("line\n", stdout);
    return 0;
}
