/* SPDX-License-Identifier: MIT
 *
 * lifecycle.c - start-up, fork and the exit report.
 *
 * The exit report is written after the program's atexit handlers and every ELF
 * destructor: our destructor (run by the loader's fini pass) registers one last exit
 * handler, which glibc runs after that pass returns.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "bigstack.h"
#include "config.h"
#include "exitframe.h"
#include "export.h"
#include "gostack.h"
#include "guard.h"
#include "log.h"
#include "module.h"
#include "real.h"
#include "report.h"
#include "sample.h"
#include "snapshot.h"
#include "stack.h"
#include "stackdb.h"
#include "table.h"
#include "timeline.h"
#include "track.h"

extern void __libc_freeres(void);
extern int __cxa_atexit(void (*fn)(void *), void *arg, void *dso_handle);
extern int __register_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void),
                             void *dso_handle);

static void before_fork(void)
{
    ls_guard_enter();
    ls_guard_in_fork = 1;
    ls_snapshot_lock(); // lock order: snapshot, report, modules, stacks, table, arena
    ls_report_lock();
    ls_module_lock();
    ls_stackdb_lock_all();
    ls_table_lock_all();
    ls_arena_lock();
}

static void after_fork_parent(void)
{
    ls_arena_unlock();
    ls_table_unlock_all();
    ls_stackdb_unlock_all();
    ls_module_unlock();
    ls_report_unlock();
    ls_snapshot_unlock();
    ls_guard_in_fork = 0;
    ls_guard_leave();
}

static void write_exit_report(void *unused);

/* Set once our destructor ran: exit has begun and our exit handler is (being) used up. */
static bool is_exiting;
static int n_exit_reports; // write_exit_report runs past its check once per process

/* Set in a fork child whose exit handler list glibc had already closed: exit() itself
 * then writes the report (see exit() below). */
static bool is_report_in_exit;

/* A child forked while its parent was exiting inherits the parent's used-up exit
 * handlers, ours among them: without a new one its own exit() would write no report.
 * Forked after the parent ran the last handler, it inherits a closed list that refuses
 * new ones. */
static void rearm_exit_report(void)
{
    n_exit_reports = 0;
    is_report_in_exit = __cxa_atexit(write_exit_report, NULL, NULL) != 0;
}

static void after_fork_child(void)
{
    ls_arena_reset_after_fork();
    ls_table_reset_after_fork();
    ls_stackdb_reset_after_fork();
    ls_module_reset_after_fork();
    ls_report_reset_after_fork();
    ls_snapshot_after_fork_child();
    ls_sample_after_fork_child();
    ls_guard_in_fork = 0;
    if (is_exiting)
        rearm_exit_report();
    ls_guard_leave();
}

/* Asks libstdc++ and glibc to free their internal buffers, as valgrind does, so a clean
 * program reports zero. Only safe when no other thread can still use them. */
static void release_libc(void)
{
    void (*cxx_freeres)(void);

    *(void **)&cxx_freeres = dlsym(RTLD_DEFAULT, "_ZN9__gnu_cxx9__freeresEv");
    if (cxx_freeres != NULL)
        cxx_freeres();
    __libc_freeres();
}

/* True when no other program thread is left. A thread that pthread_join() has just
 * returned for can still be listed for a few microseconds while the kernel tears it
 * down, so a count above one is looked at again for up to 50 ms before it is believed. */
static bool is_last_thread(void)
{
    for (int i = 0; i < 50; i++) {
        int n = ls_report_program_threads();
        if (n <= 1)
            return n == 1;
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    return false;
}

/* entry: the exiting thread as it called exit(). */
static void exit_report_body(void *entry)
{
    struct ls_summary sum;

    ls_snapshot_stop();
    bool is_alone = is_last_thread();
    if (is_alone)
        release_libc();
    struct ls_report_job job = {.reason = LS_REASON_EXIT,
                                .libc_released = is_alone,
                                .is_scan = ls_report_scans(LS_REASON_EXIT),
                                .is_written = true,
                                .entry = entry};
    ls_report_run(&job, &sum); // a failure is already on stderr
    ls_timeline_finish();      // the timeline ends where the exit report does
    if (ls_cfg.exit_code >= 0 && ls_report_is_failing(&sum)) {
        fflush(NULL); // _exit skips stdio's own flush
        _exit(ls_cfg.exit_code);
    }
}

static void write_exit_report(void *unused)
{
    struct ls_entry entry;

    LS_ENTRY_CAPTURE(&entry);
    (void)unused;
    if (n_exit_reports++)
        return;
    if (ls_guard_held()) {
        ls_log(LS_LOG_ERROR, "exit() was called from inside malloc (from a signal handler?); "
                             "no exit report");
        return;
    }

    ls_guard_enter();
    if (ls_exitframe_entry(&entry) != 0) // a handler run some other way
        ls_log(LS_LOG_DEBUG, "no exit() frame found; the exit handler's stack is a root");
    ls_bigstack_run(exit_report_body, &entry, true); // exit() may come from a small stack
    ls_guard_leave();
}

/* libc's exit(), wrapped only for the one process that needs it: a fork child whose exit
 * handler list was closed (rearm_exit_report). Every other call goes straight through. */
LS_EXPORT void exit(int status)
{
    static void (*real_exit)(int);

    if (real_exit == NULL)
        *(void **)&real_exit = dlsym(RTLD_NEXT, "exit");
    if (is_report_in_exit)
        write_exit_report(NULL);
    if (real_exit != NULL)
        real_exit(status);
    _exit(status); // no libc exit to find, which cannot happen in a dynamic program
}

/* quick_exit() runs no atexit handler and no destructor, only its own list. */
static void write_quick_exit_report(void)
{
    write_exit_report(NULL);
}

__attribute__((destructor)) static void leakshim_fini(void)
{
    is_exiting = true;
    // Registered now, it runs after the loader's fini pass; if that fails, report now.
    if (__cxa_atexit(write_exit_report, NULL, NULL) != 0)
        write_exit_report(NULL);
}

__attribute__((constructor)) static void leakshim_init(void)
{
    ls_guard_enter();
    if (ls_real_init() != 0) {
        ls_log(LS_LOG_ERROR, "cannot find the C library's malloc; nothing is tracked");
        ls_guard_leave();
        return;
    }
    ls_log_keep_stderr();
    ls_config_load();
    ls_track_start_sampling(ls_cfg.sample_bytes);
    ls_report_load_filters();
    ls_module_init();
    ls_stack_init();
    ls_gostack_init();
    // Not pthread_atfork(): it registers under our DSO handle, and glibc drops those
    // handlers when our destructors run, before the exit report. A fork from another
    // thread during the report would then copy our locks held into a child that hangs.
    __register_atfork(before_fork, after_fork_parent, after_fork_child, NULL);
    if (at_quick_exit(write_quick_exit_report) != 0)
        ls_log(LS_LOG_WARN, "cannot register for quick_exit(); it will write no report");
    ls_snapshot_start();
    ls_log(LS_LOG_DEBUG, "tracking pid %d (%s)", (int)getpid(), ls_module_program_path());
    ls_guard_leave();
}
