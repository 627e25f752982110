/* SPDX-License-Identifier: MIT
 *
 * reach_interior.c - blocks pointed to only in their middle.
 *
 * A 1000-byte block of zeros (make_interior_block) whose only pointer, in a global,
 * points 16 bytes in: possibly lost. None of memcheck's heuristics applies at offset 16
 * to a block of zeros (stdstring wants offset 24, length64 and newarray offset 8,
 * multipleinheritance vtable addresses in the block).
 * A 512-byte block (make_length64_block) whose first 8 bytes hold 504, its size less 8,
 * and whose only pointer points just past them: the length64 heuristic makes it still
 * reachable.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reach_common.h"

char *volatile interior_kept;
char *volatile length64_kept;

__attribute__((noinline)) static char *allocate_zeroed(size_t n)
{
    char *p = malloc(n);

    if (p == NULL)
        _exit(3);
    memset(p, 0, n);
    return p;
}

__attribute__((noinline)) static void make_interior_block(void)
{
    interior_kept = allocate_zeroed(1000) + 16;
}

__attribute__((noinline)) static void make_length64_block(void)
{
    char *p = allocate_zeroed(512);
    uint64_t len = 512 - 8;

    memcpy(p, &len, sizeof(len));
    length64_kept = p + 8;
}

int main(void)
{
    make_interior_block();
    make_length64_block();
    reach_scrub_stack();
    return 0;
}
