/* SPDX-License-Identifier: MIT
 *
 * test_sample.c - LEAKSHIM_SAMPLE's sampler: each size is sampled with probability
 * 1 - exp(-size/rate), also when sizes are mixed, and the weights make unbiased sums.
 *
 * The checks are statistical: each allows 5 standard deviations (plus one for rounding),
 * so a correct sampler fails one of them about once in 10^6 runs (two-sided 5-sigma is
 * 5.7e-7 per check); a sampler off by even 2% fails at once at these counts.
 */
#include <math.h>
#include <pthread.h>

#include "check.h"
#include "sample.h"

#define RATE 65536u

/* Fails unless got is within 5 standard deviations of want. */
static void check_near(const char *what, double got, double want, double sd)
{
    if (fabs(got - want) > 5 * sd + 1) {
        fprintf(stderr, "%s: got %.1f, expected %.1f +- %.1f (5 sd)\n", what, got, want, 5 * sd);
        exit(1);
    }
}

/* n allocations of size bytes: the share sampled is 1 - exp(-size/RATE). */
static void check_rate_of(uint64_t size, long n)
{
    double p = 1 - exp(-(double)size / RATE);
    long hits = 0;

    for (long i = 0; i < n; i++)
        hits += ls_sample_take(size, RATE);
    char what[64];
    snprintf(what, sizeof(what), "sampled of %ld x %llu bytes", n, (unsigned long long)size);
    check_near(what, (double)hits, n * p, sqrt(n * p * (1 - p)));
}

/* Small and large allocations in turn: a countdown left over from one size must not bend
 * the other's probability (the memoryless step in sample.c). */
static void check_mixed_sizes(void)
{
    const uint64_t small = 100, large = 3 * RATE / 2;
    const long n = 400000;
    double p_small = 1 - exp(-(double)small / RATE), p_large = 1 - exp(-(double)large / RATE);
    long hits_small = 0, hits_large = 0;

    for (long i = 0; i < n; i++) {
        hits_small += ls_sample_take(small, RATE);
        hits_large += ls_sample_take(large, RATE);
    }
    check_near("mixed: small ones sampled", (double)hits_small, n * p_small,
               sqrt(n * p_small * (1 - p_small)));
    check_near("mixed: large ones sampled", (double)hits_large, n * p_large,
               sqrt(n * p_large * (1 - p_large)));
}

/* Sums of weights over the sampled allocations estimate the sums over all of them. */
static void check_unbiased(void)
{
    static const uint64_t sizes[] = {1, 16, 48, 1000, 4096, 70000, 300000};
    const size_t n_sizes = sizeof(sizes) / sizeof(sizes[0]);
    const long rounds = 200000;
    double bytes = 0, blocks = 0, true_bytes = 0, var_bytes = 0, var_blocks = 0;

    for (long i = 0; i < rounds; i++) {
        for (size_t k = 0; k < n_sizes; k++) {
            if (!ls_sample_take(sizes[k], RATE))
                continue;
            struct ls_weight w = ls_sample_weight(sizes[k], RATE);
            bytes += (double)w.bytes;
            blocks += (double)w.blocks / LS_WEIGHT_ONE;
        }
    }
    for (size_t k = 0; k < n_sizes; k++) {
        double p = ls_sample_probability(sizes[k], RATE), s = (double)sizes[k];
        true_bytes += rounds * s;
        var_bytes += rounds * s * s * (1 - p) / p; // Var(I s/p) = s^2 (1-p)/p
        var_blocks += rounds * (1 - p) / p;
    }
    check_near("estimated bytes", bytes, true_bytes, sqrt(var_bytes));
    check_near("estimated blocks", blocks, (double)rounds * n_sizes, sqrt(var_blocks));
}

static void check_weights(void)
{
    struct ls_weight w = ls_sample_weight(RATE, RATE);
    double p = 1 - exp(-1.0);

    CHECK_EQ_U(w.blocks, llround(LS_WEIGHT_ONE / p));
    CHECK_EQ_U(w.bytes, llround(RATE / p));
    w = ls_sample_weight(1, RATE); // a tiny block stands for about RATE bytes
    CHECK(w.bytes >= RATE && w.bytes <= RATE + 1);
    w = ls_sample_weight(1000, 0); // exact mode: one block as it is
    CHECK_EQ_U(w.bytes, 1000);
    CHECK_EQ_U(w.blocks, LS_WEIGHT_ONE);
    w = ls_sample_weight(1u << 30, RATE); // certain to be sampled: stands for itself
    CHECK_EQ_U(w.bytes, 1u << 30);
    CHECK_EQ_U(ls_weight_blocks(w.blocks), 1);
    CHECK(fabs(ls_sample_probability(10, 1u << 20) - 10.0 / (1u << 20)) < 1e-9);
}

static void check_zero_never_sampled(void)
{
    for (int i = 0; i < 100000; i++)
        CHECK(!ls_sample_take(0, 1));
}

/* Each thread draws its own points: two threads' decisions differ. */
static void *decisions(void *out)
{
    uint64_t bits = 0;

    for (int i = 0; i < 64; i++)
        bits = bits << 1 | ls_sample_take(RATE / 2, RATE);
    *(uint64_t *)out = bits;
    return NULL;
}

static void check_threads_differ(void)
{
    uint64_t a, b;
    pthread_t t;

    pthread_create(&t, NULL, decisions, &a);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, decisions, &b);
    pthread_join(t, NULL);
    CHECK(a != b); // equal by chance: 2^-64 at p = 0.39
}

int main(void)
{
    check_weights();
    check_zero_never_sampled();
    check_rate_of(1, 20000000);
    check_rate_of(64, 2000000);
    check_rate_of(RATE / 8, 400000);
    check_rate_of(RATE / 2, 400000);
    check_rate_of(RATE, 400000);
    check_rate_of(3 * RATE, 400000);
    check_mixed_sizes();
    check_unbiased();
    check_threads_differ();
    puts("test_sample: passed");
    return 0;
}
