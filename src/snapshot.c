/* SPDX-License-Identifier: MIT
 *
 * snapshot.c - live snapshots on a signal.
 *
 * The handler does only async-signal-safe work (sem_post): the signal may land while any
 * thread is inside malloc or holds a table lock. A dedicated thread, with every signal
 * blocked so the program's signals never run on it, takes the locks and writes.
 */
#include "snapshot.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "guard.h"
#include "log.h"
#include "real.h"
#include "report.h"
#include "timeline.h"
#include "track.h"

/* Symbolizing with libdw recurses a little; 1 MiB is far more than it needs. */
#define LS_SNAPSHOT_STACK_BYTES (1024 * 1024)

static sem_t wake;
static atomic_bool is_quitting; /* the thread is asked to end (see ls_snapshot_pause) */
static bool is_running;
static pthread_t thread;
/* Held while a snapshot is written; once ls_snapshot_stop() holds it, none follows. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_bool is_pending, is_stopping, is_ours;
static atomic_int thread_tid; /* for the leak check, which must not try to stop it */

static void on_signal(int sig)
{
    int err = errno;

    (void)sig;
    atomic_store(&is_pending, true);
    sem_post(&wake);
    errno = err;
}

/* glibc ends the process with exit(0) when its last thread exits; while this thread
 * runs, that last thread is this one, so it does the same once no program thread is
 * left (main called pthread_exit() and every other thread has ended). */
static void end_if_alone(void)
{
    if (ls_report_program_threads() != 0)
        return;
    ls_guard_leave(); // exit handlers and the exit report run as the program's
    exit(0);
}

static void write_snapshot(enum ls_reason reason)
{
    struct ls_report_job job = {
        .reason = reason, .is_scan = ls_report_scans(reason), .is_written = true};

    ls_report_run(&job, NULL);
}

/* What the thread does on its own, and when next (CLOCK_MONOTONIC milliseconds). */
struct schedule {
    uint64_t alone, timeline, interval; /* 0: never */
};

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t earliest(const struct schedule *s)
{
    uint64_t t = s->alone;

    if (s->timeline != 0 && s->timeline < t)
        t = s->timeline;
    if (s->interval != 0 && s->interval < t)
        t = s->interval;
    return t;
}

/* Runs what is due and sets its next time. An interval snapshot, like a signal's, is
 * written only while the exit report has not taken over.
 * TODO: rows wait while a snapshot is written; a spike then is missed (limitations.md). */
static void run_due(struct schedule *s)
{
    uint64_t now = now_ms();

    // After the exit report's last row, the timeline is done too.
    if (s->timeline != 0 && now >= s->timeline && !atomic_load(&is_stopping)) {
        ls_timeline_tick();
        s->timeline = now + ls_cfg.timeline_ms;
    }
    if (s->interval != 0 && now >= s->interval) {
        pthread_mutex_lock(&write_lock);
        if (!atomic_load(&is_stopping))
            write_snapshot(LS_REASON_INTERVAL);
        pthread_mutex_unlock(&write_lock);
        s->interval = now_ms() + ls_cfg.interval_ms; // a slow snapshot delays the next
    }
    if (now >= s->alone) {
        end_if_alone();
        s->alone = now + 1000;
    }
}

static void *snapshot_main(void *unused)
{
    uint64_t start = now_ms();
    struct schedule s = {
        .alone = start + 1000,
        .timeline = ls_timeline_enabled() ? start : 0,
        .interval = ls_cfg.interval_ms != 0 ? start + ls_cfg.interval_ms : 0,
    };

    (void)unused;
    atomic_store(&thread_tid, (int)syscall(SYS_gettid));
    ls_guard_enter(); // everything this thread allocates is the shim's own
    for (;;) {
        uint64_t at = earliest(&s);
        struct timespec deadline = {(time_t)(at / 1000), (long)(at % 1000) * 1000000};
        int rc = sem_clockwait(&wake, CLOCK_MONOTONIC, &deadline);
        if (atomic_load(&is_quitting)) {
            atomic_store(&thread_tid, 0);
            return NULL;
        }
        run_due(&s);
        if (rc != 0)
            continue;
        pthread_mutex_lock(&write_lock);
        if (!atomic_load(&is_stopping) && atomic_exchange(&is_pending, false))
            write_snapshot(LS_REASON_SIGNAL);
        pthread_mutex_unlock(&write_lock);
    }
}

/* The thread runs on a stack of its own mapping: glibc would otherwise hand it a cached
 * stack of a program thread (in a fork child, one of a thread that did not survive the
 * fork), and with it that thread's TLS block, which the program allocated and which would
 * then never be freed. */
static int make_attr(pthread_attr_t *attr)
{
    static void *stack; // mapped once: a thread restarted after unshare() reuses it

    if (stack == NULL) {
        // From the arena, so the leak check knows it for the shim's own memory.
        stack = ls_arena_alloc(LS_SNAPSHOT_STACK_BYTES);
        if (stack == NULL)
            return ENOMEM;
    }
    pthread_attr_init(attr);
    return pthread_attr_setstack(attr, stack, LS_SNAPSHOT_STACK_BYTES);
}

/* Starts the thread with every signal blocked; called with the guard held. */
static void start_thread(void)
{
    sigset_t all, old;
    pthread_attr_t attr;

    int rc = make_attr(&attr);
    if (rc == 0) {
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        rc = pthread_create(&thread, &attr, snapshot_main, NULL);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        pthread_attr_destroy(&attr);
    }
    if (rc != 0) {
        ls_log(LS_LOG_ERROR, "cannot start the snapshot thread: %s; signal snapshots are off",
               strerror(rc));
        return;
    }
    is_running = true;
    pthread_setname_np(thread, "leakshim");
    atomic_fetch_add(&ls_report_shim_threads, 1);
}

/* The thread runs for the snapshot signal, interval snapshots or the timeline. */
static bool wants_thread(void)
{
    return atomic_load(&is_ours) || ls_cfg.interval_ms != 0 || ls_timeline_enabled();
}

static void take_signal(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (ls_real.sigaction(ls_cfg.snapshot_signal, &sa, NULL) != 0) {
        ls_log(LS_LOG_WARN, "cannot handle signal %d: %s; signal snapshots are off",
               ls_cfg.snapshot_signal, strerror(errno));
        return;
    }
    atomic_store(&is_ours, true);
}

void ls_snapshot_start(void)
{
    sem_init(&wake, 0, 0);
    if (ls_cfg.snapshot_signal != 0)
        take_signal();
    if (wants_thread())
        start_thread();
}

void ls_snapshot_stop(void)
{
    pthread_mutex_lock(&write_lock); // a snapshot under way finishes first
    atomic_store(&is_stopping, true);
    // A signal that arrived just before exit still gets its snapshot, ahead of the exit
    // report: the program may have ended early only because the signal woke it.
    if (atomic_exchange(&is_pending, false))
        write_snapshot(LS_REASON_SIGNAL);
    pthread_mutex_unlock(&write_lock);
}

void ls_snapshot_lock(void)
{
    pthread_mutex_lock(&write_lock);
}

void ls_snapshot_unlock(void)
{
    pthread_mutex_unlock(&write_lock);
}

bool ls_snapshot_owns(int sig)
{
    return sig == ls_cfg.snapshot_signal && atomic_load(&is_ours);
}

void ls_snapshot_yield(int sig)
{
    if (!atomic_exchange(&is_ours, false))
        return;
    const char *name = sigabbrev_np(sig); // a constant string: strsignal may allocate

    ls_log(LS_LOG_WARN,
           "the program sets its own action for SIG%s; leakshim leaves it alone "
           "and takes no snapshots on it (pick another signal with LEAKSHIM_SIGNAL)",
           name != NULL ? name : "?");
}

bool ls_snapshot_pause(void)
{
    if (!is_running)
        return false;
    atomic_store(&is_quitting, true);
    sem_post(&wake);
    pthread_join(thread, NULL); // returns once the kernel has removed the thread
    is_running = false;
    atomic_fetch_sub(&ls_report_shim_threads, 1);
    atomic_store(&is_quitting, false);
    return true;
}

void ls_snapshot_resume(void)
{
    start_thread();
}

void ls_snapshot_after_fork_child(void)
{
    is_running = false;
    atomic_store(&thread_tid, 0);
    pthread_mutex_init(&write_lock, NULL);
    atomic_store(&is_pending, false); // the signal was the parent's, not this process's
    atomic_store(&ls_report_shim_threads, 0);
    ls_timeline_after_fork_child();
    if (!wants_thread())
        return;
    sem_init(&wake, 0, 0);
    ls_track_poll = start_thread;
}

pid_t ls_snapshot_tid(void)
{
    // A thread just started may not have said who it is yet; it does so before it takes
    // any lock, so waiting here (with the caller's locks held) cannot deadlock.
    for (int i = 0; i < 1000 && is_running && atomic_load(&thread_tid) == 0; i++)
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    return atomic_load(&thread_tid);
}
