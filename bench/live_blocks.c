/* SPDX-License-Identifier: MIT
 *
 * live_blocks.c - what a tracker's bookkeeping costs per live block: `live_blocks N`.
 *
 * Allocates the array that will hold the blocks and touches it, reads VmRSS, then
 * allocates N blocks of 32 bytes from one call site (one stack, so a tracker's stack store
 * stays out of the figure), reads VmRSS again and prints both. Run untraced and traced,
 * the difference of the two growths divided by N is the tracker's metadata per live
 * block: glibc's own chunk overhead and the fixed cost of loading the tracker cancel out.
 * The blocks are freed before exit, so the exit report is quick.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_BYTES 32

/* VmRSS in KiB from /proc/self/status, or -1. */
static long vm_rss_kb(void)
{
    char line[256];
    long kb = -1;
    FILE *f = fopen("/proc/self/status", "r");

    if (f == NULL)
        return -1;
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kb = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kb;
}

/* Writes each page, so the array is resident before the first reading (gcc drops a
 * memset of calloc's memory, and calloc's fresh pages are not resident yet). */
static void touch_pages(void *p, size_t len)
{
    volatile char *c = p;

    for (size_t i = 0; i < len; i += 4096)
        c[i] = 0;
}

static void __attribute__((noinline)) fill(void **blocks, long n)
{
    for (long i = 0; i < n; i++) {
        blocks[i] = malloc(BLOCK_BYTES);
        if (blocks[i] == NULL) {
            perror("live_blocks: malloc");
            exit(1);
        }
        memset(blocks[i], (int)i, BLOCK_BYTES);
    }
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
    void **blocks = n > 0 ? calloc((size_t)n, sizeof(*blocks)) : NULL;

    if (blocks == NULL) {
        fprintf(stderr, "usage: live_blocks [N > 0] (N blocks of %d bytes)\n", BLOCK_BYTES);
        return 2;
    }
    touch_pages(blocks, (size_t)n * sizeof(*blocks));

    long before_kb = vm_rss_kb();
    fill(blocks, n);
    long after_kb = vm_rss_kb();

    for (long i = 0; i < n; i++)
        free(blocks[i]);
    free(blocks);
    printf("live_blocks: blocks %ld, block_bytes %d, VmRSS before_kb %ld, after_kb %ld\n", n,
           BLOCK_BYTES, before_kb, after_kb);
    return 0;
}
