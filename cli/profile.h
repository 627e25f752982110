/* SPDX-License-Identifier: MIT
 *
 * profile.h - one snapshot (a leakshim JSON report, or a pprof heap profile, gzipped or
 * not) read into memory, and a timeline file; what `leakshim diff` and `leakshim report`
 * work on.
 */
#ifndef LS_CLI_PROFILE_H
#define LS_CLI_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lsp_frame {
    char *function, *file, *module; /* NULL when unknown */
    int line;                       /* 0 when unknown */
    uint64_t address, offset;       /* offset: address relative to the module's load base */
    bool is_inlined;                /* inlined into the next frame */
};

struct lsp_stack {
    struct lsp_frame *frames; /* innermost first */
    size_t n_frames;
    char *kind;                         /* "definite"... "unscanned"; NULL when unknown */
    uint64_t bytes, blocks;             /* live */
    uint64_t new_bytes, new_blocks;     /* allocated since the previous snapshot, live */
    bool has_new;                       /* the input carried new_* */
    uint64_t alloc_bytes, alloc_blocks; /* ever allocated from this stack */
    bool has_alloc;
};

struct lsp_profile {
    char *path;
    const char *input_format; /* "json" or "pprof" */
    int pid;                  /* 0 when unknown */
    char *program;            /* NULL when unknown */
    char *reason;             /* "exit", "signal", "interval"...; NULL when unknown */
    unsigned sequence;
    uint64_t time_unix_ms; /* 0 when unknown */
    uint64_t live_bytes, live_blocks;
    /* A sampled snapshot's rate in bytes (LEAKSHIM_SAMPLE in JSON, a pprof period above
     * 1), its figures estimates; 0 when every block was counted. */
    uint64_t sample_rate;
    /* The snapshot the stacks' new_* count from ("previous" in a JSON report); has_previous
     * false when the input names none (the first snapshot, or an older report). */
    bool has_previous;
    unsigned previous_sequence;
    uint64_t previous_time_unix_ms;
    struct lsp_stack *stacks; /* in the input's order */
    size_t n_stacks;
};

/* Reads a snapshot, telling the format by its content. Returns 0, or -1 with a one-line
 * reason in err. */
int lsp_load(const char *path, struct lsp_profile *out, char *err, size_t err_len);
void lsp_free(struct lsp_profile *p);

/* A stack's identity across snapshots, even of another run of the same build (addresses
 * move with ASLR): each frame's function, file and line, or module+offset when unnamed.
 * Returned string is malloc'ed. */
char *lsp_stack_key(const struct lsp_stack *s);

struct lsp_sample {
    uint64_t time_unix_ms, live_bytes, live_blocks, allocations, frees;
};

struct lsp_timeline {
    struct lsp_sample *samples;
    size_t n;
};

/* Reads a timeline file written by LEAKSHIM_TIMELINE. Returns 0, or -1 with err. */
int lsp_timeline_load(const char *path, struct lsp_timeline *out, char *err, size_t err_len);
void lsp_timeline_free(struct lsp_timeline *t);

#endif
