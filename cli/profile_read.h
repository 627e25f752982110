/* SPDX-License-Identifier: MIT
 *
 * profile_read.h - what profile.c shares with its two readers, profile_json.c and
 * profile_pprof.c. Not for other files: they use profile.h.
 */
#ifndef LS_CLI_PROFILE_READ_H
#define LS_CLI_PROFILE_READ_H

#include <stddef.h>

#include "profile.h"

/* Formats the one-line reason into err (when err_len > 0) and returns -1, so a reader can
 * `return lsp_fail(...)`. */
int lsp_fail(char *err, size_t err_len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Makes *v hold at least need elements of elem bytes, doubling. Returns 0, or -1 when out
 * of memory (*v is then unchanged). */
int lsp_reserve(void **v, size_t *cap, size_t need, size_t elem);

/* A malloc'ed copy of len bytes of s, NUL-terminated; NULL when out of memory. */
char *lsp_strndup(const char *s, size_t len);

/* Fills out (path, input_format and the rest already zeroed by the caller) from a leakshim
 * JSON report in text[0..len). Returns 0, or -1 with err; out then holds what was read,
 * for lsp_free(). */
int lsp_read_json(const char *text, size_t len, struct lsp_profile *out, char *err, size_t err_len);

/* The same for an uncompressed profile.proto message. */
int lsp_read_pprof(const unsigned char *buf, size_t len, struct lsp_profile *out, char *err,
                   size_t err_len);

#endif
