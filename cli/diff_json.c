/* SPDX-License-Identifier: MIT
 *
 * diff_json.c - `leakshim diff -f json`: the text output's content for tools, in the
 * layout docs/report-format.md ("leakshim diff") fixes.
 */
#include <inttypes.h>
#include <jansson.h>

#include "diff.h"

/* json_integer for a count: every count is below 2^63 in any real snapshot. */
static json_t *count(uint64_t n)
{
    return json_integer(n > INT64_MAX ? INT64_MAX : (json_int_t)n);
}

static json_t *hex(uint64_t v)
{
    char buf[24];

    snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
    return json_string(buf);
}

/* Adds key: value to obj, value NULL meaning null. */
static void set(json_t *obj, const char *key, json_t *value)
{
    json_object_set_new(obj, key, value != NULL ? value : json_null());
}

static json_t *snapshot(const struct lsp_profile *p)
{
    json_t *j = json_object();

    set(j, "path", json_string(p->path));
    set(j, "input_format", json_string(p->input_format));
    set(j, "pid", p->pid > 0 ? json_integer(p->pid) : NULL);
    set(j, "program", p->program != NULL ? json_string(p->program) : NULL);
    set(j, "reason", p->reason != NULL ? json_string(p->reason) : NULL);
    set(j, "sequence", json_integer(p->sequence));
    set(j, "time_unix_ms", p->time_unix_ms > 0 ? count(p->time_unix_ms) : NULL);
    set(j, "live_bytes", count(p->live_bytes));
    set(j, "live_blocks", count(p->live_blocks));
    set(j, "sample_rate_bytes", p->sample_rate != 0 ? count(p->sample_rate) : NULL);
    return j;
}

static json_t *growth(const struct ls_diff *d)
{
    const struct lsp_profile *o = d->old, *n = d->new;
    const struct {
        const char *key;
        int64_t value;
    } counts[] = {
        {"growing_stacks", (int64_t)d->n_growing},
        {"new_stacks", (int64_t)d->n_new},
        {"grown_bytes", d->grown_bytes},
        {"grown_blocks", d->grown_blocks},
        {"shrinking_stacks", (int64_t)d->n_shrinking},
        {"gone_stacks", (int64_t)d->n_gone},
        {"shrunk_bytes", d->shrunk_bytes},
        {"shrunk_blocks", d->shrunk_blocks},
        {"unchanged_stacks", (int64_t)(d->n - d->n_growing - d->n_shrinking)},
    };
    json_t *j = json_object();

    set(j, "live_bytes", json_integer(ls_diff_live_bytes(d)));
    set(j, "live_blocks", json_integer(ls_diff_live_blocks(d)));
    set(j, "ms",
        o->time_unix_ms > 0 && n->time_unix_ms > 0
            ? json_integer((json_int_t)n->time_unix_ms - (json_int_t)o->time_unix_ms)
            : NULL);
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
        set(j, counts[i].key, json_integer(counts[i].value));
    return j;
}

/* A frame as the report writes it: "inlined" only when true. */
static json_t *frame(const struct lsp_frame *fr)
{
    json_t *j = json_object();

    set(j, "address", hex(fr->address));
    set(j, "function", fr->function != NULL ? json_string(fr->function) : NULL);
    set(j, "module", fr->module != NULL ? json_string(fr->module) : NULL);
    set(j, "offset", hex(fr->offset));
    set(j, "file", fr->file != NULL ? json_string(fr->file) : NULL);
    set(j, "line", fr->line > 0 ? json_integer(fr->line) : NULL);
    if (fr->is_inlined)
        set(j, "inlined", json_true());
    return j;
}

static json_t *size(uint64_t bytes, uint64_t blocks)
{
    json_t *j = json_object();

    set(j, "bytes", count(bytes));
    set(j, "blocks", count(blocks));
    return j;
}

static json_t *stack(const struct ls_diff_stack *s)
{
    json_t *j = json_object();
    json_t *frames = json_array();

    set(j, "status", json_string(ls_diff_status_name(s->status)));
    set(j, "bytes", json_integer(s->bytes));
    set(j, "blocks", json_integer(s->blocks));
    set(j, "old", size(s->old_bytes, s->old_blocks));
    set(j, "new", size(s->new_bytes, s->new_blocks));
    for (size_t i = 0; i < s->stack->n_frames; i++)
        json_array_append_new(frames, frame(&s->stack->frames[i]));
    set(j, "frames", frames);
    return j;
}

/* Appends at most top_n (0: all) of the n stacks from first; returns how many were left. */
static size_t add_stacks(json_t *list, const struct ls_diff_stack *first, size_t n, size_t top_n)
{
    size_t shown = top_n == 0 || top_n > n ? n : top_n;

    for (size_t i = 0; i < shown; i++)
        json_array_append_new(list, stack(&first[i]));
    return n - shown;
}

int ls_diff_write_json(FILE *f, const struct ls_diff *d, size_t top_n)
{
    json_t *root = json_object();
    json_t *stacks = json_array();
    size_t left = add_stacks(stacks, d->stacks, d->n_growing, top_n);
    int rc;

    left += add_stacks(stacks, d->stacks + d->n_growing, d->n_shrinking, top_n);
    set(root, "format", json_string("leakshim-diff"));
    set(root, "version", json_integer(1));
    set(root, "old", snapshot(d->old));
    set(root, "new", snapshot(d->new));
    set(root, "growth", growth(d));
    set(root, "stacks", stacks);
    set(root, "stacks_not_listed", json_integer((json_int_t)left));
    rc = root != NULL ? json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : -1;
    json_decref(root);
    if (rc == 0)
        fputc('\n', f);
    return rc == 0 && !ferror(f) ? 0 : -1;
}
