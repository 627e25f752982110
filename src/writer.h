/* SPDX-License-Identifier: MIT
 *
 * writer.h - buffered output to a file descriptor with write(2), for reports.
 */
#ifndef LS_WRITER_H
#define LS_WRITER_H

#include <stddef.h>

struct ls_writer {
    int fd;
    int error; /* first errno of a failed write; output stops after it */
    size_t len;
    char buf[16384];
};

/* Starts writing to fd (not owned: never closed here). */
void ls_writer_init(struct ls_writer *w, int fd);

void ls_writer_put(struct ls_writer *w, const char *s, size_t len);
void ls_writer_puts(struct ls_writer *w, const char *s);
/* For short formatted pieces: output past 1 KiB is cut, so names and paths of any length
 * go through ls_writer_puts. */
void ls_writer_printf(struct ls_writer *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Writes s as a JSON string with its quotes, or null when s is NULL. */
void ls_writer_json_string(struct ls_writer *w, const char *s);

/* Writes out what is buffered; returns 0, or -1 with the saved errno in w->error. */
int ls_writer_flush(struct ls_writer *w);

#endif
