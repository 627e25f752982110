/* SPDX-License-Identifier: MIT
 *
 * scan.c - the mark phase of the leak check, over a sorted array of live blocks.
 *
 * Runs while every other thread is stopped, possibly inside malloc: no allocation, no
 * locks, no stdio. Block memory is read only where a region says it is readable.
 */
#include "scan.h"

#include <string.h>

enum state { UNREACHED, POSSIBLE, REACHABLE, INDIRECT };

#define WORD             sizeof(uintptr_t)
#define DIGIT_BITS       16
#define PAGE             4096u
#define VTABLE_MAX_WORDS 20 // memcheck looks this far for two function pointers

void ls_scan_sort(struct ls_scan_block *blocks, struct ls_scan_block *tmp, size_t n)
{
    static size_t count[1u << DIGIT_BITS]; // one sort at a time: reports are serialized
    struct ls_scan_block *from = blocks, *to = tmp;
    uintptr_t max = 0;

    for (size_t i = 0; i < n; i++)
        max = blocks[i].addr > max ? blocks[i].addr : max;
    for (unsigned shift = 0; shift < 64 && (max >> shift) != 0; shift += DIGIT_BITS) {
        memset(count, 0, sizeof(count));
        for (size_t i = 0; i < n; i++)
            count[(from[i].addr >> shift) & 0xffff]++;
        size_t sum = 0;
        for (size_t d = 0; d < (1u << DIGIT_BITS); d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            to[count[(from[i].addr >> shift) & 0xffff]++] = from[i];
        struct ls_scan_block *t = from;
        from = to;
        to = t;
    }
    if (from != blocks)
        memcpy(blocks, from, n * sizeof(*blocks));
}

/* The block holding p, given lo and hi with blocks[lo].addr <= p < blocks[hi].addr
 * (hi == n_blocks stands for past the end), or -1. */
static long find_between(const struct ls_scan *s, size_t lo, size_t hi, uintptr_t p)
{
    while (hi - lo > 1) { // the last block starting at or below p
        size_t mid = lo + (hi - lo) / 2;
        if (s->blocks[mid].addr <= p)
            lo = mid;
        else
            hi = mid;
    }
    const struct ls_scan_block *b = &s->blocks[lo];
    if (b->addr > p)
        return -1;
    if (p - b->addr < b->size || p == b->addr) // a zero-size block holds its start
        return (long)lo;
    return -1;
}

long ls_scan_find(const struct ls_scan *s, uintptr_t p)
{
    if (p < s->lo || p >= s->hi)
        return -1;
    return find_between(s, 0, s->n_blocks, p);
}

/* Galloping outwards from h touches a few neighbouring entries instead of the twenty
 * scattered ones of a whole binary search. */
long ls_scan_find_near(const struct ls_scan *s, size_t h, uintptr_t p)
{
    size_t n = s->n_blocks, step = 1;

    if (s->blocks[h].addr <= p) {
        size_t lo = h;
        while (lo + step < n && s->blocks[lo + step].addr <= p) {
            lo += step;
            step *= 2;
        }
        return find_between(s, lo, lo + step < n ? lo + step : n, p);
    }
    size_t hi = h;
    while (hi >= step && s->blocks[hi - step].addr > p) {
        hi -= step;
        step *= 2;
    }
    return find_between(s, hi >= step ? hi - step : 0, hi, p);
}

/* The region holding p, or NULL; the last hit is tried first (scans walk upwards). */
static const struct ls_region *region_of(struct ls_scan *s, uintptr_t p)
{
    size_t lo = 0, hi = s->n_regions;

    if (s->region_hint < s->n_regions) {
        const struct ls_region *r = &s->regions[s->region_hint];
        if (p >= r->start && p < r->end)
            return r;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->regions[mid].end <= p)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == s->n_regions || s->regions[lo].start > p)
        return NULL;
    s->region_hint = lo;
    return &s->regions[lo];
}

bool ls_scan_is_readable(struct ls_scan *s, uintptr_t p, uintptr_t end)
{
    if (s->regions == NULL)
        return true;
    const struct ls_region *r = region_of(s, p);
    return r != NULL && (r->flags & LS_REGION_READ) && end <= r->end;
}

static bool is_readable_word(struct ls_scan *s, uintptr_t p)
{
    return ls_scan_is_readable(s, p, p + WORD);
}

static void push(struct ls_scan *s, size_t i)
{
    if (!s->blocks[i].pending) {
        s->blocks[i].pending = 1;
        s->stack[s->top++] = (uint32_t)i;
    }
}

static uintptr_t word_at(uintptr_t p)
{
    return *(const uintptr_t *)p;
}

/* memcheck's test for a C++ vtable: a file-backed readable address where, among the
 * next 20 words, two non-null ones point into executable file-backed code before any
 * word points anywhere else. */
static bool is_vtable(struct ls_scan *s, uintptr_t p)
{
    const struct ls_region *r = s->regions != NULL ? region_of(s, p) : NULL;
    unsigned found = 0;

    if (r == NULL ||
        (r->flags & (LS_REGION_FILE | LS_REGION_READ)) != (LS_REGION_FILE | LS_REGION_READ))
        return false;
    uintptr_t last = p + VTABLE_MAX_WORDS * WORD;
    if (last > r->end - WORD)
        last = r->end - WORD;
    for (uintptr_t q = p; q <= last; q += WORD) {
        uintptr_t fn = word_at(q);
        if (fn == 0)
            continue;
        const struct ls_region *f = region_of(s, fn);
        if (f == NULL ||
            (f->flags & (LS_REGION_FILE | LS_REGION_EXEC)) != (LS_REGION_FILE | LS_REGION_EXEC))
            return false;
        if (++found == 2)
            return true;
    }
    return false;
}

static bool is_plausible_vtable_ptr(struct ls_scan *s, uintptr_t v)
{
    return v % WORD == 0 && v >= PAGE && is_vtable(s, v);
}

/* memcheck's default heuristics for an interior pointer p into b: the layouts of a
 * copy-on-write std::string, a length-prefixed block (sqlite), a new[] array with a
 * count, and a second base class of a multiply-inheriting object. The program may have
 * made the block's head unreadable (mprotect): then no heuristic applies. */
static bool is_known_interior(struct ls_scan *s, const struct ls_scan_block *b, uintptr_t p)
{
    uintptr_t off = p - b->addr;
    const uintptr_t *w = (const uintptr_t *)b->addr;

    if (!is_readable_word(s, b->addr)) // its first two words share a page: 16-byte aligned
        return false;
    if (off == 3 * WORD && b->size >= 2 * WORD && 3 * WORD + w[1] + 1 == b->size && w[0] <= w[1])
        return true;
    if (off == WORD && b->size >= WORD && w[0] > 0 && b->size - WORD == w[0])
        return true;
    if (off == WORD && b->size >= WORD && w[0] > 0 && (b->size - WORD) % w[0] == 0)
        return true;
    return p % WORD == 0 && off + WORD <= b->size && b->size >= WORD && is_readable_word(s, p) &&
           is_plausible_vtable_ptr(s, word_at(p)) && is_plausible_vtable_ptr(s, w[0]);
}

/* glibc's allocator keeps pointers to free chunks (the top chunk, bins, fastbins) in its
 * arena and in the free chunks themselves. A chunk starts 16 bytes before its memory, so
 * when a live block's size leaves less than 16 bytes of slack, the next chunk's address
 * lies inside the live block's last word: an interior pointer the program never made,
 * which valgrind (its own allocator) never sees. Such a word is not taken as a pointer. */
static bool is_next_chunk(struct ls_scan *s, const struct ls_scan_block *b, uintptr_t p)
{
    const uintptr_t *hdr = (const uintptr_t *)b->addr - 2;

    // The header's page may be one the program made unreadable (mprotect).
    if (!s->is_glibc || p == b->addr || !is_readable_word(s, (uintptr_t)&hdr[1]))
        return false;
    return !(hdr[1] & 2) && p == (uintptr_t)hdr + (hdr[1] & ~(uintptr_t)7);
}

static bool holds(const struct ls_scan_block *b, uintptr_t p)
{
    return p >= b->addr && (p - b->addr < b->size || p == b->addr);
}

/* ls_scan_find() behind a small cache: memory full of pointers tends to point into the
 * same few blocks again and again, and the binary search is most of the scan's time. */
static long find_cached(struct ls_scan *s, uintptr_t p)
{
    if (s->page_hint == NULL)
        return ls_scan_find(s, p);
    // Hashed, not masked: blocks of a MiB apart would all share a few low page bits.
    uint32_t *slot = &s->page_hint[((p >> 12) * 0x9e3779b97f4a7c15ull) >> (64 - 12)];
    if (*slot < s->n_blocks && holds(&s->blocks[*slot], p))
        return *slot;
    // A block on the same page lies a few entries away; another page's, anywhere.
    long i = *slot < s->n_blocks && (s->blocks[*slot].addr >> 12) == (p >> 12)
                 ? ls_scan_find_near(s, *slot, p)
                 : ls_scan_find(s, p);
    if (i >= 0)
        *slot = (uint32_t)i;
    return i;
}

/* The block a candidate pointer lands in, or -1. */
static long target(struct ls_scan *s, uintptr_t p)
{
    long i = find_cached(s, p);

    return i >= 0 && !is_next_chunk(s, &s->blocks[i], p) ? i : -1;
}

/* A pointer found in a root (is_definite) or in a block being followed. */
static void reach(struct ls_scan *s, uintptr_t p, bool is_definite)
{
    long i = target(s, p);

    if (i < 0)
        return;
    struct ls_scan_block *b = &s->blocks[i];
    if (b->state == REACHABLE)
        return;
    bool is_start = p == b->addr || (s->use_heuristics && is_known_interior(s, b, p));
    if (is_start && is_definite) {
        b->state = REACHABLE;
        push(s, (size_t)i);
    } else if (b->state == UNREACHED) {
        b->state = POSSIBLE;
        push(s, (size_t)i);
    }
}

/* A pointer followed from inside the clique headed by block `head`. */
static void gather(struct ls_scan *s, uintptr_t p, size_t head)
{
    long i = target(s, p);

    if (i >= 0 && (size_t)i != head && s->blocks[i].state == UNREACHED) {
        s->blocks[i].state = INDIRECT;
        push(s, (size_t)i);
    }
}

/* Calls reach() or gather() on every readable aligned word of block i.
 * TODO: a thread left running (threads_not_stopped) that mprotects a block mid-scan crashes it. */
static void follow(struct ls_scan *s, size_t i, bool is_clique, size_t head)
{
    const struct ls_scan_block *b = &s->blocks[i];
    bool is_definite = b->state == REACHABLE;
    uintptr_t end = b->addr + b->size;
    bool is_whole = ls_scan_is_readable(s, b->addr, end);

    for (uintptr_t q = b->addr; q + WORD <= end; q += WORD) {
        if (!is_whole && !is_readable_word(s, q))
            continue; // a page the program made unreadable inside its block
        uintptr_t v = word_at(q);
        if (v < s->lo || v >= s->hi)
            continue;
        if (is_clique)
            gather(s, v, head);
        else
            reach(s, v, is_definite);
    }
}

static void drain(struct ls_scan *s, bool is_clique, size_t head)
{
    while (s->top > 0) {
        size_t i = s->stack[--s->top];
        s->blocks[i].pending = 0;
        follow(s, i, is_clique, head);
    }
}

void ls_scan_begin(struct ls_scan *s)
{
    s->top = 0;
    s->region_hint = 0;
    if (s->page_hint != NULL)
        memset(s->page_hint, 0xff, LS_SCAN_HINTS * sizeof(*s->page_hint));
    s->lo = UINTPTR_MAX;
    s->hi = 0;
    for (size_t i = 0; i < s->n_blocks; i++) {
        struct ls_scan_block *b = &s->blocks[i];
        uintptr_t end = b->addr + (b->size > 0 ? b->size : 1);
        s->lo = b->addr < s->lo ? b->addr : s->lo;
        s->hi = end > s->hi ? end : s->hi;
        b->state = UNREACHED;
        b->pending = 0;
        if (b->flags & LS_BLOCK_IGNORED) {
            b->state = REACHABLE;
            push(s, i);
        }
    }
}

void ls_scan_root_words(struct ls_scan *s, const uintptr_t *words, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (words[k] >= s->lo && words[k] < s->hi)
            reach(s, words[k], true);
    }
    drain(s, false, 0);
}

void ls_scan_finish(struct ls_scan *s)
{
    static const uint8_t kinds[] = {
        [UNREACHED] = LS_KIND_DEFINITE,
        [POSSIBLE] = LS_KIND_POSSIBLE,
        [REACHABLE] = LS_KIND_REACHABLE,
        [INDIRECT] = LS_KIND_INDIRECT,
    };

    drain(s, false, 0);
    for (size_t i = 0; i < s->n_blocks; i++) {
        if (s->blocks[i].state == UNREACHED) {
            push(s, i);
            drain(s, true, i);
        }
    }
    for (size_t i = 0; i < s->n_blocks; i++)
        s->blocks[i].kind = kinds[s->blocks[i].state];
}
