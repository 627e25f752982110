/* SPDX-License-Identifier: MIT
 *
 * atk_twin_plugin.c - built twice, as atk_twin_a.so and atk_twin_b.so: two files with the
 * same code at the same offsets.
 */
#include <stdlib.h>

void *twin_leak(unsigned n)
{
    return malloc(n);
}
