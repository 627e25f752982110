/* SPDX-License-Identifier: MIT
 *
 * report.h - gather the live blocks by stack and hand them to a format writer.
 */
#ifndef LS_REPORT_H
#define LS_REPORT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "leakcheck.h"
#include "scan.h"
#include "stackdb.h"
#include "symbolize.h"
#include "writer.h"

enum ls_reason {
    LS_REASON_EXIT,
    LS_REASON_SIGNAL,
    LS_REASON_REQUEST,
    LS_REASON_CHECK,
    LS_REASON_INTERVAL, /* LEAKSHIM_INTERVAL */
};

struct ls_summary {
    uint64_t leaked_bytes, leaked_blocks;
    uint64_t live_bytes, live_blocks;
    uint64_t suppressed_bytes, suppressed_blocks;
    uint64_t total_allocations, total_frees, untracked_frees;
    uint64_t peak_live_bytes;
    uint64_t kind_bytes[LS_N_KINDS], kind_blocks[LS_N_KINDS]; /* ignored blocks left out */
    uint64_t ignored_bytes, ignored_blocks;
    uint64_t below_threshold_bytes, below_threshold_blocks;
    uint64_t over_baseline_bytes, over_baseline_blocks; /* with a baseline only */
    /* Sampling mode: the sampled blocks actually held, which the estimates above scale. */
    uint64_t sampled_live_bytes, sampled_live_blocks;
};

struct ls_baseline_entry;

/* One group of live blocks that share an allocating stack and a kind. */
struct ls_group {
    uint32_t stack_id;
    uint8_t kind;    /* enum ls_kind */
    bool is_libc;    /* allocated by the C library for itself; see report-format.md */
    bool is_leak;    /* its kind counts as leaked */
    int suppression; /* the matching rule, or -1 */
    struct ls_baseline_entry *baseline; /* its baseline entry, NULL when new (or none) */
    uint64_t bytes, blocks;             /* estimates in sampling mode, as every count of a report */
    /* Of those, the blocks allocated since the previous written report of this process
     * (since start for the first one): what grew in between. */
    uint64_t new_bytes, new_blocks;
    uint64_t sampled_bytes, sampled_blocks; /* the sampled blocks behind the estimates */
};

struct ls_report {
    enum ls_reason reason;
    int pid;
    unsigned sequence;
    uint64_t time_unix_ms;
    const char *program;
    int threads;
    bool libc_released;
    uint64_t sample_rate; /* LEAKSHIM_SAMPLE when the counts are estimates, else 0 */
    bool is_scanned;
    uint64_t scan_us;
    size_t threads_missed;
    size_t threads_whole;
    struct ls_summary summary;
    struct ls_group *groups; /* the listed ones: by kind, then biggest first */
    uint64_t n_groups;
    uint64_t n_leak_groups; /* of those, the ones counted as leaked */
    /* The previous written report of this process, which new_bytes/new_blocks count from;
     * has_previous false: none, they count from the start. */
    bool has_previous;
    unsigned previous_sequence;
    uint64_t previous_time_unix_ms;
};

/* One symbolized logical frame of a group's stack: a captured address, or one of the
 * calls the compiler inlined at it. */
struct ls_frame {
    uintptr_t address;           /* the return address as captured */
    const char *module;          /* NULL when unknown */
    uintptr_t offset;            /* address relative to the module's load base */
    const char *function, *file; /* NULL when unknown */
    int line;
    bool is_inlined; /* inlined into the next frame, which has the same address */
};

/* Logical frames listed per stack at most: inlining can make many of one captured
 * address (up to LS_MAX_INLINE), and LEAKSHIM_DEPTH counts captured addresses. 1024 is
 * four per address at the deepest LEAKSHIM_DEPTH (256); a longer stack loses its
 * outermost frames, as a deeper stack than LEAKSHIM_DEPTH does. */
#define LS_MAX_FRAMES 1024

/* Walks the logical frames of a stack, innermost first. */
struct ls_frame_iter {
    const struct ls_stack *stack;
    uint32_t ip;                    /* the captured address being expanded */
    const struct ls_module *module; /* its module, or NULL */
    uint32_t sub, n_sub;            /* its next logical frame, and how many it has */
    const struct ls_symbol *syms;   /* its logical frames */
    uint32_t n_done;                /* frames yielded so far */
};

/* The stack of g (NULL for blocks from before capture began). */
const struct ls_stack *ls_report_stack(const struct ls_group *g);

/*
 * The one way to read a stack's frames, so every consumer (writers, suppressions,
 * baseline keys, C library marking) sees the same list: each captured address expanded
 * by ls_symbolize() into the calls inlined at it, then the function that holds it (the
 * same address, module and offset for all of them). Start with begin (s may be NULL: no
 * frames); each next fills *out and returns true, or returns false after the last frame
 * or LS_MAX_FRAMES frames. Symbolizes: guard held, no shim lock held.
 */
void ls_report_frames_begin(struct ls_frame_iter *it, const struct ls_stack *s);
bool ls_report_frames_next(struct ls_frame_iter *it, struct ls_frame *out);

/*
 * Decides, for every group of all (n of them), whether it is suppressed, counted as
 * leaked, left out as below LEAKSHIM_MIN_BYTES, and listed; fills r's summary counts
 * accordingly and moves the listed groups to the front. Returns how many are listed.
 */
uint64_t ls_report_filter(struct ls_report *r, struct ls_group *all, uint64_t n);

/* Loads LEAKSHIM_SUPPRESSIONS and LEAKSHIM_BASELINE; bad lines are reported on stderr. */
void ls_report_load_filters(void);

/* True when LEAKSHIM_BASELINE loaded a baseline: the exit code then counts growth only. */
bool ls_report_has_baseline(void);

/* With a baseline, a leaked group's standing: "new" (no entry), "grown" (its entry's
 * stacks leak more than recorded), or "known". */
const char *ls_report_baseline_status(const struct ls_group *g);

/* Everything ever allocated from stack id since start (blocks since freed included),
 * for pprof's alloc_objects/alloc_space. Read without locks: a report sees each count at
 * least as high as the live blocks it copied. In sampling mode, estimates: each sampled
 * block counted with the weight the report gives it when live. */
void ls_report_stack_allocs(uint32_t stack_id, uint64_t *blocks, uint64_t *bytes);

/* The reason's name in JSON and pprof reports: "exit", "signal", "request", "check",
 * "interval". */
const char *ls_report_reason_name(enum ls_reason reason);

/* Format writers: the same report, one layout each. */
void ls_report_write_text(struct ls_writer *w, const struct ls_report *r);
void ls_report_write_json(struct ls_writer *w, const struct ls_report *r);
void ls_report_write_pprof(struct ls_writer *w, const struct ls_report *r);
void ls_report_write_folded(struct ls_writer *w, const struct ls_report *r);

/* Writes r in every format of LEAKSHIM_FORMAT, each where LEAKSHIM_OUTPUT says
 * (report_output.c). Returns 0, or -1 when a format could not be written. */
int ls_report_write_out(const struct ls_report *r);

/* What a report run does. */
struct ls_report_job {
    enum ls_reason reason;
    bool libc_released;
    bool is_scan;                 /* classify by reachability (stops every other thread) */
    bool is_written;              /* write the report (a leak check may only count) */
    const struct ls_entry *entry; /* the calling program thread, NULL on a shim thread */
};

/*
 * Takes a consistent view of the live blocks (the table locked while they are copied and,
 * with is_scan, classified), symbolizes, and writes it to LEAKSHIM_OUTPUT. Reports are
 * serialized. Call with the guard held and no shim lock held; fills *summary when it is
 * not NULL. Returns 0, or -1 when the report could not be taken or written.
 */
int ls_report_run(const struct ls_report_job *job, struct ls_summary *summary);

/* Whether a report for this reason scans, by LEAKSHIM_SCAN. */
bool ls_report_scans(enum ls_reason reason);

/* Whether the report fails the run for LEAKSHIM_EXITCODE: leaked bytes or blocks (with a
 * baseline: only those beyond it). */
bool ls_report_is_failing(const struct ls_summary *s);

/* How many threads the shim itself runs; left out of a report's thread count. */
extern atomic_int ls_report_shim_threads;

/* Live threads of the program now (the shim's own and exited ones left out), or -1 when
 * unknown. Allocates: call with the guard held. */
int ls_report_program_threads(void);

/* Fork support: the report lock is taken across fork; a child starts at sequence 0. */
void ls_report_lock(void);
void ls_report_unlock(void);
void ls_report_reset_after_fork(void);

#endif
