/* SPDX-License-Identifier: MIT
 *
 * reach_plugin.c - built twice, as reach_plugin_keep.so and reach_plugin_drop.so: a
 * library that keeps one block in a global of its own.
 */
#include <stdlib.h>
#include <unistd.h>

void *plugin_block;

__attribute__((noinline)) static void *plugin_alloc(size_t n)
{
    void *p = malloc(n);

    if (p == NULL)
        _exit(3);
    return p;
}

void plugin_init(size_t n)
{
    plugin_block = plugin_alloc(n);
}
