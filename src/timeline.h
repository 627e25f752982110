/* SPDX-License-Identifier: MIT
 *
 * timeline.h - live bytes and blocks over time: one row per LEAKSHIM_TIMELINE_PERIOD,
 * appended to LEAKSHIM_TIMELINE by the snapshot thread.
 *
 * The file is tab-separated text, one process per file ("%p" in the path):
 *   # leakshim timeline 1 pid=PID program=PATH
 *   time_unix_ms	live_bytes	live_blocks	allocations	frees
 *   1733333333000	1024	3	10	7
 */
#ifndef LS_TIMELINE_H
#define LS_TIMELINE_H

#include <stdbool.h>

/* Whether a timeline is kept (LEAKSHIM_TIMELINE, or LEAKSHIM_INTERVAL's default). */
bool ls_timeline_enabled(void);

/* Appends one row, opening the file on first use; a file that cannot be opened or
 * written is said once on stderr and the timeline stops. Guard held. */
void ls_timeline_tick(void);

/* The last row, after the exit report: no row follows it. Guard held. */
void ls_timeline_finish(void);

/* In a fork child: the parent's file is the parent's; the child opens its own. */
void ls_timeline_after_fork_child(void);

#endif
