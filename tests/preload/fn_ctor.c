/* SPDX-License-Identifier: MIT
 *
 * fn_ctor.c - allocation before main: the constructor early_init leaks one malloc(77)
 * from ctor_leak and allocates and frees a malloc(33) and a calloc(2, 9). main allocates
 * nothing. No stdio.
 */
#include "fn_check.h"

void ctor_leak(void)
{
    fn_kept[0] = malloc(77); /* fn-mark: ctor */
}

void ctor_churn(void)
{
    void *p = malloc(33);

    fn_expect(p != NULL, "malloc(33) returned NULL");
    free(p);
    p = calloc(2, 9);
    fn_expect(p != NULL, "calloc(2, 9) returned NULL");
    free(p);
}

__attribute__((constructor)) void early_init(void)
{
    ctor_leak();
    ctor_churn();
}

int main(void)
{
    fn_expect(fn_kept[0] != NULL, "the constructor did not run or malloc(77) failed");
    return 0;
}
