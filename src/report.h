/* SPDX-License-Identifier: MIT
 *
 * report.h - gather the live blocks by stack and hand them to a format writer.
 */
#ifndef LS_REPORT_H
#define LS_REPORT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "stackdb.h"
#include "writer.h"

enum ls_reason { LS_REASON_EXIT, LS_REASON_SIGNAL, LS_REASON_REQUEST };

struct ls_summary {
    uint64_t leaked_bytes, leaked_blocks;
    uint64_t live_bytes, live_blocks;
    uint64_t suppressed_bytes, suppressed_blocks;
    uint64_t total_allocations, total_frees, untracked_frees;
    uint64_t peak_live_bytes;
};

/* One group of live blocks that share an allocating stack. */
struct ls_group {
    uint32_t stack_id;
    uint64_t bytes, blocks;
    bool is_libc; /* allocated by the C library for itself; see report-format.md */
};

struct ls_report {
    enum ls_reason reason;
    int pid;
    unsigned sequence;
    uint64_t time_unix_ms;
    const char *program;
    int threads;
    bool libc_released;
    struct ls_summary summary;
    struct ls_group *groups; /* biggest first */
    uint64_t n_groups;
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

/* Format writers: the same report, one layout each. */
void ls_report_write_text(struct ls_writer *w, const struct ls_report *r);
void ls_report_write_json(struct ls_writer *w, const struct ls_report *r);

/*
 * Takes a consistent view of the live blocks (every table stripe locked while counting,
 * nothing else done under those locks), symbolizes and writes it to LEAKSHIM_OUTPUT.
 * Reports are serialized. Call with the guard held and no shim lock held; fills *summary
 * when it is not NULL. Returns 0, or -1 when the report could not be written.
 */
int ls_report_write(enum ls_reason reason, bool libc_released, struct ls_summary *summary);

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
