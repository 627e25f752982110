/* SPDX-License-Identifier: MIT
 *
 * options.c - what the `leakshim` command and its subcommands share about their options:
 * the words for one getopt_long refused, and a whole number's range check. Runs as a plain
 * command.
 */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *ls_options_explain(char **argv, int c, char *buf, size_t len)
{
    const char *arg = argv[optind - 1];
    char name[64];

    if (strncmp(arg, "--", 2) == 0)
        snprintf(name, sizeof(name), "%.*s", (int)strcspn(arg, "="), arg);
    else
        snprintf(name, sizeof(name), "-%c", optopt);
    snprintf(buf, len, c == ':' ? "option '%s' needs a value" : "unknown option '%s'", name);
    return buf;
}

int ls_options_parse_count(const char *s, unsigned long long lo, unsigned long long hi,
                           unsigned long long *n)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v < lo || v > hi)
        return -1;
    if (n != NULL)
        *n = v;
    return 0;
}
