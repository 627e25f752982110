/* SPDX-License-Identifier: MIT
 *
 * reach_list.c - a leaked linked list and a leaked two-block cycle.
 *
 * The list: one 32-byte head (make_list_head) points at the first of 10 nodes of 48
 * bytes (make_node), each node at the next. The pointer to the head is dropped, so the
 * head is definitely lost and the nodes, reached only through it, indirectly lost.
 * The cycle: two 24-byte blocks (make_cycle_block) point at each other and nothing else
 * points at them: the one at the lower address leads the clique and is definitely lost,
 * the other is indirectly lost.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reach_common.h"

#define LIST_NODES 10

struct node {
    struct node *next;
    char payload[40];
};

struct list_head {
    struct node *first;
    size_t n_nodes;
    char name[16];
};

struct cycle {
    struct cycle *other;
    char payload[16];
};

_Static_assert(sizeof(struct node) == 48, "node size");
_Static_assert(sizeof(struct list_head) == 32, "head size");
_Static_assert(sizeof(struct cycle) == 24, "cycle block size");

__attribute__((noinline)) static struct node *make_node(struct node *next)
{
    struct node *n = malloc(sizeof(*n));

    if (n == NULL)
        _exit(3);
    memset(n, 0, sizeof(*n));
    n->next = next;
    return n;
}

__attribute__((noinline)) static struct list_head *make_list_head(void)
{
    struct list_head *h = malloc(sizeof(*h));

    if (h == NULL)
        _exit(3);
    memset(h, 0, sizeof(*h));
    return h;
}

/* Builds the list and drops every pointer to it. */
__attribute__((noinline)) static void leak_list(void)
{
    struct list_head *h = make_list_head();

    for (int i = 0; i < LIST_NODES; i++)
        h->first = make_node(h->first);
    h->n_nodes = LIST_NODES;
    __asm__ volatile("" : : "r"(h) : "memory");
}

__attribute__((noinline)) static struct cycle *make_cycle_block(void)
{
    struct cycle *c = malloc(sizeof(*c));

    if (c == NULL)
        _exit(3);
    memset(c, 0, sizeof(*c));
    return c;
}

/* How many cycle blocks: volatile, so the loop is not unrolled into two call sites. */
static volatile int cycle_blocks = 2;

/* Two blocks from one call site, so they share a stack: one definite, one indirect. */
__attribute__((noinline)) static void leak_cycle(void)
{
    struct cycle *pair[2];

    for (int i = 0; i < cycle_blocks && i < 2; i++)
        pair[i] = make_cycle_block();
    pair[0]->other = pair[1];
    pair[1]->other = pair[0];
    __asm__ volatile("" : : "r"(pair) : "memory");
    explicit_bzero(pair, sizeof(pair));
}

int main(void)
{
    leak_list();
    leak_cycle();
    reach_scrub_stack();
    return 0;
}
