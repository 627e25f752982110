/* SPDX-License-Identifier: MIT
 *
 * leakcheck.h - take the live blocks out of the table and, when asked, classify each by
 * reachability with every other thread stopped.
 */
#ifndef LS_LEAKCHECK_H
#define LS_LEAKCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scan.h"
#include "table.h"

#if !defined(__x86_64__)
#error "leakshim reads x86-64 registers: other architectures are not supported yet"
#endif

/* Where the program's thread entered the shim: its stack pointer and callee-saved
 * registers (rbx, rbp, r12-r15) at that point. Its stack is a root from sp upwards only, so
 * the shim's own frames below never keep a block alive. */
struct ls_entry {
    uintptr_t sp;
    uintptr_t regs[6];
};

/* Fills *e in the exported function the program called; first statement there, before
 * the compiler can reuse a callee-saved register. The stack pointer kept is the caller's
 * (the call frame address): this function's own frame, with its uninitialised locals,
 * is the shim's and holds only stale words. */
#define LS_ENTRY_CAPTURE(e)                                                               \
    do {                                                                                  \
        __asm__ volatile("mov %%rbx, 8(%0)\n\tmov %%rbp, 16(%0)\n\tmov %%r12, 24(%0)\n\t" \
                         "mov %%r13, 32(%0)\n\tmov %%r14, 40(%0)\n\tmov %%r15, 48(%0)"    \
                         :                                                                \
                         : "r"(e)                                                         \
                         : "memory");                                                     \
        (e)->sp = (uintptr_t)__builtin_dwarf_cfa();                                       \
    } while (0)

struct ls_leakcheck {
    struct ls_scan_block *blocks; /* every live block; by address when scanned */
    size_t n_blocks, blocks_cap;
    struct ls_table_counts counts; /* read with the same locks held */
    bool is_scanned;
    uint64_t scan_us;      /* time every other thread stood still */
    size_t threads_missed; /* threads that could not be stopped */
    size_t threads_whole;  /* of those, the ones whose whole stack was scanned: running */
};

/*
 * Copies the live blocks, and with do_scan classifies them (kind of each block); else
 * every kind is LS_KIND_UNSCANNED. entry: the calling program thread's, or NULL on a shim
 * thread. Call with the guard and the report lock held. Returns 0, or -1 without memory.
 */
int ls_leakcheck_take(struct ls_leakcheck *lc, bool do_scan, const struct ls_entry *entry);

/* Like ls_leakcheck_take(), for a report that is written: each block allocated since the
 * previous such report gets LS_BLOCK_NEW, and the next one counts from here. */
int ls_leakcheck_take_written(struct ls_leakcheck *lc, bool do_scan, const struct ls_entry *entry);
void ls_leakcheck_release(struct ls_leakcheck *lc);

#endif
