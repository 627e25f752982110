/* SPDX-License-Identifier: MIT
 *
 * output.c - report files: expanded names, atomic replacement, no symlink following.
 *
 * Readers (a CI step, a watcher of snapshots) must never see half a report, so each
 * report is written to a temporary name in the same directory and renamed into place.
 */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

/* Appends the decimal form of v; returns the new length, or out_len on overflow. */
static size_t append_number(char *out, size_t len, size_t out_len, unsigned long v)
{
    int n = snprintf(out + len, out_len - len, "%lu", v);

    return n < 0 || (size_t)n >= out_len - len ? out_len : len + (size_t)n;
}

/* Appends s; returns the new length, or out_len on overflow. */
static size_t append_text(char *out, size_t len, size_t out_len, const char *s)
{
    size_t n = strlen(s);

    if (n >= out_len - len)
        return out_len;
    memcpy(out + len, s, n);
    return len + n;
}

int ls_output_expand(const char *tmpl, pid_t pid, unsigned seq, const char *ext, char *out,
                     size_t out_len)
{
    size_t len = 0;

    for (const char *s = tmpl; *s != '\0' && len < out_len; s++) {
        if (s[0] == '%' && s[1] == 'p') {
            len = append_number(out, len, out_len, (unsigned long)pid);
            s++;
        } else if (s[0] == '%' && s[1] == 'n') {
            len = append_number(out, len, out_len, seq);
            s++;
        } else if (s[0] == '%' && s[1] == 'e') {
            len = append_text(out, len, out_len, ext);
            s++;
        } else if (s[0] == '%' && s[1] == '%') {
            out[len++] = '%';
            s++;
        } else {
            out[len++] = *s;
        }
    }
    if (len >= out_len)
        return -1;
    out[len] = '\0';
    return 0;
}

static int open_tmp(struct ls_output *o)
{
    int n = snprintf(o->tmp_path, sizeof(o->tmp_path), "%s.tmp.%d", o->path, (int)getpid());

    if (n < 0 || (size_t)n >= sizeof(o->tmp_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
    int fd = open(o->tmp_path, flags, 0600);
    if (fd < 0 && errno == EEXIST) { // left by a crashed process that had our pid
        unlink(o->tmp_path);
        fd = open(o->tmp_path, flags, 0600);
    }
    return fd;
}

static void use_stream(struct ls_output *o, int fd)
{
    o->fd = fd;
    o->is_direct = true;
    o->path[0] = o->tmp_path[0] = '\0';
}

static void fall_back(struct ls_output *o, const char *what, const char *why)
{
    static bool said_skipped;

    if (o->may_fall_back) {
        ls_log(LS_LOG_ERROR, "cannot write report %s: %s; writing it to stderr", what, why);
        use_stream(o, ls_log_stderr_fd());
        return;
    }
    if (!said_skipped)
        ls_log(LS_LOG_ERROR,
               "cannot write report %s: %s; interval snapshots are skipped while they "
               "cannot be written (said once)",
               what, why);
    said_skipped = true;
    use_stream(o, -1);
}

/* An existing target that is not a regular file: a device or FIFO is written in place. */
static void open_in_place(struct ls_output *o, const struct stat *st)
{
    if (S_ISLNK(st->st_mode)) {
        fall_back(o, o->path,
                  "it is a symbolic link, which leakshim neither follows nor "
                  "replaces");
        return;
    }
    // O_NONBLOCK: a FIFO nobody reads fails at once (ENXIO) instead of hanging the program.
    int fd = open(o->path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_APPEND);
    if (fd < 0) {
        fall_back(o, o->path, strerror(errno));
        return;
    }
    fcntl(fd, F_SETFL, O_APPEND);
    o->fd = fd;
    o->is_direct = true;
}

bool ls_output_is_stream(const char *tmpl)
{
    return tmpl[0] == '\0' || strcmp(tmpl, "-") == 0 || strcmp(tmpl, "/dev/stderr") == 0 ||
           strcmp(tmpl, "/dev/stdout") == 0;
}

void ls_output_open(struct ls_output *o, const char *tmpl, unsigned seq, const char *ext,
                    bool may_fall_back)
{
    struct stat st;

    o->may_fall_back = may_fall_back;
    use_stream(o, ls_log_stderr_fd());
    if (strcmp(tmpl, "/dev/stdout") == 0)
        use_stream(o, STDOUT_FILENO);
    if (ls_output_is_stream(tmpl))
        return;

    if (ls_output_expand(tmpl, getpid(), seq, ext, o->path, sizeof(o->path)) != 0) {
        fall_back(o, tmpl, "the expanded path is too long");
        return;
    }
    if (lstat(o->path, &st) == 0 && !S_ISREG(st.st_mode)) {
        open_in_place(o, &st);
        return;
    }
    o->is_direct = false;
    o->fd = open_tmp(o);
    if (o->fd < 0)
        fall_back(o, o->path, strerror(errno));
}

int ls_output_close(struct ls_output *o, int write_error)
{
    if (o->is_direct) {
        if (o->path[0] != '\0')
            close(o->fd); // a file written in place, not a standard stream
        if (write_error != 0 && o->path[0] != '\0')
            ls_log(LS_LOG_ERROR, "cannot write report %s: %s", o->path, strerror(write_error));
        return write_error == 0 ? 0 : -1;
    }

    if (close(o->fd) != 0 && write_error == 0)
        write_error = errno;
    if (write_error == 0 && rename(o->tmp_path, o->path) != 0)
        write_error = errno;
    if (write_error != 0) {
        ls_log(LS_LOG_ERROR, "cannot write report %s: %s", o->path, strerror(write_error));
        unlink(o->tmp_path);
        return -1;
    }
    return 0;
}
