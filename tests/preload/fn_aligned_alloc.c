/* SPDX-License-Identifier: MIT
 *
 * fn_aligned_alloc.c - leaks 3 blocks of aligned_alloc(32, 96) from
 * leak_with_aligned_alloc, then allocates and frees 2 blocks of aligned_alloc(256, 2048).
 * No stdio.
 */
#include "fn_check.h"

void leak_with_aligned_alloc(void)
{
    for (size_t i = 0; i < fn_opaque(3); i++) {
        fn_kept[i] = aligned_alloc(32, 96); /* fn-mark: aligned_alloc */
        fn_expect(fn_kept[i] != NULL, "aligned_alloc(32, 96) returned NULL");
        fn_expect(fn_is_aligned(fn_kept[i], 32), "aligned_alloc block not 32-aligned");
    }
}

void churn_with_aligned_alloc(void)
{
    for (size_t i = 0; i < fn_opaque(2); i++) {
        void *p = aligned_alloc(256, 2048);

        fn_expect(p != NULL, "aligned_alloc(256, 2048) returned NULL");
        fn_expect(fn_is_aligned(p, 256), "aligned_alloc block not 256-aligned");
        free(p);
    }
}

int main(void)
{
    leak_with_aligned_alloc();
    churn_with_aligned_alloc();
    return 0;
}
