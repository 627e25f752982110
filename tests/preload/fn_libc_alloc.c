/* SPDX-License-Identifier: MIT
 *
 * fn_libc_alloc.c - C library functions that allocate for the program, one per run,
 * named by argv[1], each called from its own leak_with_<name> function and leaked:
 *
 *   strdup          strdup("hello leakshim"): 15 bytes
 *   strndup         strndup("abcdefghij", 4): 5 bytes
 *   asprintf        asprintf(&s, "%d-%s", 42, "xy"): "42-xy", 6 bytes
 *   getline         getline() of the line on stdin: glibc's first buffer, 120 bytes
 *   fopen           fopen("/dev/null", "r") never closed: the FILE
 *   open_memstream  open_memstream() never closed: the stream and its buffer
 *   realpath        realpath("/", NULL): "/", 2 bytes
 *
 * Nothing else here uses stdio, so the only stdio buffer is getline's stdin buffer.
 */
#define _GNU_SOURCE
#include <stdio.h>

#include "fn_check.h"

void leak_with_strdup(void)
{
    fn_kept[0] = strdup("hello leakshim"); /* fn-mark: strdup */
    fn_expect(fn_kept[0] != NULL && strcmp(fn_kept[0], "hello leakshim") == 0, "strdup");
}

void leak_with_strndup(void)
{
    fn_kept[0] = strndup("abcdefghij", 4); /* fn-mark: strndup */
    fn_expect(fn_kept[0] != NULL && strcmp(fn_kept[0], "abcd") == 0, "strndup");
}

void leak_with_asprintf(void)
{
    char *s = NULL;
    int n = asprintf(&s, "%d-%s", 42, "xy"); /* fn-mark: asprintf */

    fn_expect(n == 5 && strcmp(s, "42-xy") == 0, "asprintf");
    fn_kept[0] = s;
}

void leak_with_getline(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin); /* fn-mark: getline */

    fn_expect(n == 5 && strcmp(line, "ping\n") == 0, "getline did not read \"ping\\n\"");
    fn_kept[0] = line;
}

void leak_with_fopen(void)
{
    fn_kept[0] = fopen("/dev/null", "r"); /* fn-mark: fopen */
    fn_expect(fn_kept[0] != NULL, "fopen(\"/dev/null\", \"r\")");
}

void leak_with_open_memstream(void)
{
    static char *buf;
    static size_t len;

    fn_kept[0] = open_memstream(&buf, &len); /* fn-mark: open_memstream */
    fn_expect(fn_kept[0] != NULL, "open_memstream");
}

void leak_with_realpath(void)
{
    fn_kept[0] = realpath("/", NULL); /* fn-mark: realpath */
    fn_expect(fn_kept[0] != NULL && strcmp(fn_kept[0], "/") == 0, "realpath(\"/\", NULL)");
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*run)(void);
    } cases[] = {
        {"strdup", leak_with_strdup},     {"strndup", leak_with_strndup},
        {"asprintf", leak_with_asprintf}, {"getline", leak_with_getline},
        {"fopen", leak_with_fopen},       {"open_memstream", leak_with_open_memstream},
        {"realpath", leak_with_realpath},
    };

    for (size_t i = 0; argc == 2 && i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (strcmp(argv[1], cases[i].name) == 0) {
            cases[i].run();
            return 0;
        }
    }
    fn_expect(0, "usage: fn_libc_alloc CASE (see the file head)");
    return 2;
}
