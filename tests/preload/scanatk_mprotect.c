/* SPDX-License-Identifier: MIT
 *
 * scanatk_mprotect.c - live blocks with pages the program made unreadable (PROT_NONE).
 *
 * big: 1 MiB from malloc (so glibc serves it with mmap), kept in a global. Its page 3
 * holds the only pointer to `seen` (64 bytes, make_seen); its page 2 holds the only
 * pointer to `hidden` (48 bytes, make_hidden) and is then made PROT_NONE: the scan cannot
 * read it, so hidden is definitely lost (as for valgrind, which skips unreadable pages).
 * With argv[1] = "head", more pages lose their read access:
 *  - big's first page, which holds glibc's chunk header and the block's first words;
 *  - big2 (1 MiB, make_big2): first page PROT_NONE, only an interior pointer (4 pages in)
 *    kept in a global: possibly lost, since no heuristic can read its first words;
 *  - heap (12 KiB, page-aligned, served from glibc's heap, make_heap): first page
 *    PROT_NONE, kept by a global pointer to its start: still reachable; its first page
 *    held the only pointer to `under` (32 bytes, make_under), so that is definitely lost.
 * Then main calls exit(0). Nothing of this may crash the scan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "scanatk_common.h"

#define PAGE 4096

// volatile: stores the program never reads back must still happen
static char *volatile big, *volatile big2_inside, *volatile heap;

__attribute__((noinline)) static void *make_seen(void)
{
    return must_malloc(64);
}

__attribute__((noinline)) static void *make_hidden(void)
{
    return must_malloc(48);
}

__attribute__((noinline)) static void *make_big(void)
{
    return must_malloc(1 << 20);
}

__attribute__((noinline)) static void *make_big2(void)
{
    return must_malloc(1 << 20);
}

__attribute__((noinline)) static void *make_heap(void)
{
    void *p = aligned_alloc(PAGE, 3 * PAGE);

    if (p == NULL)
        _exit(3);
    return p;
}

__attribute__((noinline)) static void *make_under(void)
{
    return must_malloc(32);
}

static void protect(void *page_start)
{
    if ((uintptr_t)page_start % PAGE != 0 || mprotect(page_start, PAGE, PROT_NONE) != 0)
        _exit(4);
}

static char *page_of(char *p, int n)
{
    return (char *)(((uintptr_t)p + (uintptr_t)n * PAGE) & ~(uintptr_t)(PAGE - 1));
}

__attribute__((noinline)) static void fill_big(void)
{
    big = make_big();
    memset(big, 0, 1 << 20);
    *(void **)page_of(big, 3) = make_seen();
    *(void **)page_of(big, 2) = make_hidden();
    protect(page_of(big, 2));
}

__attribute__((noinline)) static void protect_heads(void)
{
    char *big2 = make_big2();

    memset(big2, 0, 1 << 20);
    protect(page_of(big, 0));
    big2_inside = big2 + 4 * PAGE;
    protect(page_of(big2, 0));

    heap = make_heap();
    memset(heap, 0, 3 * PAGE);
    *(void **)(heap + 64) = make_under();
    protect(heap);
}

int main(int argc, char **argv)
{
    fill_big();
    if (argc > 1 && strcmp(argv[1], "head") == 0)
        protect_heads();
    reach_scrub_stack();
    exit(0);
}
