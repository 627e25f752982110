/* SPDX-License-Identifier: MIT
 *
 * cmd_diff.c - `leakshim diff [-f text|json|pprof] [-o FILE] [-n N] OLD NEW`: what grew
 * between two snapshots, stack by stack (diff.c), in one of three formats.
 *
 * Runs as a plain command: malloc and stdio are fine. Errors are one `leakshim:` line and
 * status 2, as for `leakshim baseline`.
 */
#include "cmd_diff.h"

#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "diff.h"
#include "log.h"
#include "options.h"
#include "outfile.h"

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
    unsigned long long n;

    if (ls_options_parse_count(s, 0, 1000000000, &n) != 0) {
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
    char refused[96];
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
                   ls_options_explain(argv, c, refused, sizeof(refused)));
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

/* What write_format() writes: the diff, in the options' format and length. */
struct diff_output {
    const struct ls_diff *d;
    const struct diff_options *opt;
};

/* A struct diff_output into f, as an ls_outfile_fill_fn. */
static int write_format(FILE *f, const void *ctx)
{
    const struct diff_output *o = ctx;

    switch (o->opt->format) {
    case FORMAT_TEXT:
        return ls_diff_write_text(f, o->d, o->opt->top_n);
    case FORMAT_JSON:
        return ls_diff_write_json(f, o->d, o->opt->top_n);
    case FORMAT_PPROF:
        return ls_diff_write_pprof(f, o->d);
    }
    return -1;
}

/* To standard output or, through a temporary file renamed into place, so a reader never
 * sees half a diff, to opt->out. Returns 0, or -1 after logging. */
static int write_diff(const struct ls_diff *d, const struct diff_options *opt)
{
    struct diff_output o = {d, opt};

    if (ls_outfile_is_stdout(opt->out) && opt->format == FORMAT_PPROF && isatty(STDOUT_FILENO)) {
        ls_log(LS_LOG_ERROR, "diff: -f pprof writes gzipped binary; give -o FILE");
        return -1;
    }
    return ls_outfile_write(opt->out, "diff", 0644, write_format, &o);
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
    else
        rc = write_diff(&d, opt);
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
