/* SPDX-License-Identifier: MIT
 *
 * proc_plugin.c - a plugin proc_dlopen loads, calls and unloads before it exits.
 *
 * plugin_leak leaks 4 x 100 bytes; the check script finds the malloc call's line by the
 * marker comment, so keep the marker on the line of the call.
 */
#include <stdlib.h>

void *plugin_blocks[4];

// volatile: an unrolled loop would be four call sites, so four stacks.
static volatile int n_blocks = 4;

void plugin_leak(void)
{
    for (int i = 0; i < n_blocks; i++)
        plugin_blocks[i] = malloc(100); /* proc-marker: plugin_leak malloc */
}

void plugin_noop(void)
{
    plugin_blocks[0] = NULL;
}
