/* SPDX-License-Identifier: MIT
 *
 * fn_passthrough.c - output the shim must not change: echoes stdin upper-cased, prints
 * 5000 numbered lines through stdio's buffer, writes to stdout from an atexit handler and
 * a destructor (both run around the shim's exit report), writes one line to stderr,
 * leaks one malloc(123) and exits with status 7.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>

#include "fn_check.h"

static void say_bye(void)
{
    printf("atexit: bye\n");
}

__attribute__((destructor)) void destructor_bye(void)
{
    printf("destructor: bye\n");
}

void leak_for_passthrough(void)
{
    fn_kept[0] = malloc(123); /* fn-mark: passthrough */
}

int main(void)
{
    char line[256];

    atexit(say_bye);
    while (fgets(line, sizeof(line), stdin) != NULL) {
        for (char *c = line; *c != '\0'; c++)
            *c = (char)toupper((unsigned char)*c);
        fputs(line, stdout);
    }
    for (int i = 0; i < 5000; i++)
        printf("line %d of the passthrough check\n", i);
    fprintf(stderr, "passthrough: to stderr\n");
    leak_for_passthrough();
    return 7;
}
