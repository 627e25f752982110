/* SPDX-License-Identifier: MIT
 *
 * proc_deep.c - leaks 2 x 100 bytes from deep_leak at the bottom of DEPTH nested calls of
 * descend (default 40), so the allocating stack is deeper than the default 32 frames.
 *
 * Usage: proc_deep [DEPTH]
 */
#include <stdlib.h>

#include "proc_util.h"

static volatile long sink;

static void deep_leak(void)
{
    for (int i = 0; i < proc_opaque(2); i++)
        proc_keep(malloc(100));
}

static void descend(long n)
{
    if (n == 0) {
        deep_leak();
        return;
    }
    descend(n - 1);
    sink += n; // work after the call keeps every level a real frame
}

int main(int argc, char **argv)
{
    descend(argc > 1 ? proc_parse_long(argv[1]) : 40);
    return 0;
}
