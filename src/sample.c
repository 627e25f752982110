/* SPDX-License-Identifier: MIT
 *
 * sample.c - Poisson sampling by bytes, as Go's runtime and tcmalloc do it: a per-thread
 * countdown of bytes to the next sample point, drawn from an exponential distribution.
 *
 * Runs inside malloc: no allocation, no lock, no stdio. One log() per sample point.
 *
 * Why the countdown gives each allocation probability 1 - exp(-s/R): the gaps between
 * sample points are independent exponentials of mean R, so the distance X from where a
 * thread's allocations have reached to the next point is exponential too, whatever came
 * before (the exponential is memoryless: X - s given X > s is again exponential of mean
 * R). An allocation of s bytes covers the next s bytes of the line, and is sampled when
 * the point lies within them: P(X <= s) = 1 - exp(-s/R). The countdown holds L = ceil(X),
 * a whole number of bytes; for whole s, s >= L exactly when s >= X, so rounding changes
 * nothing, and after an allocation that is not sampled L - s = ceil(X - s) is again such
 * a countdown. After a sample the next point past the allocation is again exponential
 * (memoryless once more), so a fresh draw replaces the countdown; more points inside one
 * allocation do not matter, it is recorded once. Allocations of 0 bytes are never sampled
 * (p = 0): they hold no bytes.
 */
#include "sample.h"

#include <math.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

_Atomic uint16_t ls_sample_filter[LS_FILTER_SLOTS];
atomic_bool ls_sample_filtering;
_Atomic uint64_t ls_sample_rate;

/* Both only on sampled blocks, rare next to the loads in ls_sample_never_held(). A count
 * that reaches LS_FILTER_STUCK stays there: its slot then always asks the table. */
void ls_sample_filter_add(uintptr_t addr)
{
    _Atomic uint16_t *slot = ls_sample_filter_slot(addr);
    uint16_t v = atomic_load_explicit(slot, memory_order_relaxed);

    while (v != LS_FILTER_STUCK && !atomic_compare_exchange_weak(slot, &v, (uint16_t)(v + 1)))
        ;
}

void ls_sample_filter_remove(uintptr_t addr)
{
    _Atomic uint16_t *slot = ls_sample_filter_slot(addr);
    uint16_t v = atomic_load_explicit(slot, memory_order_relaxed);

    while (v != LS_FILTER_STUCK && v != 0 &&
           !atomic_compare_exchange_weak(slot, &v, (uint16_t)(v - 1)))
        ;
}

__thread uint64_t ls_sample_left __attribute__((tls_model("initial-exec")));
/* xorshift64* state; 0 until the thread's first draw seeds it. */
static __thread uint64_t rng_state __attribute__((tls_model("initial-exec")));

/* splitmix64's mixer: spreads a seed's few varying bits over all 64. */
static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A seed of its own for each thread: the clock, the thread's TLS address, the pid (fork
 * children reseed) and a count of seeded threads, so two threads started in the same
 * nanosecond still differ. */
static void seed(void)
{
    static atomic_uint_fast64_t n_seeded;
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t z = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    z ^= (uint64_t)(uintptr_t)&rng_state ^ (uint64_t)getpid() << 40;
    z += atomic_fetch_add_explicit(&n_seeded, 1, memory_order_relaxed) * 0x9e3779b97f4a7c15ull;
    rng_state = mix(z);
    if (rng_state == 0) // xorshift's one bad state
        rng_state = 0x9e3779b97f4a7c15ull;
}

static uint64_t next_random(void)
{
    uint64_t x = rng_state;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545f4914f6cdd1dull;
}

/* ceil(X) for X exponential of mean rate: X = -rate * ln(U), U uniform on (0, 1]. */
static uint64_t draw(uint64_t rate)
{
    double u = (double)((next_random() >> 11) + 1) * 0x1p-53; // 53 random bits, never 0
    double x = ceil(-log(u) * (double)rate);                  // at most 36.8 * rate

    return x < 1.0 ? 1 : (uint64_t)x; // U = 1 exactly (one chance in 2^53) would give 0
}

bool ls_sample_crossed(uint64_t size, uint64_t rate)
{
    if (rng_state == 0) { // the thread's first allocation: no point drawn yet
        seed();
        ls_sample_left = draw(rate);
        if (ls_sample_count_down(size))
            return false;
    }
    ls_sample_left = draw(rate);
    return true;
}

void ls_sample_after_fork_child(void)
{
    rng_state = 0; // the next allocation seeds afresh (the clock has moved on)
    ls_sample_left = 0;
}

double ls_sample_probability(uint64_t size, uint64_t rate)
{
    return rate == 0 ? 1.0 : -expm1(-(double)size / (double)rate); // expm1: exact for s << R
}

struct ls_weight ls_sample_weight(uint64_t size, uint64_t rate)
{
    if (rate == 0 || size == 0)
        return (struct ls_weight){.bytes = size, .blocks = LS_WEIGHT_ONE};

    double p = ls_sample_probability(size, rate);
    return (struct ls_weight){.bytes = (uint64_t)llround((double)size / p),
                              .blocks = (uint64_t)llround(LS_WEIGHT_ONE / p)};
}
