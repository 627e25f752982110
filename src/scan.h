/* SPDX-License-Identifier: MIT
 *
 * scan.h - reachability of live blocks from roots, by memcheck's rules.
 *
 * A conservative mark: every aligned word of a root or of a reached block that falls
 * inside a live block is taken as a pointer to it. The rules, chosen so the per-kind
 * totals match valgrind memcheck's (docs/report-format.md spells them out):
 *  - a pointer to a block's first byte from a root or a reachable block makes it
 *    reachable; a pointer to any other byte (interior) makes it possible, unless one of
 *    memcheck's default heuristics recognises the layout (then reachable);
 *  - whatever is reached only from possible blocks is at most possible;
 *  - every block still unreached heads a clique, in address order: the unreached blocks
 *    it reaches, by any pointer, are indirect; the heads stay definite.
 */
#ifndef LS_SCAN_H
#define LS_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "maps.h"

enum ls_kind {
    LS_KIND_DEFINITE,
    LS_KIND_INDIRECT,
    LS_KIND_POSSIBLE,
    LS_KIND_REACHABLE,
    LS_KIND_UNSCANNED, /* no scan ran: a snapshot, or LEAKSHIM_SCAN=none */
    LS_N_KINDS
};

#define LS_BLOCK_IGNORED 1u /* leakshim_ignore() or allocated under leakshim_disable() */
#define LS_BLOCK_SAMPLED 2u /* recorded by LEAKSHIM_SAMPLE's sampling: stands for 1/p blocks */
/* The table keeps the two flags above in two bits of a slot; the next is not stored. */
#define LS_BLOCK_NEW     4u /* allocated since the previous written report (report copies only) */

/* One live block as the scan sees it; 24 bytes, so a million blocks take 24 MB. */
struct ls_scan_block {
    uintptr_t addr;
    uint64_t size;
    uint32_t stack_id;
    uint8_t kind;  /* enum ls_kind once the scan finished */
    uint8_t flags; /* LS_BLOCK_* */
    uint8_t state; /* scan-internal */
    uint8_t pending;
};

struct ls_scan {
    struct ls_scan_block *blocks; /* sorted by address (ls_scan_sort) */
    size_t n_blocks;
    uint32_t *stack; /* n_blocks entries: the mark stack */
    size_t top;
    const struct ls_region *regions; /* every mapping, sorted, for reads and vtables */
    size_t n_regions;
    bool use_heuristics;
    bool is_glibc;    /* blocks are glibc chunks: their headers can be read */
    uintptr_t lo, hi; /* the lowest block start and the highest block end */
    size_t region_hint;
    uint32_t *page_hint; /* LS_SCAN_HINTS entries, or NULL: the last block found per page */
};

/* Slots of the page_hint cache (a power of two); its memory is the caller's. */
#define LS_SCAN_HINTS 4096 /* 2^12: the hash keeps 12 bits */

/* Sorts blocks by address; tmp holds n more blocks. No allocation. */
void ls_scan_sort(struct ls_scan_block *blocks, struct ls_scan_block *tmp, size_t n);

/* Prepares s (blocks sorted, stack and regions set): every block unreached; ignored
 * blocks become reachable roots, as leakshim_ignore() promises. */
void ls_scan_begin(struct ls_scan *s);

/* The words of a root: registers, or a root range copied or mapped readable. */
void ls_scan_root_words(struct ls_scan *s, const uintptr_t *words, size_t n);

/* Follows everything reached from the roots, then sorts the rest into definite and
 * indirect, and sets every block's kind. */
void ls_scan_finish(struct ls_scan *s);

/* The index of the block holding address p, or -1. A zero-size block holds its start. */
long ls_scan_find(const struct ls_scan *s, uintptr_t p);

/* The same, searched from block h (any index below n_blocks), fast when h is near p. */
long ls_scan_find_near(const struct ls_scan *s, size_t h, uintptr_t p);

/* True when all of [p, end) lies in one readable region (the last one found is tried
 * first). Without regions (unit tests) everything can be read. */
bool ls_scan_is_readable(struct ls_scan *s, uintptr_t p, uintptr_t end);

#endif
