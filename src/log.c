/* SPDX-License-Identifier: MIT
 *
 * log.c - the one place that writes leakshim's own messages to stderr.
 *
 * Runs inside malloc hooks and report writing: no allocation, no stdio.
 */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static int verbose;
static int kept_fd = -1;
static struct stat kept_stat;

void ls_log_keep_stderr(void)
{
    struct rlimit lim;
    int lowest = 100;

    // As high as the limit allows, to stay out of the way of the program's own numbers.
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur > 16)
        lowest = (int)lim.rlim_cur - 8;
    kept_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, lowest);
    if (kept_fd >= 0 && fstat(kept_fd, &kept_stat) != 0) {
        close(kept_fd);
        kept_fd = -1;
    }
}

int ls_log_stderr_fd(void)
{
    struct stat st;

    if (fcntl(STDERR_FILENO, F_GETFD) != -1 || kept_fd < 0)
        return STDERR_FILENO;
    // The program may have closed our copy and reused its number for something else.
    if (fstat(kept_fd, &st) != 0 || st.st_dev != kept_stat.st_dev || st.st_ino != kept_stat.st_ino)
        return STDERR_FILENO;
    return kept_fd;
}

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

    ssize_t ignored = write(ls_log_stderr_fd(), buf, len);
    (void)ignored; // nowhere left to report a failing stderr
    errno = err;
}
