/* SPDX-License-Identifier: MIT
 *
 * cmd_report.c - `leakshim report [-o FILE.html] [--timeline FILE] SNAPSHOT...`: one HTML
 * page from snapshots (profile.h reads them) and a timeline.
 *
 * The page itself (cli/report_page: HTML, CSS and the JavaScript that draws it) is built
 * into this program by embed.cmake; this file only computes what the page shows and puts
 * it in as one JSON object. The page then opens from disk with no network at all. Runs
 * as a plain command: malloc and stdio are fine.
 */
#include "cmd_report.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "log.h"
#include "options.h"
#include "outfile.h"
#include "profile.h"
#include "report_page.h" /* generated: ls_report_page[], the page with a data marker */

enum { EXIT_REPORT_ERROR = 2 };

#define LS_DATA_MARKER    "@LEAKSHIM_DATA@"
#define LS_DEFAULT_TOP    20
#define LS_DEFAULT_OUTPUT "leakshim-report.html"

/* One distinct frame of the page's frame table. */
struct frame_entry {
    char *key;
    size_t index;
    UT_hash_handle hh;
};

/* One stack, by lsp_stack_key(), across all snapshots. */
struct stack_entry {
    char *key;
    const struct lsp_stack *latest; /* its frames, from the latest snapshot holding it */
    uint64_t *bytes, *blocks;       /* per snapshot, all kinds summed */
    uint64_t new_bytes;             /* in the last snapshot */
    bool has_new;
    char kinds[64]; /* in the last snapshot, comma-separated */
    UT_hash_handle hh;
};

struct report {
    struct lsp_profile *snaps; /* oldest first */
    size_t n_snaps;
    const char *timeline_path;
    struct lsp_timeline timeline;
    unsigned top;
    struct stack_entry *stacks; /* uthash */
    struct frame_entry *frames; /* uthash */
    json_t *frame_table;
};

static void usage(FILE *out)
{
    fputs("usage: leakshim report [-o FILE.html] [--timeline FILE] [--top N] SNAPSHOT...\n"
          "Writes one HTML page, which opens offline in any browser, from leakshim\n"
          "snapshots (JSON reports, or pprof profiles, gzipped or not): live bytes over\n"
          "time, the top stacks by live bytes (last snapshot) and by growth (first to\n"
          "last), and a flame graph of the live bytes. Snapshots are put in time order\n"
          "when all carry a time, else taken in the order given.\n"
          "\n"
          "  -o, --output FILE    the page to write (default: " LS_DEFAULT_OUTPUT "; - for\n"
          "                       standard output)\n"
          "  -t, --timeline FILE  live bytes over time from a LEAKSHIM_TIMELINE file\n"
          "                       (without it the chart joins the snapshots' totals)\n"
          "  -n, --top N          rows in each table, 1 to 1000 (default: 20)\n"
          "  -h, --help           show this help\n",
          out);
}

/* ---- stacks across snapshots ----------------------------------------------------------- */

static void add_kind(struct stack_entry *e, const char *kind)
{
    size_t len = strlen(e->kinds);

    if (kind == NULL || strstr(e->kinds, kind) != NULL)
        return;
    snprintf(e->kinds + len, sizeof(e->kinds) - len, "%s%s", len ? "," : "", kind);
}

static struct stack_entry *find_or_add_stack(struct report *r, const struct lsp_stack *s)
{
    struct stack_entry *e;
    char *key = lsp_stack_key(s);

    if (key == NULL)
        return NULL;
    HASH_FIND_STR(r->stacks, key, e);
    if (e != NULL) {
        free(key);
        return e;
    }
    e = calloc(1, sizeof(*e));
    if (e != NULL) {
        e->bytes = calloc(r->n_snaps, sizeof(uint64_t));
        e->blocks = calloc(r->n_snaps, sizeof(uint64_t));
    }
    if (e == NULL || e->bytes == NULL || e->blocks == NULL) {
        if (e != NULL)
            free(e->bytes);
        free(e);
        free(key);
        return NULL;
    }
    e->key = key;
    HASH_ADD_KEYPTR(hh, r->stacks, e->key, strlen(e->key), e);
    return e;
}

/* Sums every snapshot's stacks by key: a stack listed once per kind becomes one entry. */
static int index_stacks(struct report *r)
{
    for (size_t i = 0; i < r->n_snaps; i++) {
        const struct lsp_profile *p = &r->snaps[i];
        bool is_last = i + 1 == r->n_snaps;

        for (size_t j = 0; j < p->n_stacks; j++) {
            const struct lsp_stack *s = &p->stacks[j];
            struct stack_entry *e = find_or_add_stack(r, s);

            if (e == NULL)
                return -1;
            e->latest = s;
            e->bytes[i] += s->bytes;
            e->blocks[i] += s->blocks;
            if (is_last) {
                e->new_bytes += s->new_bytes;
                e->has_new = e->has_new || s->has_new;
                add_kind(e, s->kind);
            }
        }
    }
    return 0;
}

static void free_report(struct report *r)
{
    while (r->stacks != NULL) {
        struct stack_entry *s = r->stacks;

        HASH_DEL(r->stacks, s);
        free(s->key);
        free(s->bytes);
        free(s->blocks);
        free(s);
    }
    while (r->frames != NULL) {
        struct frame_entry *f = r->frames;

        HASH_DEL(r->frames, f);
        free(f->key);
        free(f);
    }
    json_decref(r->frame_table);
    for (size_t i = 0; i < r->n_snaps; i++)
        lsp_free(&r->snaps[i]);
    free(r->snaps);
    lsp_timeline_free(&r->timeline);
}

/* ---- JSON for the page ----------------------------------------------------------------- */

/* A string, or null; a name that is not UTF-8 (possible in a pprof file) is shown as such
 * rather than failing the page. */
static json_t *str_or_null(const char *s)
{
    json_t *v;

    if (s == NULL)
        return json_null();
    v = json_string(s);
    return v != NULL ? v : json_string("(not UTF-8)");
}

static json_t *count(uint64_t n)
{
    return json_integer(n > (uint64_t)INT64_MAX ? INT64_MAX : (json_int_t)n);
}

static json_t *frame_json(const struct lsp_frame *f)
{
    char offset[24];

    snprintf(offset, sizeof(offset), "0x%" PRIx64, f->module != NULL ? f->offset : f->address);
    return json_pack("{s:o, s:o, s:i, s:o, s:s, s:b}", "function", str_or_null(f->function), "file",
                     str_or_null(f->file), "line", f->line, "module", str_or_null(f->module),
                     "offset", offset, "inlined", f->is_inlined);
}

/* The index of f in the page's frame table, adding it when new. Frames are one when they
 * show the same: function, file, line and inlining, or module+offset when unnamed. */
static json_int_t frame_index(struct report *r, const struct lsp_frame *f)
{
    struct frame_entry *e;
    char *key = NULL;

    if (asprintf(&key, "%d|%s|%s|%d|%s|%" PRIx64, f->is_inlined, f->function ? f->function : "",
                 f->file ? f->file : "", f->line, f->module ? f->module : "",
                 f->function ? 0
                 : f->module ? f->offset
                             : f->address) < 0)
        return -1;
    HASH_FIND_STR(r->frames, key, e);
    if (e != NULL) {
        free(key);
        return (json_int_t)e->index;
    }
    e = malloc(sizeof(*e));
    if (e == NULL || json_array_append_new(r->frame_table, frame_json(f)) != 0) {
        free(e);
        free(key);
        return -1;
    }
    e->key = key;
    e->index = json_array_size(r->frame_table) - 1;
    HASH_ADD_KEYPTR(hh, r->frames, e->key, strlen(e->key), e);
    return (json_int_t)e->index;
}

/* The stack's frames as indexes into the frame table, innermost first. */
static json_t *frame_ids(struct report *r, const struct lsp_stack *s)
{
    json_t *ids = json_array();

    for (size_t i = 0; ids != NULL && i < s->n_frames; i++) {
        json_int_t id = frame_index(r, &s->frames[i]);

        if (id < 0 || json_array_append_new(ids, json_integer(id)) != 0) {
            json_decref(ids);
            return NULL;
        }
    }
    return ids;
}

static json_t *snapshots_json(const struct report *r)
{
    json_t *list = json_array();

    for (size_t i = 0; list != NULL && i < r->n_snaps; i++) {
        const struct lsp_profile *p = &r->snaps[i];

        json_array_append_new(list,
                              json_pack("{s:s, s:s, s:o, s:i, s:o, s:o, s:o, s:o, s:o}", "path",
                                        p->path, "input_format", p->input_format, "reason",
                                        str_or_null(p->reason), "sequence", (json_int_t)p->sequence,
                                        "time_unix_ms", count(p->time_unix_ms), "live_bytes",
                                        count(p->live_bytes), "live_blocks", count(p->live_blocks),
                                        "stacks", count(p->n_stacks), "sample_rate_bytes",
                                        p->sample_rate != 0 ? count(p->sample_rate) : json_null()));
    }
    return list;
}

/* Each row as [time_unix_ms, live_bytes, live_blocks, allocations, frees]: a timeline can
 * have many thousands of rows, and arrays keep the page small. */
static json_t *timeline_json(const struct report *r)
{
    json_t *rows;

    if (r->timeline_path == NULL)
        return json_null();
    rows = json_array();
    for (size_t i = 0; rows != NULL && i < r->timeline.n; i++) {
        const struct lsp_sample *s = &r->timeline.samples[i];

        json_array_append_new(rows, json_pack("[o, o, o, o, o]", count(s->time_unix_ms),
                                              count(s->live_bytes), count(s->live_blocks),
                                              count(s->allocations), count(s->frees)));
    }
    return json_pack("{s:s, s:o}", "path", r->timeline_path, "samples", rows);
}

/* ---- the two stack lists --------------------------------------------------------------- */

static uint64_t growth_of(const struct stack_entry *e, size_t n_snaps)
{
    uint64_t first = e->bytes[0], last = e->bytes[n_snaps - 1];

    return n_snaps > 1 ? (last > first ? last - first : 0) : e->new_bytes;
}

/* Biggest first; ties by key, so the page is the same for the same input. ctx points to
 * the number of snapshots. */
static int by_live_bytes(const void *a, const void *b, void *ctx)
{
    const struct stack_entry *x = *(struct stack_entry *const *)a;
    const struct stack_entry *y = *(struct stack_entry *const *)b;
    size_t last = *(const size_t *)ctx - 1;

    if (x->bytes[last] != y->bytes[last])
        return x->bytes[last] < y->bytes[last] ? 1 : -1;
    return strcmp(x->key, y->key);
}

static int by_growth(const void *a, const void *b, void *ctx)
{
    const struct stack_entry *x = *(struct stack_entry *const *)a;
    const struct stack_entry *y = *(struct stack_entry *const *)b;
    uint64_t gx = growth_of(x, *(const size_t *)ctx), gy = growth_of(y, *(const size_t *)ctx);

    if (gx != gy)
        return gx < gy ? 1 : -1;
    return by_live_bytes(a, b, ctx);
}

/* The entries that pass keep, sorted by cmp; *n gets their number. NULL with *n == 0 is an
 * empty list, with *n == SIZE_MAX out of memory. */
static struct stack_entry **sorted_entries(const struct report *r,
                                           bool (*keep)(const struct stack_entry *, size_t),
                                           int (*cmp)(const void *, const void *, void *),
                                           size_t *n)
{
    struct stack_entry **v = malloc((HASH_COUNT(r->stacks) + 1) * sizeof(*v));
    struct stack_entry *e;

    *n = 0;
    if (v == NULL) {
        *n = SIZE_MAX;
        return NULL;
    }
    for (e = r->stacks; e != NULL; e = e->hh.next)
        if (keep(e, r->n_snaps))
            v[(*n)++] = e;
    qsort_r(v, *n, sizeof(*v), cmp, (void *)&r->n_snaps);
    return v;
}

static bool is_live_at_end(const struct stack_entry *e, size_t n_snaps)
{
    return e->bytes[n_snaps - 1] > 0;
}

static bool has_grown(const struct stack_entry *e, size_t n_snaps)
{
    return growth_of(e, n_snaps) > 0;
}

/* Every stack live in the last snapshot: the flame graph needs them all, not the top. */
static json_t *live_json(struct report *r)
{
    size_t n, last = r->n_snaps - 1;
    struct stack_entry **v = sorted_entries(r, is_live_at_end, by_live_bytes, &n);
    json_t *list = n != SIZE_MAX ? json_array() : NULL;

    for (size_t i = 0; list != NULL && i < n; i++) {
        json_t *ids = frame_ids(r, v[i]->latest);

        if (ids == NULL ||
            json_array_append_new(
                list, json_pack("{s:o, s:o, s:o, s:o}", "bytes", count(v[i]->bytes[last]), "blocks",
                                count(v[i]->blocks[last]), "kind",
                                str_or_null(v[i]->kinds[0] ? v[i]->kinds : NULL), "frames", ids)) !=
                0) {
            json_decref(list);
            list = NULL;
        }
    }
    free(v);
    return json_pack("{s:i, s:o}", "snapshot", (json_int_t)last, "stacks", list);
}

static json_t *series_json(const uint64_t *v, size_t n)
{
    json_t *a = json_array();

    for (size_t i = 0; a != NULL && i < n; i++)
        json_array_append_new(a, count(v[i]));
    return a;
}

/* How growth is measured: live bytes first to last with two snapshots or more; with one,
 * the bytes each stack allocated since the report before it, when the input says. */
static const char *growth_basis(const struct report *r)
{
    if (r->n_snaps > 1)
        return "snapshots";
    for (const struct stack_entry *e = r->stacks; e != NULL; e = e->hh.next)
        if (e->has_new)
            return "new_bytes";
    return "none";
}

static json_t *growth_row(struct report *r, const struct stack_entry *e)
{
    size_t last = r->n_snaps - 1;
    json_t *ids = frame_ids(r, e->latest);

    if (ids == NULL)
        return NULL;
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "growth",
                     count(growth_of(e, r->n_snaps)), "first_bytes", count(e->bytes[0]),
                     "last_bytes", count(e->bytes[last]), "first_blocks", count(e->blocks[0]),
                     "last_blocks", count(e->blocks[last]), "series",
                     series_json(e->bytes, r->n_snaps), "frames", ids);
}

/* The top stacks by growth only: the page shows no more of them. */
static json_t *growth_json(struct report *r)
{
    const char *basis = growth_basis(r);
    size_t n = 0;
    struct stack_entry **v = NULL;
    json_t *list = json_array();

    if (strcmp(basis, "none") != 0)
        v = sorted_entries(r, has_grown, by_growth, &n);
    if (n == SIZE_MAX) {
        json_decref(list);
        list = NULL;
    }
    for (size_t i = 0; list != NULL && i < n && i < r->top; i++) {
        json_t *row = growth_row(r, v[i]);

        if (row == NULL || json_array_append_new(list, row) != 0) {
            json_decref(list);
            list = NULL;
        }
    }
    free(v);
    return json_pack("{s:s, s:i, s:i, s:o}", "basis", basis, "from", (json_int_t)0, "to",
                     (json_int_t)(r->n_snaps - 1), "stacks", list);
}

/* Program and pid from the last snapshot that names them. */
static void origin_of(const struct report *r, const char **program, int *pid)
{
    *program = NULL;
    *pid = 0;
    for (size_t i = r->n_snaps; i-- > 0;) {
        if (*program == NULL)
            *program = r->snaps[i].program;
        if (*pid == 0)
            *pid = r->snaps[i].pid;
    }
}

static json_t *page_data(struct report *r)
{
    const char *program;
    int pid;
    json_t *live, *growth;

    r->frame_table = json_array();
    if (r->frame_table == NULL || index_stacks(r) != 0)
        return NULL;
    live = live_json(r);
    growth = growth_json(r);
    origin_of(r, &program, &pid);
    // "o" hands each value over, NULL included (the pack then fails); "O" shares the frame
    // table, which free_report() lets go of.
    return json_pack("{s:s, s:i, s:o, s:i, s:i, s:o, s:o, s:O, s:o, s:o}", "format",
                     "leakshim-report-page", "version", 1, "program", str_or_null(program), "pid",
                     pid, "top", (json_int_t)r->top, "snapshots", snapshots_json(r), "timeline",
                     timeline_json(r), "frames", r->frame_table, "live", live, "growth", growth);
}

/* ---- writing the page ------------------------------------------------------------------ */

/* The data as script text: every '<' escaped, so no "</script" or "<!--" in a string can
 * end or confuse the element that holds it (JSON allows \u003c wherever '<' may stand). */
static int put_data(FILE *f, const char *json)
{
    for (const char *p = json; *p != '\0'; p++) {
        if (*p == '<' ? fputs("\\u003c", f) < 0 : putc(*p, f) == EOF)
            return -1;
    }
    return 0;
}

/* The page with ctx, the data's JSON text, in it, as an ls_outfile_fill_fn. */
static int put_page(FILE *f, const void *ctx)
{
    const char *json = ctx;
    const char *page = (const char *)ls_report_page;
    size_t page_len = sizeof(ls_report_page);
    const char *at = memmem(page, page_len, LS_DATA_MARKER, strlen(LS_DATA_MARKER));
    size_t head, tail_at;

    if (at == NULL) { // embed.cmake checks the marker is there: not reached
        errno = EINVAL;
        return -1;
    }
    head = (size_t)(at - page);
    tail_at = head + strlen(LS_DATA_MARKER);
    if (fwrite(page, 1, head, f) != head || put_data(f, json) != 0)
        return -1;
    if (fwrite(page + tail_at, 1, page_len - tail_at, f) != page_len - tail_at)
        return -1;
    return 0;
}

/* To standard output, or to out through a temporary file renamed into place, so a browser
 * reloading the page never reads half of it; mode 0666 less the umask, as for any file a
 * command creates. Returns 0, or -1 after logging. */
static int write_page(const char *out, const char *json)
{
    return ls_outfile_write(out, "page", 0666, put_page, json);
}

/* ---- the command ----------------------------------------------------------------------- */

static bool is_before(const struct lsp_profile *a, const struct lsp_profile *b)
{
    if (a->time_unix_ms != b->time_unix_ms)
        return a->time_unix_ms < b->time_unix_ms;
    return a->pid == b->pid && a->sequence < b->sequence;
}

/* Puts the snapshots in time order when every one has a time, so `report snap.*.json`
 * works even where the shell sorts snap.10 before snap.2. Stable: equal times keep the
 * command line's order (a few snapshots: insertion sort is enough). */
static void sort_by_time(struct lsp_profile *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].time_unix_ms == 0)
            return;
    for (size_t i = 1; i < n; i++) {
        struct lsp_profile p = v[i];
        size_t j = i;

        for (; j > 0 && is_before(&p, &v[j - 1]); j--)
            v[j] = v[j - 1];
        v[j] = p;
    }
}

static int load_inputs(struct report *r, char **paths, size_t n, const char *timeline)
{
    char err[512];

    r->snaps = calloc(n, sizeof(*r->snaps));
    if (r->snaps == NULL) {
        ls_log(LS_LOG_ERROR, "report: out of memory");
        return -1;
    }
    for (; r->n_snaps < n; r->n_snaps++) {
        if (lsp_load(paths[r->n_snaps], &r->snaps[r->n_snaps], err, sizeof(err)) != 0) {
            ls_log(LS_LOG_ERROR, "report: %s", err);
            return -1;
        }
    }
    sort_by_time(r->snaps, r->n_snaps);
    r->timeline_path = timeline;
    if (timeline != NULL && lsp_timeline_load(timeline, &r->timeline, err, sizeof(err)) != 0) {
        ls_log(LS_LOG_ERROR, "report: %s", err);
        return -1;
    }
    return 0;
}

static int make_report(struct report *r, char **paths, size_t n, const char *timeline,
                       const char *out)
{
    json_t *data;
    char *json = NULL;
    int rc = -1;

    if (load_inputs(r, paths, n, timeline) != 0)
        return -1;
    data = page_data(r);
    if (data != NULL)
        json = json_dumps(data, JSON_COMPACT | JSON_ENSURE_ASCII);
    if (json == NULL)
        ls_log(LS_LOG_ERROR, "report: out of memory");
    else
        rc = write_page(out, json);
    free(json);
    json_decref(data);
    return rc;
}

static int parse_top(const char *s, unsigned *top)
{
    unsigned long long n;

    if (ls_options_parse_count(s, 1, 1000, &n) != 0)
        return -1;
    *top = (unsigned)n;
    return 0;
}

int ls_cli_report(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"timeline", required_argument, NULL, 't'},
        {"top", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct report r = {.top = LS_DEFAULT_TOP};
    const char *out = LS_DEFAULT_OUTPUT, *timeline = NULL;
    char refused[96];
    int c, rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:t:n:h", options, NULL)) != -1) {
        if (c == 'o') {
            out = optarg;
        } else if (c == 't') {
            timeline = optarg;
        } else if (c == 'n' && parse_top(optarg, &r.top) != 0) {
            ls_log(LS_LOG_ERROR, "report: --top must be a whole number from 1 to 1000, not '%s'",
                   optarg);
            return EXIT_REPORT_ERROR;
        } else if (c == 'h') {
            usage(stdout);
            return 0;
        } else if (c != 'n') {
            ls_log(LS_LOG_ERROR, "report: %s; try 'leakshim report --help'",
                   ls_options_explain(argv, c, refused, sizeof(refused)));
            return EXIT_REPORT_ERROR;
        }
    }
    if (optind >= argc) {
        ls_log(LS_LOG_ERROR, "report needs at least one snapshot; usage: leakshim report "
                             "[-o FILE.html] [--timeline FILE] SNAPSHOT...");
        return EXIT_REPORT_ERROR;
    }
    rc = make_report(&r, argv + optind, (size_t)(argc - optind), timeline, out);
    free_report(&r);
    return rc == 0 ? 0 : EXIT_REPORT_ERROR;
}
