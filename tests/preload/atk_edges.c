/* SPDX-License-Identifier: MIT
 *
 * atk_edges.c - allocation calls at the edges (sizes that must fail, odd alignments,
 * realloc to 0 and back) printing each result and errno, so a run under leakshim can be
 * compared line by line with a run without it. Frees everything it allocates.
 * Successful allocations: 60, frees: 60, largest block 4801 bytes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void say(const char *what, long a, long b)
{
    char line[128];
    int n = snprintf(line, sizeof(line), "%s: %ld %ld\n", what, a, b);

    if (write(STDOUT_FILENO, line, (size_t)n) != n)
        exit(9);
}

/* Prints whether p is NULL and errno, frees p, and clears errno. */
static void show(const char *what, void *p)
{
    say(what, p != NULL, errno);
    free(p);
    errno = 0;
}

static void failing_sizes(void)
{
    volatile size_t huge = SIZE_MAX - 100, half = SIZE_MAX / 2, max = SIZE_MAX;
    volatile size_t past_ptrdiff = (size_t)PTRDIFF_MAX + 1;

    show("malloc huge", malloc(huge));
    show("malloc ptrdiff+1", malloc(past_ptrdiff));
    show("calloc overflow", calloc(half, 3));
    show("calloc 2^50", calloc((size_t)1 << 40, (size_t)1 << 10));
    show("realloc NULL huge", realloc(NULL, huge));
    void *q = malloc(10);
    show("realloc q huge", realloc(q, huge));
    free(q);
    show("reallocarray overflow", reallocarray(NULL, max, 2));
    show("valloc huge", valloc(huge));
    show("pvalloc huge", pvalloc(huge));
}

static void alignments(void)
{
    void *p = memalign(24, 10);

    say("memalign 24 aligned to 32", p != NULL && (uintptr_t)p % 32 == 0, 0);
    free(p);
    show("memalign 3", memalign(3, 10));
    show("memalign 0", memalign(0, 10));
    show("memalign 2^62", memalign((size_t)1 << 62, 10));
    show("aligned_alloc 3", aligned_alloc(3, 10));
    show("aligned_alloc 64", aligned_alloc(64, 100));

    void *o = (void *)1;
    int rc = posix_memalign(&o, 3, 10);
    say("posix_memalign 3 rc, untouched", rc, o == (void *)1);
    rc = posix_memalign(&o, 8, SIZE_MAX - 100);
    say("posix_memalign huge rc, untouched", rc, o == (void *)1);
    rc = posix_memalign(&o, 16, 0);
    say("posix_memalign 0 rc, non-null", rc, o != NULL);
    free(o);
}

/* Realloc up and down to zero: 50 frees and 50 allocations, largest 100 * 48 + 1. */
static void realloc_chain(void)
{
    void *p = malloc(10);

    for (int i = 0; i < 50; i++) {
        p = realloc(p, i % 2 ? 0 : 100 * (size_t)i + 1);
        if (p == NULL)
            p = malloc(1);
    }
    free(p);
    errno = 0;
    p = realloc(malloc(5), 0);
    say("realloc p 0", p != NULL, errno);
    show("malloc 0", malloc(0));
}

int main(void)
{
    failing_sizes();
    alignments();
    realloc_chain();
    return 0;
}
