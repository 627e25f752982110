/* SPDX-License-Identifier: MIT
 *
 * report_json.c - the JSON report, version 1 (docs/report-format.md is the contract:
 * fields may be added, never removed or changed in meaning).
 */
#include <inttypes.h>

#include "config.h"
#include "report.h"

static const char *const reason_names[] = {
    [LS_REASON_EXIT] = "exit",
    [LS_REASON_SIGNAL] = "signal",
    [LS_REASON_REQUEST] = "request",
};

static void write_summary(struct ls_writer *w, const struct ls_report *r)
{
    const struct ls_summary *s = &r->summary;

    ls_writer_printf(
        w, "  \"summary\": {\n    \"leaked_bytes\": %" PRIu64 ", \"leaked_blocks\": %" PRIu64 ",\n",
        s->leaked_bytes, s->leaked_blocks);
    ls_writer_printf(w, "    \"live_bytes\": %" PRIu64 ", \"live_blocks\": %" PRIu64 ",\n",
                     s->live_bytes, s->live_blocks);
    ls_writer_printf(w,
                     "    \"suppressed_bytes\": %" PRIu64 ", \"suppressed_blocks\": %" PRIu64 ",\n",
                     s->suppressed_bytes, s->suppressed_blocks);
    ls_writer_printf(w, "    \"total_allocations\": %" PRIu64 ", \"total_frees\": %" PRIu64 ",\n",
                     s->total_allocations, s->total_frees);
    ls_writer_printf(w,
                     "    \"peak_live_bytes\": %" PRIu64 ",\n    \"stacks\": %" PRIu64
                     ",\n    \"untracked_frees\": %" PRIu64 "\n  },\n",
                     s->peak_live_bytes, r->n_groups, s->untracked_frees);
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
        ls_writer_printf(w, ", \"line\": %d }", f->line);
    else
        ls_writer_puts(w, ", \"line\": null }");
}

static void write_group(struct ls_writer *w, const struct ls_group *g)
{
    const struct ls_stack *s = ls_report_stack(g);
    struct ls_frame f;

    ls_writer_printf(w,
                     "    { \"bytes\": %" PRIu64 ", \"blocks\": %" PRIu64
                     ", \"owner\": \"%s\",\n      \"frames\": [",
                     g->bytes, g->blocks, g->is_libc ? "libc" : "program");
    for (uint32_t k = 0; s != NULL && k < s->n_frames; k++) {
        ls_report_frame(s, k, &f);
        ls_writer_puts(w, k == 0 ? "\n" : ",\n");
        write_frame(w, &f);
    }
    ls_writer_puts(w, s != NULL && s->n_frames > 0 ? "\n      ] }" : "] }");
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
                     reason_names[r->reason], r->sequence, r->time_unix_ms);
    ls_writer_printf(w, "  \"max_depth\": %d, \"libc_released\": %s, \"threads_at_report\": %d,\n",
                     ls_cfg.max_depth, r->libc_released ? "true" : "false", r->threads);
    write_summary(w, r);

    ls_writer_puts(w, "  \"stacks\": [");
    for (uint64_t i = 0; i < r->n_groups; i++) {
        ls_writer_puts(w, i == 0 ? "\n" : ",\n");
        write_group(w, &r->groups[i]);
    }
    ls_writer_puts(w, r->n_groups > 0 ? "\n  ]\n}\n" : "]\n}\n");
}
