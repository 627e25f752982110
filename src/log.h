/* SPDX-License-Identifier: MIT
 *
 * log.h - messages to stderr, one line each, for things the user should know.
 */
#ifndef LS_LOG_H
#define LS_LOG_H

#include <stdatomic.h>

enum ls_log_level { LS_LOG_ERROR, LS_LOG_WARN, LS_LOG_DEBUG };

/*
 * Formats "leakshim: <message>\n" into a stack buffer and emits it with one write(2) on
 * fd 2: no stdio, so threads never interleave and no FILE lock is taken. DEBUG lines
 * appear only with LEAKSHIM_VERBOSE=1. Not for signal handlers. Preserves errno.
 */
void ls_log(enum ls_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Keeps a close-on-exec copy of stderr, at a high descriptor number, from start-up:
 * programs built on gnulib close stderr in an exit handler, before the exit report.
 */
void ls_log_keep_stderr(void);

/* fd 2 while it is open, else the copy kept at start-up (if it still names the same
 * file), else 2. */
int ls_log_stderr_fd(void);

/* Turns DEBUG lines on or off; config calls it once at start-up. */
void ls_log_set_verbose(int is_verbose);

/* Logs at most once per call site, for causes that can repeat (a failing output path). */
#define ls_log_once(level, ...)                         \
    do {                                                \
        static atomic_flag ls_said_ = ATOMIC_FLAG_INIT; \
        if (!atomic_flag_test_and_set(&ls_said_))       \
            ls_log(level, __VA_ARGS__);                 \
    } while (0)

#endif
