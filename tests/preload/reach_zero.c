/* SPDX-License-Identifier: MIT
 *
 * reach_zero.c - malloc(0) kept in a global: a live block of 0 bytes, still reachable
 * (memcheck counts it: a pointer to a zero-size block's first byte reaches it). It is the
 * only block live at exit, so the program leaks nothing.
 */
#include <stdlib.h>
#include <unistd.h>

#include "reach_common.h"

void *volatile zero_kept;

__attribute__((noinline)) static void keep_zero_block(void)
{
    zero_kept = malloc(0);
    if (zero_kept == NULL)
        _exit(3);
}

int main(void)
{
    keep_zero_block();
    reach_scrub_stack();
    return 0;
}
