/* SPDX-License-Identifier: MIT
 *
 * fn_valloc.c - leaks 2 blocks of valloc(30) from leak_with_valloc, then allocates and
 * frees one valloc(5000). The report counts the 30 bytes asked for, not the page glibc
 * hands out. No stdio.
 */
#include "fn_check.h"

void leak_with_valloc(void)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);

    for (size_t i = 0; i < fn_opaque(2); i++) {
        fn_kept[i] = valloc(30); /* fn-mark: valloc */
        fn_expect(fn_kept[i] != NULL, "valloc(30) returned NULL");
        fn_expect(fn_is_aligned(fn_kept[i], page), "valloc block not page-aligned");
    }
}

void churn_with_valloc(void)
{
    void *p = valloc(5000);

    fn_expect(p != NULL, "valloc(5000) returned NULL");
    fn_expect(fn_is_aligned(p, (size_t)sysconf(_SC_PAGESIZE)), "valloc block not page-aligned");
    free(p);
}

int main(void)
{
    leak_with_valloc();
    churn_with_valloc();
    return 0;
}
