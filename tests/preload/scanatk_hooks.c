/* SPDX-License-Identifier: MIT
 *
 * scanatk_hooks.c - leakshim_check() and leakshim_report_now() from exit-time code, and
 * exit() from a signal handler.
 *
 * main loses 1000 bytes (lose_block), then by argv[1]:
 *  - "atexit": returns 0; an atexit handler runs leakshim_check() and
 *    leakshim_report_now() and prints what they returned;
 *  - "dtor": returns 0; an ELF destructor of the program does the same;
 *  - "signal": raises SIGUSR1, whose handler (interrupting no allocation) calls exit(4).
 * The line printed: "<where> check <rc> definite <bytes>/<blocks> leaked <bytes>/<blocks>
 * report <rc>".
 */
#include <leakshim.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scanatk_common.h"

static int is_dtor_mode;

static void check_and_report(const char *where)
{
    struct leakshim_counts c;

    memset(&c, 0, sizeof(c));
    int rc = leakshim_check(&c);
    int report_rc = leakshim_report_now();
    printf("%s check %d definite %llu/%llu leaked %llu/%llu report %d\n", where, rc,
           c.definite_bytes, c.definite_blocks, c.leaked_bytes, c.leaked_blocks, report_rc);
    fflush(stdout);
}

static void at_exit(void)
{
    check_and_report("atexit");
}

__attribute__((destructor)) static void at_fini(void)
{
    if (is_dtor_mode)
        check_and_report("dtor");
}

static void on_usr1(int sig)
{
    (void)sig;
    exit(4);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";

    lose_block(1000);
    if (strcmp(mode, "atexit") == 0 && atexit(at_exit) != 0)
        return 3;
    is_dtor_mode = strcmp(mode, "dtor") == 0;
    if (strcmp(mode, "signal") == 0) {
        signal(SIGUSR1, on_usr1);
        reach_scrub_stack();
        raise(SIGUSR1);
        return 3;
    }
    reach_scrub_stack();
    return 0;
}
