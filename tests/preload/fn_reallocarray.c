/* SPDX-License-Identifier: MIT
 *
 * fn_reallocarray.c - leak_with_reallocarray grows 2 blocks of 8 bytes (from start_small)
 * to reallocarray(p, 7, 12) = 84 bytes each; churn_with_reallocarray allocates
 * reallocarray(NULL, 10, 10) and frees it, 3 times. No stdio.
 */
#define _GNU_SOURCE
#include "fn_check.h"

char *start_small(void)
{
    char *p = malloc(8);

    fn_expect(p != NULL, "malloc(8) returned NULL");
    memset(p, 'b', 8);
    return p;
}

void leak_with_reallocarray(void)
{
    for (size_t i = 0; i < fn_opaque(2); i++) {
        char *p = start_small();
        char *q = reallocarray(p, 7, 12); /* fn-mark: reallocarray */

        fn_expect(q != NULL, "reallocarray(p, 7, 12) returned NULL");
        fn_expect(q[0] == 'b' && q[7] == 'b', "reallocarray did not keep the contents");
        fn_kept[i] = q;
    }
}

void churn_with_reallocarray(void)
{
    for (size_t i = 0; i < fn_opaque(3); i++) {
        char *p = reallocarray(NULL, 10, 10);

        fn_expect(p != NULL, "reallocarray(NULL, 10, 10) returned NULL");
        p[99] = 1;
        free(p);
    }
}

int main(void)
{
    leak_with_reallocarray();
    churn_with_reallocarray();
    return 0;
}
