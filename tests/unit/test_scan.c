/* SPDX-License-Identifier: MIT
 *
 * test_scan.c - the classification rules on hand-made heaps: blocks are real memory (a
 * pool here), roots are arrays of words, so every pointer is placed on purpose.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "scan.h"

#define N_BLOCKS 16
#define BLOCK    64 // bytes each; blocks sit 64 bytes apart in the pool

static _Alignas(16) unsigned char pool[N_BLOCKS * BLOCK];
static struct ls_scan_block blocks[N_BLOCKS], tmp[N_BLOCKS];
static uint32_t stack[N_BLOCKS];
static struct ls_scan s;

static uintptr_t at(int i)
{
    return (uintptr_t)&pool[i * BLOCK];
}

/* Word w of block i. */
static uintptr_t *word(int i, int w)
{
    return (uintptr_t *)at(i) + w;
}

/* n blocks of BLOCK bytes (block i sized sizes[i] when given), added in reverse address
 * order so the sort has work to do. */
static void setup(int n, const uint64_t *sizes)
{
    memset(pool, 0, sizeof(pool));
    for (int i = 0; i < n; i++) {
        int k = n - 1 - i;
        blocks[i] = (struct ls_scan_block){
            .addr = at(k), .size = sizes != NULL ? sizes[k] : BLOCK, .stack_id = (uint32_t)k};
    }
    ls_scan_sort(blocks, tmp, (size_t)n);
    s = (struct ls_scan){
        .blocks = blocks, .n_blocks = (size_t)n, .stack = stack, .use_heuristics = true};
}

static int kind(int i)
{
    long b = ls_scan_find(&s, at(i));

    CHECK(b >= 0);
    return s.blocks[b].kind;
}

static void root(uintptr_t w)
{
    ls_scan_root_words(&s, &w, 1);
}

static void check_sort_and_find(void)
{
    uint64_t sizes[4] = {64, 0, 8, 64};

    setup(4, sizes);
    for (int i = 0; i < 4; i++)
        CHECK_EQ_U(blocks[i].addr, at(i));
    CHECK_EQ_U(blocks[3].stack_id, 3);
    ls_scan_begin(&s);
    CHECK(ls_scan_find(&s, at(0) + 63) == 0);
    CHECK(ls_scan_find(&s, at(1)) == 1);      // a zero-size block holds its start
    CHECK(ls_scan_find(&s, at(1) + 1) == -1); // and nothing else
    CHECK(ls_scan_find(&s, at(2) + 8) == -1); // one past an 8-byte block
    CHECK(ls_scan_find(&s, at(0) - 1) == -1);
    CHECK(ls_scan_find(&s, at(4)) == -1);
}

/* From every block as a start, every address in and around the pool is found in the
 * same block as by the binary search: gaps, block tails and a zero-size block included. */
static void check_find_near(void)
{
    uint64_t sizes[N_BLOCKS] = {64, 0, 8, 64, 16, 64, 64, 24, 64, 1, 64, 64, 40, 64, 64, 64};

    setup(N_BLOCKS, sizes);
    ls_scan_begin(&s);
    for (size_t h = 0; h < N_BLOCKS; h++) {
        for (uintptr_t p = at(0) - 8; p < at(N_BLOCKS) + 8; p++) {
            if (ls_scan_find_near(&s, h, p) != ls_scan_find(&s, p))
                CHECK_EQ_U(ls_scan_find_near(&s, h, p), ls_scan_find(&s, p));
        }
    }
}

/* A list head nobody points to: the head is definite, everything behind it indirect,
 * and a block the root points to is reachable, with what it points to. */
static void check_list(void)
{
    setup(6, NULL);
    *word(0, 0) = at(1); // head 0 -> 1 -> 2 (interior) -> 3
    *word(1, 0) = at(2) + 24;
    *word(2, 5) = at(3);
    *word(4, 1) = at(5); // root -> 4 -> 5
    ls_scan_begin(&s);
    root(at(4));
    ls_scan_finish(&s);
    CHECK_EQ_U(kind(0), LS_KIND_DEFINITE);
    CHECK_EQ_U(kind(1), LS_KIND_INDIRECT);
    CHECK_EQ_U(kind(2), LS_KIND_INDIRECT); // inside a clique, interior pointers count too
    CHECK_EQ_U(kind(3), LS_KIND_INDIRECT);
    CHECK_EQ_U(kind(4), LS_KIND_REACHABLE);
    CHECK_EQ_U(kind(5), LS_KIND_REACHABLE);
}

/* A cycle of two: the lower address heads the clique, as in memcheck. */
static void check_cycle(void)
{
    setup(2, NULL);
    *word(0, 0) = at(1);
    *word(1, 0) = at(0);
    ls_scan_begin(&s);
    ls_scan_finish(&s);
    CHECK_EQ_U(kind(0), LS_KIND_DEFINITE);
    CHECK_EQ_U(kind(1), LS_KIND_INDIRECT);
}

/* A later head takes an earlier one into its clique: 1 -> 0, 0 alone first. */
static void check_clique_merge(void)
{
    setup(2, NULL);
    *word(1, 0) = at(0);
    ls_scan_begin(&s);
    ls_scan_finish(&s);
    CHECK_EQ_U(kind(0), LS_KIND_INDIRECT);
    CHECK_EQ_U(kind(1), LS_KIND_DEFINITE);
}

/* Interior pointers: possible, and what a possible block points to is possible too,
 * until a start pointer from a reachable block upgrades it. */
static void check_possible(void)
{
    setup(4, NULL);
    *word(0, 0) = at(1); // 0 (possible) -> 1: possible, not reachable
    *word(3, 0) = at(2); // root -> 3 -> 2: reachable, though 0 pointed at it first
    *word(0, 1) = at(2);
    ls_scan_begin(&s);
    root(at(0) + 16);
    root(at(3));
    ls_scan_finish(&s);
    CHECK_EQ_U(kind(0), LS_KIND_POSSIBLE);
    CHECK_EQ_U(kind(1), LS_KIND_POSSIBLE);
    CHECK_EQ_U(kind(2), LS_KIND_REACHABLE);
    CHECK_EQ_U(kind(3), LS_KIND_REACHABLE);
}

/* memcheck's heuristics: length64 and new[] counts make start+8 as good as the start;
 * a copy-on-write string's rep makes start+24 so. */
static void check_heuristics(void)
{
    uint64_t sizes[4] = {64, 64, 40, 64};

    setup(4, sizes);
    *word(0, 0) = 56; // length64: size - 8
    *word(1, 0) = 7;  // new[]: 7 elements of 8 bytes after the count
    *word(2, 0) = 10; // string rep: length 10, capacity 15: 24 + 15 + 1 == 40
    *word(2, 1) = 15;
    *word(3, 0) = 5; // 56 bytes are not a whole number of 5-byte elements
    ls_scan_begin(&s);
    root(at(0) + 8);
    root(at(1) + 8);
    root(at(2) + 24);
    root(at(3) + 8);
    ls_scan_finish(&s);
    CHECK_EQ_U(kind(0), LS_KIND_REACHABLE);
    CHECK_EQ_U(kind(1), LS_KIND_REACHABLE);
    CHECK_EQ_U(kind(2), LS_KIND_REACHABLE);
    CHECK_EQ_U(kind(3), LS_KIND_POSSIBLE);

    setup(2, NULL);
    *word(0, 0) = 56;
    s.use_heuristics = false;
    ls_scan_begin(&s);
    root(at(0) + 8);
    ls_scan_finish(&s);
    CHECK_EQ_U(kind(0), LS_KIND_POSSIBLE);
}

/* An ignored block is a root: reachable, and so is what it points to. */
static void check_ignored(void)
{
    setup(3, NULL);
    *word(1, 2) = at(2);
    for (int i = 0; i < 3; i++)
        if (blocks[i].addr == at(1))
            blocks[i].flags = LS_BLOCK_IGNORED;
    ls_scan_begin(&s);
    ls_scan_finish(&s);
    CHECK_EQ_U(kind(0), LS_KIND_DEFINITE);
    CHECK_EQ_U(kind(1), LS_KIND_REACHABLE);
    CHECK_EQ_U(kind(2), LS_KIND_REACHABLE);
}

/* Only whole, aligned words inside a block are pointers: the tail of a 12-byte block
 * is not read as one. */
static void check_block_tail(void)
{
    uint64_t sizes[2] = {12, 64};

    setup(2, sizes);
    *word(0, 0) = at(1);
    ls_scan_begin(&s);
    root(at(0));
    ls_scan_finish(&s);
    CHECK_EQ_U(kind(1), LS_KIND_REACHABLE);

    setup(2, sizes);
    *word(0, 1) = at(1); // bytes 8..15 of a 12-byte block
    ls_scan_begin(&s);
    root(at(0));
    ls_scan_finish(&s);
    CHECK_EQ_U(kind(1), LS_KIND_DEFINITE);
}

#define DENSE_BLOCKS 2048 // 32 bytes each: 16 pages, 128 blocks a page
#define DENSE_CHAIN  1000 // the first DENSE_CHAIN of the permutation hang off a root

static _Alignas(4096) uintptr_t dense_pool[DENSE_BLOCKS * 4];
static struct ls_scan_block dense[DENSE_BLOCKS], dense_tmp[DENSE_BLOCKS];
static uint32_t dense_stack[DENSE_BLOCKS], hints[LS_SCAN_HINTS];

/* Two chains through blocks in a scattered order, so lookups hop between neighbours
 * on a page and across pages: the page cache and its search from a cached neighbour
 * must find what the binary search finds. Returns the kinds, by address order. */
static void classify_dense(uint32_t *page_hint, uint8_t *kinds)
{
    uint32_t order[DENSE_BLOCKS];

    memset(dense_pool, 0, sizeof(dense_pool));
    for (uint32_t i = 0; i < DENSE_BLOCKS; i++) {
        order[i] = (i * 1237u + 11u) % DENSE_BLOCKS; // 1237 is prime: a permutation
        dense[i] = (struct ls_scan_block){.addr = (uintptr_t)&dense_pool[i * 4],
                                          .size = i % 7 == 3 ? 8 : 32};
    }
    ls_scan_sort(dense, dense_tmp, DENSE_BLOCKS);
    for (uint32_t k = 0; k + 1 < DENSE_BLOCKS; k++) {
        uint32_t w = order[k] % 7 == 3 ? 0 : k % 4; // an 8-byte block has one word
        if (k + 1 != DENSE_CHAIN) // the second chain starts unrooted at DENSE_CHAIN
            dense_pool[order[k] * 4 + w] = (uintptr_t)&dense_pool[order[k + 1] * 4] + k % 8;
    }
    struct ls_scan d = {.blocks = dense,
                        .n_blocks = DENSE_BLOCKS,
                        .stack = dense_stack,
                        .use_heuristics = false,
                        .page_hint = page_hint};
    // Pointers land k % 8 bytes in: 0 is a start, anything else makes the rest possible.
    uintptr_t head = (uintptr_t)&dense_pool[order[0] * 4];
    ls_scan_begin(&d);
    ls_scan_root_words(&d, &head, 1);
    ls_scan_finish(&d);
    for (uint32_t i = 0; i < DENSE_BLOCKS; i++)
        kinds[i] = dense[i].kind;
}

static void check_page_cache(void)
{
    uint8_t plain[DENSE_BLOCKS], cached[DENSE_BLOCKS];
    int n[LS_N_KINDS] = {0};

    classify_dense(NULL, plain);
    classify_dense(hints, cached);
    CHECK(memcmp(plain, cached, sizeof(plain)) == 0);
    for (uint32_t i = 0; i < DENSE_BLOCKS; i++)
        n[cached[i]]++;
    // The root and the first link point to starts; the next link lands 1 byte in, so
    // from there on the rooted chain is possible; the unrooted one is one clique.
    CHECK_EQ_U(n[LS_KIND_REACHABLE], 2);
    CHECK_EQ_U(n[LS_KIND_POSSIBLE], DENSE_CHAIN - 2);
    CHECK_EQ_U(n[LS_KIND_DEFINITE], 1);
    CHECK_EQ_U(n[LS_KIND_INDIRECT], DENSE_BLOCKS - DENSE_CHAIN - 1);
}

int main(void)
{
    check_page_cache();
    check_sort_and_find();
    check_find_near();
    check_list();
    check_cycle();
    check_clique_merge();
    check_possible();
    check_heuristics();
    check_ignored();
    check_block_tail();
    puts("test_scan: ok");
    return 0;
}
