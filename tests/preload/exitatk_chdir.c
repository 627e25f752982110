/* SPDX-License-Identifier: MIT
 *
 * exitatk_chdir.c - leaks 10 bytes, chdir()s to argv[1], prints "out" and returns 0.
 * With EXITATK_LIB set, it first re-executes itself with LD_PRELOAD=$EXITATK_LIB, so a
 * shell can start it without the shim in a directory it then deletes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((noinline)) static void leak(void)
{
    char *volatile p = malloc(10);

    p[0] = 1;
}

int main(int argc, char **argv)
{
    const char *lib = getenv("EXITATK_LIB");

    if (lib != NULL) {
        setenv("LD_PRELOAD", lib, 1);
        unsetenv("EXITATK_LIB");
        execv("/proc/self/exe", argv);
        return 126;
    }
    leak();
    if (argc < 2 || chdir(argv[1]) != 0)
        return 9;
    printf("out\n");
    return 0;
}
