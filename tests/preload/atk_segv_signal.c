/* SPDX-License-Identifier: MIT
 *
 * atk_segv_signal.c - leaks 3 bytes, then reads through a null pointer.
 */
#include <stdlib.h>

void *atk_kept;

int main(int argc, char **argv)
{
    (void)argv;
    atk_kept = malloc(3);
    volatile int *p = (volatile int *)(long)(argc - 1); // NULL, unknown to the compiler
    return *p;
}
