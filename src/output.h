/* SPDX-License-Identifier: MIT
 *
 * output.h - where a report goes: "%p"/"%n" expansion, a temporary file, then rename.
 */
#ifndef LS_OUTPUT_H
#define LS_OUTPUT_H

#include <limits.h>
#include <sys/types.h>

struct ls_output {
    int fd;              /* where to write: the temporary file, or 2 for stderr */
    char path[PATH_MAX]; /* the final path; "" for stderr */
    char tmp_path[PATH_MAX];
};

/*
 * Expands tmpl for this pid and sequence number: %p -> pid, %n -> seq, %% -> %; any other
 * % sequence is kept as written. Returns 0, or -1 when the result does not fit.
 */
int ls_output_expand(const char *tmpl, pid_t pid, unsigned seq, char *out, size_t out_len);

/*
 * Opens a fresh temporary file beside the expanded path (mode 0600, O_EXCL|O_NOFOLLOW,
 * so nothing planted there is followed). An empty tmpl means stderr. When the file
 * cannot be made, logs one line and falls back to stderr. Always returns a usable output.
 */
void ls_output_open(struct ls_output *o, const char *tmpl, unsigned seq);

/*
 * Finishes a report: renames the temporary file over the final path (replacing a file or
 * a symlink there, never following it). write_error is the writer's errno, 0 if none.
 * Returns 0, or -1 (said on stderr, temporary file removed).
 */
int ls_output_close(struct ls_output *o, int write_error);

#endif
