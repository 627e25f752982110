/* SPDX-License-Identifier: MIT
 *
 * atk_reuse.c - an address handed out again while the shim still holds it: the block is
 * freed with __libc_free, which the shim does not interpose, and malloc gives the same
 * address back (glibc's per-thread cache hands out the chunk just freed).
 *
 * first() allocates 40 bytes, __libc_free() frees them behind the shim's back, second()
 * allocates 40 bytes again; main prints "same=1" when the address came back, asks for a
 * report, frees the block and exits 0.
 */
#include <stdio.h>
#include <stdlib.h>

#include "leakshim.h"

extern void __libc_free(void *p);

__attribute__((noinline)) static void *first(void)
{
    return malloc(40);
}

__attribute__((noinline)) static void *second(void)
{
    return malloc(40);
}

int main(void)
{
    void *p = first();
    __libc_free(p);
    void *q = second();
    printf("same=%d\n", p == q);
    fflush(stdout);
    leakshim_report_now();
    free(q);
    return 0;
}
