/* SPDX-License-Identifier: MIT
 *
 * roots.c - which memory counts as a root, the way memcheck counts it: every readable,
 * writable mapping of the process except the malloc heap, the shim's own memory, devices,
 * and stack below each thread's stack pointer; plus every thread's registers.
 *
 * Runs with the world stopped: mmap for memory, raw system calls for reads.
 */
#include "roots.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#define WORD           sizeof(uintptr_t)
#define GLIBC_HEAP_MAX ((uintptr_t)64 << 20) // HEAP_MAX_SIZE on 64-bit: arenas align to it
#define IS_MMAPPED     2u                    // glibc's chunk flag
#define COPY_WORDS     8192

struct excl {
    struct ls_range *r;
    size_t n, cap;
};

static void add(struct excl *x, uintptr_t start, uintptr_t end)
{
    if (x->n < x->cap && start < end)
        x->r[x->n++] = (struct ls_range){start, end};
}

/* Heapsort by start: no allocation, and qsort may call malloc. */
static void sift(struct ls_range *a, size_t i, size_t n)
{
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            return;
        if (c + 1 < n && a[c + 1].start > a[c].start)
            c++;
        if (a[i].start >= a[c].start)
            return;
        struct ls_range t = a[i];
        a[i] = a[c];
        a[c] = t;
        i = c;
    }
}

/* Sorts the ranges and merges overlapping ones; returns how many are left. */
static size_t sort_ranges(struct ls_range *a, size_t n)
{
    size_t out = 0;

    for (size_t i = n / 2; i-- > 0;)
        sift(a, i, n);
    for (size_t end = n; end-- > 1;) {
        struct ls_range t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift(a, 0, end);
    }
    for (size_t i = 0; i < n; i++) {
        if (out > 0 && a[i].start <= a[out - 1].end) {
            if (a[i].end > a[out - 1].end)
                a[out - 1].end = a[i].end;
        } else {
            a[out++] = a[i];
        }
    }
    return out;
}

/* The whole mapping of a block glibc served with mmap: its header says so, and how far
 * the mapping reaches before the chunk (for aligned blocks). A header the program made
 * unreadable (mprotect) is skipped: the mapping still holds a block, so it is no root. */
static void add_mmapped_chunks(struct excl *x, struct ls_scan *s)
{
    for (size_t i = 0; i < s->n_blocks; i++) {
        const uintptr_t *hdr = (const uintptr_t *)s->blocks[i].addr - 2;
        if (!ls_scan_is_readable(s, (uintptr_t)hdr, (uintptr_t)(hdr + 2)))
            continue;
        if (hdr[1] & IS_MMAPPED) {
            uintptr_t chunk = (uintptr_t)hdr;
            add(x, chunk - hdr[0], chunk + (hdr[1] & ~(uintptr_t)7));
        }
    }
}

/* Below a stopped thread's stack pointer lies only dead data. */
static void add_below_sp(struct excl *x, const struct ls_maps *m, uintptr_t sp)
{
    const struct ls_region *r = ls_maps_find(m, sp);

    if (r != NULL)
        add(x, r->start, sp);
}

/* A heap of one of glibc's non-main arenas: 64 MiB aligned, and starting with a
 * heap_info whose mprotect_size is exactly the writable part. */
static bool is_arena_heap(const struct ls_region *r)
{
    const uintptr_t *h = (const uintptr_t *)r->start;

    return r->kind == LS_MAP_ANON && r->start % GLIBC_HEAP_MAX == 0 &&
           r->end - r->start >= 4 * WORD && h[0] != 0 && h[2] <= h[3] && h[3] == r->end - r->start;
}

static bool is_root_mapping(const struct ls_region *r, bool is_glibc)
{
    unsigned rw = LS_REGION_READ | LS_REGION_WRITE;

    if ((r->flags & rw) != rw)
        return false;
    if (r->kind == LS_MAP_HEAP || r->kind == LS_MAP_SPECIAL || r->kind == LS_MAP_DEVICE)
        return false;
    return !(is_glibc && is_arena_heap(r));
}

/* Some block starts inside [start, end): the range is heap, whatever it looked like. */
static bool holds_block(const struct ls_scan *s, uintptr_t start, uintptr_t end)
{
    size_t lo = 0, hi = s->n_blocks;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->blocks[mid].addr < start)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n_blocks && s->blocks[lo].addr < end;
}

/* A file-backed range is copied with process_vm_readv: a page past the file's end would
 * raise SIGBUS if touched, and the copy just fails there. Where the call is refused
 * (seccomp), the range is read in place: module data, the usual file-backed root, lies
 * within its file.
 * TODO: without process_vm_readv, a thread left running can unmap a root under the scan. */
static void scan_copied(struct ls_scan *s, uintptr_t start, uintptr_t end)
{
    static uintptr_t buf[COPY_WORDS]; // the shim's own .bss: never a root itself
    static bool is_refused;

    for (uintptr_t p = start; p < end && !is_refused;) {
        size_t len = end - p < sizeof(buf) ? end - p : sizeof(buf);
        struct iovec local = {buf, len}, remote = {(void *)p, len};
        ssize_t got = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
        if (got < 0 && (errno == ENOSYS || errno == EPERM)) {
            is_refused = true;
            start = p;
        } else if (got <= 0) {
            p = (p + 4096) & ~(uintptr_t)4095; // skip the page that failed
        } else {
            ls_scan_root_words(s, buf, (size_t)got / WORD);
            p += (uintptr_t)got;
        }
    }
    if (is_refused)
        ls_scan_root_words(s, (const uintptr_t *)start, (end - start) / WORD);
}

/* Set for one scan when some thread could not be stopped: it may unmap or mprotect any
 * mapping while we read it, so every root is copied (a vanished page just fails to copy)
 * rather than read in place, which would crash the program. Reports are serialized. */
static bool is_world_running;

static void scan_range(struct ls_scan *s, const struct ls_region *r, uintptr_t a, uintptr_t b)
{
    a = (a + WORD - 1) & ~(uintptr_t)(WORD - 1);
    b &= ~(uintptr_t)(WORD - 1);
    if (a >= b)
        return;
    if (r->kind == LS_MAP_FILE || is_world_running)
        scan_copied(s, a, b);
    else
        ls_scan_root_words(s, (const uintptr_t *)a, (b - a) / WORD);
}

/* Calls fn on each piece of r that no exclusion covers; false when fn said stop. */
static bool for_pieces(const struct excl *x, const struct ls_region *r,
                       bool (*fn)(struct ls_scan *, const struct ls_region *, uintptr_t, uintptr_t),
                       struct ls_scan *s)
{
    uintptr_t p = r->start;
    size_t lo = 0, hi = x->n;

    while (lo < hi) { // the first exclusion ending after the mapping starts
        size_t mid = lo + (hi - lo) / 2;
        if (x->r[mid].end <= r->start)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < x->n && x->r[i].start < r->end; i++) {
        if (x->r[i].start > p && !fn(s, r, p, x->r[i].start))
            return false;
        p = x->r[i].end > p ? x->r[i].end : p;
    }
    return p >= r->end || fn(s, r, p, r->end);
}

#define TCB_SEARCH_BYTES (16 * 1024) // glibc puts the descriptor at the top of the stack
#define TCB_HEAD_BYTES   64          // tcb, dtv, self...: what keeps the thread's DTV alive

static bool is_live_tp(const struct ls_roots *r, uintptr_t a)
{
    if (a == ls_stopworld_self_tp())
        return true;
    for (size_t i = 0; i < r->n_threads; i++) {
        if (r->threads[i].state == LS_STOP_PARKED && r->threads[i].tp == a)
            return true;
    }
    return false;
}

/*
 * The descriptor of an exited thread whose stack glibc keeps cached for a later thread,
 * or 0. A descriptor starts with its own address twice (tcb, and self two words on) and
 * a pointer into its DTV, a heap block, between them. valgrind frees these stacks before
 * its leak check (__libc_freeres); here their stale contents would keep blocks alive, so
 * only the descriptor's head is scanned, which keeps the DTV as it is for a live thread.
 */
static uintptr_t dead_thread_tcb(const struct ls_scan *s, const struct ls_roots *r,
                                 const struct ls_region *m)
{
    uintptr_t lo = m->end - m->start > TCB_SEARCH_BYTES ? m->end - TCB_SEARCH_BYTES : m->start;

    if (!r->knows_every_thread || m->kind != LS_MAP_ANON)
        return 0;
    for (uintptr_t a = m->end - TCB_HEAD_BYTES; a >= lo; a -= WORD) {
        const uintptr_t *w = (const uintptr_t *)a;
        if (w[0] == a && w[2] == a && ls_scan_find(s, w[1]) >= 0)
            return is_live_tp(r, a) ? 0 : a;
    }
    return 0;
}

static bool piece_is_free(struct ls_scan *s, const struct ls_region *r, uintptr_t a, uintptr_t b)
{
    (void)r;
    return !holds_block(s, a, b);
}

static bool scan_piece(struct ls_scan *s, const struct ls_region *r, uintptr_t a, uintptr_t b)
{
    scan_range(s, r, a, b);
    return true;
}

static void scan_registers(struct ls_scan *s, const struct ls_roots *r)
{
    for (size_t i = 0; i < r->n_threads; i++) {
        if (r->threads[i].state == LS_STOP_PARKED)
            ls_scan_root_words(s, r->threads[i].regs, LS_STOP_REGS);
    }
    if (r->entry != NULL)
        ls_scan_root_words(s, r->entry->regs, sizeof(r->entry->regs) / WORD);
}

/* Everything that is never a root, sorted. */
static int build_exclusions(struct excl *x, struct ls_scan *s, const struct ls_roots *r)
{
    size_t bytes = (s->n_blocks + r->n_shim + r->n_self + r->n_threads + r->n_unstopped + 8) *
                   sizeof(struct ls_range);

    bytes = (bytes + 4095) & ~(size_t)4095;
    x->r = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (x->r == MAP_FAILED)
        return -1;
    x->cap = bytes / sizeof(struct ls_range);
    x->n = 0;
    add(x, (uintptr_t)x->r, (uintptr_t)x->r + bytes);
    add(x, (uintptr_t)r->maps->text, (uintptr_t)r->maps->text + r->maps->text_cap);
    add(x, (uintptr_t)r->maps->maps, (uintptr_t)r->maps->maps + r->maps->maps_cap);
    for (size_t i = 0; i < r->n_shim; i++)
        add(x, r->shim[i].start, r->shim[i].end);
    for (size_t i = 0; i < r->n_self; i++)
        add(x, r->self[i].start, r->self[i].end);
    for (size_t i = 0; i < r->n_threads; i++) {
        if (r->threads[i].state == LS_STOP_PARKED)
            add_below_sp(x, r->maps, r->threads[i].sp);
    }
    // A thread left running but blocked in a system call has its dead stack below its
    // stack pointer too; one that runs may reuse it at once, so this is a best guess.
    for (size_t i = 0; i < r->n_unstopped; i++) {
        if (r->unstopped[i].sp != 0)
            add_below_sp(x, r->maps, r->unstopped[i].sp);
    }
    if (r->entry != NULL)
        add_below_sp(x, r->maps, r->entry->sp);
    if (r->is_glibc)
        add_mmapped_chunks(x, s);
    x->n = sort_ranges(x->r, x->n);
    return 0;
}

int ls_roots_scan(struct ls_scan *s, const struct ls_roots *r)
{
    struct excl x;

    if (build_exclusions(&x, s, r) != 0)
        return -1;
    is_world_running = !r->knows_every_thread;
    for (size_t i = 0; i < r->maps->n; i++) {
        const struct ls_region *m = &r->maps->maps[i];
        // A mapping that holds a block is heap, however it looked (another allocator's
        // arena, glibc's main arena grown by mmap): its free parts hold stale pointers.
        if (!is_root_mapping(m, r->is_glibc) || !for_pieces(&x, m, piece_is_free, s))
            continue;
        uintptr_t tcb = dead_thread_tcb(s, r, m);
        if (tcb != 0)
            scan_range(s, m, tcb, tcb + TCB_HEAD_BYTES);
        else
            for_pieces(&x, m, scan_piece, s);
    }
    scan_registers(s, r);
    munmap(x.r, x.cap * sizeof(struct ls_range));
    return 0;
}
