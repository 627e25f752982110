/* SPDX-License-Identifier: MIT
 *
 * arena.c - size-classed free lists over mmap'd chunks, for the shim's own data.
 *
 * Runs inside malloc: no malloc, no stdio. The arena lock is the innermost lock of the
 * shim: nothing here calls out while holding it except mmap.
 */
#include "arena.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define LS_MIN_CLASS_SHIFT 4  // 16 bytes
#define LS_MAX_CLASS_SHIFT 16 // 64 KiB; larger blocks get their own mapping
#define LS_N_CLASSES       (LS_MAX_CLASS_SHIFT - LS_MIN_CLASS_SHIFT + 1)
#define LS_CHUNK_BYTES     (1u << 20)

struct free_block {
    struct free_block *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* Every mapping the arena made, so the leak check can leave the shim's memory out of its
 * roots (the table's nodes hold the address of every live block). */
static struct ls_range *ranges;
static size_t n_ranges, cap_ranges;
static struct free_block *free_lists[LS_N_CLASSES];
static unsigned char *chunk_pos, *chunk_end;

static void *map_pages(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    return p != MAP_FAILED ? p : NULL;
}

static int class_of(size_t size)
{
    int shift = LS_MIN_CLASS_SHIFT;

    while (((size_t)1 << shift) < size)
        shift++;
    return shift - LS_MIN_CLASS_SHIFT;
}

static size_t round_to_pages(size_t size)
{
    return (size + 4095) & ~(size_t)4095;
}

/* Records a new mapping; lock held. The list grows into a fresh mapping of its own. */
static void note_range(void *p, size_t size)
{
    if (n_ranges == cap_ranges) {
        size_t cap = cap_ranges != 0 ? cap_ranges * 2 : 512;
        struct ls_range *grown = map_pages(cap * sizeof(*grown));
        if (grown == NULL)
            return; // TODO: an unlisted mapping is scanned as a root by the leak check
        for (size_t i = 0; i < n_ranges; i++)
            grown[i] = ranges[i];
        if (ranges != NULL)
            munmap(ranges, cap_ranges * sizeof(*ranges));
        ranges = grown;
        cap_ranges = cap;
        ranges[n_ranges++] =
            (struct ls_range){(uintptr_t)grown, (uintptr_t)grown + cap * sizeof(*grown)};
    }
    ranges[n_ranges++] = (struct ls_range){(uintptr_t)p, (uintptr_t)p + size};
}

static void forget_range(void *p)
{
    for (size_t i = 0; i < n_ranges; i++) {
        if (ranges[i].start == (uintptr_t)p) {
            ranges[i] = ranges[--n_ranges];
            return;
        }
    }
}

const struct ls_range *ls_arena_ranges_locked(size_t *n)
{
    *n = n_ranges;
    return ranges;
}

/* Cuts a fresh block of class c from the current chunk; called with the lock held. */
static void *carve(int c)
{
    size_t size = (size_t)1 << (c + LS_MIN_CLASS_SHIFT);

    if (chunk_pos == NULL || (size_t)(chunk_end - chunk_pos) < size) {
        // The tail of the old chunk is abandoned: at most 64 KiB per MiB.
        unsigned char *chunk = map_pages(LS_CHUNK_BYTES);
        if (chunk == NULL)
            return NULL;
        note_range(chunk, LS_CHUNK_BYTES);
        chunk_pos = chunk;
        chunk_end = chunk + LS_CHUNK_BYTES;
    }
    void *p = chunk_pos;
    chunk_pos += size;
    return p;
}

void *ls_arena_alloc(size_t size)
{
    if (size > ((size_t)1 << LS_MAX_CLASS_SHIFT)) {
        void *big = map_pages(round_to_pages(size));
        if (big != NULL) {
            pthread_mutex_lock(&lock);
            note_range(big, round_to_pages(size));
            pthread_mutex_unlock(&lock);
        }
        return big;
    }

    int c = class_of(size);
    pthread_mutex_lock(&lock);
    void *p = free_lists[c];
    if (p != NULL)
        free_lists[c] = free_lists[c]->next;
    else
        p = carve(c);
    pthread_mutex_unlock(&lock);
    return p;
}

/* A freed block keeps only the page holding its free-list link resident: the tables'
 * outgrown arrays (256 stripes of them) would otherwise stay in RAM until reused, a
 * third of the table's memory on a heap that only grows. Pages read as zero when reused. */
static void give_back_pages(void *p, size_t size)
{
    uintptr_t start = ((uintptr_t)p + sizeof(struct free_block) + 4095) & ~(uintptr_t)4095;
    uintptr_t end = ((uintptr_t)p + size) & ~(uintptr_t)4095;

    if (end > start)
        madvise((void *)start, end - start, MADV_DONTNEED);
}

void ls_arena_free(void *p, size_t size)
{
    if (p == NULL)
        return;
    if (size > ((size_t)1 << LS_MAX_CLASS_SHIFT)) {
        pthread_mutex_lock(&lock);
        forget_range(p);
        pthread_mutex_unlock(&lock);
        munmap(p, round_to_pages(size));
        return;
    }

    int c = class_of(size);
    struct free_block *b = p;
    give_back_pages(p, (size_t)1 << (c + LS_MIN_CLASS_SHIFT));
    pthread_mutex_lock(&lock);
    b->next = free_lists[c];
    free_lists[c] = b;
    pthread_mutex_unlock(&lock);
}

void *ls_arena_grow(void *p, size_t n, size_t *cap, size_t new_cap, size_t elem_size)
{
    void *more = ls_arena_alloc(new_cap * elem_size);

    if (more == NULL)
        return NULL;
    if (n > 0)
        memcpy(more, p, n * elem_size);
    ls_arena_free(p, *cap * elem_size);
    *cap = new_cap;
    return more;
}

void ls_arena_lock(void)
{
    pthread_mutex_lock(&lock);
}

void ls_arena_unlock(void)
{
    pthread_mutex_unlock(&lock);
}

void ls_arena_reset_after_fork(void)
{
    pthread_mutex_init(&lock, NULL);
}
