/* SPDX-License-Identifier: MIT
 *
 * output.h - where a report goes: "%p"/"%n" expansion, a temporary file, then rename.
 */
#ifndef LS_OUTPUT_H
#define LS_OUTPUT_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

struct ls_output {
    int fd;              /* where to write: the temporary file, the target itself, or 1 or 2 */
    bool is_direct;      /* writing straight into fd: no temporary file, no rename */
    char path[PATH_MAX]; /* the final path; "" for stdout or stderr */
    char tmp_path[PATH_MAX];
    bool may_fall_back; /* to stderr, when the path cannot be opened */
};

/*
 * Expands tmpl for this pid, sequence number and file extension: %p -> pid, %n -> seq,
 * %e -> ext (the format's: "json"...), %% -> %; any other % sequence is kept as written.
 * Returns 0, or -1 when the result does not fit.
 */
int ls_output_expand(const char *tmpl, pid_t pid, unsigned seq, const char *ext, char *out,
                     size_t out_len);

/* Whether tmpl names a stream (stderr or stdout) rather than a file. */
bool ls_output_is_stream(const char *tmpl);

/*
 * Opens where the report goes. An empty tmpl, "-" or "/dev/stderr" means stderr and
 * "/dev/stdout" stdout. A new path or a regular file gets a fresh temporary file beside
 * it (mode 0600, O_EXCL|O_NOFOLLOW) to be renamed over it. An existing device, FIFO or
 * socket is written in place (never replaced: /dev/null stays a device). A symbolic link
 * is neither followed nor replaced. Whatever cannot be opened gets one line on stderr
 * and the report goes to stderr instead; without may_fall_back it is not written at all
 * (fd -1), and only the first such failure of the process is said.
 */
void ls_output_open(struct ls_output *o, const char *tmpl, unsigned seq, const char *ext,
                    bool may_fall_back);

/*
 * Finishes a report: renames the temporary file over the final path (closes the target
 * when it was written in place). write_error is the writer's errno, 0 if none.
 * Returns 0, or -1 (said on stderr, temporary file removed).
 */
int ls_output_close(struct ls_output *o, int write_error);

#endif
