/* SPDX-License-Identifier: MIT
 *
 * fn_pvalloc.c - leaks 2 blocks of pvalloc(30) from leak_with_pvalloc, then allocates
 * and frees one pvalloc(5000). glibc rounds both up to whole pages; the report counts the
 * 30 bytes asked for. No stdio.
 */
#include <malloc.h>

#include "fn_check.h"

void leak_with_pvalloc(void)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);

    for (size_t i = 0; i < fn_opaque(2); i++) {
        fn_kept[i] = pvalloc(30); /* fn-mark: pvalloc */
        fn_expect(fn_kept[i] != NULL, "pvalloc(30) returned NULL");
        fn_expect(fn_is_aligned(fn_kept[i], page), "pvalloc block not page-aligned");
        fn_expect(malloc_usable_size(fn_kept[i]) >= page, "pvalloc did not round up to a page");
    }
}

void churn_with_pvalloc(void)
{
    void *p = pvalloc(5000);

    fn_expect(p != NULL, "pvalloc(5000) returned NULL");
    fn_expect(fn_is_aligned(p, (size_t)sysconf(_SC_PAGESIZE)), "pvalloc block not page-aligned");
    free(p);
}

int main(void)
{
    leak_with_pvalloc();
    churn_with_pvalloc();
    return 0;
}
