/* SPDX-License-Identifier: MIT
 *
 * profile_json.c - a leakshim JSON report (docs/report-format.md, version 1) into a
 * struct lsp_profile.
 *
 * Fields added later in version 1 (previous, new_*, alloc_*) are optional; a field that is
 * present must have its documented type, so a damaged report is refused, not misread.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "profile_read.h"

/* Where in the report a value was found, for error messages. */
struct where {
    const char *path;
    size_t stack, frame; /* 1-based; 0: not in a stack or frame */
    char *err;
    size_t err_len;
};

static int bad(const struct where *w, const char *what)
{
    if (w->frame > 0)
        return lsp_fail(w->err, w->err_len, "%s: stack %zu, frame %zu: %s", w->path, w->stack,
                        w->frame - 1, what);
    if (w->stack > 0)
        return lsp_fail(w->err, w->err_len, "%s: stack %zu: %s", w->path, w->stack, what);
    return lsp_fail(w->err, w->err_len, "%s: %s", w->path, what);
}

/* A whole number >= 0 at key into *out; absent is fine when optional (*out untouched).
 * Returns 1 when found, 0 when absent, -1 (after bad()) when of another type. */
static int get_count(const struct where *w, const json_t *obj, const char *key, bool optional,
                     uint64_t *out)
{
    const json_t *v = json_object_get(obj, key);
    char what[96];

    if (v == NULL && optional)
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        snprintf(what, sizeof(what), "\"%s\" is not a whole number", key);
        return bad(w, what);
    }
    *out = (uint64_t)json_integer_value(v);
    return 1;
}

/* A malloc'ed copy of the string at key into *out (NULL for absent or null). Returns 0, or
 * -1 (after bad()) when it is of another type or memory runs out. */
static int get_string(const struct where *w, const json_t *obj, const char *key, char **out)
{
    const json_t *v = json_object_get(obj, key);
    char what[96];

    *out = NULL;
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_string(v)) {
        snprintf(what, sizeof(what), "\"%s\" is neither a string nor null", key);
        return bad(w, what);
    }
    *out = lsp_strndup(json_string_value(v), json_string_length(v));
    return *out != NULL ? 0 : bad(w, "out of memory");
}

/* A "0x..." string at key into *out; absent or null leave 0. */
static int get_hex(const struct where *w, const json_t *obj, const char *key, uint64_t *out)
{
    const json_t *v = json_object_get(obj, key);
    const char *s = json_string_value(v);
    char *end, what[96];

    if (v == NULL || json_is_null(v))
        return 0;
    if (s != NULL && strncmp(s, "0x", 2) == 0 && s[2] != '\0') {
        *out = strtoull(s + 2, &end, 16);
        if (*end == '\0')
            return 0;
    }
    snprintf(what, sizeof(what), "\"%s\" is not a \"0x...\" string", key);
    return bad(w, what);
}

static int read_frame(const struct where *w, const json_t *j, struct lsp_frame *f)
{
    const json_t *line = json_object_get(j, "line");
    const json_t *inlined = json_object_get(j, "inlined");

    if (!json_is_object(j))
        return bad(w, "not an object");
    if (get_string(w, j, "function", &f->function) != 0 ||
        get_string(w, j, "file", &f->file) != 0 || get_string(w, j, "module", &f->module) != 0 ||
        get_hex(w, j, "address", &f->address) != 0 || get_hex(w, j, "offset", &f->offset) != 0)
        return -1;
    if (line != NULL && !json_is_null(line) &&
        (!json_is_integer(line) || json_integer_value(line) < 0 ||
         json_integer_value(line) > INT32_MAX))
        return bad(w, "\"line\" is not a line number");
    f->line = json_is_integer(line) ? (int)json_integer_value(line) : 0;
    if (inlined != NULL && !json_is_boolean(inlined))
        return bad(w, "\"inlined\" is not true or false");
    f->is_inlined = json_is_true(inlined);
    return 0;
}

static int read_frames(struct where *w, const json_t *frames, struct lsp_stack *s)
{
    if (!json_is_array(frames))
        return bad(w, "no \"frames\" list");
    s->frames = calloc(json_array_size(frames) + 1, sizeof(*s->frames));
    if (s->frames == NULL)
        return bad(w, "out of memory");
    for (size_t k = 0; k < json_array_size(frames); k++) {
        w->frame = k + 1;
        s->n_frames = k + 1; // so lsp_free() frees what a failing frame holds
        if (read_frame(w, json_array_get(frames, k), &s->frames[k]) != 0)
            return -1;
    }
    w->frame = 0;
    return 0;
}

/* Both of a pair (new_bytes and new_blocks...) or neither. Returns 1, 0 or -1. */
static int get_pair(const struct where *w, const json_t *j, const char *bytes_key,
                    const char *blocks_key, uint64_t *bytes, uint64_t *blocks)
{
    int has_bytes = get_count(w, j, bytes_key, true, bytes);
    int has_blocks = has_bytes < 0 ? -1 : get_count(w, j, blocks_key, true, blocks);
    char what[96];

    if (has_bytes < 0 || has_blocks < 0)
        return -1;
    if (has_bytes != has_blocks) {
        snprintf(what, sizeof(what), "\"%s\" without \"%s\" or the other way round", bytes_key,
                 blocks_key);
        return bad(w, what);
    }
    return has_bytes;
}

static int read_stack(struct where *w, const json_t *j, struct lsp_stack *s)
{
    int has_new, has_alloc;

    if (!json_is_object(j))
        return bad(w, "not an object");
    if (get_count(w, j, "bytes", false, &s->bytes) < 0 ||
        get_count(w, j, "blocks", false, &s->blocks) < 0 || get_string(w, j, "kind", &s->kind) != 0)
        return -1;
    has_new = get_pair(w, j, "new_bytes", "new_blocks", &s->new_bytes, &s->new_blocks);
    has_alloc = has_new < 0 ? -1
                            : get_pair(w, j, "alloc_bytes", "alloc_blocks", &s->alloc_bytes,
                                       &s->alloc_blocks);
    if (has_new < 0 || has_alloc < 0)
        return -1;
    s->has_new = has_new > 0;
    s->has_alloc = has_alloc > 0;
    return read_frames(w, json_object_get(j, "frames"), s);
}

static int read_stacks(struct where *w, const json_t *stacks, struct lsp_profile *out)
{
    out->stacks = calloc(json_array_size(stacks) + 1, sizeof(*out->stacks));
    if (out->stacks == NULL)
        return bad(w, "out of memory");
    for (size_t i = 0; i < json_array_size(stacks); i++) {
        w->stack = i + 1;
        out->n_stacks = i + 1;
        if (read_stack(w, json_array_get(stacks, i), &out->stacks[i]) != 0)
            return -1;
    }
    w->stack = 0;
    return 0;
}

/* "format", "version" and "stacks": what makes a leakshim report we can read. */
static int check_header(const struct where *w, const json_t *root)
{
    const json_t *format = json_object_get(root, "format");
    const json_t *version = json_object_get(root, "version");

    if (!json_is_object(root) || !json_is_string(format) ||
        strcmp(json_string_value(format), "leakshim") != 0)
        return bad(w, "not a leakshim report (no \"format\": \"leakshim\")");
    if (!json_is_integer(version) || json_integer_value(version) != 1)
        return bad(w, "only version 1 leakshim reports can be read");
    if (!json_is_array(json_object_get(root, "stacks")))
        return bad(w, "not a leakshim report (no \"stacks\" list)");
    return 0;
}

/* "previous": {"sequence", "time_unix_ms"}, or null or absent. */
static int read_previous(const struct where *w, const json_t *prev, struct lsp_profile *out)
{
    uint64_t seq = 0;

    if (prev == NULL || json_is_null(prev))
        return 0;
    if (!json_is_object(prev))
        return bad(w, "\"previous\" is neither an object nor null");
    if (get_count(w, prev, "sequence", false, &seq) < 0 ||
        get_count(w, prev, "time_unix_ms", false, &out->previous_time_unix_ms) < 0)
        return -1;
    out->has_previous = true;
    out->previous_sequence = (unsigned)seq;
    return 0;
}

/* "sampled": {"rate_bytes", ...}, or null or absent (every block counted). */
static int read_sampled(const struct where *w, const json_t *sampled, struct lsp_profile *out)
{
    if (sampled == NULL || json_is_null(sampled))
        return 0;
    if (!json_is_object(sampled))
        return bad(w, "\"sampled\" is neither an object nor null");
    return get_count(w, sampled, "rate_bytes", true, &out->sample_rate) < 0 ? -1 : 0;
}

/* pid, program, reason, sequence, time and live totals. */
static int read_header(const struct where *w, const json_t *root, struct lsp_profile *out)
{
    const json_t *summary = json_object_get(root, "summary");
    uint64_t pid = 0, seq = 0;

    if (get_count(w, root, "pid", true, &pid) < 0 ||
        get_count(w, root, "sequence", true, &seq) < 0 ||
        get_count(w, root, "time_unix_ms", true, &out->time_unix_ms) < 0 ||
        get_string(w, root, "program", &out->program) != 0 ||
        get_string(w, root, "reason", &out->reason) != 0)
        return -1;
    out->pid = pid <= INT32_MAX ? (int)pid : 0;
    out->sequence = (unsigned)seq;
    if (!json_is_object(summary))
        return bad(w, "no \"summary\" object");
    if (get_count(w, summary, "live_bytes", false, &out->live_bytes) < 0 ||
        get_count(w, summary, "live_blocks", false, &out->live_blocks) < 0)
        return -1;
    if (read_sampled(w, json_object_get(root, "sampled"), out) != 0)
        return -1;
    return read_previous(w, json_object_get(root, "previous"), out);
}

int lsp_read_json(const char *text, size_t len, struct lsp_profile *out, char *err, size_t err_len)
{
    struct where w = {.path = out->path, .err = err, .err_len = err_len};
    json_error_t jerr;
    json_t *root = json_loadb(text, len, 0, &jerr);
    int rc;

    if (root == NULL)
        return lsp_fail(err, err_len, "%s is not JSON: %s (line %d, column %d)", out->path,
                        jerr.text, jerr.line, jerr.column);
    rc = check_header(&w, root);
    if (rc == 0)
        rc = read_header(&w, root, out);
    if (rc == 0)
        rc = read_stacks(&w, json_object_get(root, "stacks"), out);
    json_decref(root);
    return rc;
}
