/* SPDX-License-Identifier: MIT
 *
 * fn_memalign.c - leaks 2 blocks of memalign(128, 50) from leak_with_memalign, then
 * allocates and frees 2 blocks of memalign(64, 640). No stdio.
 */
#include <malloc.h>

#include "fn_check.h"

void leak_with_memalign(void)
{
    for (size_t i = 0; i < fn_opaque(2); i++) {
        fn_kept[i] = memalign(128, 50); /* fn-mark: memalign */
        fn_expect(fn_kept[i] != NULL, "memalign(128, 50) returned NULL");
        fn_expect(fn_is_aligned(fn_kept[i], 128), "memalign block not 128-aligned");
    }
}

void churn_with_memalign(void)
{
    for (size_t i = 0; i < fn_opaque(2); i++) {
        void *p = memalign(64, 640);

        fn_expect(p != NULL, "memalign(64, 640) returned NULL");
        fn_expect(fn_is_aligned(p, 64), "memalign block not 64-aligned");
        free(p);
    }
}

int main(void)
{
    leak_with_memalign();
    churn_with_memalign();
    return 0;
}
