/* SPDX-License-Identifier: MIT
 *
 * fn_clean.c - a program that frees everything it allocates and prints with printf:
 * 4 malloc blocks and one strdup, all freed, plus the stdout buffer stdio allocates
 * for itself, which only the C library's own clean-up frees.
 */
#define _GNU_SOURCE
#include <stdio.h>

#include "fn_check.h"

int main(void)
{
    char *blocks[4];
    char *copy;

    for (int i = 0; i < 4; i++) {
        blocks[i] = malloc(10 * (i + 1));
        fn_expect(blocks[i] != NULL, "malloc returned NULL");
        printf("block %d: %d bytes\n", i, 10 * (i + 1));
    }
    copy = strdup("clean");
    fn_expect(copy != NULL, "strdup returned NULL");
    printf("copy: %s\n", copy);

    free(copy);
    for (int i = 0; i < 4; i++)
        free(blocks[i]);
    return 0;
}
