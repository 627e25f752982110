/* SPDX-License-Identifier: MIT
 *
 * report.c - from the live-block table to a finished report file.
 *
 * Lock discipline: the table stripes are held only while blocks are tallied by stack id
 * (arena memory, no calls out). Symbolizing, which takes the loader's lock and allocates,
 * happens after they are released, so a thread inside dlopen or malloc never waits on us
 * while we wait on it.
 */
#include "report.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "leakcheck.h"
#include "log.h"
#include "module.h"
#include "output.h"
#include "sample.h"
#include "symbolize.h"
#include "table.h"
#include "track.h"

static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned next_sequence;
/* The last written report of this process: what the next one's new_* count from. */
static bool has_previous;
static unsigned previous_sequence;
static uint64_t previous_time_unix_ms;

/*
 * The groups of a report, tallied in one pass over the copied blocks: cell (kind * n_ids
 * + stack id) holds its group's index + 1, or 0 before the group's first block, so the
 * memory grows with the groups found plus 4 bytes a cell, not with 48 bytes a cell. While
 * tallying, each group's blocks and new_blocks are fixed point (LS_WEIGHT_ONE units):
 * blocks and bytes are what the blocks stand for (estimates in sampling mode);
 * sampled_* count the sampled blocks themselves.
 */
struct tally {
    uint32_t n_ids;
    uint32_t *cell;
    struct ls_group *groups;
    size_t n_groups, cap_groups;
};

static size_t cells_size(const struct tally *t)
{
    return (size_t)LS_N_KINDS * t->n_ids * sizeof(uint32_t);
}

/* The group of block b, made on its first block; NULL when out of memory. */
static struct ls_group *group_of(struct tally *t, const struct ls_scan_block *b)
{
    uint32_t id = b->stack_id < t->n_ids ? b->stack_id : 0;
    uint32_t *cell = &t->cell[(size_t)b->kind * t->n_ids + id];

    if (*cell != 0)
        return &t->groups[*cell - 1];
    if (t->n_groups == t->cap_groups) {
        struct ls_group *more = ls_arena_grow(t->groups, t->n_groups, &t->cap_groups,
                                              t->cap_groups * 2 + 64, sizeof(*more));
        if (more == NULL)
            return NULL;
        t->groups = more;
    }
    t->groups[t->n_groups] = (struct ls_group){
        .stack_id = id,
        .kind = b->kind,
        .is_leak = b->kind == LS_KIND_UNSCANNED || (ls_cfg.leak_kinds & LS_KIND_BIT(b->kind)),
        .suppression = -1,
    };
    *cell = (uint32_t)++t->n_groups;
    return &t->groups[t->n_groups - 1];
}

/* Adds one block to its group and to the summary's kind totals (kind_blocks: fixed
 * point). */
static int tally_one(struct tally *t, const struct ls_scan_block *b, const struct ls_weight *w,
                     struct ls_summary *sum, uint64_t *kind_blocks)
{
    struct ls_group *g = group_of(t, b);

    if (g == NULL)
        return -1;
    g->bytes += w->bytes;
    g->blocks += w->blocks;
    if (b->flags & LS_BLOCK_SAMPLED) {
        g->sampled_bytes += b->size;
        g->sampled_blocks++;
    }
    if (!has_previous || (b->flags & LS_BLOCK_NEW)) {
        g->new_bytes += w->bytes;
        g->new_blocks += w->blocks;
    }
    sum->kind_bytes[b->kind] += w->bytes;
    kind_blocks[b->kind] += w->blocks;
    return 0;
}

static void tally_free(struct tally *t)
{
    ls_arena_free(t->cell, cells_size(t));
    ls_arena_free(t->groups, t->cap_groups * sizeof(*t->groups));
}

static int tally_blocks(struct tally *t, const struct ls_leakcheck *lc, struct ls_summary *sum)
{
    uint64_t kind_blocks[LS_N_KINDS] = {0}, ignored_blocks = 0, live_blocks = 0;

    t->n_ids = ls_stackdb_count(); // the ids of the blocks copied are below
    t->cell = ls_arena_alloc(cells_size(t));
    if (t->cell == NULL)
        return -1;
    memset(t->cell, 0, cells_size(t));
    for (size_t i = 0; i < lc->n_blocks; i++) {
        const struct ls_scan_block *b = &lc->blocks[i];
        // Blocks recorded before sampling started are exact: one block each.
        struct ls_weight w = ls_track_weight(b->size, b->flags);
        sum->live_bytes += w.bytes;
        live_blocks += w.blocks;
        if (b->flags & LS_BLOCK_SAMPLED) {
            sum->sampled_live_bytes += b->size;
            sum->sampled_live_blocks++;
        }
        if (b->flags & LS_BLOCK_IGNORED) {
            sum->ignored_bytes += w.bytes;
            ignored_blocks += w.blocks;
        } else if (tally_one(t, b, &w, sum, kind_blocks) != 0) {
            tally_free(t);
            return -1;
        }
    }
    for (size_t i = 0; i < t->n_groups; i++) { // whole blocks from here on
        t->groups[i].blocks = ls_weight_blocks(t->groups[i].blocks);
        t->groups[i].new_blocks = ls_weight_blocks(t->groups[i].new_blocks);
    }
    // Rounded once per total: each may differ from the sum of its rounded groups.
    sum->live_blocks = ls_weight_blocks(live_blocks);
    sum->ignored_blocks = ls_weight_blocks(ignored_blocks);
    for (int k = 0; k < LS_N_KINDS; k++)
        sum->kind_blocks[k] = ls_weight_blocks(kind_blocks[k]);
    return 0;
}

/* Kinds in report order, then biggest first, then the older stack. */
static int by_kind_and_size(const void *a, const void *b)
{
    const struct ls_group *x = a, *y = b;

    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->bytes != y->bytes)
        return x->bytes > y->bytes ? -1 : 1;
    if (x->blocks != y->blocks)
        return x->blocks > y->blocks ? -1 : 1;
    return x->stack_id < y->stack_id ? -1 : x->stack_id > y->stack_id;
}

const char *ls_report_reason_name(enum ls_reason reason)
{
    static const char *const names[] = {
        [LS_REASON_EXIT] = "exit",         [LS_REASON_SIGNAL] = "signal",
        [LS_REASON_REQUEST] = "request",   [LS_REASON_CHECK] = "check",
        [LS_REASON_INTERVAL] = "interval",
    };

    return (unsigned)reason < sizeof(names) / sizeof(names[0]) ? names[reason] : "?";
}

void ls_report_stack_allocs(uint32_t stack_id, uint64_t *blocks, uint64_t *bytes)
{
    ls_stackdb_allocs(stack_id, blocks, bytes);
    *blocks = ls_weight_blocks(*blocks); // each block was counted with its own weight
}

const struct ls_stack *ls_report_stack(const struct ls_group *g)
{
    return ls_stackdb_get(g->stack_id);
}

void ls_report_frames_begin(struct ls_frame_iter *it, const struct ls_stack *s)
{
    *it = (struct ls_frame_iter){.stack = s};
}

/* Moves to the next captured address and symbolizes it; false after the last one. */
static bool next_address(struct ls_frame_iter *it)
{
    const struct ls_stack *s = it->stack;

    if (it->n_sub != 0)
        it->ip++;
    if (s == NULL || it->ip >= s->n_frames)
        return false;
    const struct ls_module *m = ls_module_get(s->module_ids[it->ip]);
    it->module = m;
    it->sub = 0;
    it->n_sub = 1;
    it->syms = NULL;
    // Every kept frame holds a return address: the call itself is the byte before it.
    if (m != NULL)
        it->n_sub = ls_symbolize(s->module_ids[it->ip], s->ips[it->ip] - m->base - 1, &it->syms);
    return true;
}

bool ls_report_frames_next(struct ls_frame_iter *it, struct ls_frame *out)
{
    if (it->n_done >= LS_MAX_FRAMES || (it->sub >= it->n_sub && !next_address(it)))
        return false;

    const struct ls_stack *s = it->stack;
    const struct ls_module *m = it->module;
    const struct ls_symbol *sym = it->syms != NULL ? &it->syms[it->sub] : NULL;
    *out = (struct ls_frame){
        .address = s->ips[it->ip],
        .module = m != NULL ? m->path : NULL,
        .offset = m != NULL ? s->ips[it->ip] - m->base : 0,
        .function = sym != NULL ? sym->function : NULL,
        .file = sym != NULL ? sym->file : NULL,
        .line = sym != NULL ? sym->line : 0,
        .is_inlined = sym != NULL && sym->is_inlined,
    };
    it->sub++;
    it->n_done++;
    return true;
}

/* The C and C++ runtime: glibc, the dynamic loader, libstdc++. */
static bool is_runtime_module(const char *path)
{
    static const char *const names[] = {"libc.so", "ld-linux", "libstdc++.so"};
    const char *base = path != NULL ? strrchr(path, '/') : NULL;

    base = base != NULL ? base + 1 : path;
    for (size_t i = 0; base != NULL && i < sizeof(names) / sizeof(names[0]); i++) {
        if (strncmp(base, names[i], strlen(names[i])) == 0)
            return true;
    }
    return false;
}

/* Functions through which the C library allocates for itself, not for its caller.
 * TODO: a name list is a heuristic; a stdio buffer of a FILE the program leaked is marked
 * too. Exact ownership would need glibc to say what __libc_freeres would free. */
static bool is_libc_internal(const char *fn)
{
    static const char *const prefixes[] = {
        "_IO_file_doallocate", "_nl_",      "__nss_",       "nss_",    "_dl_",
        "allocate_dtv",        "__tz",      "tzset",        "__gconv", "__res_",
        "__libc_dlerror",      "setlocale", "__new_exitfn",
    };

    for (size_t i = 0; fn != NULL && i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        if (strncmp(fn, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    }
    return false;
}

/* No frame outside the runtime: allocated while libraries were being set up (libstdc++'s
 * emergency exception pool is one), never by the program's own code. */
static bool is_runtime_only(const struct ls_stack *s)
{
    for (uint32_t i = 0; i < s->n_frames; i++) {
        const struct ls_module *m = ls_module_get(s->module_ids[i]);
        if (m == NULL || !is_runtime_module(m->path))
            return false;
    }
    return true;
}

/* Whether the innermost captured address is a C library function that allocates for
 * itself: the function that holds the code, or any call glibc inlined into it there. */
static bool is_libc_internal_stack(const struct ls_stack *s)
{
    struct ls_frame_iter it;
    struct ls_frame f;

    ls_report_frames_begin(&it, s);
    while (ls_report_frames_next(&it, &f)) {
        if (is_runtime_module(f.module) && is_libc_internal(f.function))
            return true;
        if (!f.is_inlined)
            break; // the first captured address ends here
    }
    return false;
}

/* Without __libc_freeres, say which groups are the runtime's own memory. */
static void mark_libc_groups(struct ls_report *r)
{
    for (uint64_t i = 0; i < r->n_groups && !r->libc_released; i++) {
        const struct ls_stack *s = ls_report_stack(&r->groups[i]);
        if (s == NULL || s->n_frames == 0)
            continue;
        r->groups[i].is_libc = is_runtime_only(s) || is_libc_internal_stack(s);
    }
}

atomic_int ls_report_shim_threads;

/* A task that has not exited: a main thread that called pthread_exit() stays listed as
 * a zombie ('Z') until the whole process ends. */
static bool is_live_task(const char *tid)
{
    char path[64], buf[512];

    snprintf(path, sizeof(path), "/proc/self/task/%s/stat", tid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    const char *state = strrchr(buf, ')'); // the name in parentheses may hold anything
    return state != NULL && state[1] == ' ' && state[2] != 'Z' && state[2] != 'X';
}

int ls_report_program_threads(void)
{
    DIR *dir = opendir("/proc/self/task");
    struct dirent *e;
    int n = 0;

    if (dir == NULL)
        return -1;
    while ((e = readdir(dir)) != NULL)
        n += e->d_name[0] != '.' && is_live_task(e->d_name);
    closedir(dir);
    return n - atomic_load(&ls_report_shim_threads);
}

static uint64_t now_unix_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

bool ls_report_scans(enum ls_reason reason)
{
    if (ls_cfg.scan == LS_SCAN_NONE)
        return false;
    return reason == LS_REASON_EXIT || reason == LS_REASON_CHECK || ls_cfg.scan == LS_SCAN_ALL;
}

bool ls_report_is_failing(const struct ls_summary *s)
{
    if (ls_report_has_baseline())
        return s->over_baseline_bytes > 0 || s->over_baseline_blocks > 0;
    return s->leaked_bytes > 0 || s->leaked_blocks > 0;
}

/* Counts, filters, sorts and writes the blocks lc took. */
static int build_and_write(struct ls_report *r, const struct ls_report_job *job,
                           const struct ls_leakcheck *lc)
{
    struct tally t = {0};
    int rc;

    if (tally_blocks(&t, lc, &r->summary) != 0)
        return -1;
    // The peak counter is raised just after a block enters the table, so a report
    // landing in between sees one more block live than the peak yet holds.
    if (r->summary.peak_live_bytes < r->summary.live_bytes)
        r->summary.peak_live_bytes = r->summary.live_bytes;
    r->groups = t.groups;
    r->n_groups = ls_report_filter(r, t.groups, t.n_groups);
    if (r->n_groups > 1)
        qsort(r->groups, r->n_groups, sizeof(*r->groups), by_kind_and_size);
    mark_libc_groups(r);
    rc = job->is_written ? ls_report_write_out(r) : 0;
    tally_free(&t);
    return rc;
}

int ls_report_run(const struct ls_report_job *job, struct ls_summary *summary)
{
    struct ls_report r = {
        .reason = job->reason,
        .pid = (int)getpid(),
        .time_unix_ms = now_unix_ms(),
        .program = ls_module_program_path(),
        .libc_released = job->libc_released,
        .sample_rate = ls_track_sample_rate(),
    };
    struct ls_leakcheck lc;
    int rc = -1;

    pthread_mutex_lock(&report_lock);
    if (job->is_written)
        r.sequence = next_sequence++;
    r.has_previous = has_previous;
    r.previous_sequence = previous_sequence;
    r.previous_time_unix_ms = previous_time_unix_ms;
    r.threads = ls_report_program_threads();
    int taken = job->is_written ? ls_leakcheck_take_written(&lc, job->is_scan, job->entry)
                                : ls_leakcheck_take(&lc, job->is_scan, job->entry);
    if (taken == 0) {
        r.is_scanned = lc.is_scanned;
        r.scan_us = lc.scan_us;
        r.threads_missed = lc.threads_missed;
        r.threads_whole = lc.threads_whole;
        ls_track_estimate_counts(&lc.counts); // sampling mode: all allocations, estimated
        r.summary.total_allocations = lc.counts.allocations;
        r.summary.total_frees = lc.counts.frees;
        r.summary.untracked_frees = lc.counts.untracked_frees;
        r.summary.peak_live_bytes = ls_track_peak_bytes();
        rc = build_and_write(&r, job, &lc);
        ls_leakcheck_release(&lc);
        if (job->is_written) { // the next report's new blocks count from this one
            has_previous = true;
            previous_sequence = r.sequence;
            previous_time_unix_ms = r.time_unix_ms;
        }
    }
    if (summary != NULL)
        *summary = r.summary;
    pthread_mutex_unlock(&report_lock);
    return rc;
}

void ls_report_lock(void)
{
    pthread_mutex_lock(&report_lock);
}

void ls_report_unlock(void)
{
    pthread_mutex_unlock(&report_lock);
}

void ls_report_reset_after_fork(void)
{
    pthread_mutex_init(&report_lock, NULL);
    next_sequence = 0;
    has_previous = false; // the child's first report counts every block it holds as new
}
