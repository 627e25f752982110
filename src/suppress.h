/* SPDX-License-Identifier: MIT
 *
 * suppress.h - the suppressions file (LEAKSHIM_SUPPRESSIONS): which stacks are not leaks.
 */
#ifndef LS_SUPPRESS_H
#define LS_SUPPRESS_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"

/* Patterns longer than this are refused (the line is ignored). */
#define LS_SUPPRESS_MAX_PATTERN 1024

struct ls_suppression {
    const char *pattern;            /* as written after an optional "leak:" prefix */
    int line;                       /* 1-based line in the file */
    uint64_t blocks, bytes, stacks; /* matched in the current report; reset per report */
};

/*
 * Loads rules from path, replacing any loaded before. Blank lines and lines whose first
 * non-blank character is '#' are skipped; leading and trailing blanks (space, tab, CR, VT,
 * FF) are trimmed, then a "leak:" prefix is stripped (and blanks after it). A malformed
 * line logs exactly one line `leakshim: PATH:LINE: <why>; line ignored` and loading goes
 * on: another "type:" prefix (an identifier followed by one ':' that is not "::", such as
 * "race:"), an empty pattern, a pattern longer than LS_SUPPRESS_MAX_PATTERN bytes, a NUL
 * byte. An unreadable file logs one line and loads nothing. Returns the number of rules,
 * or -1 when the file could not be read. Memory from the arena, reads with open/read (no
 * stdio, no malloc: runs in the shim's constructor). Not thread-safe against matching.
 */
int ls_suppress_load(const char *path);

/*
 * The first rule, in file order, that matches any frame of the stack: its pattern matches
 * the frame's function, its module path or its file path. LSan's semantics: '*' matches
 * any run of bytes (none too), a leading '^' anchors the pattern at the start of the
 * string, a trailing '$' at its end; otherwise the pattern may match anywhere inside the
 * string. '^' and '$' elsewhere are plain bytes. NULL and empty strings never match.
 * Returns the rule's index, or -1. No allocation, no lock: safe while reporting.
 */
int ls_suppress_match(const struct ls_frame *frames, uint32_t n_frames);

/* How many rules are loaded, and rule i (NULL when i is out of range). */
size_t ls_suppress_count(void);
struct ls_suppression *ls_suppress_get(size_t i);

/* Zeroes every rule's blocks, bytes and stacks, before a report counts them again. */
void ls_suppress_reset_counts(void);

#endif
