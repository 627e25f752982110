/* SPDX-License-Identifier: MIT
 *
 * fn_malloc.c - leaks 3 blocks of 48 bytes from leak_with_malloc, then allocates and
 * frees 5 blocks of 1000 bytes. No stdio, so these are the only allocations.
 */
#include "fn_check.h"

void leak_with_malloc(void)
{
    for (size_t i = 0; i < fn_opaque(3); i++) {
        fn_kept[i] = malloc(48); /* fn-mark: malloc */
        fn_expect(fn_kept[i] != NULL, "malloc(48) returned NULL");
    }
}

void churn_with_malloc(void)
{
    for (size_t i = 0; i < fn_opaque(5); i++) {
        char *p = malloc(1000);

        fn_expect(p != NULL, "malloc(1000) returned NULL");
        p[999] = 1;
        free(p);
    }
}

int main(void)
{
    leak_with_malloc();
    churn_with_malloc();
    return 0;
}
