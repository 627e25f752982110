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
#include "writer.h"

enum ls_reason { LS_REASON_EXIT, LS_REASON_SIGNAL, LS_REASON_REQUEST, LS_REASON_CHECK };

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
    uint64_t bytes, blocks;
};

struct ls_report {
    enum ls_reason reason;
    int pid;
    unsigned sequence;
    uint64_t time_unix_ms;
    const char *program;
    int threads;
    bool libc_released;
    bool is_scanned;
    uint64_t scan_us;
    size_t threads_missed;
    struct ls_summary summary;
    struct ls_group *groups; /* the listed ones: by kind, then biggest first */
    uint64_t n_groups;
    uint64_t n_leak_groups; /* of those, the ones counted as leaked */
};

/* One symbolized frame of a group's stack. */
struct ls_frame {
    uintptr_t address;           /* the return address as captured */
    const char *module;          /* NULL when unknown */
    uintptr_t offset;            /* address relative to the module's load base */
    const char *function, *file; /* NULL when unknown */
    int line;
};

/* The stack of g (NULL for blocks from before capture began) and its frame i. */
const struct ls_stack *ls_report_stack(const struct ls_group *g);
void ls_report_frame(const struct ls_stack *s, uint32_t i, struct ls_frame *out);

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

/* Format writers: the same report, one layout each. */
void ls_report_write_text(struct ls_writer *w, const struct ls_report *r);
void ls_report_write_json(struct ls_writer *w, const struct ls_report *r);

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
