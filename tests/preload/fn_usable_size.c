/* SPDX-License-Identifier: MIT
 *
 * fn_usable_size.c - malloc_usable_size as glibc defines it: at least the requested size
 * for any live block, 0 for NULL. Leaks one malloc(37) from leak_for_usable_size and
 * frees a memalign(64, 100) and a calloc(3, 7). No stdio.
 */
#include <malloc.h>

#include "fn_check.h"

void leak_for_usable_size(void)
{
    fn_kept[0] = malloc(37); /* fn-mark: usable_size */
    fn_expect(fn_kept[0] != NULL, "malloc(37) returned NULL");
    fn_expect(malloc_usable_size(fn_kept[0]) >= 37, "malloc_usable_size(malloc(37)) < 37");
    memset(fn_kept[0], 'u', malloc_usable_size(fn_kept[0])); // all of it is ours to use
}

void check_usable_size(void)
{
    void *aligned = memalign(64, 100);
    void *zeroed = calloc(3, 7);

    fn_expect(aligned != NULL && zeroed != NULL, "memalign or calloc returned NULL");
    fn_expect(malloc_usable_size(aligned) >= 100, "malloc_usable_size(memalign(64, 100)) < 100");
    fn_expect(malloc_usable_size(zeroed) >= 21, "malloc_usable_size(calloc(3, 7)) < 21");
    fn_expect(malloc_usable_size(NULL) == 0, "malloc_usable_size(NULL) != 0");
    free(aligned);
    free(zeroed);
}

int main(void)
{
    leak_for_usable_size();
    check_usable_size();
    return 0;
}
