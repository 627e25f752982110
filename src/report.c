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
#include "module.h"
#include "output.h"
#include "symbolize.h"
#include "table.h"
#include "track.h"

static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned next_sequence;

struct tally {
    uint32_t n_ids;
    uint64_t *bytes, *blocks; /* indexed by stack id */
    struct ls_summary *summary;
};

static void tally_block(const struct ls_block *b, void *ctx)
{
    struct tally *t = ctx;
    uint32_t id = b->stack_id < t->n_ids ? b->stack_id : LS_STACK_NONE;

    t->bytes[id] += b->size;
    t->blocks[id]++;
    t->summary->live_bytes += b->size;
    t->summary->live_blocks++;
}

/* Tallies every live block by stack id under all stripe locks. */
static int tally_table(struct tally *t)
{
    struct ls_table_counts counts;

    ls_table_lock_all();
    t->n_ids = ls_stackdb_count(); // every block in the table has an id below this
    t->bytes = ls_arena_alloc(2 * (size_t)t->n_ids * sizeof(uint64_t));
    if (t->bytes != NULL) {
        t->blocks = t->bytes + t->n_ids;
        memset(t->bytes, 0, 2 * (size_t)t->n_ids * sizeof(uint64_t));
        ls_table_walk_locked(tally_block, t);
        ls_table_counts_locked(&counts);
        t->summary->total_allocations = counts.allocations;
        t->summary->total_frees = counts.frees;
        t->summary->untracked_frees = counts.untracked_frees;
        t->summary->peak_live_bytes = ls_track_peak_bytes();
    }
    ls_table_unlock_all();
    return t->bytes != NULL ? 0 : -1;
}

static int by_size(const void *a, const void *b)
{
    const struct ls_group *x = a, *y = b;

    if (x->bytes != y->bytes)
        return x->bytes > y->bytes ? -1 : 1;
    if (x->blocks != y->blocks)
        return x->blocks > y->blocks ? -1 : 1;
    return x->stack_id < y->stack_id ? -1 : x->stack_id > y->stack_id;
}

/* Turns the tally into groups, biggest first. */
static int make_groups(struct ls_report *r, const struct tally *t)
{
    uint64_t n = 0;

    for (uint32_t id = 0; id < t->n_ids; id++)
        n += t->blocks[id] != 0;
    r->groups = ls_arena_alloc((n + 1) * sizeof(*r->groups));
    if (r->groups == NULL)
        return -1;

    r->n_groups = 0;
    for (uint32_t id = 0; id < t->n_ids; id++) {
        if (t->blocks[id] != 0)
            r->groups[r->n_groups++] = (struct ls_group){id, t->bytes[id], t->blocks[id], false};
    }
    qsort(r->groups, r->n_groups, sizeof(*r->groups), by_size);
    return 0;
}

const struct ls_stack *ls_report_stack(const struct ls_group *g)
{
    return ls_stackdb_get(g->stack_id);
}

void ls_report_frame(const struct ls_stack *s, uint32_t i, struct ls_frame *out)
{
    const struct ls_module *m = ls_module_get(s->module_ids[i]);
    struct ls_symbol sym = {0};

    out->address = s->ips[i];
    out->module = m != NULL ? m->path : NULL;
    out->offset = m != NULL ? s->ips[i] - m->base : 0;
    // Every kept frame holds a return address: the call itself is the byte before it.
    if (m != NULL)
        ls_symbolize(s->module_ids[i], out->offset - 1, &sym);
    out->function = sym.function;
    out->file = sym.file;
    out->line = sym.line;
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

/* Without __libc_freeres, say which groups are the runtime's own memory. */
static void mark_libc_groups(struct ls_report *r)
{
    struct ls_frame f;

    for (uint64_t i = 0; i < r->n_groups && !r->libc_released; i++) {
        const struct ls_stack *s = ls_report_stack(&r->groups[i]);
        if (s == NULL || s->n_frames == 0)
            continue;
        ls_report_frame(s, 0, &f);
        r->groups[i].is_libc =
            is_runtime_only(s) || (is_runtime_module(f.module) && is_libc_internal(f.function));
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

static bool is_pending(int sig)
{
    sigset_t pending;

    return sigpending(&pending) == 0 && sigismember(&pending, sig) == 1;
}

static int write_out(const struct ls_report *r)
{
    static void (*const writers[])(struct ls_writer *, const struct ls_report *) = {
        [LS_FORMAT_TEXT] = ls_report_write_text,
        [LS_FORMAT_JSON] = ls_report_write_json,
    };
    struct ls_output out;
    struct ls_writer *w = ls_arena_alloc(sizeof(*w)); // too big for a small thread stack

    if (w == NULL)
        return -1;
    sigset_t pipe_only, old_mask;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    // A closed pipe must cost the report, not the program: SIGPIPE stays blocked while
    // writing, and one this write raised is taken back before the mask is restored.
    pthread_sigmask(SIG_BLOCK, &pipe_only, &old_mask);
    bool was_pending = is_pending(SIGPIPE);

    ls_output_open(&out, ls_cfg.output_path, r->sequence);
    ls_writer_init(w, out.fd);
    writers[ls_cfg.format](w, r);
    ls_writer_flush(w);
    int rc = ls_output_close(&out, w->error);

    if (!was_pending && is_pending(SIGPIPE))
        sigtimedwait(&pipe_only, NULL, &(struct timespec){0, 0});
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    ls_arena_free(w, sizeof(*w));
    return rc;
}

int ls_report_write(enum ls_reason reason, bool libc_released, struct ls_summary *summary)
{
    struct ls_report r = {
        .reason = reason,
        .pid = (int)getpid(),
        .time_unix_ms = now_unix_ms(),
        .program = ls_module_program_path(),
        .libc_released = libc_released,
    };
    struct tally t = {.summary = &r.summary};
    int rc = -1;

    pthread_mutex_lock(&report_lock);
    r.sequence = next_sequence++;
    r.threads = ls_report_program_threads();
    if (tally_table(&t) == 0 && make_groups(&r, &t) == 0) {
        // The peak counter is raised just after a block enters the table, so a report
        // landing in between sees one more block live than the peak yet holds.
        if (r.summary.peak_live_bytes < r.summary.live_bytes)
            r.summary.peak_live_bytes = r.summary.live_bytes;
        // Nothing is suppressed yet: every live block counts as leaked.
        r.summary.leaked_bytes = r.summary.live_bytes;
        r.summary.leaked_blocks = r.summary.live_blocks;
        mark_libc_groups(&r);
        rc = write_out(&r);
        ls_arena_free(r.groups, (r.n_groups + 1) * sizeof(*r.groups));
    }
    if (t.bytes != NULL)
        ls_arena_free(t.bytes, 2 * (size_t)t.n_ids * sizeof(uint64_t));
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
}
