/* SPDX-License-Identifier: MIT
 *
 * leakshim.c - the `leakshim` command: turns its options into LEAKSHIM_* variables, puts
 * libleakshim.so in front of LD_PRELOAD and execs the program in its place.
 *
 * exec keeps the pid, so `kill -USR2 <pid>` reaches the traced program, and "%p" in the
 * report path is the pid this command printed. Option values are checked here, with the
 * shim's own parsers, so a typo stops the run at once instead of becoming a default.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd_baseline.h"
#include "cmd_diff.h"
#include "cmd_report.h"
#include "config.h" /* the shim's own parsers, so both accept exactly the same values */
#include "options.h"

#define LS_LIB_NAME "libleakshim.so"

/* Exit statuses as in a shell and env(1): 2 for usage, 126 when the program is found but
 * cannot run, 127 when it or the library is not found (or the environment cannot be set). */
enum { EXIT_USAGE = 2, EXIT_CANNOT_EXEC = 126, EXIT_NOT_FOUND = 127 };

struct cli_options {
    const char *output;
    const char *format; /* NULL: not given */
    const char *exit_code;
    const char *signal;
    const char *depth;
    int is_verbose;
    const char *suppressions; /* made absolute: children may run elsewhere */
    const char *baseline;
    const char *min_bytes;
    const char *leak_kinds;
    const char *show_kinds;
    const char *scan;
    const char *interval;
    const char *timeline;
    const char *sample;
};

/* Options with no short form. */
enum { OPT_SHOW_KINDS = 256, OPT_SCAN, OPT_TIMELINE, OPT_SAMPLE };

static void usage(FILE *out)
{
    fputs("usage: leakshim [options] [--] program [args...]\n"
          "       leakshim baseline [-o FILE] REPORT.json\n"
          "       leakshim diff [-f text|json|pprof] [-o FILE] [-n N] OLD NEW\n"
          "       leakshim report [-o FILE.html] [--timeline FILE] SNAPSHOT...\n"
          "Runs program with libleakshim.so preloaded; its live heap blocks are\n"
          "reported at exit and on each snapshot signal (kill -USR2 <pid>).\n"
          "\n"
          "  -o, --output PATH    report path; %p = pid, %n = report number, %e = the\n"
          "                       format's extension, %% = % (default: $LEAKSHIM_OUTPUT,\n"
          "                       else ./leakshim.%p.%n.%e)\n"
          "  -f, --format LIST    a comma list of text, json, pprof (gzipped profile.proto\n"
          "                       for go tool pprof), folded (flame graphs); several\n"
          "                       formats write one file each (default: text)\n"
          "  -i, --interval DURATION\n"
          "                       also write a snapshot this often (500ms, 30s, 5m) and\n"
          "                       keep a timeline of live bytes\n"
          "      --timeline PATH  the timeline file (default with -i: beside the reports,\n"
          "                       leakshim.%p.timeline.tsv)\n"
          "  -e, --exit-code N    exit with status N (0-255) if anything leaked\n"
          "  -s, --signal SIG     snapshot signal, e.g. USR1, RTMIN+3; none disables\n"
          "  -d, --depth N        frames kept per stack, 1 to 256 (default: 32)\n"
          "  -S, --suppressions FILE\n"
          "                       stacks not counted as leaks, one pattern a line\n"
          "  -b, --baseline FILE  count only leaks new or grown beyond this baseline\n"
          "  -m, --min-bytes N    leave out groups (stack and kind) under N bytes\n"
          "  -k, --leak-kinds LIST\n"
          "                       kinds that count as leaked: all, or a comma list of\n"
          "                       definite, indirect, possible, reachable\n"
          "                       (default: definite,indirect)\n"
          "      --show-kinds LIST\n"
          "                       kinds listed in the report, as for -k\n"
          "                       (default: definite,indirect,possible)\n"
          "      --scan WHEN      when blocks are classified: exit, all (snapshots\n"
          "                       too) or none (default: exit; none with --sample)\n"
          "      --sample BYTES   record a block with probability 1 - exp(-size/BYTES)\n"
          "                       and report estimates (for production; 524288 is Go's\n"
          "                       rate); default: every block\n"
          "  -v, --verbose        debug lines on stderr\n"
          "  -h, --help           show this help\n"
          "  -V, --version        show the version\n"
          "\n"
          "Each option sets its LEAKSHIM_* variable (-e sets LEAKSHIM_EXITCODE); see\n"
          "docs/configuration.md. LEAKSHIM_LIBRARY overrides where the library is.\n"
          "leakshim baseline writes the leaks of a JSON report as a baseline file for\n"
          "-b (see leakshim baseline --help); leakshim -- baseline runs a program of\n"
          "that name. leakshim report writes snapshots and a timeline as one HTML page\n"
          "(see leakshim report --help). leakshim diff lists the stacks that grew\n"
          "between two snapshots (see leakshim diff --help).\n",
          out);
}

__attribute__((noreturn, format(printf, 2, 3))) static void die(int status, const char *fmt, ...)
{
    va_list ap;

    fputs("leakshim: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (status == EXIT_USAGE)
        fputs("Try 'leakshim --help' for more information.\n", stderr);
    exit(status);
}

/* A comma-separated list of block kinds, "all" standing for the four of them. */
static int is_kind_list(const char *list)
{
    static const char *const words[] = {"definite", "indirect", "possible", "reachable", "all"};
    const size_t n_words = sizeof(words) / sizeof(words[0]);

    // TODO: call ls_config_parse_kinds() (config.c) instead, so the CLI and the shim accept
    // exactly the same lists; this local parser stands in until it lands.
    for (;;) {
        size_t len = strcspn(list, ",");
        size_t i = 0;

        while (i < n_words && !(strlen(words[i]) == len && strncmp(list, words[i], len) == 0))
            i++;
        if (i == n_words)
            return 0;
        if (list[len] == '\0')
            return 1;
        list += len + 1;
    }
}

static int is_scan_time(const char *s)
{
    // TODO: use config.c's parser for LEAKSHIM_SCAN should it export one.
    return strcmp(s, "exit") == 0 || strcmp(s, "all") == 0 || strcmp(s, "none") == 0;
}

/* Stops unless *path names a readable file; makes a relative *path absolute in buf, since
 * the shim of a child that changed directory reads the file too. */
static void check_readable(const char *option, const char **path, char *buf)
{
    struct stat st;
    char cwd[PATH_MAX];
    int err = 0;

    if (stat(*path, &st) != 0 || access(*path, R_OK) != 0)
        err = errno;
    else if (S_ISDIR(st.st_mode))
        err = EISDIR;
    else if (**path != '/' && getcwd(cwd, sizeof(cwd)) == NULL)
        err = errno;
    else if (**path != '/' && snprintf(buf, PATH_MAX, "%s/%s", cwd, *path) >= PATH_MAX)
        err = ENAMETOOLONG;
    if (err != 0)
        die(EXIT_USAGE, "%s: cannot read '%s': %s", option, *path, strerror(err));
    if (**path != '/')
        *path = buf;
}

static void check_files(struct cli_options *opt)
{
    static char suppressions[PATH_MAX], baseline[PATH_MAX];

    if (opt->suppressions != NULL)
        check_readable("--suppressions", &opt->suppressions, suppressions);
    if (opt->baseline != NULL)
        check_readable("--baseline", &opt->baseline, baseline);
}

/* The leak check's options: checked here so a typo stops the run before it starts. */
static void check_leak_values(const struct cli_options *opt)
{
    if (opt->min_bytes && ls_options_parse_count(opt->min_bytes, 0, 1ULL << 63, NULL) != 0)
        die(EXIT_USAGE, "--min-bytes must be a whole number from 0 to 2^63, not '%s'",
            opt->min_bytes);
    if (opt->leak_kinds && !is_kind_list(opt->leak_kinds))
        die(EXIT_USAGE,
            "--leak-kinds must be all or a comma list of definite, indirect, possible, "
            "reachable, not '%s'",
            opt->leak_kinds);
    if (opt->show_kinds && !is_kind_list(opt->show_kinds))
        die(EXIT_USAGE,
            "--show-kinds must be all or a comma list of definite, indirect, possible, "
            "reachable, not '%s'",
            opt->show_kinds);
    if (opt->scan && !is_scan_time(opt->scan))
        die(EXIT_USAGE, "--scan must be exit, all or none, not '%s'", opt->scan);
}

static void check_values(const struct cli_options *opt)
{
    if (opt->format && ls_config_parse_formats(opt->format) < 0)
        die(EXIT_USAGE, "--format must be a comma list of text, json, pprof, folded, not '%s'",
            opt->format);
    if (opt->interval && ls_config_parse_duration(opt->interval) < 0)
        die(EXIT_USAGE,
            "--interval must be a duration from 10ms to 168h (500ms, 30s, 5m), not '%s'",
            opt->interval);
    if (opt->exit_code && ls_options_parse_count(opt->exit_code, 0, 255, NULL) != 0)
        die(EXIT_USAGE, "--exit-code must be a whole number from 0 to 255, not '%s'",
            opt->exit_code);
    if (opt->depth && ls_options_parse_count(opt->depth, 1, LS_MAX_DEPTH, NULL) != 0)
        die(EXIT_USAGE, "--depth must be a whole number from 1 to %d, not '%s'", LS_MAX_DEPTH,
            opt->depth);
    if (opt->signal && ls_config_parse_signal(opt->signal) < 0)
        die(EXIT_USAGE, "--signal must name a signal that can be caught, or none, not '%s'",
            opt->signal);
    if (opt->sample && ls_config_parse_sample(opt->sample) < 0)
        die(EXIT_USAGE, "--sample must be a whole number of bytes from 1 to 2^40, not '%s'",
            opt->sample);
}

static const struct option long_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"format", required_argument, NULL, 'f'},
    {"exit-code", required_argument, NULL, 'e'},
    {"signal", required_argument, NULL, 's'},
    {"depth", required_argument, NULL, 'd'},
    {"suppressions", required_argument, NULL, 'S'},
    {"baseline", required_argument, NULL, 'b'},
    {"min-bytes", required_argument, NULL, 'm'},
    {"leak-kinds", required_argument, NULL, 'k'},
    {"show-kinds", required_argument, NULL, OPT_SHOW_KINDS},
    {"scan", required_argument, NULL, OPT_SCAN},
    {"interval", required_argument, NULL, 'i'},
    {"timeline", required_argument, NULL, OPT_TIMELINE},
    {"sample", required_argument, NULL, OPT_SAMPLE},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* Returns the index of the program in argv. "+" stops at the first operand, so the
 * program's own options are left alone; ":" lets us word the errors ourselves. */
static int parse_options(int argc, char **argv, struct cli_options *opt)
{
    char refused[96];
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:o:f:e:s:d:S:b:m:k:i:vhV", long_options, NULL)) != -1) {
        switch (c) {
        case 'o':
            opt->output = optarg;
            break;
        case 'f':
            opt->format = optarg;
            break;
        case 'e':
            opt->exit_code = optarg;
            break;
        case 's':
            opt->signal = optarg;
            break;
        case 'd':
            opt->depth = optarg;
            break;
        case 'S':
            opt->suppressions = optarg;
            break;
        case 'b':
            opt->baseline = optarg;
            break;
        case 'm':
            opt->min_bytes = optarg;
            break;
        case 'k':
            opt->leak_kinds = optarg;
            break;
        case OPT_SHOW_KINDS:
            opt->show_kinds = optarg;
            break;
        case OPT_SCAN:
            opt->scan = optarg;
            break;
        case 'i':
            opt->interval = optarg;
            break;
        case OPT_TIMELINE:
            opt->timeline = optarg;
            break;
        case OPT_SAMPLE:
            opt->sample = optarg;
            break;
        case 'v':
            opt->is_verbose = 1;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        case 'V':
            printf("leakshim %s\n", LEAKSHIM_VERSION);
            exit(0);
        default: // ':' or '?'
            die(EXIT_USAGE, "%s", ls_options_explain(argv, c, refused, sizeof(refused)));
        }
    }
    if (optind >= argc)
        die(EXIT_USAGE, "no program to run");
    check_values(opt);
    check_leak_values(opt);
    check_files(opt);
    return optind;
}

static void set_env(const char *name, const char *value)
{
    if (value != NULL && setenv(name, value, 1) != 0)
        die(EXIT_NOT_FOUND, "cannot set %s: %s", name, strerror(errno));
}

/* Copies dir/rel, made canonical, plus "/" LS_LIB_NAME into out. Returns 0 when that
 * file exists, -1 otherwise. */
static int try_library(const char *dir, const char *rel, char *out)
{
    char joined[PATH_MAX + 64];
    char canon[PATH_MAX];

    if (snprintf(joined, sizeof(joined), "%s/%s", dir, rel) >= (int)sizeof(joined))
        return -1;
    if (realpath(joined, canon) == NULL)
        return -1;
    if (snprintf(out, PATH_MAX, "%s/%s", canon, LS_LIB_NAME) >= PATH_MAX)
        return -1;
    return access(out, R_OK);
}

/* The library sits beside the command: lib/ next to bin/ in the build tree, and the
 * install's bindir-to-libdir path once installed. */
static void find_library(char *out)
{
    const char *env = getenv("LEAKSHIM_LIBRARY");
    char exe[PATH_MAX];
    char *slash;

    if (env != NULL && *env != '\0') {
        if (access(env, R_OK) != 0)
            die(EXIT_NOT_FOUND, "LEAKSHIM_LIBRARY=%s: %s", env, strerror(errno));
        snprintf(out, PATH_MAX, "%s", env);
        return;
    }
    if (realpath("/proc/self/exe", exe) == NULL)
        die(EXIT_NOT_FOUND, "cannot find my own path: %s", strerror(errno));
    slash = strrchr(exe, '/');
    *slash = '\0';
    if (try_library(exe, "../lib", out) == 0 || try_library(exe, LS_BIN_TO_LIB, out) == 0)
        return;
    die(EXIT_NOT_FOUND, "no %s in %s/../lib or %s/%s; set LEAKSHIM_LIBRARY", LS_LIB_NAME, exe, exe,
        LS_BIN_TO_LIB);
}

/* The dynamic loader splits LD_PRELOAD at spaces and colons and cannot quote them. */
static void prepend_preload(const char *lib)
{
    const char *old = getenv("LD_PRELOAD");
    char *value;

    if (strpbrk(lib, " :") != NULL)
        die(EXIT_NOT_FOUND, "cannot preload '%s': LD_PRELOAD cannot hold spaces or colons", lib);
    if (old == NULL || old[strspn(old, " :")] == '\0') {
        set_env("LD_PRELOAD", lib);
        return;
    }
    value = malloc(strlen(lib) + strlen(old) + 2);
    if (value == NULL)
        die(EXIT_NOT_FOUND, "out of memory");
    sprintf(value, "%s:%s", lib, old);
    set_env("LD_PRELOAD", value);
    free(value);
}

/* Without -o or LEAKSHIM_OUTPUT the shim would write to stderr, mixed with the program's
 * own output, and each snapshot would scroll away: default to one file per report in
 * the current directory, named absolutely so a program that changes directory does not
 * scatter them. */
static void set_default_output(const char *formats)
{
    char cwd[PATH_MAX];
    char path[PATH_MAX + 64];
    int set = formats != NULL ? ls_config_parse_formats(formats) : -1;

    if (getcwd(cwd, sizeof(cwd)) == NULL || strchr(cwd, '%') != NULL) /* '%' would expand */
        strcpy(cwd, ".");
    snprintf(path, sizeof(path), "%s/leakshim.%%p.%%n.%%e", cwd);
    set_env("LEAKSHIM_OUTPUT", path);
    if (set <= 0)
        set = LS_FORMAT_BIT(LS_FORMAT_TEXT); // what the shim falls back to
    fprintf(stderr, "leakshim: reports go to %s/leakshim.%ld.*.", cwd, (long)getpid());
    for (int f = 0, n = 0; f < LS_N_FORMATS; f++) {
        if (set & LS_FORMAT_BIT(f))
            fprintf(stderr, "%s%s", n++ == 0 ? "" : "|", ls_config_format_ext(f));
    }
    fputc('\n', stderr);
}

static void export_options(const struct cli_options *opt)
{
    const char *format = opt->format ? opt->format : getenv("LEAKSHIM_FORMAT");
    const char *old_output = getenv("LEAKSHIM_OUTPUT");

    set_env("LEAKSHIM_FORMAT", opt->format);
    set_env("LEAKSHIM_EXITCODE", opt->exit_code);
    set_env("LEAKSHIM_SIGNAL", opt->signal);
    set_env("LEAKSHIM_DEPTH", opt->depth);
    set_env("LEAKSHIM_SUPPRESSIONS", opt->suppressions);
    set_env("LEAKSHIM_BASELINE", opt->baseline);
    set_env("LEAKSHIM_MIN_BYTES", opt->min_bytes);
    set_env("LEAKSHIM_LEAK_KINDS", opt->leak_kinds);
    set_env("LEAKSHIM_SHOW_KINDS", opt->show_kinds);
    set_env("LEAKSHIM_SCAN", opt->scan);
    set_env("LEAKSHIM_INTERVAL", opt->interval);
    set_env("LEAKSHIM_TIMELINE", opt->timeline);
    set_env("LEAKSHIM_SAMPLE", opt->sample);
    if (opt->is_verbose)
        set_env("LEAKSHIM_VERBOSE", "1");
    if (opt->output != NULL)
        set_env("LEAKSHIM_OUTPUT", opt->output);
    else if (old_output == NULL || *old_output == '\0')
        set_default_output(format);
}

/* 0 when path names a file we may execute, else the errno execve would fail with. */
static int runnable(const char *path)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return errno;
    if (!S_ISREG(st.st_mode) || access(path, X_OK) != 0)
        return EACCES;
    return 0;
}

/* Looks the program up the way execvp does (an empty PATH entry is the current
 * directory), so that a program that cannot run is reported before the "reports go to"
 * line promises reports. Returns 0 or the errno execvp would fail with. */
static int check_program(const char *prog)
{
    const char *dir = getenv("PATH");
    char full[PATH_MAX];
    int err = ENOENT;

    if (strchr(prog, '/') != NULL)
        return runnable(prog);
    if (dir == NULL)
        dir = "/bin:/usr/bin"; /* execvp's default */
    for (;;) {
        int len = (int)strcspn(dir, ":");
        int e;

        snprintf(full, sizeof(full), "%.*s%s%s", len, dir, len ? "/" : "", prog);
        e = runnable(full);
        if (e == 0)
            return 0;
        if (e == EACCES)
            err = EACCES; /* execvp also reports EACCES over ENOENT */
        if (dir[len] == '\0')
            return err;
        dir += len + 1;
    }
}

__attribute__((noreturn)) static void cannot_run(const char *prog, int err)
{
    die(err == ENOENT || err == ENOTDIR ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC, "cannot run %s: %s",
        prog, strerror(err));
}

int main(int argc, char **argv)
{
    struct cli_options opt = {0};
    char lib[PATH_MAX];
    int first, err;

    // A subcommand only as the first word: `leakshim -- baseline` runs a program of that name.
    if (argc > 1 && strcmp(argv[1], "baseline") == 0)
        return ls_cli_baseline(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "diff") == 0)
        return ls_cli_diff(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "report") == 0)
        return ls_cli_report(argc - 1, argv + 1);

    first = parse_options(argc, argv, &opt);
    err = check_program(argv[first]);
    if (err != 0)
        cannot_run(argv[first], err);
    find_library(lib);
    export_options(&opt);
    prepend_preload(lib);
    fflush(stderr);

    execvp(argv[first], &argv[first]);
    cannot_run(argv[first], errno);
}
