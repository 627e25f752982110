/* SPDX-License-Identifier: MIT
 *
 * cmd_diff.c - `leakshim diff [-f text|json|pprof] [-o FILE] [-n N] OLD NEW`: what grew
 * between two snapshots, stack by stack (diff.c), in one of three formats.
 *
 * Runs as a plain command: malloc and stdio are fine. Errors are one `leakshim:` line and
 * status 2, as for `leakshim baseline`.
 */
#include "cmd_diff.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff.h"
#include "log.h"

enum { EXIT_DIFF_ERROR = 2 };

/* The default of -n: enough to see the leak, short enough to read. */
#define LS_DIFF_DEFAULT_TOP 20

enum diff_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_PPROF };

struct diff_options {
    enum diff_format format;
    const char *out; /* NULL or "-": standard output */
    size_t top_n;    /* 0: all */
};

static void usage(FILE *out)
{
    fputs("usage: leakshim diff [-f text|json|pprof] [-o FILE] [-n N] OLD NEW\n"
          "Compares two snapshots of the live heap (leakshim JSON reports or pprof heap\n"
          "profiles, gzipped or not, told apart by content): the stacks that grew from OLD\n"
          "to NEW, most growth in live bytes first, then those that shrank; 'new' marks a\n"
          "stack not live in OLD, 'gone' one not live in NEW. Stacks match by function,\n"
          "file and line, so snapshots of two runs compare too.\n"
          "\n"
          "  -f, --format FMT     text (default), json, or pprof: a gzipped profile.proto\n"
          "                       of NEW minus OLD for go tool pprof (needs -o or a pipe)\n"
          "  -o, --output FILE    write FILE (atomically) instead of standard output\n"
          "  -n, --top N          list at most N growing and N shrinking stacks\n"
          "                       (default: 20; 0: all)\n"
          "  -h, --help           show this help\n",
          out);
}

/* What getopt_long just refused, worded: "option '-o' needs a value". */
static const char *bad_option(char **argv, int c, char *buf, size_t len)
{
    const char *arg = argv[optind - 1];
    char name[64];

    if (strncmp(arg, "--", 2) == 0)
        snprintf(name, sizeof(name), "%.*s", (int)strcspn(arg, "="), arg);
    else
        snprintf(name, sizeof(name), "-%c", optopt);
    snprintf(buf, len, c == ':' ? "option '%s' needs a value" : "unknown option '%s'", name);
    return buf;
}

static int parse_format(const char *s, enum diff_format *out)
{
    static const char *const names[] = {"text", "json", "pprof"};

    for (int i = 0; i < 3; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (enum diff_format)i;
            return 0;
        }
    }
    ls_log(LS_LOG_ERROR, "diff: --format must be text, json or pprof, not '%s'", s);
    return -1;
}

static int parse_top(const char *s, size_t *out)
{
    char *end;
    unsigned long long n;

    errno = 0;
    n = strtoull(s, &end, 10);
    if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || n > 1000000000) {
        ls_log(LS_LOG_ERROR, "diff: --top must be a whole number from 0 to 1000000000, not '%s'",
               s);
        return -1;
    }
    *out = (size_t)n;
    return 0;
}

/* Returns 0 to go on, 1 after --help, or -1 after one line saying what is wrong. */
static int parse_options(int argc, char **argv, struct diff_options *opt)
{
    static const struct option options[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"top", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char name[96];
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:o:n:h", options, NULL)) != -1) {
        if (c == 'f' && parse_format(optarg, &opt->format) != 0)
            return -1;
        if (c == 'n' && parse_top(optarg, &opt->top_n) != 0)
            return -1;
        if (c == 'o')
            opt->out = optarg;
        if (c == 'h') {
            usage(stdout);
            return 1;
        }
        if (c == ':' || c == '?') {
            ls_log(LS_LOG_ERROR, "diff: %s; try 'leakshim diff --help'",
                   bad_option(argv, c, name, sizeof(name)));
            return -1;
        }
    }
    if (argc - optind != 2) {
        ls_log(LS_LOG_ERROR, "diff takes two snapshots; usage: leakshim diff [-f text|json|pprof] "
                             "[-o FILE] [-n N] OLD NEW");
        return -1;
    }
    return 0;
}

static int write_format(FILE *f, const struct ls_diff *d, const struct diff_options *opt)
{
    switch (opt->format) {
    case FORMAT_TEXT:
        return ls_diff_write_text(f, d, opt->top_n);
    case FORMAT_JSON:
        return ls_diff_write_json(f, d, opt->top_n);
    case FORMAT_PPROF:
        return ls_diff_write_pprof(f, d);
    }
    return -1;
}

static int write_stdout(const struct ls_diff *d, const struct diff_options *opt)
{
    if (opt->format == FORMAT_PPROF && isatty(STDOUT_FILENO)) {
        ls_log(LS_LOG_ERROR, "diff: -f pprof writes gzipped binary; give -o FILE");
        return -1;
    }
    if (write_format(stdout, d, opt) != 0 || fflush(stdout) != 0 || ferror(stdout)) {
        ls_log(LS_LOG_ERROR, "cannot write the diff to standard output: %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* Writes the diff into a new file at tmp; returns 0 or an errno. */
static int write_new_file(const char *tmp, const struct ls_diff *d, const struct diff_options *opt)
{
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    int err;

    if (f == NULL) {
        err = errno;
        if (fd >= 0)
            close(fd);
        return err;
    }
    errno = 0;
    err = write_format(f, d, opt) != 0 ? (errno != 0 ? errno : EIO) : 0;
    if (fclose(f) != 0 && err == 0)
        err = errno;
    return err;
}

/* Writes through a temporary file beside out, renamed into place, so a reader never sees
 * half a diff. Returns 0, or -1 after logging. */
static int write_file(const char *out, const struct ls_diff *d, const struct diff_options *opt)
{
    char *tmp = NULL;
    int err;

    if (asprintf(&tmp, "%s.tmp.%ld", out, (long)getpid()) < 0) {
        ls_log(LS_LOG_ERROR, "cannot write %s: %s", out, strerror(ENOMEM));
        return -1;
    }
    err = write_new_file(tmp, d, opt);
    if (err == 0 && rename(tmp, out) != 0)
        err = errno;
    if (err != 0 && err != EEXIST)
        unlink(tmp); // EEXIST: the file there is not ours to remove
    if (err != 0)
        ls_log(LS_LOG_ERROR, "cannot write %s: %s", out, strerror(err));
    free(tmp);
    return err != 0 ? -1 : 0;
}

static int diff_files(const char *old_path, const char *new_path, const struct diff_options *opt)
{
    struct lsp_profile old, new;
    struct ls_diff d;
    char err[512];
    int rc = -1;

    if (lsp_load(old_path, &old, err, sizeof(err)) != 0) {
        ls_log(LS_LOG_ERROR, "diff: %s", err);
        return -1;
    }
    if (lsp_load(new_path, &new, err, sizeof(err)) != 0) {
        ls_log(LS_LOG_ERROR, "diff: %s", err);
        lsp_free(&old);
        return -1;
    }
    if (ls_diff_compute(&old, &new, &d) != 0)
        ls_log(LS_LOG_ERROR, "diff: out of memory");
    else if (opt->out == NULL || strcmp(opt->out, "-") == 0)
        rc = write_stdout(&d, opt);
    else
        rc = write_file(opt->out, &d, opt);
    ls_diff_free(&d);
    lsp_free(&old);
    lsp_free(&new);
    return rc;
}

int ls_cli_diff(int argc, char **argv)
{
    struct diff_options opt = {FORMAT_TEXT, NULL, LS_DIFF_DEFAULT_TOP};
    int rc = parse_options(argc, argv, &opt);

    if (rc != 0)
        return rc > 0 ? 0 : EXIT_DIFF_ERROR;
    return diff_files(argv[optind], argv[optind + 1], &opt) == 0 ? 0 : EXIT_DIFF_ERROR;
}
