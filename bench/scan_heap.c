/* SPDX-License-Identifier: MIT
 *
 * scan_heap.c - a heap to time exit leak checks on: `scan_heap small N`, `scan_heap big N`
 * or `scan_heap dense N`.
 *
 * - small: N blocks of 16, 32, 48 or 64 bytes in one linked list that a global points to,
 *   and N / 100 more in lists of 100 (the last one maybe shorter) that nothing points to:
 *   each list's head is definitely lost, its other nodes indirectly. A leaked node is made
 *   after each 99 kept ones, so leaked and kept blocks lie interleaved in memory.
 * - big: N blocks of 1 MiB that a global array points to, and LEAKED_BIG more that nothing
 *   points to. Every word holds a small integer, which no heap address equals, so a scan
 *   reads every word but looks none of them up.
 * - dense: as big, but every word points to the start of one of the N kept blocks, so a
 *   conservative scan looks every word up among the live blocks.
 *
 * Nothing is freed: every block is live at exit, where the leak check runs. Prints what
 * it made (the same line on every run of the same arguments) and returns 0.
 */
#define _DEFAULT_SOURCE // explicit_bzero
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIB        ((size_t)1 << 20)
#define LIST_LEN   100 // a leaked list: 1 definite head and 99 indirect nodes
#define LEAKED_BIG 4
#define MAX_BIG    65536 // 64 GiB of 1 MiB blocks

static uintptr_t *kept_list;
static uintptr_t *kept_big[MAX_BIG];

static void *must_malloc(size_t size)
{
    void *p = malloc(size);

    if (p == NULL) {
        fprintf(stderr, "scan_heap: out of memory\n");
        exit(1);
    }
    return p;
}

/* A list node: word 0 links to the next node, the others hold i (not an address). */
static uintptr_t *new_node(size_t i, uintptr_t *next)
{
    size_t words = 2 + (i % 4) * 2; // 16, 32, 48, 64 bytes
    uintptr_t *n = must_malloc(words * sizeof(uintptr_t));

    n[0] = (uintptr_t)next;
    for (size_t w = 1; w < words; w++)
        n[w] = i;
    return n;
}

/* Kept nodes go on the global list; every 100th node goes on a list that is dropped once
 * it is LIST_LEN long. Returns the number of leaked nodes. */
static size_t make_small(size_t n_kept)
{
    uintptr_t *leaking = NULL;
    size_t n_leaked = 0, i = 0;

    for (size_t kept = 0; kept < n_kept; i++) {
        if (i % 100 == 99 && n_leaked < n_kept / 100) {
            leaking = new_node(i, leaking);
            if (++n_leaked % LIST_LEN == 0)
                leaking = NULL; // the list's last pointer is gone: it is leaked
            continue;
        }
        kept_list = new_node(i, kept_list);
        kept++;
    }
    return n_leaked; // a last, shorter list is dropped on return: leaked too
}

/* Fills a 1 MiB block with small integers, or with pointers to the kept blocks. */
static void fill_big(uintptr_t *block, size_t b, size_t n_kept, int dense)
{
    size_t words = MIB / sizeof(uintptr_t);

    for (size_t w = 0; w < words; w++)
        block[w] = dense ? (uintptr_t)kept_big[(b * 31 + w) % n_kept] : (b * words + w) & 0xffffff;
}

/* Leaks LEAKED_BIG blocks; noinline and wiped so that no copy of their addresses stays
 * in a frame that a stack scan at exit would still read. */
static void __attribute__((noinline)) leak_big(size_t n_kept, int dense)
{
    uintptr_t *leaked[LEAKED_BIG];

    for (size_t b = 0; b < LEAKED_BIG; b++)
        leaked[b] = must_malloc(MIB);
    for (size_t b = 0; b < LEAKED_BIG; b++)
        fill_big(leaked[b], n_kept + b, n_kept, dense);
    explicit_bzero(leaked, sizeof(leaked));
}

static void make_big(size_t n_kept, int dense)
{
    for (size_t b = 0; b < n_kept; b++)
        kept_big[b] = must_malloc(MIB);
    for (size_t b = 0; b < n_kept; b++)
        fill_big(kept_big[b], b, n_kept, dense);
    leak_big(n_kept, dense);
}

/* LeakSanitizer ends a leaking process with _exit from its own exit handler, before stdio
 * flushes: without this its runs would print nothing into a pipe or file. */
static int flush_stdout(void)
{
    return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 0;

    if (strcmp(mode, "small") == 0 && n >= 1 && n <= 100000000L) {
        size_t leaked = make_small((size_t)n);
        printf("scan_heap: %ld small blocks kept, %zu leaked in lists of %d\n", n, leaked,
               LIST_LEN);
        return flush_stdout();
    }
    if ((strcmp(mode, "big") == 0 || strcmp(mode, "dense") == 0) && n >= 1 && n <= MAX_BIG) {
        make_big((size_t)n, strcmp(mode, "dense") == 0);
        printf("scan_heap: %ld blocks of 1 MiB kept (%s), %d leaked\n", n,
               strcmp(mode, "dense") == 0 ? "pointer-dense" : "no pointers", LEAKED_BIG);
        return flush_stdout();
    }
    fprintf(stderr, "usage: scan_heap small N (1 to 10^8) | big N | dense N (MiB, 1 to %d)\n",
            MAX_BIG);
    return 2;
}
