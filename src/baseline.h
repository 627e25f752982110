/* SPDX-License-Identifier: MIT
 *
 * baseline.h - the baseline file (LEAKSHIM_BASELINE): the leaks a program is known to
 * have, so the exit code can count only new or grown ones.
 *
 * The file is text. Lines starting '#' are comments and empty lines are skipped; every
 * other line is `<bytes>\t<blocks>\t<key>`, where the key is the stack's function names,
 * innermost first, joined by '\t' (an unknown function is `??`). Names only, never
 * addresses, so the file survives a rebuild. `leakshim baseline` writes it sorted by
 * bytes, descending, then by key, ending in '\n'.
 */
#ifndef LS_BASELINE_H
#define LS_BASELINE_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"

struct ls_baseline_entry {
    const char *key;                  /* function names joined by '\t' */
    uint64_t bytes, blocks;           /* as recorded in the file */
    uint64_t seen_bytes, seen_blocks; /* matched in the current report; reset per report */
};

/*
 * The key of a stack into buf (cap bytes, always NUL-terminated when cap > 0, cut when it
 * does not fit); returns the length the whole key needs, without its NUL (as snprintf
 * does). A NULL or empty function is written `??`; a tab, newline or carriage return
 * inside a name becomes a space, so a key always stays on its line. No allocation.
 */
size_t ls_baseline_key(const struct ls_frame *frames, uint32_t n, char *buf, size_t cap);

/*
 * Loads path, replacing any baseline loaded before. A malformed line logs one line
 * `leakshim: PATH:LINE: <why>; line ignored` and loading goes on; an unreadable file logs
 * one line and loads nothing. Lines with the same key are summed (saturating at
 * UINT64_MAX). Returns the number of entries (distinct keys, in the order each key first
 * appears), or -1 when the file could not be read. Arena memory, open/read: no malloc,
 * no stdio (runs in the shim's constructor). Not thread-safe against lookups.
 */
int ls_baseline_load(const char *path);

/* The entry with exactly this key, or NULL. No allocation, no lock. */
struct ls_baseline_entry *ls_baseline_find(const char *key);

/* How many entries are loaded, and entry i (NULL when i is out of range). */
size_t ls_baseline_count(void);
struct ls_baseline_entry *ls_baseline_get(size_t i);

/* Zeroes every entry's seen_bytes and seen_blocks, before a report counts them again. */
void ls_baseline_reset_counts(void);

#endif
