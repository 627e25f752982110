/* SPDX-License-Identifier: MIT
 *
 * alloc_heavy.c - an allocation-heavy benchmark workload: `alloc_heavy [SCALE]`.
 *
 * Keeps about 100,000 blocks live in a table of slots and, SCALE million times, picks a slot
 * at a fixed pseudo-random sequence and mallocs, callocs, reallocs or frees it, at a call
 * depth of 5 to 20 through one of 64 call paths, so a tracker unwinds real stacks and
 * sees a few thousand distinct ones. At the end it frees every block but each 100th, which
 * it leaves live for the exit report, and prints a checksum. The same SCALE does the same
 * calls in the same order on every run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A visit to a full slot empties it 3 times in 4 and to an empty one fills it, so 4/7 of
 * the slots are full: about 100,000 live blocks. */
#define N_SLOTS    175000
#define MIN_DEPTH  5
#define MAX_EXTRA  16 /* depth is MIN_DEPTH + 0..15: 5 to 20 */
#define LEAK_EVERY 100

struct slot {
    unsigned char *buf;
    size_t len;
};

static struct slot slots[N_SLOTS];
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t checksum;

/* xorshift64*: fast, fixed and good enough to spread slots and sizes. */
static uint64_t next_random(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

/* Mostly small blocks, as real programs have; one in 64 is 4 KiB to 64 KiB. */
static size_t pick_size(uint64_t r)
{
    if ((r & 63) == 0)
        return 4096 + (r >> 8) % 61440;
    return 16 + (r >> 8) % 496;
}

/* The operation at the bottom of the call chain: fill an empty slot, or resize or empty a
 * full one. Touching the first byte keeps the compiler from dropping the allocation. */
static void __attribute__((noinline)) touch_slot(struct slot *s, uint64_t r)
{
    size_t len = pick_size(r);

    if (s->buf == NULL) {
        s->buf = (r & 0x100) ? calloc(1, len) : malloc(len);
        s->len = len;
    } else if ((r & 0x600) == 0) {
        unsigned char *p = realloc(s->buf, len);
        if (p == NULL)
            return;
        s->buf = p;
        s->len = len;
    } else {
        checksum += s->buf[0] + s->len;
        free(s->buf);
        s->buf = NULL;
        return;
    }
    if (s->buf != NULL)
        s->buf[0] = (unsigned char)len;
}

static void descend_b(struct slot *s, uint64_t r, unsigned depth, unsigned path);

/* Two mutually recursive frames: which one each level uses follows the path's bits, so
 * the 64 paths give distinct stacks at every depth. */
static void __attribute__((noinline)) descend_a(struct slot *s, uint64_t r, unsigned depth,
                                                unsigned path)
{
    if (depth == 0) {
        touch_slot(s, r);
        return;
    }
    if (path & 1)
        descend_b(s, r, depth - 1, path >> 1 | (path & 1) << 5);
    else
        descend_a(s, r, depth - 1, path >> 1 | (path & 1) << 5);
    __asm__ volatile("" ::: "memory"); /* not a tail call: keep the frame on the stack */
}

static void __attribute__((noinline)) descend_b(struct slot *s, uint64_t r, unsigned depth,
                                                unsigned path)
{
    if (depth == 0) {
        touch_slot(s, r);
        return;
    }
    if (path & 1)
        descend_a(s, r, depth - 1, path >> 1 | (path & 1) << 5);
    else
        descend_b(s, r, depth - 1, path >> 1 | (path & 1) << 5);
    __asm__ volatile("" ::: "memory");
}

static void run_ops(long n_ops)
{
    for (long i = 0; i < n_ops; i++) {
        uint64_t r = next_random();
        struct slot *s = &slots[(r >> 16) % N_SLOTS];
        unsigned depth = MIN_DEPTH + (unsigned)(r >> 40) % MAX_EXTRA;

        descend_a(s, r, depth, (unsigned)(r >> 48) & 63);
    }
}

/* Frees every block but each LEAK_EVERY-th, which stays live for the exit report. */
static long free_most(void)
{
    long kept = 0;

    for (long i = 0; i < N_SLOTS; i++) {
        if (slots[i].buf == NULL)
            continue;
        checksum += slots[i].buf[0] + slots[i].len;
        if (i % LEAK_EVERY == 0) {
            kept++;
            continue;
        }
        free(slots[i].buf);
        slots[i].buf = NULL;
    }
    return kept;
}

int main(int argc, char **argv)
{
    long scale = argc > 1 ? strtol(argv[1], NULL, 10) : 1;

    if (scale < 1 || scale > 1000) {
        fprintf(stderr, "usage: alloc_heavy [SCALE 1-1000] (SCALE million operations)\n");
        return 2;
    }

    run_ops(scale * 1000000L);
    long kept = free_most();

    printf("alloc_heavy: %ld million operations, %ld blocks left live, checksum %llu\n", scale,
           kept, (unsigned long long)checksum);
    return 0;
}
