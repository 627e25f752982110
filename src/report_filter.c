/* SPDX-License-Identifier: MIT
 *
 * report_filter.c - which groups a report lists and which count as leaked: the kinds
 * shown first, then suppressions, the size threshold, and the baseline.
 *
 * Runs after the table is unlocked: symbolizing here takes the loader's lock and may
 * allocate (the guard is held).
 */
#include "baseline.h"
#include "config.h"
#include "report.h"
#include "suppress.h"

#define KEY_BYTES (64 * 1024) // a longer key is cut, and so matches no baseline entry

static bool has_baseline;

void ls_report_load_filters(void)
{
    if (ls_cfg.suppressions_path[0] != '\0')
        ls_suppress_load(ls_cfg.suppressions_path);
    if (ls_cfg.baseline_path[0] != '\0')
        has_baseline = ls_baseline_load(ls_cfg.baseline_path) >= 0;
}

bool ls_report_has_baseline(void)
{
    return has_baseline;
}

static bool is_shown(const struct ls_group *g)
{
    return g->is_leak || (ls_cfg.show_kinds & LS_KIND_BIT(g->kind));
}

/* The logical frames of g's stack; report lock held, so one buffer serves. */
static uint32_t frames_of(const struct ls_group *g, struct ls_frame **out)
{
    static struct ls_frame frames[LS_MAX_FRAMES];
    struct ls_frame_iter it;
    uint32_t n = 0;

    ls_report_frames_begin(&it, ls_report_stack(g));
    while (n < LS_MAX_FRAMES && ls_report_frames_next(&it, &frames[n]))
        n++;
    *out = frames;
    return n;
}

static bool is_suppressed(struct ls_group *g, const struct ls_frame *f, uint32_t n)
{
    g->suppression = ls_suppress_count() > 0 ? ls_suppress_match(f, n) : -1;
    struct ls_suppression *rule = ls_suppress_get((size_t)g->suppression);
    if (g->suppression < 0 || rule == NULL)
        return false;
    rule->bytes += g->bytes;
    rule->blocks += g->blocks;
    rule->stacks++;
    return true;
}

/* Matches a leaked group against the baseline; a group with no entry is new. */
static void match_baseline(struct ls_group *g, const struct ls_frame *f, uint32_t n,
                           struct ls_summary *sum)
{
    static char key[KEY_BYTES];

    if (ls_baseline_key(f, n, key, sizeof(key)) < sizeof(key))
        g->baseline = ls_baseline_find(key);
    if (g->baseline == NULL) {
        sum->over_baseline_bytes += g->bytes;
        sum->over_baseline_blocks += g->blocks;
        return;
    }
    g->baseline->seen_bytes += g->bytes;
    g->baseline->seen_blocks += g->blocks;
}

/* Growth beyond each entry, added once every group was matched. */
static void add_growth(struct ls_summary *sum)
{
    for (size_t i = 0; i < ls_baseline_count(); i++) {
        const struct ls_baseline_entry *e = ls_baseline_get(i);
        if (e->seen_bytes > e->bytes)
            sum->over_baseline_bytes += e->seen_bytes - e->bytes;
        if (e->seen_blocks > e->blocks)
            sum->over_baseline_blocks += e->seen_blocks - e->blocks;
    }
}

uint64_t ls_report_filter(struct ls_report *r, struct ls_group *all, uint64_t n)
{
    struct ls_summary *sum = &r->summary;
    bool needs_frames = ls_suppress_count() > 0 || has_baseline;
    struct ls_frame *frames = NULL;
    uint64_t listed = 0;

    ls_suppress_reset_counts();
    ls_baseline_reset_counts();
    for (uint64_t i = 0; i < n; i++) {
        struct ls_group *g = &all[i];
        // A group the report would not list (a hidden kind: still reachable memory by
        // default) is no leak to suppress; counting it would make a rule look used.
        if (!is_shown(g))
            continue;
        uint32_t n_frames = needs_frames ? frames_of(g, &frames) : 0;
        if (is_suppressed(g, frames, n_frames)) {
            sum->suppressed_bytes += g->bytes;
            sum->suppressed_blocks += g->blocks;
            continue;
        }
        if (g->bytes < ls_cfg.min_bytes) {
            sum->below_threshold_bytes += g->bytes;
            sum->below_threshold_blocks += g->blocks;
            continue;
        }
        if (g->is_leak) {
            r->n_leak_groups++;
            sum->leaked_bytes += g->bytes;
            sum->leaked_blocks += g->blocks;
            if (has_baseline)
                match_baseline(g, frames, n_frames, sum);
        }
        all[listed++] = *g;
    }
    if (has_baseline)
        add_growth(sum);
    return listed;
}

const char *ls_report_baseline_status(const struct ls_group *g)
{
    const struct ls_baseline_entry *e = g->baseline;

    if (e == NULL)
        return "new";
    return e->seen_bytes > e->bytes || e->seen_blocks > e->blocks ? "grown" : "known";
}
