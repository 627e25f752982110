/* SPDX-License-Identifier: MIT
 *
 * report_folded.c - the folded-stack format flame-graph tools read: one line per stack,
 * frames outermost first joined by ';', a space, then the live bytes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "report.h"

/* A frame's name: its function, else module+offset, else its address. A ';' would split
 * the frame in two and a newline would end the line, so both become '_'. */
static void write_name(struct ls_writer *w, const struct ls_frame *f)
{
    char buf[64];
    const char *name = f->function;

    if (name == NULL && f->module != NULL) {
        const char *base = strrchr(f->module, '/');
        ls_writer_puts(w, base != NULL ? base + 1 : f->module);
        snprintf(buf, sizeof(buf), "+0x%" PRIxPTR, f->offset);
        name = buf;
    } else if (name == NULL) {
        snprintf(buf, sizeof(buf), "0x%" PRIxPTR, f->address);
        name = buf;
    }
    for (const char *p = name; *p != '\0';) {
        size_t n = strcspn(p, ";\n");
        ls_writer_put(w, p, n);
        p += n;
        if (*p != '\0') {
            ls_writer_puts(w, "_");
            p++;
        }
    }
}

/* One line: the stack's frames outermost first (frames holds room for LS_MAX_FRAMES). */
static void write_line(struct ls_writer *w, const struct ls_stack *s, struct ls_frame *frames,
                       uint64_t bytes)
{
    struct ls_frame_iter it;
    uint32_t n = 0;

    ls_report_frames_begin(&it, s);
    while (ls_report_frames_next(&it, &frames[n]))
        n++;
    if (n == 0)
        ls_writer_puts(w, "[no stack]");
    for (uint32_t i = n; i-- > 0;) {
        write_name(w, &frames[i]);
        if (i > 0)
            ls_writer_puts(w, ";");
    }
    ls_writer_printf(w, " %" PRIu64 "\n", bytes);
}

/* The listed groups, one line per stack (a stack listed under two kinds gets one line
 * with both), in the report's order; stacks of 0 bytes add nothing to a flame graph. */
void ls_report_write_folded(struct ls_writer *w, const struct ls_report *r)
{
    uint32_t n_ids = ls_stackdb_count();
    size_t sums_size = (size_t)n_ids * sizeof(uint64_t);
    size_t frames_size = LS_MAX_FRAMES * sizeof(struct ls_frame);
    uint64_t *sums = ls_arena_alloc(sums_size);
    struct ls_frame *frames = ls_arena_alloc(frames_size);

    if (sums != NULL && frames != NULL) {
        memset(sums, 0, sums_size);
        for (uint64_t i = 0; i < r->n_groups; i++)
            sums[r->groups[i].stack_id] += r->groups[i].bytes;
        for (uint64_t i = 0; i < r->n_groups; i++) {
            uint32_t id = r->groups[i].stack_id;
            if (sums[id] != 0)
                write_line(w, ls_report_stack(&r->groups[i]), frames, sums[id]);
            sums[id] = 0;
        }
    }
    ls_arena_free(sums, sums_size);
    ls_arena_free(frames, frames_size);
}
