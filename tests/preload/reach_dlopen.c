/* SPDX-License-Identifier: MIT
 *
 * reach_dlopen.c - blocks kept in the globals of loaded and unloaded libraries.
 *
 * argv[1] is reach_plugin_keep.so: loaded, its plugin_init keeps 300 bytes in its global,
 * never unloaded: the block is still reachable. argv[2] is reach_plugin_drop.so: loaded,
 * keeps 400 bytes in its global, unloaded: the global is gone with its mapping, so the
 * block is definitely lost.
 */
#include <dlfcn.h>
#include <stddef.h>
#include <unistd.h>

#include "reach_common.h"

typedef void (*init_fn)(size_t);

/* Loads path and calls its plugin_init(n); returns the handle. */
__attribute__((noinline)) static void *load_and_init(const char *path, size_t n)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);

    if (h == NULL)
        _exit(4);
    init_fn init = (init_fn)dlsym(h, "plugin_init");
    if (init == NULL)
        _exit(4);
    init(n);
    return h;
}

__attribute__((noinline)) static void load_kept_plugin(const char *path)
{
    load_and_init(path, 300);
}

__attribute__((noinline)) static void load_dropped_plugin(const char *path)
{
    if (dlclose(load_and_init(path, 400)) != 0)
        _exit(4);
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 64;
    load_kept_plugin(argv[1]);
    load_dropped_plugin(argv[2]);
    reach_scrub_stack();
    return 0;
}
