/* SPDX-License-Identifier: MIT
 *
 * fn_calloc.c - leaks 2 blocks of calloc(10, 12) = 120 bytes from leak_with_calloc, then
 * allocates and frees 4 blocks of calloc(100, 10). No stdio.
 */
#include "fn_check.h"

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0)
            return 0;
    return 1;
}

void leak_with_calloc(void)
{
    for (size_t i = 0; i < fn_opaque(2); i++) {
        fn_kept[i] = calloc(10, 12); /* fn-mark: calloc */
        fn_expect(fn_kept[i] != NULL, "calloc(10, 12) returned NULL");
        fn_expect(all_zero(fn_kept[i], 120), "calloc memory is not zeroed");
    }
}

void churn_with_calloc(void)
{
    for (size_t i = 0; i < fn_opaque(4); i++) {
        unsigned char *p = calloc(100, 10);

        fn_expect(p != NULL, "calloc(100, 10) returned NULL");
        fn_expect(all_zero(p, 1000), "calloc memory is not zeroed");
        p[0] = 0xff; // dirty the chunk so the next calloc must zero it again
        free(p);
    }
}

int main(void)
{
    leak_with_calloc();
    churn_with_calloc();
    return 0;
}
