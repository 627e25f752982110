/* SPDX-License-Identifier: MIT
 *
 * cmd_baseline.c - `leakshim baseline [-o FILE] REPORT.json`: turns the leaks of a JSON
 * report into a baseline file (src/baseline.h has the format) for LEAKSHIM_BASELINE.
 *
 * Keys come from ls_baseline_key(), the function the shim uses to look them up, so both
 * sides always agree on a stack's key. Runs as a plain command: malloc and stdio are fine.
 */
#include "cmd_baseline.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "log.h"
#include "options.h"
#include "outfile.h"

enum { EXIT_BASELINE_ERROR = 2 };

/* One line of the baseline. */
struct entry {
    char *key;
    uint64_t bytes, blocks;
};

struct entries {
    struct entry *v;
    size_t n, cap;
};

/* A baseline file: the program and pid its first comment line names, and its lines. */
struct baseline {
    const char *program;
    long long pid;
    const struct entries *list;
};

static void usage(FILE *out)
{
    fputs("usage: leakshim baseline [-o FILE] REPORT.json\n"
          "Writes the leaks of a leakshim JSON report (LEAKSHIM_FORMAT=json or -f json) as\n"
          "a baseline file for LEAKSHIM_BASELINE (-b): with it, the exit code counts only\n"
          "leaks that are new or grew. REPORT.json may be - for standard input.\n"
          "\n"
          "  -o, --output FILE    write FILE (atomically) instead of standard output\n"
          "  -h, --help           show this help\n",
          out);
}

/* Reads all of path ("-": standard input) into a NUL-terminated buffer, or logs why not
 * and returns NULL. */
static char *read_report(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t cap = 65536, n;
    char *buf = NULL;
    int err = 0;

    *len = 0;
    if (f == NULL) {
        ls_log(LS_LOG_ERROR, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    for (;;) {
        if (buf == NULL || *len + 1 == cap) {
            size_t new_cap = buf == NULL ? cap : cap * 2;
            char *grown = realloc(buf, new_cap);
            if (grown == NULL) {
                err = ENOMEM;
                break;
            }
            buf = grown;
            cap = new_cap;
        }
        n = fread(buf + *len, 1, cap - 1 - *len, f);
        if (n == 0)
            break;
        *len += n;
    }
    if (err == 0 && ferror(f))
        err = errno != 0 ? errno : EIO;
    if (f != stdin)
        fclose(f);
    if (err != 0) {
        ls_log(LS_LOG_ERROR, "cannot read %s: %s", path, strerror(err));
        free(buf);
        return NULL;
    }
    buf[*len] = '\0';
    return buf;
}

/* The report at path parsed, or NULL after one line saying why. */
static json_t *load_report(const char *path)
{
    json_error_t jerr;
    size_t len;
    char *text = read_report(path, &len);
    json_t *root;

    if (text == NULL)
        return NULL;
    root = json_loadb(text, len, 0, &jerr);
    if (root == NULL && strncmp(text, "leakshim: ", 10) == 0)
        ls_log(LS_LOG_ERROR, "baseline needs a JSON report (LEAKSHIM_FORMAT=json or -f json)");
    else if (root == NULL)
        ls_log(LS_LOG_ERROR, "%s is not JSON: %s (line %d, column %d)", path, jerr.text, jerr.line,
               jerr.column);
    free(text);
    return root;
}

/* Checks the fields that make a leakshim report, version 1. Returns 0 or logs and -1. */
static int check_header(const char *path, const json_t *root)
{
    const json_t *version = json_object_get(root, "version");

    if (!json_is_object(root) || !json_is_string(json_object_get(root, "format")) ||
        strcmp(json_string_value(json_object_get(root, "format")), "leakshim") != 0) {
        ls_log(LS_LOG_ERROR, "%s is not a leakshim report (no \"format\": \"leakshim\")", path);
        return -1;
    }
    if (!json_is_integer(version) || json_integer_value(version) != 1) {
        ls_log(LS_LOG_ERROR, "%s: only version 1 leakshim reports can be read", path);
        return -1;
    }
    if (!json_is_array(json_object_get(root, "stacks"))) {
        ls_log(LS_LOG_ERROR, "%s is not a leakshim report (no \"stacks\" list)", path);
        return -1;
    }
    return 0;
}

static bool is_count(const json_t *v)
{
    return json_is_integer(v) && json_integer_value(v) >= 0;
}

/* Does kind appear in the report's "leak_kinds"? */
static bool is_leak_kind(const json_t *leak_kinds, const char *kind)
{
    for (size_t i = 0; i < json_array_size(leak_kinds); i++) {
        const json_t *k = json_array_get(leak_kinds, i);
        if (json_is_string(k) && strcmp(json_string_value(k), kind) == 0)
            return true;
    }
    return false;
}

/*
 * Does this stack go in the baseline? Those whose "kind" is one of the report's
 * "leak_kinds". A stack without a kind comes from a report written before leakshim
 * classified blocks, and "unscanned" from a report taken without the scan: every block
 * counts as leaked in both, so all are taken. (Suppressed stacks are never listed.)
 * Returns 1, 0, or -1 (logged) for a report that gives kinds but no leak_kinds.
 */
static int is_taken(const char *path, const json_t *root, const json_t *stack, size_t i)
{
    const json_t *kind = json_object_get(stack, "kind");
    const json_t *leak_kinds = json_object_get(root, "leak_kinds");

    if (kind == NULL || (json_is_string(kind) && strcmp(json_string_value(kind), "unscanned") == 0))
        return 1;
    if (!json_is_string(kind)) {
        ls_log(LS_LOG_ERROR, "%s: stack %zu has a \"kind\" that is not a string", path, i + 1);
        return -1;
    }
    if (!json_is_array(leak_kinds)) {
        ls_log(LS_LOG_ERROR, "%s: stack %zu has a \"kind\" but the report no \"leak_kinds\" list",
               path, i + 1);
        return -1;
    }
    return is_leak_kind(leak_kinds, json_string_value(kind));
}

/* The stack's frames as ls_frame (function names only: all a key needs), or NULL after
 * logging. *n gets the frame count; the names point into the JSON. */
static struct ls_frame *frames_of(const char *path, const json_t *frames, size_t i, uint32_t *n)
{
    struct ls_frame *out = calloc(json_array_size(frames) + 1, sizeof(*out));

    if (out == NULL) {
        ls_log(LS_LOG_ERROR, "out of memory");
        return NULL;
    }
    for (size_t k = 0; k < json_array_size(frames); k++) {
        const json_t *fn = json_object_get(json_array_get(frames, k), "function");
        if (!json_is_string(fn) && !json_is_null(fn)) {
            ls_log(LS_LOG_ERROR,
                   "%s: stack %zu, frame %zu: \"function\" is neither a string nor null", path,
                   i + 1, k);
            free(out);
            return NULL;
        }
        out[k].function = json_is_string(fn) ? json_string_value(fn) : NULL;
    }
    *n = (uint32_t)json_array_size(frames);
    return out;
}

/* The key of a stack, in malloc'ed memory, or NULL after logging. */
static char *key_of(const char *path, const json_t *frames, size_t i)
{
    uint32_t n = 0;
    struct ls_frame *f = frames_of(path, frames, i, &n);
    char *key = NULL;

    if (f != NULL) {
        size_t len = ls_baseline_key(f, n, NULL, 0);
        key = malloc(len + 1);
        if (key != NULL)
            ls_baseline_key(f, n, key, len + 1);
        else
            ls_log(LS_LOG_ERROR, "out of memory");
    }
    free(f);
    return key;
}

static int add_entry(struct entries *list, char *key, uint64_t bytes, uint64_t blocks)
{
    if (list->n == list->cap) {
        size_t cap = list->cap != 0 ? list->cap * 2 : 64;
        struct entry *grown = realloc(list->v, cap * sizeof(*grown));
        if (grown == NULL) {
            ls_log(LS_LOG_ERROR, "out of memory");
            free(key);
            return -1;
        }
        list->v = grown;
        list->cap = cap;
    }
    list->v[list->n++] = (struct entry){key, bytes, blocks};
    return 0;
}

/* One stack of the report into list, if it is taken. Returns 0, or -1 after logging. */
static int collect_stack(const char *path, const json_t *root, const json_t *stack, size_t i,
                         struct entries *list)
{
    const json_t *bytes = json_object_get(stack, "bytes");
    const json_t *blocks = json_object_get(stack, "blocks");
    const json_t *frames = json_object_get(stack, "frames");
    char *key;
    int taken;

    if (!json_is_object(stack) || !is_count(bytes) || !is_count(blocks) || !json_is_array(frames)) {
        ls_log(LS_LOG_ERROR, "%s: stack %zu lacks \"bytes\", \"blocks\" or \"frames\"", path,
               i + 1);
        return -1;
    }
    taken = is_taken(path, root, stack, i);
    if (taken <= 0)
        return taken;
    key = key_of(path, frames, i);
    if (key == NULL)
        return -1;
    return add_entry(list, key, (uint64_t)json_integer_value(bytes),
                     (uint64_t)json_integer_value(blocks));
}

static int compare_keys(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->key, ((const struct entry *)b)->key);
}

/* The baseline's order: bytes, descending, then key. */
static int compare_lines(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;

    if (x->bytes != y->bytes)
        return x->bytes > y->bytes ? -1 : 1;
    return strcmp(x->key, y->key);
}

static uint64_t add_saturating(uint64_t a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

/* Stacks that differ only in addresses or files have one key: one line, summed. */
static void merge_equal_keys(struct entries *list)
{
    size_t out = 0;

    qsort(list->v, list->n, sizeof(*list->v), compare_keys);
    for (size_t i = 0; i < list->n; i++) {
        if (out > 0 && strcmp(list->v[out - 1].key, list->v[i].key) == 0) {
            list->v[out - 1].bytes = add_saturating(list->v[out - 1].bytes, list->v[i].bytes);
            list->v[out - 1].blocks = add_saturating(list->v[out - 1].blocks, list->v[i].blocks);
            free(list->v[i].key);
        } else {
            list->v[out++] = list->v[i];
        }
    }
    list->n = out;
    qsort(list->v, list->n, sizeof(*list->v), compare_lines);
}

/* The program's path as one line of text: a newline in it would end the comment. */
static void put_program(FILE *f, const char *program)
{
    for (const char *p = program; *p != '\0'; p++)
        fputc((unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p, f);
}

/* A struct baseline into f, as an ls_outfile_fill_fn: -1 when a write failed. */
static int print_baseline(FILE *f, const void *ctx)
{
    const struct baseline *b = ctx;
    const struct entries *list = b->list;

    fputs("# leakshim baseline: ", f);
    put_program(f, b->program);
    fprintf(f, ", pid %lld\n", b->pid);
    fputs("# bytes, blocks, then the stack's functions, innermost first; tab-separated\n", f);
    for (size_t i = 0; i < list->n; i++)
        fprintf(f, "%" PRIu64 "\t%" PRIu64 "\t%s\n", list->v[i].bytes, list->v[i].blocks,
                list->v[i].key);
    return ferror(f) ? -1 : 0;
}

/* Every taken stack of the report at path into list. Returns 0, or -1 after logging. */
static int collect(const char *path, const json_t *root, struct entries *list)
{
    const json_t *stacks = json_object_get(root, "stacks");

    if (check_header(path, root) != 0)
        return -1;
    for (size_t i = 0; i < json_array_size(stacks); i++) {
        if (collect_stack(path, root, json_array_get(stacks, i), i, list) != 0)
            return -1;
    }
    merge_equal_keys(list);
    return 0;
}

static int make_baseline(const char *path, const char *out)
{
    struct entries list = {0};
    json_t *root = load_report(path);
    int rc = -1;

    if (root != NULL && collect(path, root, &list) == 0) {
        const json_t *program = json_object_get(root, "program");
        const json_t *pid = json_object_get(root, "pid");
        struct baseline b = {
            .program = json_is_string(program) ? json_string_value(program) : "??",
            .pid = json_is_integer(pid) ? json_integer_value(pid) : -1,
            .list = &list,
        };
        // Through a temporary file: a run reading LEAKSHIM_BASELINE never sees half of it.
        rc = ls_outfile_write(out, "baseline", 0644, print_baseline, &b);
    }
    for (size_t i = 0; i < list.n; i++)
        free(list.v[i].key);
    free(list.v);
    json_decref(root);
    return rc;
}

int ls_cli_baseline(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    char refused[96];
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", options, NULL)) != -1) {
        if (c == 'o') {
            out = optarg;
        } else if (c == 'h') {
            usage(stdout);
            return 0;
        } else {
            ls_log(LS_LOG_ERROR, "baseline: %s; try 'leakshim baseline --help'",
                   ls_options_explain(argv, c, refused, sizeof(refused)));
            return EXIT_BASELINE_ERROR;
        }
    }
    if (argc - optind != 1) {
        ls_log(LS_LOG_ERROR, "baseline takes one report; usage: leakshim baseline [-o FILE] "
                             "REPORT.json");
        return EXIT_BASELINE_ERROR;
    }
    return make_baseline(argv[optind], out) == 0 ? 0 : EXIT_BASELINE_ERROR;
}
