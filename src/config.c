/* SPDX-License-Identifier: MIT
 *
 * config.c - LEAKSHIM_* variables into struct ls_config.
 *
 * Parsed strictly: a value is accepted only in the forms docs/configuration.md lists.
 * Anything else gets one warning and the default, and the program runs on unchanged.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "scan.h"

#define DEFAULTS                                                                               \
    {                                                                                          \
        .formats = LS_FORMAT_BIT(LS_FORMAT_TEXT), .exit_code = -1, .snapshot_signal = SIGUSR2, \
        .max_depth = LS_DEFAULT_DEPTH, .leak_kinds = LS_DEFAULT_LEAK_KINDS,                    \
        .show_kinds = LS_DEFAULT_SHOW_KINDS, .scan = LS_SCAN_EXIT,                             \
    }

struct ls_config ls_cfg = DEFAULTS;

/* Each parser returns 0 and stores the value, or -1 and leaves the default in place. */
typedef int (*ls_parse_fn)(const char *raw, void *field);

struct ls_setting {
    const char *name;
    ls_parse_fn parse;
    size_t offset;
    const char *expected; /* for the warning: what would have been accepted */
    const char *fallback; /* parsed instead of a bad value; NULL: the default stays */
};

/* Accepts a whole decimal number in [lo, hi] and nothing else (no sign games, no tail). */
static int parse_int_in(const char *raw, long lo, long hi, int *out)
{
    char *end;

    if (*raw == '\0' || *raw == ' ' || *raw == '+')
        return -1;
    errno = 0;
    long v = strtol(raw, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_path(const char *raw, void *field)
{
    if (*raw == '\0' || strlen(raw) >= PATH_MAX - 64) // room for the temporary suffix
        return -1;
    strcpy(field, raw);
    return 0;
}

static const char *const format_names[LS_N_FORMATS][2] = {
    [LS_FORMAT_TEXT] = {"text", "txt"},
    [LS_FORMAT_JSON] = {"json", "json"},
    [LS_FORMAT_PPROF] = {"pprof", "pb.gz"},
    [LS_FORMAT_FOLDED] = {"folded", "folded"},
};

const char *ls_config_format_name(int f)
{
    return f >= 0 && f < LS_N_FORMATS ? format_names[f][0] : "?";
}

const char *ls_config_format_ext(int f)
{
    return f >= 0 && f < LS_N_FORMATS ? format_names[f][1] : "out";
}

int ls_config_parse_formats(const char *raw)
{
    unsigned set = 0;

    for (const char *p = raw;; p++) {
        size_t len = strcspn(p, ",");
        int f = 0;
        while (f < LS_N_FORMATS &&
               (strlen(format_names[f][0]) != len || strncmp(p, format_names[f][0], len) != 0))
            f++;
        if (f == LS_N_FORMATS)
            return -1;
        set |= LS_FORMAT_BIT(f);
        p += len;
        if (*p == '\0')
            return (int)set;
    }
}

static int parse_formats(const char *raw, void *field)
{
    int set = ls_config_parse_formats(raw);

    if (set < 0)
        return -1;
    *(unsigned *)field = (unsigned)set;
    return 0;
}

long long ls_config_parse_duration(const char *raw)
{
    static const struct {
        const char *unit;
        unsigned long long ms;
    } units[] = {{"ms", 1}, {"s", 1000}, {"", 1000}, {"m", 60000}, {"h", 3600000}};
    char *end;

    if (*raw < '0' || *raw > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(raw, &end, 10);
    for (size_t i = 0; errno == 0 && v <= 604800000ull && i < sizeof(units) / sizeof(units[0]);
         i++) {
        unsigned long long ms = v * units[i].ms;
        if (strcmp(end, units[i].unit) == 0 && ms >= 10 && ms <= 604800000ull)
            return (long long)ms;
    }
    return -1;
}

static int parse_duration(const char *raw, void *field)
{
    long long ms = ls_config_parse_duration(raw);

    if (ms < 0)
        return -1;
    *(unsigned long long *)field = (unsigned long long)ms;
    return 0;
}

static int parse_status(const char *raw, void *field)
{
    return parse_int_in(raw, 0, 255, field);
}

static int parse_depth(const char *raw, void *field)
{
    return parse_int_in(raw, 1, LS_MAX_DEPTH, field);
}

static int parse_flag(const char *raw, void *field)
{
    return parse_int_in(raw, 0, 1, field);
}

static int parse_signal(const char *raw, void *field)
{
    int sig = ls_config_parse_signal(raw);

    if (sig < 0)
        return -1;
    *(int *)field = sig;
    return 0;
}

static const char *const kind_names[LS_N_KINDS] = {
    [LS_KIND_DEFINITE] = "definite",   [LS_KIND_INDIRECT] = "indirect",
    [LS_KIND_POSSIBLE] = "possible",   [LS_KIND_REACHABLE] = "reachable",
    [LS_KIND_UNSCANNED] = "unscanned",
};

const char *ls_config_kind_name(int k)
{
    return k >= 0 && k < LS_N_KINDS ? kind_names[k] : "?";
}

/* One word of a kind list, [p, p + len): its bit, or 0. */
static unsigned kind_word(const char *p, size_t len)
{
    if (len == 3 && strncmp(p, "all", 3) == 0)
        return LS_KIND_BIT(LS_KIND_DEFINITE) | LS_KIND_BIT(LS_KIND_INDIRECT) |
               LS_KIND_BIT(LS_KIND_POSSIBLE) | LS_KIND_BIT(LS_KIND_REACHABLE);
    for (int k = 0; k < LS_KIND_UNSCANNED; k++) {
        if (strlen(kind_names[k]) == len && strncmp(p, kind_names[k], len) == 0)
            return LS_KIND_BIT(k);
    }
    return 0;
}

int ls_config_parse_kinds(const char *text)
{
    unsigned set = 0;

    for (const char *p = text;; p++) {
        size_t len = strcspn(p, ",");
        unsigned bit = kind_word(p, len);
        if (bit == 0)
            return -1;
        set |= bit;
        p += len;
        if (*p == '\0')
            return (int)set;
    }
}

static int parse_kinds(const char *raw, void *field)
{
    int set = ls_config_parse_kinds(raw);

    if (set < 0)
        return -1;
    *(unsigned *)field = (unsigned)set;
    return 0;
}

static int parse_scan(const char *raw, void *field)
{
    static const char *const names[] = {
        [LS_SCAN_EXIT] = "exit", [LS_SCAN_ALL] = "all", [LS_SCAN_NONE] = "none"};

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(raw, names[i]) == 0) {
            *(enum ls_scan_when *)field = (enum ls_scan_when)i;
            return 0;
        }
    }
    return -1;
}

static int parse_bytes(const char *raw, void *field)
{
    char *end;

    if (*raw < '0' || *raw > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(raw, &end, 10);
    if (errno != 0 || *end != '\0' || v > (1ull << 63))
        return -1;
    *(unsigned long long *)field = v;
    return 0;
}

long long ls_config_parse_sample(const char *raw)
{
    unsigned long long v;

    if (parse_bytes(raw, &v) != 0 || v < 1 || v > LS_SAMPLE_MAX)
        return -1;
    return (long long)v;
}

static int parse_sample(const char *raw, void *field)
{
    long long v = ls_config_parse_sample(raw);

    if (v < 0)
        return -1;
    *(unsigned long long *)field = (unsigned long long)v;
    return 0;
}

static const struct ls_setting settings[] = {
    {"LEAKSHIM_VERBOSE", parse_flag, offsetof(struct ls_config, is_verbose), "0 or 1", NULL},
    {"LEAKSHIM_OUTPUT", parse_path, offsetof(struct ls_config, output_path),
     "a path, not empty and under 4032 bytes", NULL},
    {"LEAKSHIM_FORMAT", parse_formats, offsetof(struct ls_config, formats),
     "a comma list of text, json, pprof, folded", NULL},
    // A typo must not switch a CI gate off: a bad value still fails a leaking run.
    {"LEAKSHIM_EXITCODE", parse_status, offsetof(struct ls_config, exit_code),
     "a whole number from 0 to 255", "1"},
    {"LEAKSHIM_SIGNAL", parse_signal, offsetof(struct ls_config, snapshot_signal),
     "a signal name or number (not KILL, STOP or a fault signal such as SEGV), or none", NULL},
    {"LEAKSHIM_DEPTH", parse_depth, offsetof(struct ls_config, max_depth),
     "a whole number from 1 to 256", NULL},
    {"LEAKSHIM_LEAK_KINDS", parse_kinds, offsetof(struct ls_config, leak_kinds),
     "a comma list of definite, indirect, possible, reachable, or all", NULL},
    {"LEAKSHIM_SHOW_KINDS", parse_kinds, offsetof(struct ls_config, show_kinds),
     "a comma list of definite, indirect, possible, reachable, or all", NULL},
    {"LEAKSHIM_SCAN", parse_scan, offsetof(struct ls_config, scan), "exit, all or none", NULL},
    {"LEAKSHIM_MIN_BYTES", parse_bytes, offsetof(struct ls_config, min_bytes),
     "a whole number of bytes from 0 to 2^63", NULL},
    {"LEAKSHIM_SUPPRESSIONS", parse_path, offsetof(struct ls_config, suppressions_path),
     "a path, not empty and under 4032 bytes", NULL},
    {"LEAKSHIM_BASELINE", parse_path, offsetof(struct ls_config, baseline_path),
     "a path, not empty and under 4032 bytes", NULL},
    {"LEAKSHIM_INTERVAL", parse_duration, offsetof(struct ls_config, interval_ms),
     "a duration from 10ms to 168h (e.g. 500ms, 30s, 5m)", NULL},
    {"LEAKSHIM_TIMELINE", parse_path, offsetof(struct ls_config, timeline_path),
     "a path, not empty and under 4032 bytes", NULL},
    {"LEAKSHIM_TIMELINE_PERIOD", parse_duration, offsetof(struct ls_config, timeline_ms),
     "a duration from 10ms to 168h (e.g. 100ms, 1s)", NULL},
    {"LEAKSHIM_SAMPLE", parse_sample, offsetof(struct ls_config, sample_bytes),
     "a whole number of bytes from 1 to 2^40 (e.g. 524288)", NULL},
};

static const struct {
    const char *name;
    int sig;
} signal_names[] = {
    {"HUP", SIGHUP},       {"INT", SIGINT},   {"QUIT", SIGQUIT},   {"USR1", SIGUSR1},
    {"USR2", SIGUSR2},     {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},   {"TERM", SIGTERM},
    {"CHLD", SIGCHLD},     {"CONT", SIGCONT}, {"TSTP", SIGTSTP},   {"TTIN", SIGTTIN},
    {"TTOU", SIGTTOU},     {"URG", SIGURG},   {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ},
    {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"IO", SIGIO},
    {"PWR", SIGPWR},       {"SYS", SIGSYS},
};

/* "RTMIN+n" / "RTMAX-n" -> the real-time signal, or -1. */
static int parse_rt_signal(const char *name)
{
    int n = 0;

    if (strncasecmp(name, "RTMIN", 5) == 0) {
        if (name[5] != '\0' && (name[5] != '+' || parse_int_in(name + 6, 0, 64, &n) != 0))
            return -1;
        return SIGRTMIN + n <= SIGRTMAX ? SIGRTMIN + n : -1;
    }
    if (strncasecmp(name, "RTMAX", 5) == 0) {
        if (name[5] != '\0' && (name[5] != '-' || parse_int_in(name + 6, 0, 64, &n) != 0))
            return -1;
        return SIGRTMAX - n >= SIGRTMIN ? SIGRTMAX - n : -1;
    }
    return -1;
}

/* Signals that cannot be caught, or that report a fault: a handler that returns from
 * SIGSEGV re-runs the faulting instruction forever instead of letting the program die. */
static bool is_refused(int sig)
{
    return sig == SIGKILL || sig == SIGSTOP || sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
           sig == SIGFPE || sig == SIGTRAP || sig == SIGABRT;
}

int ls_config_parse_signal(const char *text)
{
    int sig;

    if (strcmp(text, "0") == 0 || strcasecmp(text, "none") == 0)
        return 0;
    if (parse_int_in(text, 1, SIGRTMAX, &sig) == 0)
        return is_refused(sig) ? -1 : sig;

    const char *name = strncasecmp(text, "SIG", 3) == 0 ? text + 3 : text;
    for (size_t i = 0; i < sizeof(signal_names) / sizeof(signal_names[0]); i++) {
        if (strcasecmp(name, signal_names[i].name) == 0)
            return signal_names[i].sig;
    }
    return parse_rt_signal(name);
}

static const char *real_getenv(const char *name)
{
    return getenv(name);
}

/* With LEAKSHIM_INTERVAL and no LEAKSHIM_TIMELINE, the timeline goes beside the reports
 * (in the start directory when they go to a stream), one file per process; its row period
 * defaults to a tenth of the interval, between 10 ms and 1 s. */
static void default_timeline(struct ls_config *cfg)
{
    static const char name[] = "leakshim.%p.timeline.tsv";
    const char *out = cfg->output_path;
    const char *slash = strrchr(out, '/');

    if (cfg->timeline_ms == 0) {
        unsigned long long ms = cfg->interval_ms != 0 ? cfg->interval_ms / 10 : 1000;
        cfg->timeline_ms = ms < 10 ? 10 : ms > 1000 ? 1000 : ms;
    }
    if (cfg->interval_ms == 0 || cfg->timeline_path[0] != '\0')
        return;
    if (slash == NULL || strncmp(out, "/dev/", 5) == 0)
        strcpy(cfg->timeline_path, name);
    else
        snprintf(cfg->timeline_path, sizeof(cfg->timeline_path), "%.*s/%s", (int)(slash - out), out,
                 name);
}

void ls_config_parse(struct ls_config *cfg, const char *(*getenv_fn)(const char *name))
{
    if (getenv_fn == NULL)
        getenv_fn = real_getenv;

    *cfg = (struct ls_config)DEFAULTS;
    for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
        const struct ls_setting *s = &settings[i];
        const char *raw = getenv_fn(s->name);

        if (raw == NULL)
            continue;
        if (s->parse(raw, (char *)cfg + s->offset) != 0) {
            if (s->fallback != NULL && s->parse(s->fallback, (char *)cfg + s->offset) == 0)
                ls_log(LS_LOG_WARN, "%s=\"%.200s\" is not %s; using %s", s->name, raw, s->expected,
                       s->fallback);
            else
                ls_log(LS_LOG_WARN, "%s=\"%.200s\" is not %s; using the default", s->name, raw,
                       s->expected);
        }
        if (s->parse == parse_flag)
            ls_log_set_verbose(cfg->is_verbose);
    }
    default_timeline(cfg);
    // Unsampled blocks are not scanned, so a sampled block that only they point to would
    // look lost: with sampling, no report is classified unless LEAKSHIM_SCAN says so.
    const char *scan = getenv_fn("LEAKSHIM_SCAN");
    enum ls_scan_when when;
    if (cfg->sample_bytes != 0 && (scan == NULL || parse_scan(scan, &when) != 0))
        cfg->scan = LS_SCAN_NONE;
}

/* Files are written later, maybe after the program changed directory: a relative path
 * means the directory the process started in. Its name is put in front, each '%' in it
 * doubled so that it is not expanded. When that directory cannot be named (deleted, or
 * too long a path), a file written later could only land wherever the program is then:
 * the path is dropped instead (what then happens, instead, says), said on one line. */
/* The directory the process started in, as a path template: each '%' doubled so that it
 * is not expanded. Returns 0, or -1 (with the reason in errno) when it has no name or
 * does not fit. */
static int start_dir_template(char *out, size_t len)
{
    char cwd[PATH_MAX];
    size_t n = 0;

    if (getcwd(cwd, sizeof(cwd)) == NULL)
        return -1;
    if (cwd[0] != '/') { // "(unreachable)/...": outside our root
        errno = ENOENT;
        return -1;
    }
    for (const char *c = cwd; *c != '\0'; c++) {
        if (n + 3 > len) {
            errno = ENAMETOOLONG;
            return -1;
        }
        out[n++] = *c;
        if (*c == '%')
            out[n++] = '%';
    }
    out[n] = '\0';
    return 0;
}

/* Files are written later, maybe after the program changed directory: a relative path
 * means the directory the process started in (start_dir). When that directory cannot be
 * named (deleted, or too long a path), a file written later could only land wherever the
 * program is then: the path is dropped instead (what then happens, instead, says), said
 * on one line. */
static void anchor_path(char *path, const char *start_dir, const char *name, const char *instead)
{
    size_t len = strlen(path), dir_len = strlen(start_dir);

    if (len == 0 || path[0] == '/' || strcmp(path, "-") == 0)
        return;
    if (dir_len == 0) {
        ls_log(LS_LOG_WARN,
               "%s=\"%.200s\" is relative, but the directory the process started in has no "
               "name (%s); %s",
               name, path, strerror(errno), instead);
        path[0] = '\0';
        return;
    }
    if (dir_len + 1 + len >= PATH_MAX - 64) { // what parse_path allows
        ls_log(LS_LOG_WARN,
               "%s=\"%.200s\" is relative, and with the directory the process started in it "
               "is not under 4032 bytes; %s",
               name, path, instead);
        path[0] = '\0';
        return;
    }
    memmove(path + dir_len + 1, path, len + 1);
    memcpy(path, start_dir, dir_len);
    path[dir_len] = '/';
}

void ls_config_load(void)
{
    ls_config_parse(&ls_cfg, NULL);
    if (start_dir_template(ls_cfg.start_dir, sizeof(ls_cfg.start_dir)) != 0)
        ls_cfg.start_dir[0] = '\0'; // errno says why, for anchor_path's message
    int err = errno;
    anchor_path(ls_cfg.output_path, ls_cfg.start_dir, "LEAKSHIM_OUTPUT", "reports go to stderr");
    errno = err;
    anchor_path(ls_cfg.timeline_path, ls_cfg.start_dir, "LEAKSHIM_TIMELINE",
                "no timeline is written");
}
