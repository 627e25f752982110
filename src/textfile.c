/* SPDX-License-Identifier: MIT
 *
 * textfile.c - small text files read whole into arena memory and cut into lines.
 *
 * Runs in the shim's constructor, before the program's main: no malloc, no stdio.
 */
#include "textfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"

#define LS_TEXTFILE_FIRST_CAP 4096

/* Doubles f's buffer, keeping what it holds. Returns 0 or -errno. */
static int grow(struct ls_textfile *f)
{
    size_t cap = f->cap * 2;
    char *buf;

    if (f->cap > LS_TEXTFILE_MAX_BYTES)
        return -EFBIG;
    buf = ls_arena_alloc(cap);
    if (buf == NULL)
        return -ENOMEM;
    memcpy(buf, f->buf, f->len);
    ls_arena_free(f->buf, f->cap);
    f->buf = buf;
    f->cap = cap;
    return 0;
}

/* The first buffer: the file's size when it has one (a pipe or /proc file does not). */
static size_t first_cap(int fd)
{
    struct stat st;
    size_t cap = LS_TEXTFILE_FIRST_CAP;

    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (unsigned long long)st.st_size <= LS_TEXTFILE_MAX_BYTES) {
        while (cap <= (size_t)st.st_size) // room for the NUL, and for EOF to be seen at once
            cap *= 2;
    }
    return cap;
}

/* Reads fd to its end into f; the buffer always keeps one byte free for the NUL. */
static int read_all(int fd, struct ls_textfile *f)
{
    f->cap = first_cap(fd);
    f->buf = ls_arena_alloc(f->cap);
    if (f->buf == NULL)
        return -ENOMEM;

    for (;;) {
        if (f->len + 1 == f->cap) {
            int err = grow(f);
            if (err != 0)
                return err;
        }
        ssize_t n = read(fd, f->buf + f->len, f->cap - 1 - f->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            break;
        f->len += (size_t)n;
        if (f->len > LS_TEXTFILE_MAX_BYTES)
            return -EFBIG;
    }
    f->buf[f->len] = '\0';
    return 0;
}

int ls_textfile_read(const char *path, struct ls_textfile *f)
{
    int fd;
    int err;

    *f = (struct ls_textfile){0};
    do
        fd = open(path, O_RDONLY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return -errno;

    err = read_all(fd, f);
    close(fd);
    if (err != 0)
        ls_textfile_free(f);
    return err;
}

void ls_textfile_free(struct ls_textfile *f)
{
    if (f->buf != NULL)
        ls_arena_free(f->buf, f->cap);
    *f = (struct ls_textfile){0};
}

size_t ls_textfile_count_lines(const struct ls_textfile *f)
{
    size_t n = 1;
    const char *p = f->buf;

    while (p != NULL && (p = memchr(p, '\n', f->len - (size_t)(p - f->buf))) != NULL) {
        n++;
        p++;
    }
    return n;
}

bool ls_textfile_next_line(struct ls_textfile *f, char **line, size_t *len, int *number)
{
    char *start, *nl;

    if (f->buf == NULL || f->pos >= f->len)
        return false;
    start = f->buf + f->pos;
    nl = memchr(start, '\n', f->len - f->pos);
    if (nl == NULL)
        nl = f->buf + f->len; // the last line has no '\n': the buffer's NUL ends it
    *nl = '\0';
    *line = start;
    *len = (size_t)(nl - start);
    f->pos += *len + 1;
    (*number)++;
    return true;
}

int ls_textfile_load(const char *path, struct ls_textfile *f, int (*make_room)(size_t lines),
                     void (*parse_line)(const char *path, int number, char *line, size_t len))
{
    char *line;
    size_t len;
    int number = 0;
    int err = ls_textfile_read(path, f);

    if (err == 0)
        err = make_room(ls_textfile_count_lines(f));
    if (err != 0)
        return err;
    while (ls_textfile_next_line(f, &line, &len, &number))
        parse_line(path, number, line, len);
    return 0;
}
