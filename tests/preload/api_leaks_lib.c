/* SPDX-License-Identifier: MIT
 *
 * api_leaks_lib.c - libapi_leaks_lib.so: a leak in a module of its own (see api_leaks.c).
 * It calls malloc itself, so its frame is the innermost one.
 */
#include <stdlib.h>
#include <string.h>

#include "api_leaks.h"

__attribute__((noinline)) void lib_leak(int n)
{
    for (int i = 0; i < n; i++) {
        void *p = malloc(50);
        if (p != NULL)
            memset(p, 0, 50);
        __asm__ volatile("" : : "r"(p) : "memory");
    }
}
