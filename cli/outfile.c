/* SPDX-License-Identifier: MIT
 *
 * outfile.c - the output of `leakshim baseline`, `diff` and `report`: standard output, or
 * a temporary file beside the target renamed into place.
 *
 * Runs as a plain command: malloc and stdio are fine. Logs once per failure, here, so
 * every subcommand words a write error the same way.
 */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

bool ls_outfile_is_stdout(const char *path)
{
    return path == NULL || strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0;
}

static int write_stdout(const char *what, ls_outfile_fill_fn fill, const void *ctx)
{
    if (fill(stdout, ctx) != 0 || fflush(stdout) != 0 || ferror(stdout)) {
        ls_log(LS_LOG_ERROR, "cannot write the %s to standard output: %s", what, strerror(errno));
        return -1;
    }
    return 0;
}

/* Fills a new file at tmp; returns 0 or an errno. */
static int write_new_file(const char *tmp, mode_t mode, ls_outfile_fill_fn fill, const void *ctx)
{
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    int err;

    if (f == NULL) {
        err = errno;
        if (fd >= 0)
            close(fd);
        return err;
    }
    errno = 0;
    err = fill(f, ctx) != 0 ? (errno != 0 ? errno : EIO) : 0;
    if (fclose(f) != 0 && err == 0)
        err = errno;
    return err;
}

static int write_file(const char *path, mode_t mode, ls_outfile_fill_fn fill, const void *ctx)
{
    char *tmp = NULL;
    int err;

    if (asprintf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0) {
        ls_log(LS_LOG_ERROR, "cannot write %s: %s", path, strerror(ENOMEM));
        return -1;
    }
    err = write_new_file(tmp, mode, fill, ctx);
    if (err == 0 && rename(tmp, path) != 0)
        err = errno;
    if (err != 0 && err != EEXIST)
        unlink(tmp); // EEXIST: the file there is not ours to remove
    if (err != 0)
        ls_log(LS_LOG_ERROR, "cannot write %s: %s", path, strerror(err));
    free(tmp);
    return err != 0 ? -1 : 0;
}

/* An existing device or FIFO (/dev/null, a pipe a reader waits on) is written in place:
 * renaming a file over it would replace the device itself. */
static int write_in_place(const char *path, ls_outfile_fill_fn fill, const void *ctx)
{
    int fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    int err = 0;

    if (f == NULL) {
        err = errno;
        if (fd >= 0)
            close(fd);
    } else {
        errno = 0;
        err = fill(f, ctx) != 0 ? (errno != 0 ? errno : EIO) : 0;
        if (fclose(f) != 0 && err == 0)
            err = errno;
    }
    if (err != 0)
        ls_log(LS_LOG_ERROR, "cannot write %s: %s", path, strerror(err));
    return err != 0 ? -1 : 0;
}

/* The path a symbolic link names, made absolute against the link's directory; the target
 * need not exist yet. malloc'ed; NULL when it cannot be read. */
static char *link_target(const char *link)
{
    char target[PATH_MAX], *out = NULL;
    ssize_t n = readlink(link, target, sizeof(target) - 1);
    const char *slash = strrchr(link, '/');

    if (n <= 0)
        return NULL;
    target[n] = '\0';
    if (target[0] == '/' || slash == NULL)
        return strdup(target);
    if (asprintf(&out, "%.*s/%s", (int)(slash - link), link, target) < 0)
        return NULL;
    return out;
}

int ls_outfile_write(const char *path, const char *what, mode_t mode, ls_outfile_fill_fn fill,
                     const void *ctx)
{
    struct stat st;
    char *real = NULL;

    if (ls_outfile_is_stdout(path))
        return write_stdout(what, fill, ctx);
    // A symbolic link is followed: the file it names is the one replaced, not the link.
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && (real = link_target(path)) != NULL)
        path = real;
    int rc = stat(path, &st) == 0 && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
                 ? write_in_place(path, fill, ctx)
                 : write_file(path, mode, fill, ctx);
    free(real);
    return rc;
}
