/* SPDX-License-Identifier: MIT
 *
 * diff_text.c - `leakshim diff` for people: both snapshots, the totals of growth, then
 * the growing stacks and the shrinking ones, each with its frames as the text report
 * prints them.
 */
#include <inttypes.h>
#include <time.h>

#include "diff.h"

static const char *plural(uint64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* "2026-12-04T10:00:00.300Z", or "time unknown". */
static void put_time(FILE *f, uint64_t ms)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    char buf[32];

    if (ms == 0 || gmtime_r(&secs, &tm) == NULL ||
        strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
        fputs("time unknown", f);
        return;
    }
    fprintf(f, "%s.%03uZ", buf, (unsigned)(ms % 1000));
}

/* "old: PATH (json), pid 1234 /prog, sequence 2 (interval), TIME: live N bytes in N blocks" */
static void put_snapshot(FILE *f, const char *label, const struct lsp_profile *p)
{
    fprintf(f, "%s: %s (%s), ", label, p->path, p->input_format);
    if (p->pid > 0)
        fprintf(f, "pid %d", p->pid);
    else
        fputs("pid unknown", f);
    if (p->program != NULL)
        fprintf(f, " %s", p->program);
    fprintf(f, ", sequence %u", p->sequence);
    if (p->reason != NULL)
        fprintf(f, " (%s)", p->reason);
    fputs(", ", f);
    put_time(f, p->time_unix_ms);
    fprintf(f, ": live %" PRIu64 " bytes in %" PRIu64 " %s", p->live_bytes, p->live_blocks,
            plural(p->live_blocks, "block", "blocks"));
    if (p->sample_rate != 0)
        fprintf(f, " (estimated from sampled blocks, rate %" PRIu64 " bytes)", p->sample_rate);
    fputc('\n', f);
}

static void put_growth(FILE *f, int64_t bytes, int64_t blocks)
{
    fprintf(f, "%+" PRId64 " bytes, %+" PRId64 " %s", bytes, blocks,
            plural(blocks < 0 ? (uint64_t)-blocks : (uint64_t)blocks, "block", "blocks"));
}

static void put_header(FILE *f, const struct ls_diff *d)
{
    const struct lsp_profile *o = d->old, *n = d->new;

    fprintf(f, "leakshim: diff %s -> %s\n", o->path, n->path);
    put_snapshot(f, "old", o);
    put_snapshot(f, "new", n);
    fputs("growth: ", f);
    put_growth(f, ls_diff_live_bytes(d), ls_diff_live_blocks(d));
    fputs(" live", f);
    if (o->time_unix_ms != 0 && n->time_unix_ms != 0)
        fprintf(f, " in %.3f s", ((double)n->time_unix_ms - (double)o->time_unix_ms) / 1000);
    fprintf(f, "\nstacks: %zu grew", d->n_growing);
    if (d->n_growing > 0) {
        fputs(" by ", f);
        put_growth(f, d->grown_bytes, d->grown_blocks);
    }
    fprintf(f, " (%zu new); %zu shrank", d->n_new, d->n_shrinking);
    if (d->n_shrinking > 0) {
        fputs(" by ", f);
        put_growth(f, d->shrunk_bytes, d->shrunk_blocks);
    }
    fprintf(f, " (%zu gone); %zu unchanged\n", d->n_gone, d->n - d->n_growing - d->n_shrinking);
}

static void put_size(FILE *f, uint64_t bytes, uint64_t blocks)
{
    fprintf(f, "%" PRIu64 " bytes in %" PRIu64 " %s", bytes, blocks,
            plural(blocks, "block", "blocks"));
}

/* "+1024 bytes, +1 block, grown from A to B (growing 1 of 3)" and the frames. */
static void put_stack(FILE *f, const struct ls_diff_stack *s, size_t rank, size_t of)
{
    const struct lsp_stack *st = s->stack;

    fputc('\n', f);
    put_growth(f, s->bytes, s->blocks);
    fprintf(f, ", %s", ls_diff_status_name(s->status));
    if (s->status == LS_DIFF_NEW) {
        fputs(": ", f);
        put_size(f, s->new_bytes, s->new_blocks);
    } else if (s->status == LS_DIFF_GONE) {
        fputs(": was ", f);
        put_size(f, s->old_bytes, s->old_blocks);
    } else {
        fputs(" from ", f);
        put_size(f, s->old_bytes, s->old_blocks);
        fputs(" to ", f);
        put_size(f, s->new_bytes, s->new_blocks);
    }
    fprintf(f, " (%s %zu of %zu)\n",
            s->bytes > 0 || (s->bytes == 0 && s->blocks > 0) ? "growing" : "shrinking", rank, of);
    for (size_t i = 0; i < st->n_frames; i++) {
        const struct lsp_frame *fr = &st->frames[i];
        fprintf(f, "    #%zu %s", i, fr->function != NULL ? fr->function : "??");
        if (fr->file != NULL)
            fprintf(f, " %s", fr->file);
        if (fr->file != NULL && fr->line > 0)
            fprintf(f, ":%d", fr->line);
        if (fr->module != NULL)
            fprintf(f, " (%s+0x%" PRIx64 ")", fr->module, fr->offset);
        fputc('\n', f);
    }
}

/* One section: n stacks from first, at most top_n (0: all) of them. */
static void put_section(FILE *f, const struct ls_diff_stack *first, size_t n, size_t top_n,
                        const char *what)
{
    size_t shown = top_n == 0 || top_n > n ? n : top_n;

    for (size_t i = 0; i < shown; i++)
        put_stack(f, &first[i], i + 1, n);
    if (shown < n)
        fprintf(f, "\n... %zu more %s %s not shown (-n 0 shows all)\n", n - shown, what,
                plural(n - shown, "stack", "stacks"));
}

int ls_diff_write_text(FILE *f, const struct ls_diff *d, size_t top_n)
{
    put_header(f, d);
    put_section(f, d->stacks, d->n_growing, top_n, "growing");
    put_section(f, d->stacks + d->n_growing, d->n_shrinking, top_n, "shrinking");
    return ferror(f) ? -1 : 0;
}
