/* SPDX-License-Identifier: MIT
 *
 * fn_posix_memalign.c - leaks 2 blocks of posix_memalign(&p, 64, 100) from
 * leak_with_posix_memalign, then allocates and frees 3 blocks of posix_memalign(&p, 4096,
 * 3000). No stdio.
 */
#include "fn_check.h"

void leak_with_posix_memalign(void)
{
    for (size_t i = 0; i < fn_opaque(2); i++) {
        int rc = posix_memalign(&fn_kept[i], 64, 100); /* fn-mark: posix_memalign */

        fn_expect(rc == 0, "posix_memalign(&p, 64, 100) failed");
        fn_expect(fn_is_aligned(fn_kept[i], 64), "posix_memalign block not 64-aligned");
    }
}

void churn_with_posix_memalign(void)
{
    for (size_t i = 0; i < fn_opaque(3); i++) {
        void *p = NULL;

        fn_expect(posix_memalign(&p, 4096, 3000) == 0, "posix_memalign(&p, 4096, 3000) failed");
        fn_expect(fn_is_aligned(p, 4096), "posix_memalign block not 4096-aligned");
        free(p);
    }
}

int main(void)
{
    leak_with_posix_memalign();
    churn_with_posix_memalign();
    return 0;
}
