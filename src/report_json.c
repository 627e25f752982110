/* SPDX-License-Identifier: MIT
 *
 * report_json.c - the JSON report, version 1 (docs/report-format.md is the contract:
 * fields may be added, never removed or changed in meaning).
 */
#include <inttypes.h>

#include "baseline.h"
#include "config.h"
#include "report.h"
#include "suppress.h"

static void write_pair(struct ls_writer *w, const char *name, uint64_t bytes, uint64_t blocks)
{
    ls_writer_printf(w, "    \"%s_bytes\": %" PRIu64 ", \"%s_blocks\": %" PRIu64 ",\n", name, bytes,
                     name, blocks);
}

static void write_kind_totals(struct ls_writer *w, const struct ls_summary *s)
{
    for (int k = LS_KIND_DEFINITE; k <= LS_KIND_REACHABLE; k++)
        write_pair(w, ls_config_kind_name(k), s->kind_bytes[k], s->kind_blocks[k]);
    write_pair(w, "ignored", s->ignored_bytes, s->ignored_blocks);
    write_pair(w, "below_threshold", s->below_threshold_bytes, s->below_threshold_blocks);
    if (ls_report_has_baseline())
        write_pair(w, "over_baseline", s->over_baseline_bytes, s->over_baseline_blocks);
}

static void write_summary(struct ls_writer *w, const struct ls_report *r)
{
    const struct ls_summary *s = &r->summary;

    ls_writer_printf(
        w, "  \"summary\": {\n    \"leaked_bytes\": %" PRIu64 ", \"leaked_blocks\": %" PRIu64 ",\n",
        s->leaked_bytes, s->leaked_blocks);
    ls_writer_printf(w, "    \"live_bytes\": %" PRIu64 ", \"live_blocks\": %" PRIu64 ",\n",
                     s->live_bytes, s->live_blocks);
    write_pair(w, "suppressed", s->suppressed_bytes, s->suppressed_blocks);
    write_kind_totals(w, s);
    ls_writer_printf(w, "    \"total_allocations\": %" PRIu64 ", \"total_frees\": %" PRIu64 ",\n",
                     s->total_allocations, s->total_frees);
    ls_writer_printf(w,
                     "    \"peak_live_bytes\": %" PRIu64 ",\n    \"stacks\": %" PRIu64
                     ",\n    \"untracked_frees\": %" PRIu64 "\n  },\n",
                     s->peak_live_bytes, r->n_groups, s->untracked_frees);
}

/* Whether and how the report was classified, and which kinds count. */
static void write_scan(struct ls_writer *w, const struct ls_report *r)
{
    const char *sep = "";

    ls_writer_printf(w,
                     "  \"scanned\": %s, \"scan_ms\": %" PRIu64 ".%03" PRIu64
                     ", \"threads_not_stopped\": %zu, \"threads_scanned_whole\": %zu,\n"
                     "  \"leak_kinds\": [",
                     r->is_scanned ? "true" : "false", r->scan_us / 1000, r->scan_us % 1000,
                     r->threads_missed, r->threads_whole);
    for (int k = LS_KIND_DEFINITE; k <= LS_KIND_REACHABLE; k++) {
        if (ls_cfg.leak_kinds & LS_KIND_BIT(k)) {
            ls_writer_printf(w, "%s\"%s\"", sep, ls_config_kind_name(k));
            sep = ", ";
        }
    }
    ls_writer_puts(w, "],\n");
}

/* Every rule of the suppressions file, with what it matched in this report. */
static void write_suppressions(struct ls_writer *w)
{
    size_t n = ls_suppress_count();

    ls_writer_puts(w, "  \"suppressions\": [");
    for (size_t i = 0; i < n; i++) {
        const struct ls_suppression *rule = ls_suppress_get(i);
        ls_writer_puts(w, i == 0 ? "\n    { \"pattern\": " : ",\n    { \"pattern\": ");
        ls_writer_json_string(w, rule->pattern);
        ls_writer_printf(w,
                         ", \"line\": %d, \"stacks\": %" PRIu64 ", \"bytes\": %" PRIu64
                         ", \"blocks\": %" PRIu64 " }",
                         rule->line, rule->stacks, rule->bytes, rule->blocks);
    }
    ls_writer_puts(w, n > 0 ? "\n  ],\n" : "],\n");
}

/* The entries of the baseline that leak no more (delete them from the file) or less than
 * recorded (lower them): the file should only ever shrink. */
static void write_baseline_entries(struct ls_writer *w, bool want_gone)
{
    const char *sep = "\n";

    for (size_t i = 0; i < ls_baseline_count(); i++) {
        const struct ls_baseline_entry *e = ls_baseline_get(i);
        bool is_gone = e->seen_blocks == 0;
        bool is_shrunk = !is_gone && (e->seen_bytes < e->bytes || e->seen_blocks < e->blocks);
        if (want_gone ? !is_gone : !is_shrunk)
            continue;
        ls_writer_printf(w,
                         "%s      { \"bytes\": %" PRIu64 ", \"blocks\": %" PRIu64
                         ", \"seen_bytes\": %" PRIu64 ", \"seen_blocks\": %" PRIu64 ", \"key\": ",
                         sep, e->bytes, e->blocks, e->seen_bytes, e->seen_blocks);
        ls_writer_json_string(w, e->key);
        ls_writer_puts(w, " }");
        sep = ",\n";
    }
    ls_writer_puts(w, sep[0] == ',' ? "\n    ]" : "]");
}

static void write_baseline(struct ls_writer *w)
{
    ls_writer_puts(w, "  \"baseline\": {\n    \"path\": ");
    ls_writer_json_string(w, ls_cfg.baseline_path);
    ls_writer_printf(w, ", \"entries\": %zu,\n    \"gone\": [", ls_baseline_count());
    write_baseline_entries(w, true);
    ls_writer_puts(w, ",\n    \"shrunk\": [");
    write_baseline_entries(w, false);
    ls_writer_puts(w, "\n  },\n");
}

static void write_frame(struct ls_writer *w, const struct ls_frame *f)
{
    ls_writer_printf(w, "        { \"address\": \"0x%" PRIxPTR "\", \"function\": ", f->address);
    ls_writer_json_string(w, f->function);
    ls_writer_puts(w, ", \"module\": ");
    ls_writer_json_string(w, f->module);
    ls_writer_printf(w, ", \"offset\": \"0x%" PRIxPTR "\", \"file\": ", f->offset);
    ls_writer_json_string(w, f->file);
    if (f->file != NULL && f->line > 0)
        ls_writer_printf(w, ", \"line\": %d", f->line);
    else
        ls_writer_puts(w, ", \"line\": null");
    // Only on inlined calls, so a stack without any reads as it always did.
    ls_writer_puts(w, f->is_inlined ? ", \"inlined\": true }" : " }");
}

static void write_group(struct ls_writer *w, const struct ls_group *g, uint64_t sample_rate)
{
    struct ls_frame_iter it;
    struct ls_frame f;

    uint64_t alloc_blocks, alloc_bytes;

    ls_report_stack_allocs(g->stack_id, &alloc_blocks, &alloc_bytes);
    ls_writer_printf(
        w,
        "    { \"kind\": \"%s\", \"bytes\": %" PRIu64 ", \"blocks\": %" PRIu64
        ", \"owner\": \"%s\",\n      \"new_bytes\": %" PRIu64 ", \"new_blocks\": %" PRIu64
        ", \"alloc_bytes\": %" PRIu64 ", \"alloc_blocks\": %" PRIu64 ",",
        ls_config_kind_name(g->kind), g->bytes, g->blocks, g->is_libc ? "libc" : "program",
        g->new_bytes, g->new_blocks, alloc_bytes, alloc_blocks);
    if (sample_rate != 0) // the estimates above scale these
        ls_writer_printf(w, " \"sampled_bytes\": %" PRIu64 ", \"sampled_blocks\": %" PRIu64 ",",
                         g->sampled_bytes, g->sampled_blocks);
    if (ls_report_has_baseline() && g->is_leak)
        ls_writer_printf(w, " \"baseline\": \"%s\",", ls_report_baseline_status(g));
    ls_writer_puts(w, "\n      \"frames\": [");
    ls_report_frames_begin(&it, ls_report_stack(g));
    uint32_t k = 0;
    for (; ls_report_frames_next(&it, &f); k++) {
        ls_writer_puts(w, k == 0 ? "\n" : ",\n");
        write_frame(w, &f);
    }
    ls_writer_puts(w, k > 0 ? "\n      ] }" : "] }");
}

void ls_report_write_json(struct ls_writer *w, const struct ls_report *r)
{
    ls_writer_printf(w,
                     "{\n  \"format\": \"leakshim\", \"version\": 1,\n  \"pid\": %d, "
                     "\"program\": ",
                     r->pid);
    ls_writer_json_string(w, r->program);
    ls_writer_printf(w,
                     ",\n  \"reason\": \"%s\", \"sequence\": %u, \"time_unix_ms\": %" PRIu64 ",\n",
                     ls_report_reason_name(r->reason), r->sequence, r->time_unix_ms);
    ls_writer_printf(w, "  \"max_depth\": %d, \"libc_released\": %s, \"threads_at_report\": %d,\n",
                     ls_cfg.max_depth, r->libc_released ? "true" : "false", r->threads);
    if (r->has_previous)
        ls_writer_printf(w,
                         "  \"previous\": { \"sequence\": %u, \"time_unix_ms\": %" PRIu64 " },\n",
                         r->previous_sequence, r->previous_time_unix_ms);
    else
        ls_writer_puts(w, "  \"previous\": null,\n");
    if (r->sample_rate != 0)
        ls_writer_printf(w,
                         "  \"sampled\": { \"rate_bytes\": %" PRIu64 ", \"live_bytes\": %" PRIu64
                         ", \"live_blocks\": %" PRIu64 " },\n",
                         r->sample_rate, r->summary.sampled_live_bytes,
                         r->summary.sampled_live_blocks);
    else
        ls_writer_puts(w, "  \"sampled\": null,\n");
    write_scan(w, r);
    write_summary(w, r);

    write_suppressions(w);
    if (ls_report_has_baseline())
        write_baseline(w);
    ls_writer_puts(w, "  \"stacks\": [");
    for (uint64_t i = 0; i < r->n_groups; i++) {
        ls_writer_puts(w, i == 0 ? "\n" : ",\n");
        write_group(w, &r->groups[i], r->sample_rate);
    }
    ls_writer_puts(w, r->n_groups > 0 ? "\n  ]\n}\n" : "]\n}\n");
}
