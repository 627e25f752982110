/* SPDX-License-Identifier: MIT
 *
 * proc_util.h - small helpers shared by the proc_* preload test programs.
 *
 * None of them allocates: the programs' reports must hold only the blocks the tests
 * leak on purpose, so output goes through write(2), never stdio.
 */
#ifndef PROC_UTIL_H
#define PROC_UTIL_H

#include <stddef.h>

/* Writes s to fd with write(2), retrying short writes. */
void proc_write_str(int fd, const char *s);

/* Writes "key=value\n" to fd. */
void proc_write_kv(int fd, const char *key, long value);

/* Formats value in decimal into buf (at least 24 bytes); returns buf. */
char *proc_format_long(char *buf, long value);

/* Parses a whole decimal number; exits with status 64 on anything else. */
long proc_parse_long(const char *s);

/* Expands "%p" to pid and "%n" to seq in pattern, as LEAKSHIM_OUTPUT does, into out. */
void proc_expand_path(char *out, size_t len, const char *pattern, long pid, int seq);

/* Sleeps for ms milliseconds, resuming after signals. */
void proc_sleep_ms(long ms);

/* Waits until path exists, polling every 10 ms. Returns 0, or -1 after timeout_ms. */
int proc_wait_for_file(const char *path, long timeout_ms);

/* Keeps p reachable in a global array so that no compiler reasons the block away.
 * Not thread-safe: the programs leak from one thread at a time. */
void proc_keep(void *p);

/* Returns n from another translation unit, so a loop bounded by it is not unrolled into
 * several call sites (each its own stack) for the checks to count as one. */
int proc_opaque(int n);

/* Exits with status after writing "proc: <why>\n" to stderr. */
void proc_die(int status, const char *why) __attribute__((noreturn));

#endif /* PROC_UTIL_H */
