/* SPDX-License-Identifier: MIT
 *
 * outfile.h - where a subcommand's output goes: standard output, or a file replaced
 * whole, never seen half written.
 */
#ifndef LS_CLI_OUTFILE_H
#define LS_CLI_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

/* Writes all of the output to f. Returns 0, or -1 with errno saying why (into a file, an
 * errno of 0 is reported as EIO). */
typedef int (*ls_outfile_fill_fn)(FILE *f, const void *ctx);

/* Does path name standard output (NULL or "-")? */
bool ls_outfile_is_stdout(const char *path);

/*
 * Writes what fill puts in a FILE to path: into a new temporary file beside it
 * (path.tmp.PID, created O_EXCL|O_NOFOLLOW with mode less the umask, so no link or
 * earlier file is followed) renamed into place, so a reader never sees half of it; or to
 * standard output when ls_outfile_is_stdout(path) ("-", "/dev/stdout" or NULL). An
 * existing character device or FIFO is written in place (never replaced); a symbolic link
 * is followed, so the file it names is replaced and the link stays. Returns 0, or -1 after one
 * line: "leakshim: cannot write PATH: REASON", or "leakshim: cannot write the WHAT to standard
 * output: REASON". A temporary file that was ours is removed on failure.
 */
int ls_outfile_write(const char *path, const char *what, mode_t mode, ls_outfile_fill_fn fill,
                     const void *ctx);

#endif
