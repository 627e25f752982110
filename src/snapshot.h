/* SPDX-License-Identifier: MIT
 *
 * snapshot.h - the snapshot signal: a handler that only wakes a thread, and the thread
 * that writes the report.
 */
#ifndef LS_SNAPSHOT_H
#define LS_SNAPSHOT_H

#include <stdbool.h>
#include <sys/types.h>

/* Installs the handler for LEAKSHIM_SIGNAL and starts the snapshot thread. */
void ls_snapshot_start(void);

/* From now on a signal writes nothing: the exit report has the last word. Waits for a
 * snapshot being written to finish, and writes one still pending. Guard held. */
void ls_snapshot_stop(void);

/* Fork support: held across fork (before the report lock); the child re-creates it. */
void ls_snapshot_lock(void);
void ls_snapshot_unlock(void);

/* True when sig is the snapshot signal and leakshim still handles it. */
bool ls_snapshot_owns(int sig);

/* The program sets its own disposition for the snapshot signal: step aside, say so. */
void ls_snapshot_yield(int sig);

/* Ends the snapshot thread, for calls that need a single-threaded process
 * (unshare(CLONE_NEWUSER)); true when there was one, to be restarted with
 * ls_snapshot_resume(). Signals arriving meanwhile are kept for the new thread. */
bool ls_snapshot_pause(void);
void ls_snapshot_resume(void);

/* In a fork child: the thread did not survive; restart it at the child's next
 * allocation, so a child that only execs never starts one. */
void ls_snapshot_after_fork_child(void);

/* The snapshot thread's tid (0 before it first ran): the shim's, never stopped. */
pid_t ls_snapshot_tid(void);

#endif
