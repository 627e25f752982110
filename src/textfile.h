/* SPDX-License-Identifier: MIT
 *
 * textfile.h - a whole text file read into the shim's arena, then walked line by line:
 * for the suppressions and baseline files read in the shim's constructor.
 */
#ifndef LS_TEXTFILE_H
#define LS_TEXTFILE_H

#include <stdbool.h>
#include <stddef.h>

/* Files are read whole into memory: past this size they are refused, not cut. */
#define LS_TEXTFILE_MAX_BYTES (64u << 20)

struct ls_textfile {
    char *buf;  /* the contents, then a NUL; arena memory, NULL before a read */
    size_t len; /* bytes read */
    size_t cap; /* bytes allocated, for ls_arena_free() */
    size_t pos; /* where ls_textfile_next_line() goes on */
};

/*
 * Reads the file at path with open/read (no stdio, no malloc). Returns 0, or -errno with
 * *f left empty: -EFBIG past LS_TEXTFILE_MAX_BYTES, -ENOMEM when the arena is exhausted.
 */
int ls_textfile_read(const char *path, struct ls_textfile *f);

/* Gives the memory back; *f is empty after it (and may be freed again). */
void ls_textfile_free(struct ls_textfile *f);

/* How many lines ls_textfile_next_line() will return at most: one more than the '\n's. */
size_t ls_textfile_count_lines(const struct ls_textfile *f);

/*
 * The next line, its '\n' replaced by a NUL, in *line and *len (without the '\n'); *number
 * counts lines from 1. A last line without '\n' still counts. Returns false at the end.
 * A line may hold NUL bytes of its own: *len says where it really ends.
 */
bool ls_textfile_next_line(struct ls_textfile *f, char **line, size_t *len, int *number);

/*
 * Reads path into *f, calls make_room with the line count (to size the tables the lines
 * fill), then parse_line on every line. Returns 0, or the first error as -errno.
 */
int ls_textfile_load(const char *path, struct ls_textfile *f, int (*make_room)(size_t lines),
                     void (*parse_line)(const char *path, int number, char *line, size_t len));

#endif
