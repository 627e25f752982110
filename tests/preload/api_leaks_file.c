/* SPDX-License-Identifier: MIT
 *
 * api_leaks_file.c - a leak in a source file of its own (see api_leaks.c).
 */
#include "api_leaks.h"

__attribute__((noinline)) void file_leak(int n)
{
    for (int i = 0; i < n; i++) {
        void *p = api_zeroed(70);
        __asm__ volatile("" : : "r"(p) : "memory");
    }
}
