/* SPDX-License-Identifier: MIT
 *
 * reach_common.c - helpers shared by the reach_* test programs (see reach_common.h).
 * No stdio and no allocation: the programs' reports hold only what they leave on purpose.
 */
#include "reach_common.h"

#include <string.h>
#include <unistd.h>

__attribute__((noinline)) void reach_scrub_stack(void)
{
    char area[64 * 1024];

    explicit_bzero(area, sizeof(area)); // not dropped as a dead store
    __asm__ volatile("" : : "r"(area) : "memory");
}

void reach_gate_open(struct reach_gate *g)
{
    if (pipe(g->fds) != 0)
        _exit(3);
}

void reach_gate_post(struct reach_gate *g)
{
    char c = 1;

    if (write(g->fds[1], &c, 1) != 1)
        _exit(3);
}

void reach_gate_wait(struct reach_gate *g)
{
    char c;

    while (read(g->fds[0], &c, 1) != 1) {
    }
}

void reach_block_forever(void)
{
    struct reach_gate never;

    reach_gate_open(&never);
    for (;;)
        reach_gate_wait(&never);
}
