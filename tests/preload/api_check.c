/* SPDX-License-Identifier: MIT
 *
 * api_check.c - leakshim_check() on leaks of every kind, and the whole public API called
 * once each, with or without the shim.
 *
 * Leaks, built in noinline functions that return nothing (as the reach_ programs do, so
 * no stale pointer stays on the stack): one 100-byte block (make_lost) definitely lost; a
 * 32-byte list head (make_head) definitely lost whose 4 nodes of 48 bytes (make_node) are
 * indirectly lost; one 64-byte block (make_kept) held by the global `kept`: reachable.
 * Then leakshim_check(&counts) and one "key=value" line per result on stdout; every field
 * starts at 7777 so a field the call leaves untouched shows.
 *
 * Usage: api_check check | calls | snapshot PATTERN
 *   check     leak, then print rc and every field of the counts
 *   snapshot  leak, print "report_now=<rc>" of leakshim_report_now(), then send itself
 *             SIGUSR2 and wait for that snapshot: PATTERN (LEAKSHIM_OUTPUT's) with %n 1
 *   calls  print the result of every API call on blocks it does not leak: ignore of
 *          NULL, of a live block, of its middle, report_now (disable/enable return none)
 */
// No _GNU_SOURCE and <leakshim.h> first: the public header must stand on its own.
#include <leakshim.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc_util.h"
#include "reach_common.h"

struct node {
    struct node *next;
    char payload[40];
};

struct head {
    struct node *first;
    char name[24];
};

_Static_assert(sizeof(struct node) == 48, "node size");
_Static_assert(sizeof(struct head) == 32, "head size");

void *volatile kept; // a root: what it points to stays reachable

/* p zeroed: a conservative scan must not find stale pointers in fresh memory. */
static void *checked(void *p, size_t size)
{
    if (p == NULL)
        proc_die(3, "out of memory");
    return memset(p, 0, size);
}

__attribute__((noinline)) static void make_lost(void)
{
    void *p = checked(malloc(100), 100);

    __asm__ volatile("" : : "r"(p) : "memory");
}

__attribute__((noinline)) static struct node *make_node(struct node *next)
{
    struct node *n = checked(malloc(sizeof(*n)), sizeof(*n));

    n->next = next;
    return n;
}

__attribute__((noinline)) static void make_head(void)
{
    struct head *h = checked(calloc(1, sizeof(*h)), sizeof(*h));

    for (int i = 0; i < proc_opaque(4); i++)
        h->first = make_node(h->first);
    __asm__ volatile("" : : "r"(h) : "memory");
}

__attribute__((noinline)) static void make_kept(void)
{
    kept = checked(malloc(64), 64);
}

static void print_counts(int rc, const struct leakshim_counts *c)
{
    proc_write_kv(1, "rc", rc);
    proc_write_kv(1, "leaked_bytes", (long)c->leaked_bytes);
    proc_write_kv(1, "leaked_blocks", (long)c->leaked_blocks);
    proc_write_kv(1, "definite_bytes", (long)c->definite_bytes);
    proc_write_kv(1, "definite_blocks", (long)c->definite_blocks);
    proc_write_kv(1, "indirect_bytes", (long)c->indirect_bytes);
    proc_write_kv(1, "indirect_blocks", (long)c->indirect_blocks);
    proc_write_kv(1, "possible_bytes", (long)c->possible_bytes);
    proc_write_kv(1, "possible_blocks", (long)c->possible_blocks);
    proc_write_kv(1, "reachable_bytes", (long)c->reachable_bytes);
    proc_write_kv(1, "reachable_blocks", (long)c->reachable_blocks);
    proc_write_kv(1, "suppressed_bytes", (long)c->suppressed_bytes);
    proc_write_kv(1, "suppressed_blocks", (long)c->suppressed_blocks);
    proc_write_kv(1, "ignored_bytes", (long)c->ignored_bytes);
    proc_write_kv(1, "ignored_blocks", (long)c->ignored_blocks);
}

__attribute__((noinline)) static void check(void)
{
    struct leakshim_counts c;
    unsigned long long *field = (unsigned long long *)&c;

    for (size_t i = 0; i < sizeof(c) / sizeof(*field); i++)
        field[i] = 7777;
    int rc = leakshim_check(&c);
    print_counts(rc, &c);
    proc_write_kv(1, "rc_null", leakshim_check(NULL)); // counts nowhere: the result only
}

/* Every call on a block that is freed again: nothing leaks. */
__attribute__((noinline)) static void calls(void)
{
    char *p = checked(malloc(16), 16);

    proc_write_kv(1, "ignore_null", leakshim_ignore(NULL));
    proc_write_kv(1, "ignore_middle", leakshim_ignore(p + 1));
    proc_write_kv(1, "ignore_block", leakshim_ignore(p));
    free(p);
    proc_write_kv(1, "ignore_freed", leakshim_ignore(p));
    leakshim_disable();
    leakshim_enable();
    proc_write_kv(1, "report_now", leakshim_report_now());
}

/* A request report, then a signal snapshot (the second report, %n = 1). */
__attribute__((noinline)) static void snapshots(const char *pattern)
{
    char path[4096];

    proc_expand_path(path, sizeof(path), pattern, getpid(), 1);
    proc_write_kv(1, "report_now", leakshim_report_now());
    reach_scrub_stack();
    kill(getpid(), SIGUSR2);
    if (proc_wait_for_file(path, 10000) != 0)
        proc_die(3, "no snapshot file within 10 s");
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3)
        proc_die(64, "usage: api_check check|calls|snapshot PATTERN");
    if (strcmp(argv[1], "calls") == 0) {
        calls();
        return 0;
    }
    make_lost();
    make_head();
    make_kept();
    reach_scrub_stack();
    if (argc == 3)
        snapshots(argv[2]);
    else
        check();
    reach_scrub_stack();
    return 0;
}
