/* SPDX-License-Identifier: MIT
 *
 * diff.h - two snapshots matched stack by stack (lsp_stack_key) and ranked by growth:
 * what `leakshim diff` computes, and what its three writers print.
 */
#ifndef LS_CLI_DIFF_H
#define LS_CLI_DIFF_H

#include <stdint.h>
#include <stdio.h>

#include "profile.h"

enum ls_diff_status {
    LS_DIFF_NEW,       /* not live in OLD */
    LS_DIFF_GROWN,     /* live in both, more in NEW */
    LS_DIFF_SHRUNK,    /* live in both, less in NEW */
    LS_DIFF_GONE,      /* not live in NEW: vanished */
    LS_DIFF_UNCHANGED, /* the same bytes and blocks in both */
};

/* One stack key: every group (one per kind) of that key in a snapshot, summed. */
struct ls_diff_stack {
    char *key;
    const struct lsp_stack *stack; /* whose frames are shown: NEW's, or OLD's when gone */
    uint64_t old_bytes, old_blocks, new_bytes, new_blocks;
    int64_t bytes, blocks; /* growth: NEW minus OLD */
    enum ls_diff_status status;
};

struct ls_diff {
    const struct lsp_profile *old, *new;
    /* The growing stacks, most growth (bytes, then blocks) first; then the shrinking
     * ones, most shrinkage first; then the unchanged ones. */
    struct ls_diff_stack *stacks;
    size_t n, n_growing, n_shrinking;
    size_t n_new, n_gone;                /* of the growing and shrinking ones */
    int64_t grown_bytes, grown_blocks;   /* summed over the growing stacks */
    int64_t shrunk_bytes, shrunk_blocks; /* over the shrinking ones: 0 or less */
};

/* Matches old's stacks with new's and ranks them into *d (which keeps pointers to both
 * profiles: they must outlive it). Returns 0, or -1 when out of memory. */
int ls_diff_compute(const struct lsp_profile *old, const struct lsp_profile *new,
                    struct ls_diff *d);
void ls_diff_free(struct ls_diff *d);

/* "new", "grown", "shrunk", "gone" or "unchanged". */
const char *ls_diff_status_name(enum ls_diff_status s);

/* NEW's live totals minus OLD's. */
int64_t ls_diff_live_bytes(const struct ls_diff *d);
int64_t ls_diff_live_blocks(const struct ls_diff *d);

/*
 * The writers. top_n (0: all) caps the growing stacks listed, and the shrinking ones
 * separately; unchanged stacks are counted, not listed. Each returns 0, or -1 when f
 * failed or memory ran out.
 */
int ls_diff_write_text(FILE *f, const struct ls_diff *d, size_t top_n);
int ls_diff_write_json(FILE *f, const struct ls_diff *d, size_t top_n);

/* A gzipped profile.proto whose samples are NEW minus OLD per stack (negative for
 * shrinking ones), sample types inuse_objects/count and inuse_space/bytes, the default
 * inuse_space; every changed stack, whatever the cap. */
int ls_diff_write_pprof(FILE *f, const struct ls_diff *d);

#endif
