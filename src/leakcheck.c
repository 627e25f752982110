/* SPDX-License-Identifier: MIT
 *
 * leakcheck.c - one leak check: copy the live blocks, stop the world, scan, resume.
 *
 * Lock order, the same as fork's: the table stripes, then the arena. With both held, no
 * thread can be stopped while holding either, and the scan reads a table nobody changes.
 * Between stopping and resuming nothing here allocates except with mmap, because a
 * stopped thread may hold the C library's malloc lock.
 */
#include "leakcheck.h"

#include <dlfcn.h>
#include <link.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "maps.h"
#include "real.h"
#include "roots.h"
#include "snapshot.h"
#include "stopworld.h"
#include "track.h"

#define MAX_SELF_RANGES 8

/* The shim's own writable segments (its .data and .bss): never roots. */
static struct ls_range self_ranges[MAX_SELF_RANGES + 1];
static size_t n_self_ranges;
static bool is_glibc_malloc;
static struct ls_maps maps; // buffers kept from one check to the next

static int note_self(struct dl_phdr_info *info, size_t size, void *unused)
{
    (void)size;
    (void)unused;
    uintptr_t here = (uintptr_t)&note_self;
    bool is_self = false;

    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && here >= start && here < start + ph->p_memsz)
            is_self = true;
    }
    for (int i = 0; is_self && i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_W) && n_self_ranges < MAX_SELF_RANGES) {
            uintptr_t start = (info->dlpi_addr + ph->p_vaddr) & ~(uintptr_t)4095;
            uintptr_t end = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz + 4095) & ~(uintptr_t)4095;
            self_ranges[n_self_ranges++] = (struct ls_range){start, end};
        }
    }
    return is_self;
}

/* Once: where the shim's data lies, and whether malloc is glibc's (whose chunk headers
 * roots.c reads). Takes the loader's lock, so never with the world stopped. */
static void init_once(void)
{
    static bool is_done;
    Dl_info info;

    if (is_done)
        return;
    is_done = true;
    dl_iterate_phdr(note_self, NULL);
    is_glibc_malloc = dladdr((void *)ls_real.malloc, &info) != 0 && info.dli_fname != NULL &&
                      strstr(info.dli_fname, "libc.so") != NULL;
}

struct copy {
    struct ls_scan_block *blocks;
    size_t n, cap;
    bool mark_new;
};

/* Room for one more block: a walk a stripe at a time can meet more blocks than were live
 * when it began. With a stripe lock held: arena memory only. */
static bool make_room(struct copy *c)
{
    if (c->n < c->cap)
        return true;
    struct ls_scan_block *more =
        ls_arena_grow(c->blocks, c->n, &c->cap, c->cap + c->cap / 2 + 1024, sizeof(*more));
    if (more == NULL)
        return false;
    c->blocks = more;
    return true;
}

static void copy_block(const struct ls_block *b, bool is_new, void *ctx)
{
    struct copy *c = ctx;

    if (!make_room(c))
        return; // TODO: a block dropped for want of memory goes unreported, unsaid
    uint8_t flags = (uint8_t)b->flags;
    if (c->mark_new && is_new)
        flags |= LS_BLOCK_NEW;
    c->blocks[c->n++] = (struct ls_scan_block){.addr = b->addr,
                                               .size = b->size,
                                               .stack_id = b->stack_id,
                                               .kind = LS_KIND_UNSCANNED,
                                               .flags = flags};
}

static uint64_t now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* With the table locked and the blocks sorted: stop, scan, resume. */
static int scan_stopped(struct ls_leakcheck *lc, uint32_t *mark_stack, const struct ls_entry *entry)
{
    static uint32_t page_hint[LS_SCAN_HINTS]; // reports are serialized: one cache serves
    struct ls_scan s = {.blocks = lc->blocks,
                        .n_blocks = lc->n_blocks,
                        .stack = mark_stack,
                        .use_heuristics = true,
                        .page_hint = page_hint,
                        .is_glibc = is_glibc_malloc};
    struct ls_roots r = {.entry = entry,
                         .is_glibc = is_glibc_malloc,
                         .maps = &maps,
                         .self = self_ranges,
                         .n_self = n_self_ranges};
    struct ls_stopped *threads;
    pid_t skip = ls_snapshot_tid();
    int rc = -1;

    ls_arena_lock();
    uint64_t t0 = now_us();
    r.n_threads = ls_stopworld_stop(&skip, skip != 0, &threads, &lc->threads_missed);
    r.threads = threads;
    r.unstopped = ls_stopworld_unstopped(&r.n_unstopped);
    for (size_t i = 0; i < r.n_unstopped; i++)
        lc->threads_whole += r.unstopped[i].sp == 0;
    r.knows_every_thread = lc->threads_missed == 0;
    if (ls_maps_read(&maps) == 0) {
        s.regions = maps.maps;
        s.n_regions = maps.n;
        r.shim = ls_arena_ranges_locked(&r.n_shim);
        ls_scan_begin(&s);
        rc = ls_roots_scan(&s, &r);
        if (rc == 0)
            ls_scan_finish(&s);
    }
    ls_stopworld_resume();
    lc->scan_us = now_us() - t0;
    ls_arena_unlock();
    return rc;
}

/* An unclassified copy (a snapshot): a stripe at a time, so no allocating thread stalls
 * for the whole table. The buffer is taken and touched before, outside every lock. */
static int copy_each(struct ls_leakcheck *lc, struct copy *c)
{
    size_t live = ls_table_live_blocks_relaxed();

    c->cap = live + live / 8 + 1024;
    c->blocks = ls_arena_alloc(c->cap * sizeof(*c->blocks));
    if (c->blocks == NULL)
        return -1;
    memset(c->blocks, 0, c->cap * sizeof(*c->blocks)); // page faults now, not under a lock
    ls_table_walk_each(copy_block, c, c->mark_new, &lc->counts);
    return 0;
}

/* A classified copy: the whole table locked while it is copied, sorted and scanned. */
static int copy_and_scan(struct ls_leakcheck *lc, struct copy *c, const struct ls_entry *entry)
{
    uint32_t *mark_stack = NULL;
    struct ls_scan_block *tmp = NULL;
    int rc = 0;

    init_once();
    ls_table_lock_all();
    c->cap = ls_table_live_blocks_locked() + 1;
    c->blocks = ls_arena_alloc(c->cap * sizeof(*c->blocks));
    tmp = ls_arena_alloc(c->cap * sizeof(*tmp));
    mark_stack = ls_arena_alloc(c->cap * sizeof(*mark_stack));
    if (c->blocks == NULL || tmp == NULL || mark_stack == NULL) {
        rc = -1;
    } else {
        ls_table_walk_locked(copy_block, c, c->mark_new);
        ls_table_counts_locked(&lc->counts);
        ls_scan_sort(c->blocks, tmp, c->n);
        lc->blocks = c->blocks;
        lc->n_blocks = c->n;
        lc->is_scanned = scan_stopped(lc, mark_stack, entry) == 0;
    }
    ls_table_unlock_all();
    ls_arena_free(tmp, c->cap * sizeof(*tmp));
    ls_arena_free(mark_stack, c->cap * sizeof(*mark_stack));
    return rc;
}

static int take(struct ls_leakcheck *lc, bool do_scan, const struct ls_entry *entry,
                bool is_written)
{
    struct copy c = {.mark_new = is_written};

    memset(lc, 0, sizeof(*lc));
    int rc = do_scan ? copy_and_scan(lc, &c, entry) : copy_each(lc, &c);
    if (rc != 0) {
        ls_arena_free(c.blocks, c.cap * sizeof(*c.blocks));
        return rc;
    }
    lc->blocks = c.blocks;
    lc->n_blocks = c.n;
    lc->blocks_cap = c.cap;
    if (lc->is_scanned == false) {
        for (size_t i = 0; i < lc->n_blocks; i++)
            lc->blocks[i].kind = LS_KIND_UNSCANNED;
    }
    return 0;
}

int ls_leakcheck_take(struct ls_leakcheck *lc, bool do_scan, const struct ls_entry *entry)
{
    return take(lc, do_scan, entry, false);
}

int ls_leakcheck_take_written(struct ls_leakcheck *lc, bool do_scan, const struct ls_entry *entry)
{
    return take(lc, do_scan, entry, true);
}

void ls_leakcheck_release(struct ls_leakcheck *lc)
{
    ls_arena_free(lc->blocks, lc->blocks_cap * sizeof(*lc->blocks));
    lc->blocks = NULL;
}
