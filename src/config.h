/* SPDX-License-Identifier: MIT
 *
 * config.h - the LEAKSHIM_* environment, parsed once at start-up.
 */
#ifndef LS_CONFIG_H
#define LS_CONFIG_H

#include <limits.h>

#define LS_MAX_DEPTH     256
#define LS_DEFAULT_DEPTH 32

enum ls_format { LS_FORMAT_TEXT, LS_FORMAT_JSON, LS_FORMAT_PPROF, LS_FORMAT_FOLDED, LS_N_FORMATS };
#define LS_FORMAT_BIT(f) (1u << (f))

/* Which reports run the reachability scan. */
enum ls_scan_when { LS_SCAN_EXIT, LS_SCAN_ALL, LS_SCAN_NONE };

/* A set of enum ls_kind values (scan.h), one bit each. */
#define LS_KIND_BIT(k)        (1u << (k))
#define LS_DEFAULT_LEAK_KINDS (LS_KIND_BIT(0) | LS_KIND_BIT(1)) /* definite, indirect */
#define LS_DEFAULT_SHOW_KINDS (LS_KIND_BIT(0) | LS_KIND_BIT(1) | LS_KIND_BIT(2)) /* + possible */

struct ls_config {
    char output_path[PATH_MAX]; /* "" means stderr */
    unsigned formats;           /* LS_FORMAT_BIT set: every report is written once per format */
    int exit_code;              /* -1: unset */
    int snapshot_signal;        /* 0: disabled */
    int max_depth;
    int is_verbose;
    unsigned leak_kinds; /* count as leaked: leaked_*, the exit code */
    unsigned show_kinds; /* listed in the report (the leak kinds always are) */
    enum ls_scan_when scan;
    unsigned long long min_bytes;     /* smaller groups are left out */
    char suppressions_path[PATH_MAX]; /* "" when none */
    char baseline_path[PATH_MAX];     /* "" when none */
    unsigned long long interval_ms;   /* LEAKSHIM_INTERVAL: a snapshot this often; 0 = off */
    char timeline_path[PATH_MAX];     /* "" when no timeline is kept */
    unsigned long long timeline_ms;   /* a timeline row this often */
    unsigned long long sample_bytes;  /* LEAKSHIM_SAMPLE: mean bytes between samples; 0 = exact */
    char start_dir[PATH_MAX];         /* where the process started, '%' doubled; "" unknown */
};

/*
 * Reads every LEAKSHIM_* variable into a fresh config. A bad value logs one warning naming
 * the variable and keeps that setting's default. getenv_fn lets unit tests feed values;
 * pass NULL for the real environment.
 */
void ls_config_parse(struct ls_config *cfg, const char *(*getenv_fn)(const char *name));

/* The process-wide config, filled by ls_config_load() in the shim's constructor. */
extern struct ls_config ls_cfg;

/* Parses the real environment into ls_cfg; called once, before any report. */
void ls_config_load(void);

/* Parses a signal name ("USR2", "SIGUSR2", "RTMIN+3") or number; 0 for "0"/"none",
 * -1 when the text names no signal a handler can catch. */
int ls_config_parse_signal(const char *text);

/* Parses "definite,indirect,..." or "all" into a kind set; -1 when a word is none of
 * definite, indirect, possible, reachable, or the list is empty. */
int ls_config_parse_kinds(const char *text);

/* Parses a comma list of format names (text, json, pprof, folded) into a set of
 * LS_FORMAT_BIT; -1 when a word is none of them. */
int ls_config_parse_formats(const char *text);

/* Parses a duration: a whole number with ms, s, m or h after it (seconds without), from
 * 10 ms (a shorter period would mostly measure the shim) to 168 h; -1 otherwise. */
long long ls_config_parse_duration(const char *text);

/* LEAKSHIM_SAMPLE's range: a whole number of bytes from 1 to 2^40. */
#define LS_SAMPLE_MAX (1ull << 40)

/* Parses a LEAKSHIM_SAMPLE value (a whole number of bytes from 1 to LS_SAMPLE_MAX);
 * -1 otherwise. */
long long ls_config_parse_sample(const char *text);

/* The name of format f in LEAKSHIM_FORMAT ("text"...), and its file extension ("txt"...). */
const char *ls_config_format_name(int f);
const char *ls_config_format_ext(int f);

/* The name of kind k in reports and settings ("definite"...; "unscanned"). */
const char *ls_config_kind_name(int k);

#endif
