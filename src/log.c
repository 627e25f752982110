/* SPDX-License-Identifier: MIT
 *
 * log.c - the one place that writes leakshim's own messages to stderr.
 *
 * Runs inside malloc hooks and report writing: no allocation, no stdio.
 */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int verbose;

void ls_log_set_verbose(int is_verbose)
{
    verbose = is_verbose;
}

void ls_log(enum ls_log_level level, const char *fmt, ...)
{
    static const char prefix[] = "leakshim: ";
    char buf[1024];
    int err = errno;
    va_list ap;

    if (level == LS_LOG_DEBUG && !verbose)
        return;

    memcpy(buf, prefix, sizeof(prefix) - 1);
    va_start(ap, fmt);
    int n = vsnprintf(buf + sizeof(prefix) - 1, sizeof(buf) - sizeof(prefix), fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;

    size_t len = sizeof(prefix) - 1 + (size_t)n;
    if (len > sizeof(buf) - 2)
        len = sizeof(buf) - 2; // a cut line still ends in a newline
    buf[len++] = '\n';

    ssize_t ignored = write(STDERR_FILENO, buf, len);
    (void)ignored; // nowhere left to report a failing stderr
    errno = err;
}
