/* SPDX-License-Identifier: MIT
 *
 * profile_pprof.c - a pprof heap profile (profile.proto, already gunzipped) into a struct
 * lsp_profile: leakshim's own pprof snapshots and Go's heap profiles.
 *
 * One pass keeps the tables (strings, mappings, functions, locations) and the samples'
 * bytes; a sample is resolved only once every table is whole, since profile.proto does
 * not order its fields. Values are picked by sample type name, never by position.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pbread.h"
#include "profile_proto.h"
#include "profile_read.h"
#include "vec.h"

/* The columns of struct lsp_stack a sample type can fill. */
enum {
    COL_BYTES,
    COL_BLOCKS,
    COL_NEW_BYTES,
    COL_NEW_BLOCKS,
    COL_ALLOC_BYTES,
    COL_ALLOC_BLOCKS,
    N_COLS
};

static const char *const col_types[N_COLS] = {"inuse_space", "inuse_objects", "new_space",
                                              "new_objects", "alloc_space",   "alloc_objects"};

struct span {
    const uint8_t *p;
    size_t len;
};

/* The tables keep the id first: one comparator sorts and searches all three. */
struct mapping {
    uint64_t id, start, offset, file;
};

struct function {
    uint64_t id, name, file;
};

struct location {
    uint64_t id, mapping_id, address;
    size_t first_line, n_lines; /* in pprof.lines */
};

struct line {
    uint64_t function_id;
    int64_t line;
};

struct pprof {
    struct lsp_profile *out;
    char *err;
    size_t err_len;
    LS_VEC(struct span) strings;
    LS_VEC(struct span) types;
    LS_VEC(struct span) samples;
    LS_VEC(struct mapping) mappings;
    LS_VEC(struct function) functions;
    LS_VEC(struct location) locations;
    LS_VEC(struct line) lines;
    LS_VEC(uint64_t) comments;
    uint64_t time_nanos;
    uint64_t period; /* above 1: a sampled profile (Go's heap profiles, LEAKSHIM_SAMPLE) */
    int col[N_COLS]; /* the value index of each column, -1 when the profile has none */
};

/* A sample being read: its location ids and values. */
struct sample {
    LS_VEC(uint64_t) location_ids;
    LS_VEC(uint64_t) values;
    uint64_t kind; /* string index of its "kind" label, 0 when none */
};

static int bad(const struct pprof *pp, const char *what)
{
    return lsp_fail(pp->err, pp->err_len, "%s: %s", pp->out->path, what);
}

static int corrupt(const struct pprof *pp, const char *message)
{
    char what[128];

    snprintf(what, sizeof(what), "not a leakshim report or pprof profile (%s)", message);
    return bad(pp, what);
}

/* A varint field's value, or -1 when the field has another wire type. */
static int varint(const struct ls_pbread_field *f, uint64_t *out)
{
    if (f->wire != LS_PB_VARINT)
        return -1;
    *out = f->value;
    return 0;
}

static int read_mapping(struct pprof *pp, struct span m)
{
    struct ls_pbread r = ls_pbread_init(m.p, m.len);
    struct ls_pbread_field f;
    struct mapping map = {0};
    uint64_t ignored = 0;
    int rc;

    while ((rc = ls_pbread_next(&r, &f)) > 0) {
        uint64_t *dst = f.number == MAPPING_ID             ? &map.id
                        : f.number == MAPPING_MEMORY_START ? &map.start
                        : f.number == MAPPING_FILE_OFFSET  ? &map.offset
                        : f.number == MAPPING_FILENAME     ? &map.file
                                                           : &ignored;
        if (dst != &ignored && varint(&f, dst) != 0)
            return corrupt(pp, "a mapping's field has the wrong type");
    }
    if (rc < 0)
        return corrupt(pp, "a mapping is not protobuf");
    return LS_VEC_PUSH(pp->mappings, map) == 0 ? 0 : bad(pp, "out of memory");
}

static int read_function(struct pprof *pp, struct span m)
{
    struct ls_pbread r = ls_pbread_init(m.p, m.len);
    struct ls_pbread_field f;
    struct function fn = {0};
    uint64_t ignored = 0;
    int rc;

    while ((rc = ls_pbread_next(&r, &f)) > 0) {
        uint64_t *dst = f.number == FUNCTION_ID         ? &fn.id
                        : f.number == FUNCTION_NAME     ? &fn.name
                        : f.number == FUNCTION_FILENAME ? &fn.file
                                                        : &ignored;
        if (dst != &ignored && varint(&f, dst) != 0)
            return corrupt(pp, "a function's field has the wrong type");
    }
    if (rc < 0)
        return corrupt(pp, "a function is not protobuf");
    return LS_VEC_PUSH(pp->functions, fn) == 0 ? 0 : bad(pp, "out of memory");
}

/* A Location's Line: function_id and line. */
static int read_line(struct pprof *pp, const struct ls_pbread_field *lf)
{
    struct ls_pbread r = ls_pbread_init(lf->bytes, lf->len);
    struct ls_pbread_field f;
    struct line ln = {0};
    uint64_t v;
    int rc;

    if (lf->wire != LS_PB_BYTES)
        return corrupt(pp, "a location's line is not a message");
    while ((rc = ls_pbread_next(&r, &f)) > 0) {
        if ((f.number == LINE_FUNCTION_ID || f.number == LINE_LINE) && varint(&f, &v) != 0)
            return corrupt(pp, "a line's field has the wrong type");
        if (f.number == LINE_FUNCTION_ID)
            ln.function_id = v;
        else if (f.number == LINE_LINE)
            ln.line = (int64_t)v;
    }
    if (rc < 0)
        return corrupt(pp, "a line is not protobuf");
    return LS_VEC_PUSH(pp->lines, ln) == 0 ? 0 : bad(pp, "out of memory");
}

static int read_location(struct pprof *pp, struct span m)
{
    struct ls_pbread r = ls_pbread_init(m.p, m.len);
    struct ls_pbread_field f;
    struct location loc = {.first_line = pp->lines.n};
    uint64_t ignored = 0;
    int rc;

    while ((rc = ls_pbread_next(&r, &f)) > 0) {
        uint64_t *dst = f.number == LOCATION_ID           ? &loc.id
                        : f.number == LOCATION_MAPPING_ID ? &loc.mapping_id
                        : f.number == LOCATION_ADDRESS    ? &loc.address
                                                          : &ignored;
        if (f.number == LOCATION_LINE && read_line(pp, &f) != 0)
            return -1;
        if (dst != &ignored && varint(&f, dst) != 0)
            return corrupt(pp, "a location's field has the wrong type");
    }
    if (rc < 0)
        return corrupt(pp, "a location is not protobuf");
    loc.n_lines = pp->lines.n - loc.first_line;
    return LS_VEC_PUSH(pp->locations, loc) == 0 ? 0 : bad(pp, "out of memory");
}

static int add_comment(uint64_t index, void *arg)
{
    struct pprof *pp = arg;

    return LS_VEC_PUSH(pp->comments, index);
}

/* Keeps one top-level field: a table entry read now, a sample for later. */
static int read_field(struct pprof *pp, const struct ls_pbread_field *f)
{
    struct span s = {f->bytes, f->len};
    bool is_message = f->wire == LS_PB_BYTES;

    switch (f->number) {
    case PROFILE_SAMPLE_TYPE:
        return is_message && LS_VEC_PUSH(pp->types, s) == 0 ? 0 : corrupt(pp, "bad sample_type");
    case PROFILE_SAMPLE:
        return is_message && LS_VEC_PUSH(pp->samples, s) == 0 ? 0 : corrupt(pp, "bad sample");
    case PROFILE_MAPPING:
        return is_message ? read_mapping(pp, s) : corrupt(pp, "bad mapping");
    case PROFILE_LOCATION:
        return is_message ? read_location(pp, s) : corrupt(pp, "bad location");
    case PROFILE_FUNCTION:
        return is_message ? read_function(pp, s) : corrupt(pp, "bad function");
    case PROFILE_STRING_TABLE:
        return is_message && LS_VEC_PUSH(pp->strings, s) == 0 ? 0 : corrupt(pp, "bad string");
    case PROFILE_TIME_NANOS:
        return varint(f, &pp->time_nanos) == 0 ? 0 : corrupt(pp, "bad time_nanos");
    case PROFILE_PERIOD:
        return varint(f, &pp->period) == 0 ? 0 : corrupt(pp, "bad period");
    case PROFILE_COMMENT:
        return ls_pbread_each_varint(f, add_comment, pp) == 0 ? 0 : corrupt(pp, "bad comment");
    }
    return 0;
}

static int compare_ids(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* The entry of a table sorted by compare_ids whose id is id, or NULL. */
static const void *find(const void *table, size_t n, size_t size, uint64_t id)
{
    return id == 0 ? NULL : bsearch(&id, table, n, size, compare_ids);
}

/* Is string index i exactly s? */
static bool string_is(const struct pprof *pp, uint64_t i, const char *s)
{
    return i < pp->strings.n && pp->strings.v[i].len == strlen(s) &&
           memcmp(pp->strings.v[i].p, s, pp->strings.v[i].len) == 0;
}

/* A malloc'ed copy of string index i into *out, NULL for "" (pprof's "unknown"). Returns
 * 0, or -1 (after bad()) for an index past the table or no memory. */
static int string_at(const struct pprof *pp, uint64_t i, char **out)
{
    *out = NULL;
    if (i >= pp->strings.n)
        return corrupt(pp, "a string index past the string table");
    if (pp->strings.v[i].len == 0)
        return 0;
    *out = lsp_strndup((const char *)pp->strings.v[i].p, pp->strings.v[i].len);
    return *out != NULL ? 0 : bad(pp, "out of memory");
}

/* Which value index holds each column, by the sample types' names. */
static int resolve_types(struct pprof *pp)
{
    for (int c = 0; c < N_COLS; c++)
        pp->col[c] = -1;
    for (size_t i = 0; i < pp->types.n; i++) {
        struct ls_pbread r = ls_pbread_init(pp->types.v[i].p, pp->types.v[i].len);
        struct ls_pbread_field f;
        uint64_t type = 0;
        int rc;
        while ((rc = ls_pbread_next(&r, &f)) > 0) {
            if (f.number == VALUE_TYPE_TYPE && varint(&f, &type) != 0)
                return corrupt(pp, "a sample type's name is not a string index");
        }
        if (rc < 0)
            return corrupt(pp, "a sample type is not protobuf");
        for (int c = 0; c < N_COLS; c++) {
            if (string_is(pp, type, col_types[c]) && pp->col[c] < 0)
                pp->col[c] = (int)i;
        }
    }
    if (pp->col[COL_BYTES] < 0 && pp->col[COL_BLOCKS] < 0)
        return bad(pp, "not a heap profile: no inuse_space or inuse_objects sample type");
    return 0;
}

static int add_location_id(uint64_t id, void *arg)
{
    struct sample *s = arg;

    return LS_VEC_PUSH(s->location_ids, id);
}

static int add_value(uint64_t v, void *arg)
{
    struct sample *s = arg;

    return LS_VEC_PUSH(s->values, v);
}

/* A sample's label: the string index of its value when its key is "kind". */
static int read_label(const struct pprof *pp, const struct ls_pbread_field *lf, struct sample *s)
{
    struct ls_pbread r = ls_pbread_init(lf->bytes, lf->len);
    struct ls_pbread_field f;
    uint64_t key = 0, str = 0;
    int rc;

    while ((rc = ls_pbread_next(&r, &f)) > 0) {
        if (f.number == LABEL_KEY && varint(&f, &key) != 0)
            return -1;
        if (f.number == LABEL_STR && varint(&f, &str) != 0)
            return -1;
    }
    if (rc < 0)
        return -1;
    if (string_is(pp, key, "kind"))
        s->kind = str;
    return 0;
}

static int read_sample(const struct pprof *pp, struct span m, struct sample *s)
{
    struct ls_pbread r = ls_pbread_init(m.p, m.len);
    struct ls_pbread_field f;
    int rc;

    while ((rc = ls_pbread_next(&r, &f)) > 0) {
        if (f.number == SAMPLE_LOCATION_ID && ls_pbread_each_varint(&f, add_location_id, s) != 0)
            return corrupt(pp, "a sample's location ids are not varints");
        if (f.number == SAMPLE_VALUE && ls_pbread_each_varint(&f, add_value, s) != 0)
            return corrupt(pp, "a sample's values are not varints");
        if (f.number == SAMPLE_LABEL && (f.wire != LS_PB_BYTES || read_label(pp, &f, s) != 0))
            return corrupt(pp, "a sample's label is not a message");
    }
    return rc < 0 ? corrupt(pp, "a sample is not protobuf") : 0;
}

/* The sample's values into the stack's columns. A negative one (a diff profile, say) is
 * not a snapshot: refused rather than wrapped into a huge count. */
static int take_values(const struct pprof *pp, const struct sample *s, struct lsp_stack *st)
{
    uint64_t *cols[N_COLS] = {&st->bytes,      &st->blocks,      &st->new_bytes,
                              &st->new_blocks, &st->alloc_bytes, &st->alloc_blocks};

    if (s->values.n != pp->types.n)
        return corrupt(pp, "a sample's value count differs from the sample types'");
    for (int c = 0; c < N_COLS; c++) {
        if (pp->col[c] < 0)
            continue;
        if ((int64_t)s->values.v[pp->col[c]] < 0)
            return bad(pp, "a sample has a negative value (a diff profile?); a snapshot has none");
        *cols[c] = s->values.v[pp->col[c]];
    }
    st->has_new = pp->col[COL_NEW_BYTES] >= 0 || pp->col[COL_NEW_BLOCKS] >= 0;
    st->has_alloc = pp->col[COL_ALLOC_BYTES] >= 0 || pp->col[COL_ALLOC_BLOCKS] >= 0;
    return 0;
}

/* One frame of a location: its line ln (NULL: the location has no lines). */
static int fill_frame(const struct pprof *pp, const struct location *loc, const struct line *ln,
                      struct lsp_frame *fr)
{
    const struct mapping *map = find(pp->mappings.v, pp->mappings.n, sizeof(*map), loc->mapping_id);
    const struct function *fn =
        ln != NULL ? find(pp->functions.v, pp->functions.n, sizeof(*fn), ln->function_id) : NULL;

    fr->address = loc->address;
    if (map != NULL && loc->address >= map->start)
        fr->offset = loc->address - map->start + map->offset;
    if (map != NULL && string_at(pp, map->file, &fr->module) != 0)
        return -1;
    if (fn != NULL &&
        (string_at(pp, fn->name, &fr->function) != 0 || string_at(pp, fn->file, &fr->file) != 0))
        return -1;
    fr->line = ln != NULL && ln->line > 0 && ln->line <= INT32_MAX ? (int)ln->line : 0;
    return 0;
}

/* The frames of the sample's locations, innermost first. A location's lines are already
 * innermost first: all but the last were inlined into the last. */
static int fill_frames(const struct pprof *pp, const struct sample *s, struct lsp_stack *st)
{
    size_t n = 0;

    for (size_t i = 0; i < s->location_ids.n; i++) {
        const struct location *loc =
            find(pp->locations.v, pp->locations.n, sizeof(*loc), s->location_ids.v[i]);
        if (loc == NULL)
            return corrupt(pp, "a sample names a location that is not there");
        n += loc->n_lines > 0 ? loc->n_lines : 1;
    }
    st->frames = calloc(n + 1, sizeof(*st->frames));
    if (st->frames == NULL)
        return bad(pp, "out of memory");
    for (size_t i = 0; i < s->location_ids.n; i++) {
        const struct location *loc =
            find(pp->locations.v, pp->locations.n, sizeof(*loc), s->location_ids.v[i]);
        size_t lines = loc->n_lines > 0 ? loc->n_lines : 1;
        for (size_t k = 0; k < lines; k++) {
            const struct line *ln = loc->n_lines > 0 ? &pp->lines.v[loc->first_line + k] : NULL;
            struct lsp_frame *fr = &st->frames[st->n_frames++];
            fr->is_inlined = k + 1 < lines;
            if (fill_frame(pp, loc, ln, fr) != 0)
                return -1;
        }
    }
    return 0;
}

static int build_stack(const struct pprof *pp, struct span m, struct lsp_stack *st)
{
    struct sample s = {0};
    int rc = read_sample(pp, m, &s);

    if (rc == 0)
        rc = take_values(pp, &s, st);
    if (rc == 0 && s.kind != 0)
        rc = string_at(pp, s.kind, &st->kind);
    if (rc == 0)
        rc = fill_frames(pp, &s, st);
    free(s.location_ids.v);
    free(s.values.v);
    return rc;
}

/* Stacks from every sample, in the profile's order; the live totals are their sums. */
static int build_stacks(struct pprof *pp)
{
    struct lsp_profile *out = pp->out;

    out->stacks = calloc(pp->samples.n + 1, sizeof(*out->stacks));
    if (out->stacks == NULL)
        return bad(pp, "out of memory");
    for (size_t i = 0; i < pp->samples.n; i++) {
        struct lsp_stack *st = &out->stacks[out->n_stacks++];
        if (build_stack(pp, pp->samples.v[i], st) != 0)
            return -1;
        out->live_bytes += st->bytes;
        out->live_blocks += st->blocks;
    }
    return 0;
}

/* A "name=value" comment leakshim writes (pid, program, reason, sequence) into the
 * header; other comments are the profile's own business and left alone. */
static int read_comment(const struct pprof *pp, uint64_t index)
{
    struct lsp_profile *out = pp->out;
    char *text, *end;
    unsigned long long n;
    int rc = string_at(pp, index, &text);

    if (rc != 0 || text == NULL)
        return rc;
    if (strncmp(text, "program=", 8) == 0 && out->program == NULL) {
        out->program = strdup(text + 8);
    } else if (strncmp(text, "reason=", 7) == 0 && out->reason == NULL) {
        out->reason = strdup(text + 7);
    } else if (strncmp(text, "pid=", 4) == 0 || strncmp(text, "sequence=", 9) == 0) {
        const char *digits = strchr(text, '=') + 1;
        n = strtoull(digits, &end, 10);
        if (*digits >= '0' && *digits <= '9' && *end == '\0' && n <= INT32_MAX) {
            if (text[0] == 'p')
                out->pid = (int)n;
            else
                out->sequence = (unsigned)n;
        }
    }
    free(text);
    return 0;
}

static void free_tables(struct pprof *pp)
{
    free(pp->strings.v);
    free(pp->types.v);
    free(pp->samples.v);
    free(pp->mappings.v);
    free(pp->functions.v);
    free(pp->locations.v);
    free(pp->lines.v);
    free(pp->comments.v);
}

/* Everything but the samples, then the lookup tables sorted by id. */
static int read_tables(struct pprof *pp, const unsigned char *buf, size_t len)
{
    struct ls_pbread r = ls_pbread_init(buf, len);
    struct ls_pbread_field f;
    int rc;

    while ((rc = ls_pbread_next(&r, &f)) > 0) {
        if (read_field(pp, &f) != 0)
            return -1;
    }
    if (rc < 0)
        return corrupt(pp, "invalid protobuf");
    if (pp->strings.n == 0 || pp->strings.v[0].len != 0)
        return corrupt(pp, "no string table starting with \"\"");
    qsort(pp->mappings.v, pp->mappings.n, sizeof(*pp->mappings.v), compare_ids);
    qsort(pp->functions.v, pp->functions.n, sizeof(*pp->functions.v), compare_ids);
    qsort(pp->locations.v, pp->locations.n, sizeof(*pp->locations.v), compare_ids);
    return 0;
}

int lsp_read_pprof(const unsigned char *buf, size_t len, struct lsp_profile *out, char *err,
                   size_t err_len)
{
    struct pprof pp = {.out = out, .err = err, .err_len = err_len};
    int rc = read_tables(&pp, buf, len);

    if (rc == 0)
        rc = resolve_types(&pp);
    for (size_t i = 0; rc == 0 && i < pp.comments.n; i++)
        rc = read_comment(&pp, pp.comments.v[i]);
    out->time_unix_ms = pp.time_nanos / 1000000;
    out->sample_rate = pp.period > 1 ? pp.period : 0;
    if (rc == 0)
        rc = build_stacks(&pp);
    free_tables(&pp);
    return rc;
}
