/* SPDX-License-Identifier: MIT
 *
 * alloc_heavy.c - an allocation-heavy benchmark workload: `alloc_heavy [SCALE [THREADS]]`.
 *
 * Keeps about 100,000 blocks live in a table of slots and, SCALE million times, picks a slot
 * at a fixed pseudo-random sequence and mallocs, callocs, reallocs or frees it, at a call
 * depth of 5 to 20 through one of 64 call paths, so a tracker unwinds real stacks and
 * sees a few thousand distinct ones. At the end it frees every block but each 100th, which
 * it leaves live for the exit report, and prints a checksum. The same SCALE does the same
 * calls in the same order on every run.
 *
 * With THREADS (1 to 8, default 1) the same total work is split over that many threads,
 * each with its own share of the slots and its own sequence, so they never touch each
 * other's blocks: what a tracker's locks cost shows as lost scaling. One thread runs on
 * the main thread exactly as before THREADS existed (same calls, same checksum).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A visit to a full slot empties it 3 times in 4 and to an empty one fills it, so 4/7 of
 * the slots are full: about 100,000 live blocks. */
#define N_SLOTS     175000
#define MIN_DEPTH   5
#define MAX_EXTRA   16 /* depth is MIN_DEPTH + 0..15: 5 to 20 */
#define LEAK_EVERY  100
#define MAX_THREADS 8
#define FIRST_SEED  0x9e3779b97f4a7c15ULL

struct slot {
    unsigned char *buf;
    size_t len;
};

/* One thread's share: slots [first, first + n) and how many operations it makes. */
struct share {
    pthread_t thread;
    long first, n, n_ops;
    uint64_t seed, checksum;
    long kept;
};

static struct slot all_slots[N_SLOTS];
/* Per thread, so the call chain below needs no extra arguments. */
static __thread struct slot *slots;
static __thread long n_slots;
static __thread uint64_t rng_state;
static __thread uint64_t checksum;

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
        struct slot *s = &slots[(long)((r >> 16) % (uint64_t)n_slots)];
        unsigned depth = MIN_DEPTH + (unsigned)(r >> 40) % MAX_EXTRA;

        descend_a(s, r, depth, (unsigned)(r >> 48) & 63);
    }
}

/* Frees every block but each LEAK_EVERY-th, which stays live for the exit report. */
static long free_most(void)
{
    long kept = 0;

    for (long i = 0; i < n_slots; i++) {
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

/* Runs one share to the end; a pthread start routine, also called directly for one thread. */
static void *run_share(void *arg)
{
    struct share *sh = arg;

    slots = &all_slots[sh->first];
    n_slots = sh->n;
    rng_state = sh->seed;
    checksum = 0;
    run_ops(sh->n_ops);
    sh->kept = free_most();
    sh->checksum = checksum;
    return NULL;
}

int main(int argc, char **argv)
{
    long scale = argc > 1 ? strtol(argv[1], NULL, 10) : 1;
    long n_threads = argc > 2 ? strtol(argv[2], NULL, 10) : 1;
    struct share shares[MAX_THREADS];

    if (scale < 1 || scale > 1000 || n_threads < 1 || n_threads > MAX_THREADS) {
        fprintf(stderr,
                "usage: alloc_heavy [SCALE 1-1000 [THREADS 1-%d]] (SCALE million "
                "operations in all)\n",
                MAX_THREADS);
        return 2;
    }

    for (long t = 0; t < n_threads; t++) {
        shares[t] = (struct share){.first = N_SLOTS / n_threads * t,
                                   .n = N_SLOTS / n_threads,
                                   .n_ops = scale * 1000000L / n_threads,
                                   .seed = FIRST_SEED + 0x632be59bd9b4e019ULL * (uint64_t)t};
    }
    if (n_threads == 1) {
        run_share(&shares[0]);
    } else {
        for (long t = 0; t < n_threads; t++) {
            if (pthread_create(&shares[t].thread, NULL, run_share, &shares[t]) != 0) {
                perror("alloc_heavy: pthread_create");
                return 1;
            }
        }
        for (long t = 0; t < n_threads; t++)
            pthread_join(shares[t].thread, NULL);
    }

    long kept = 0;
    uint64_t sum = 0;
    for (long t = 0; t < n_threads; t++) {
        kept += shares[t].kept;
        sum += shares[t].checksum;
    }
    printf("alloc_heavy: %ld million operations, %ld thread%s, %ld blocks left live, checksum "
           "%llu\n",
           scale, n_threads, n_threads == 1 ? "" : "s", kept, (unsigned long long)sum);
    return 0;
}
