/* SPDX-License-Identifier: MIT
 *
 * track.c - the bookkeeping behind every interposed call.
 *
 * Runs inside malloc with the guard held: libunwind and the stack store may allocate,
 * and those allocations pass straight through unrecorded.
 */
#include "track.h"

#include <stdatomic.h>

#include "config.h"
#include "guard.h"
#include "log.h"
#include "scan.h"
#include "stack.h"
#include "stackdb.h"
#include "table.h"

void (*volatile ls_track_poll)(void);
__thread int ls_guard_depth __attribute__((tls_model("initial-exec")));
__thread int ls_guard_in_fork __attribute__((tls_model("initial-exec")));
__thread int ls_track_disabled __attribute__((tls_model("initial-exec")));

/* One shared counter pair; a report reads exact totals from the table instead.
 * TODO: per-thread live-byte deltas would avoid this cache line bouncing between cores. */
static atomic_uint_fast64_t live_bytes, peak_bytes;

static uint32_t capture_stack(void)
{
    uintptr_t ips[LS_MAX_DEPTH];

    int n = ls_stack_capture(ips, ls_cfg.max_depth);
    return n > 0 ? ls_stackdb_intern(ips, n) : LS_STACK_NONE;
}

static void raise_peak(uint64_t live)
{
    uint64_t peak = atomic_load_explicit(&peak_bytes, memory_order_relaxed);

    while (live > peak && !atomic_compare_exchange_weak(&peak_bytes, &peak, live))
        ;
}

void ls_track_alloc(void *p, size_t size)
{
    void (*poll)(void) = ls_track_poll;

    ls_table_prefetch((uintptr_t)p); // in cache by the time the stack is captured
    if (poll != NULL) {
        ls_track_poll = NULL;
        poll();
    }

    uint32_t stack_id = capture_stack();
    // Counted before the block is live, so a report never sees more live than allocated.
    ls_stackdb_note_alloc(stack_id, size);
    uint32_t flags = ls_track_disabled > 0 ? LS_BLOCK_IGNORED : 0;
    if (ls_table_insert((uintptr_t)p, size, stack_id, flags) != 0) {
        ls_log_once(LS_LOG_ERROR, "out of memory for the block table; some blocks go untracked");
        return;
    }
    raise_peak(atomic_fetch_add_explicit(&live_bytes, size, memory_order_relaxed) + size);
}

bool ls_track_take(void *p, struct ls_block *saved, bool is_program)
{
    if (ls_guard_in_fork)
        return false; // this thread holds every table lock
    // Frees the shim makes itself (__libc_freeres giving back dlerror state that was
    // allocated inside the shim) are not the program's: they count as nothing.
    if (ls_table_remove((uintptr_t)p, saved, is_program) != 0)
        return false;
    atomic_fetch_sub_explicit(&live_bytes, saved->size, memory_order_relaxed);
    return true;
}

bool ls_track_free(void *p, bool is_program)
{
    struct ls_block b;

    return ls_track_take(p, &b, is_program);
}

void ls_track_restore(const struct ls_block *saved)
{
    if (ls_table_restore(saved) == 0)
        atomic_fetch_add_explicit(&live_bytes, saved->size, memory_order_relaxed);
}

uint64_t ls_track_live_bytes(void)
{
    return atomic_load_explicit(&live_bytes, memory_order_relaxed);
}

uint64_t ls_track_peak_bytes(void)
{
    return atomic_load(&peak_bytes);
}
