/* SPDX-License-Identifier: MIT
 *
 * report_output.c - where each format of a report goes, and writing them all from one
 * view of the table.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "log.h"
#include "output.h"
#include "report.h"

static bool is_pending(int sig)
{
    sigset_t pending;

    return sigpending(&pending) == 0 && sigismember(&pending, sig) == 1;
}

static int n_formats(void)
{
    return __builtin_popcount(ls_cfg.formats);
}

/* A binary profile bound for a terminal goes to a file in the start directory instead,
 * said once; NULL when that directory has no name (the profile is then not written). */
static const char *pprof_instead_of_tty(char *buf, size_t len)
{
    static bool said;
    int n = snprintf(buf, len, "%s/leakshim.%%p.%%n.%%e", ls_cfg.start_dir);

    if (ls_cfg.start_dir[0] == '\0' || n < 0 || (size_t)n >= len)
        return NULL;
    if (!said)
        ls_log(LS_LOG_WARN,
               "pprof output is binary: not written to a terminal, but to "
               "%s/leakshim.%d.<n>.pb.gz",
               ls_cfg.start_dir, (int)getpid());
    said = true;
    return buf;
}

/* Where format f goes: LEAKSHIM_OUTPUT as it is for one format. With several, a file
 * path without %e gets each format's extension added, and a stream gets them in turn. */
static const char *output_template(int f, char *buf, size_t len)
{
    const char *tmpl = ls_cfg.output_path;

    if (f == LS_FORMAT_PPROF && ls_output_is_stream(tmpl)) {
        int fd = strcmp(tmpl, "/dev/stdout") == 0 ? STDOUT_FILENO : ls_log_stderr_fd();
        const char *file = isatty(fd) ? pprof_instead_of_tty(buf, len) : NULL;
        if (file != NULL)
            return file;
    }
    if (n_formats() == 1 || ls_output_is_stream(tmpl) || strstr(tmpl, "%e") != NULL ||
        strncmp(tmpl, "/dev/", 5) == 0)
        return tmpl;
    size_t n = strlen(tmpl); // under PATH_MAX - 64 (config.c): room for ".%e"
    if (n + sizeof(".%e") > len)
        return tmpl;
    memcpy(buf, tmpl, n);
    memcpy(buf + n, ".%e", sizeof(".%e"));
    return buf;
}

/* Whether out would put a binary format on a terminal: never (said once). */
static bool refuses_tty(int f, const struct ls_output *out)
{
    static bool said;

    if (f != LS_FORMAT_PPROF || out->fd < 0 || out->path[0] != '\0' || !isatty(out->fd))
        return false;
    if (!said)
        ls_log(LS_LOG_WARN, "pprof output is binary: not written to a terminal; give "
                            "LEAKSHIM_OUTPUT a file");
    said = true;
    return true;
}

static int write_format(struct ls_writer *w, const struct ls_report *r, int f)
{
    static void (*const writers[LS_N_FORMATS])(struct ls_writer *, const struct ls_report *) = {
        [LS_FORMAT_TEXT] = ls_report_write_text,
        [LS_FORMAT_JSON] = ls_report_write_json,
        [LS_FORMAT_PPROF] = ls_report_write_pprof,
        [LS_FORMAT_FOLDED] = ls_report_write_folded,
    };
    char buf[PATH_MAX];
    struct ls_output out;

    // An interval snapshot that cannot be written where asked is skipped, not sent to
    // stderr: one every interval would bury the program's own output.
    ls_output_open(&out, output_template(f, buf, sizeof(buf)), r->sequence, ls_config_format_ext(f),
                   r->reason != LS_REASON_INTERVAL);
    if (out.fd < 0 || refuses_tty(f, &out))
        return -1;
    ls_writer_init(w, out.fd);
    writers[f](w, r);
    ls_writer_flush(w);
    return ls_output_close(&out, w->error);
}

int ls_report_write_out(const struct ls_report *r)
{
    struct ls_writer *w = ls_arena_alloc(sizeof(*w)); // too big for a small thread stack
    int rc = 0;

    if (w == NULL)
        return -1;
    sigset_t pipe_only, old_mask;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    // A closed pipe must cost the report, not the program: SIGPIPE stays blocked while
    // writing, and one this write raised is taken back before the mask is restored.
    pthread_sigmask(SIG_BLOCK, &pipe_only, &old_mask);
    bool was_pending = is_pending(SIGPIPE);

    for (int f = 0; f < LS_N_FORMATS; f++) {
        if (ls_cfg.formats & LS_FORMAT_BIT(f))
            rc |= write_format(w, r, f);
    }

    if (!was_pending && is_pending(SIGPIPE))
        sigtimedwait(&pipe_only, NULL, &(struct timespec){0, 0});
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    ls_arena_free(w, sizeof(*w));
    return rc;
}
