/* SPDX-License-Identifier: MIT
 *
 * fn_early_lib.c - a shared library whose constructor allocates. fn_early links it; the
 * dynamic loader runs this constructor before the preloaded shim's, so these are
 * allocations made before leakshim's own start-up code ran. Leaks one malloc(65) from
 * early_lib_leak; allocates and frees a malloc(19).
 */
#include <stdlib.h>

static void *early_block;

void early_lib_leak(void)
{
    early_block = malloc(65); /* fn-mark: early_lib */
}

__attribute__((constructor)) void early_lib_init(void)
{
    free(malloc(19));
    early_lib_leak();
}

/* Lets the program check the constructor ran, and makes it need this library. */
int early_lib_ready(void)
{
    return early_block != NULL;
}
