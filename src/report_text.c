/* SPDX-License-Identifier: MIT
 *
 * report_text.c - the human-readable report: one paragraph per stack, then a summary
 * line that always starts "SUMMARY: leaked N bytes in N blocks".
 */
#include <inttypes.h>

#include "baseline.h"
#include "config.h"
#include "report.h"
#include "suppress.h"

static const char *const reason_words[] = {
    [LS_REASON_EXIT] = "exit report",
    [LS_REASON_SIGNAL] = "snapshot (signal)",
    [LS_REASON_REQUEST] = "snapshot (request)",
    [LS_REASON_CHECK] = "leak check",
    [LS_REASON_INTERVAL] = "snapshot (interval)",
};

static const char *const kind_words[] = {
    [LS_KIND_DEFINITE] = "definitely lost", [LS_KIND_INDIRECT] = "indirectly lost",
    [LS_KIND_POSSIBLE] = "possibly lost",   [LS_KIND_REACHABLE] = "still reachable",
    [LS_KIND_UNSCANNED] = "live",
};

static const char *plural(uint64_t n)
{
    return n == 1 ? "" : "s";
}

static void write_amount(struct ls_writer *w, uint64_t bytes, uint64_t blocks)
{
    ls_writer_printf(w, "%" PRIu64 " byte%s in %" PRIu64 " block%s", bytes, plural(bytes), blocks,
                     plural(blocks));
}

static void write_frame(struct ls_writer *w, uint32_t i, const struct ls_frame *f)
{
    // Names and paths go out whole: a C++ template name can run to kilobytes.
    ls_writer_printf(w, "    #%u ", i);
    ls_writer_puts(w, f->function != NULL ? f->function : "??");
    if (f->file != NULL) {
        ls_writer_puts(w, " ");
        ls_writer_puts(w, f->file);
        ls_writer_printf(w, ":%d", f->line);
    }
    if (f->module != NULL) {
        ls_writer_puts(w, " (");
        ls_writer_puts(w, f->module);
        ls_writer_printf(w, "+0x%" PRIxPTR ")\n", f->offset);
    } else
        ls_writer_printf(w, " (0x%" PRIxPTR ")\n", f->address);
}

static void write_group(struct ls_writer *w, const struct ls_report *r, uint64_t i)
{
    const struct ls_group *g = &r->groups[i];
    const struct ls_stack *s = ls_report_stack(g);
    struct ls_frame_iter it;
    struct ls_frame f;

    ls_writer_printf(
        w, "%" PRIu64 " byte%s in %" PRIu64 " block%s %s (stack %" PRIu64 " of %" PRIu64, g->bytes,
        plural(g->bytes), g->blocks, plural(g->blocks), kind_words[g->kind], i + 1, r->n_groups);
    if (r->sample_rate != 0)
        ls_writer_printf(w, ", estimated from %" PRIu64 " sampled block%s", g->sampled_blocks,
                         plural(g->sampled_blocks));
    ls_writer_puts(w, g->is_libc ? ") [C library]" : ")");
    if (r->has_previous && g->new_blocks > 0) {
        ls_writer_puts(w, ", of which ");
        write_amount(w, g->new_bytes, g->new_blocks);
        ls_writer_printf(w, " new since report %u", r->previous_sequence);
    }
    ls_writer_puts(w, "\n");
    if (ls_report_has_baseline() && g->is_leak)
        ls_writer_printf(w, "    baseline: %s\n", ls_report_baseline_status(g));
    if (s == NULL || s->n_frames == 0)
        ls_writer_puts(w, "    (allocated before leakshim started: no stack)\n");
    // Numbered by logical frame, as valgrind does: an inlined call takes a number too.
    ls_report_frames_begin(&it, s);
    for (uint32_t k = 0; ls_report_frames_next(&it, &f); k++)
        write_frame(w, k, &f);
    ls_writer_puts(w, "\n");
}

/* Each rule and what it matched: a rule that matches nothing can go. */
static void write_suppressions(struct ls_writer *w)
{
    for (size_t i = 0; i < ls_suppress_count(); i++) {
        const struct ls_suppression *rule = ls_suppress_get(i);
        ls_writer_printf(w, "suppression \"%s\" (line %d): ", rule->pattern, rule->line);
        write_amount(w, rule->bytes, rule->blocks);
        ls_writer_printf(w, " from %" PRIu64 " stack%s%s\n", rule->stacks, plural(rule->stacks),
                         rule->stacks == 0 ? " (unused)" : "");
    }
}

/* A baseline key, its tabs shown as the stack's arrows. */
static void write_key(struct ls_writer *w, const char *key)
{
    for (const char *p = key; *p != '\0'; p++) {
        if (*p == '\t')
            ls_writer_puts(w, " <- ");
        else
            ls_writer_printf(w, "%c", *p);
    }
}

static void write_baseline(struct ls_writer *w, const struct ls_summary *s)
{
    ls_writer_printf(w, "baseline %s: %zu entr%s; beyond it: ", ls_cfg.baseline_path,
                     ls_baseline_count(), ls_baseline_count() == 1 ? "y" : "ies");
    write_amount(w, s->over_baseline_bytes, s->over_baseline_blocks);
    ls_writer_puts(w, "\n");
    for (size_t i = 0; i < ls_baseline_count(); i++) {
        const struct ls_baseline_entry *e = ls_baseline_get(i);
        if (e->seen_blocks != 0)
            continue;
        ls_writer_puts(w, "baseline entry matches no counted leak (remove it): ");
        write_key(w, e->key);
        ls_writer_puts(w, "\n");
    }
}

/* The per-kind totals above the SUMMARY line, or why there are none. */
static void write_kinds(struct ls_writer *w, const struct ls_report *r)
{
    const struct ls_summary *s = &r->summary;

    if (!r->is_scanned) {
        ls_writer_printf(w,
                         "not classified by reachability (%s): every live block counts "
                         "as leaked\n",
                         ls_cfg.scan == LS_SCAN_NONE && r->sample_rate != 0
                             ? "LEAKSHIM_SCAN is none by default with LEAKSHIM_SAMPLE"
                         : ls_cfg.scan == LS_SCAN_NONE ? "LEAKSHIM_SCAN=none"
                         : r->reason != LS_REASON_EXIT
                             ? "snapshots are classified only with LEAKSHIM_SCAN=all"
                             : "the scan could not run; see stderr");
        return;
    }
    ls_writer_puts(w, "by kind:");
    for (int k = LS_KIND_DEFINITE; k <= LS_KIND_REACHABLE; k++) {
        ls_writer_printf(w, "%s %s ", k == 0 ? "" : ";", kind_words[k]);
        write_amount(w, s->kind_bytes[k], s->kind_blocks[k]);
    }
    ls_writer_puts(w, "\nnot counted: suppressed ");
    write_amount(w, s->suppressed_bytes, s->suppressed_blocks);
    ls_writer_puts(w, "; ignored ");
    write_amount(w, s->ignored_bytes, s->ignored_blocks);
    ls_writer_puts(w, "; below LEAKSHIM_MIN_BYTES ");
    write_amount(w, s->below_threshold_bytes, s->below_threshold_blocks);
    ls_writer_puts(w, "\n");
    if (r->threads_missed > 0)
        ls_writer_printf(w,
                         "note: %zu thread%s could not be stopped for the scan; their "
                         "stacks were scanned without their registers, %zu whole (running)\n",
                         r->threads_missed, plural(r->threads_missed), r->threads_whole);
}

/* What the listed stacks gained since the previous report: blocks allocated since then
 * and still live. */
static void write_growth(struct ls_writer *w, const struct ls_report *r)
{
    uint64_t bytes = 0, blocks = 0;

    if (!r->has_previous)
        return;
    for (uint64_t i = 0; i < r->n_groups; i++) {
        bytes += r->groups[i].new_bytes;
        blocks += r->groups[i].new_blocks;
    }
    ls_writer_printf(w, "since report %u (%" PRIu64 " ms earlier): ", r->previous_sequence,
                     r->time_unix_ms - r->previous_time_unix_ms);
    write_amount(w, bytes, blocks);
    ls_writer_puts(w, " allocated since then are still live in the stacks above\n");
}

/* Ends the header and the SUMMARY line of a sampled report. */
static void write_sampled_mark(struct ls_writer *w, const struct ls_report *r)
{
    if (r->sample_rate != 0)
        ls_writer_printf(w, " (estimated from sampled blocks, LEAKSHIM_SAMPLE=%" PRIu64 ")",
                         r->sample_rate);
    ls_writer_puts(w, "\n");
}

void ls_report_write_text(struct ls_writer *w, const struct ls_report *r)
{
    const struct ls_summary *sum = &r->summary;

    ls_writer_printf(w, "leakshim: %s, pid %d, %s", reason_words[r->reason], r->pid, r->program);
    write_sampled_mark(w, r);
    if (r->reason == LS_REASON_EXIT && !r->libc_released)
        ls_writer_printf(w,
                         "note: %d other thread%s still running at exit, so the C library "
                         "kept its buffers; stacks marked [C library] are its own\n",
                         r->threads - 1, r->threads - 1 == 1 ? " was" : "s were");
    ls_writer_puts(w, "\n");

    for (uint64_t i = 0; i < r->n_groups; i++)
        write_group(w, r, i);
    write_suppressions(w);
    if (ls_report_has_baseline())
        write_baseline(w, sum);
    write_kinds(w, r); // before SUMMARY, which stays the last line for scripts
    write_growth(w, r);

    ls_writer_printf(w,
                     "SUMMARY: leaked %" PRIu64 " byte%s in %" PRIu64 " block%s from %" PRIu64
                     " stack%s; %" PRIu64 " allocation%s, %" PRIu64 " free%s, peak live %" PRIu64
                     " bytes",
                     sum->leaked_bytes, plural(sum->leaked_bytes), sum->leaked_blocks,
                     plural(sum->leaked_blocks), r->n_leak_groups, plural(r->n_leak_groups),
                     sum->total_allocations, plural(sum->total_allocations), sum->total_frees,
                     plural(sum->total_frees), sum->peak_live_bytes);
    write_sampled_mark(w, r);
}
