/* SPDX-License-Identifier: MIT
 *
 * fn_realloc.c - leak_with_realloc grows 2 blocks of 16 bytes (from start_small) to 300
 * bytes each; churn_with_realloc then does malloc(50), realloc to 60 and free, 3 times;
 * a last malloc(10000) and free makes the peak independent of how a realloc is
 * accounted. No stdio.
 */
#include "fn_check.h"

char *start_small(void)
{
    char *p = malloc(16);

    fn_expect(p != NULL, "malloc(16) returned NULL");
    memset(p, 'a', 16);
    return p;
}

void leak_with_realloc(void)
{
    for (size_t i = 0; i < fn_opaque(2); i++) {
        char *p = start_small();
        char *q = realloc(p, 300); /* fn-mark: realloc */

        fn_expect(q != NULL, "realloc(p, 300) returned NULL");
        fn_expect(q[0] == 'a' && q[15] == 'a', "realloc did not keep the contents");
        fn_kept[i] = q;
    }
}

void churn_with_realloc(void)
{
    for (size_t i = 0; i < fn_opaque(3); i++) {
        char *p = malloc(50);
        char *q;

        fn_expect(p != NULL, "malloc(50) returned NULL");
        q = realloc(p, 60);
        fn_expect(q != NULL, "realloc(p, 60) returned NULL");
        free(q);
    }
}

void reach_peak(void)
{
    char *p = malloc(10000);

    fn_expect(p != NULL, "malloc(10000) returned NULL");
    free(p);
}

int main(void)
{
    leak_with_realloc();
    churn_with_realloc();
    reach_peak();
    return 0;
}
