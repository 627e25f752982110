/* SPDX-License-Identifier: MIT
 *
 * proc_dlopen.c - dlopens a plugin, calls one of its functions through load_and_call,
 * and dlcloses it before exit.
 *
 * Usage: proc_dlopen PLUGIN plugin_leak|plugin_noop
 * Exits with status 3 if the plugin is still loaded after dlclose, since then the test
 * would not show that leakshim names code that is gone by report time.
 */
#define _GNU_SOURCE
#include <dlfcn.h>

#include "proc_util.h"

typedef void (*plugin_fn)(void);

static void load_and_call(const char *path, const char *function)
{
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL)
        proc_die(90, "dlopen failed");

    plugin_fn fn;
    *(void **)&fn = dlsym(handle, function);
    if (fn == NULL)
        proc_die(91, "dlsym failed");
    fn();

    if (dlclose(handle) != 0)
        proc_die(92, "dlclose failed");
}

int main(int argc, char **argv)
{
    if (argc != 3)
        proc_die(64, "usage: proc_dlopen PLUGIN FUNCTION");

    load_and_call(argv[1], argv[2]);

    if (dlopen(argv[1], RTLD_NOW | RTLD_NOLOAD) != NULL)
        proc_die(3, "plugin still loaded after dlclose");
    return 0;
}
