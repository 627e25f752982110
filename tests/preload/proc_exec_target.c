/* SPDX-License-Identifier: MIT
 *
 * proc_exec_target.c - the program proc_exec execs: leaks 3 x 70 bytes from
 * exec_target_leak and exits with status 0.
 */
#include <stdlib.h>

#include "proc_util.h"

static void exec_target_leak(void)
{
    for (int i = 0; i < proc_opaque(3); i++)
        proc_keep(malloc(70));
}

int main(void)
{
    exec_target_leak();
    return 0;
}
