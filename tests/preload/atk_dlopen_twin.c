/* SPDX-License-Identifier: MIT
 *
 * atk_dlopen_twin.c - loads each library named on the command line in turn, leaks
 * 100 * (i + 1) bytes through its twin_leak, and unloads it, all from one call site.
 * With argv[1] = "-base" it prints "same_base=1" when every library landed at the base
 * address of the first (so their stacks have identical addresses), else "same_base=0".
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void *atk_kept[1000];

typedef void *(*leak_fn)(unsigned);

/* Loads path, leaks n bytes through it, unloads it; returns the library's base. */
static void *leak_through(const char *path, unsigned n, void **kept)
{
    Dl_info info;
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);

    if (h == NULL)
        return NULL;
    leak_fn fn = (leak_fn)dlsym(h, "twin_leak");
    if (fn == NULL || dladdr((void *)fn, &info) == 0)
        return NULL;
    *kept = fn(n);
    dlclose(h);
    return info.dli_fbase;
}

int main(int argc, char **argv)
{
    int first = argc > 1 && strcmp(argv[1], "-base") == 0 ? 2 : 1;
    void *base0 = NULL;
    int same = 1;
    char line[32];

    for (int i = first; i < argc && i - first < 1000; i++) {
        void *base = leak_through(argv[i], 100 * (unsigned)(i - first + 1), &atk_kept[i - first]);
        if (base == NULL)
            return 2;
        base0 = base0 != NULL ? base0 : base;
        same &= base == base0;
    }
    if (first == 1)
        return 0;
    int n = snprintf(line, sizeof(line), "same_base=%d\n", same);
    return write(STDOUT_FILENO, line, (size_t)n) == n ? 0 : 1;
}
