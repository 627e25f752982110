/* SPDX-License-Identifier: MIT
 *
 * hooks.c - the exported functions that are not the malloc family: the public API
 * (include/leakshim.h), dlclose (module ranges go stale), sigaction/signal (the snapshot
 * signal steps aside when the program wants it) and unshare/setns (entering a user
 * namespace needs a single-threaded process: the snapshot thread steps out for the call).
 */
#include <dlfcn.h>
#include <errno.h>
#include <leakshim.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>

#include "bigstack.h"
#include "export.h"
#include "guard.h"
#include "module.h"
#include "real.h"
#include "report.h"
#include "snapshot.h"
#include "table.h"
#include "track.h"

struct report_call {
    const struct ls_report_job *job;
    struct ls_summary *sum;
    int rc;
};

static void report_call(void *arg)
{
    struct report_call *c = arg;

    c->rc = ls_report_run(c->job, c->sum);
}

/* ls_report_run() on a stack of the shim's own: the caller's may be small. Guard held. */
static int run_report(const struct ls_report_job *job, struct ls_summary *sum)
{
    struct report_call c = {job, sum, -1};

    ls_bigstack_run(report_call, &c, false);
    return c.rc;
}

LS_EXPORT int leakshim_write_report(void)
{
    struct ls_entry entry;
    int rc = -1;

    LS_ENTRY_CAPTURE(&entry);
    struct ls_report_job job = {.reason = LS_REASON_REQUEST,
                                .is_scan = ls_report_scans(LS_REASON_REQUEST),
                                .is_written = true,
                                .entry = &entry};
    if (ls_guard_enter()) // never from inside the shim itself
        rc = run_report(&job, NULL);
    ls_guard_leave();
    return rc;
}

/* The summary in the public struct's terms. Only the fields the caller's struct has room
 * for are written: an older program's smaller struct stays valid. */
static void fill_counts(struct leakshim_counts *out, size_t out_size, const struct ls_summary *s)
{
    struct leakshim_counts c = {
        .leaked_bytes = s->leaked_bytes,
        .leaked_blocks = s->leaked_blocks,
        .definite_bytes = s->kind_bytes[LS_KIND_DEFINITE],
        .definite_blocks = s->kind_blocks[LS_KIND_DEFINITE],
        .indirect_bytes = s->kind_bytes[LS_KIND_INDIRECT],
        .indirect_blocks = s->kind_blocks[LS_KIND_INDIRECT],
        .possible_bytes = s->kind_bytes[LS_KIND_POSSIBLE],
        .possible_blocks = s->kind_blocks[LS_KIND_POSSIBLE],
        .reachable_bytes = s->kind_bytes[LS_KIND_REACHABLE],
        .reachable_blocks = s->kind_blocks[LS_KIND_REACHABLE],
        .suppressed_bytes = s->suppressed_bytes,
        .suppressed_blocks = s->suppressed_blocks,
        .ignored_bytes = s->ignored_bytes,
        .ignored_blocks = s->ignored_blocks,
    };

    memcpy(out, &c, out_size < sizeof(c) ? out_size : sizeof(c));
}

LS_EXPORT int leakshim_leak_check(struct leakshim_counts *out, size_t out_size)
{
    struct ls_entry entry;
    struct ls_summary sum;
    int rc = -1;

    LS_ENTRY_CAPTURE(&entry);
    struct ls_report_job job = {.reason = LS_REASON_CHECK, .is_scan = true, .entry = &entry};
    if (ls_guard_enter() && run_report(&job, &sum) == 0) {
        if (out != NULL)
            fill_counts(out, out_size, &sum);
        rc = ls_report_is_failing(&sum) ? 1 : 0;
    }
    ls_guard_leave();
    return rc;
}

LS_EXPORT int leakshim_ignore_object(const void *block)
{
    if (block == NULL)
        return -1;
    // Sampling leaves most blocks out of the table: one not found may well be live, and
    // the program must not see a difference.
    int rc = ls_table_add_flags((uintptr_t)block, LS_BLOCK_IGNORED);
    return rc != 0 && ls_track_sample_rate() != 0 ? 0 : rc;
}

LS_EXPORT void leakshim_disable_thread(void)
{
    ls_track_disabled++;
}

LS_EXPORT void leakshim_enable_thread(void)
{
    if (ls_track_disabled > 0)
        ls_track_disabled--;
}

LS_EXPORT int dlclose(void *handle)
{
    if (ls_real.dlclose == NULL && ls_real_init() != 0)
        return -1;

    int rc = ls_real.dlclose(handle);
    ls_module_note_unload(); // after, not before: a lookup in between would see it loaded
    return rc;
}

/* A program that sets any action for the snapshot signal gets exactly that action. */
static void yield_if_ours(int sig, int is_setting)
{
    if (is_setting && ls_snapshot_owns(sig))
        ls_snapshot_yield(sig);
}

LS_EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    if (ls_real.sigaction == NULL && ls_real_init() != 0) {
        errno = ENOSYS;
        return -1;
    }
    yield_if_ours(sig, act != NULL);
    return ls_real.sigaction(sig, act, old);
}

LS_EXPORT sighandler_t signal(int sig, sighandler_t handler)
{
    if (ls_real.signal == NULL && ls_real_init() != 0) {
        errno = ENOSYS;
        return SIG_ERR;
    }
    yield_if_ours(sig, 1);
    return ls_real.signal(sig, handler);
}

/* Runs call(a, b) with the snapshot thread ended, when single is set. */
static int single_threaded(bool single, int (*call)(int, int), int a, int b)
{
    bool was_running = false;

    if (single) {
        ls_guard_enter();
        was_running = ls_snapshot_pause();
        ls_guard_leave();
    }
    int rc = call(a, b);
    int err = errno;
    if (was_running) {
        ls_guard_enter();
        ls_snapshot_resume();
        ls_guard_leave();
    }
    errno = err;
    return rc;
}

static int call_unshare(int flags, int unused)
{
    (void)unused;
    return ls_real.unshare(flags);
}

LS_EXPORT int unshare(int flags)
{
    if (ls_real.unshare == NULL && ls_real_init() != 0) {
        errno = ENOSYS;
        return -1;
    }
    return single_threaded(flags & CLONE_NEWUSER, call_unshare, flags, 0);
}

LS_EXPORT int setns(int fd, int nstype)
{
    if (ls_real.setns == NULL && ls_real_init() != 0) {
        errno = ENOSYS;
        return -1;
    }
    // 0 accepts any kind, a user namespace included; a mount namespace needs the
    // filesystem context unshared from every other thread too.
    bool single = nstype == 0 || (nstype & (CLONE_NEWUSER | CLONE_NEWNS)) != 0;
    return single_threaded(single, ls_real.setns, fd, nstype);
}
