/* SPDX-License-Identifier: MIT
 *
 * api_ignore.c - leakshim_ignore() and leakshim_disable()/leakshim_enable().
 *
 * Leaks, every block zeroed and every pointer dropped (noinline functions that return
 * nothing, the stack scrubbed before exit):
 *   ignore_root     40 bytes, leakshim_ignore()d; it holds the only pointer to
 *   ignored_child   24 bytes: counted, and reachable once scanned (an ignored block is a root)
 *   in_region       56 bytes, allocated after leakshim_disable()
 *   in_nested        8 bytes, after a second, nested leakshim_disable()
 *   after_nested    16 bytes, after one leakshim_enable(): still disabled (depth 1)
 *   freed_in_region 1000 bytes, allocated and freed inside the region
 *   from_thread     88 bytes, allocated by another thread while main is disabled
 *   after_enable    72 bytes, after the second leakshim_enable()
 * Prints "ignore=<rc>" (leakshim_ignore's result on ignore_root) and
 * "ignore_again=<rc>" (the same block ignored twice).
 *
 * Usage: api_ignore [plain]   plain: the same allocations without any API call, so a
 * check can compare the allocation and free counts of both runs.
 */
#include <leakshim.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "proc_util.h"
#include "reach_common.h"

static struct reach_gate go, done;
static int is_plain;

static void disable(void)
{
    if (!is_plain)
        leakshim_disable();
}

static void enable(void)
{
    if (!is_plain)
        leakshim_enable();
}

static void *zeroed(size_t size)
{
    void *p = malloc(size);

    if (p == NULL)
        proc_die(3, "out of memory");
    return memset(p, 0, size);
}

__attribute__((noinline)) static void *ignored_child(void)
{
    return zeroed(24);
}

__attribute__((noinline)) static void ignore_root(void)
{
    void **root = zeroed(40);

    root[0] = ignored_child();
    if (is_plain)
        return;
    proc_write_kv(1, "ignore", leakshim_ignore(root));
    proc_write_kv(1, "ignore_again", leakshim_ignore(root));
}

#define LEAK_FN(name, size)                          \
    __attribute__((noinline)) static void name(void) \
    {                                                \
        void *p = zeroed(size);                      \
        __asm__ volatile("" : : "r"(p) : "memory");  \
    }

LEAK_FN(in_region, 56)
LEAK_FN(in_nested, 8)
LEAK_FN(after_nested, 16)
LEAK_FN(from_thread, 88)
LEAK_FN(after_enable, 72)

__attribute__((noinline)) static void freed_in_region(void)
{
    free(zeroed(1000));
}

static void *worker(void *arg)
{
    (void)arg;
    reach_gate_wait(&go);
    from_thread();
    reach_gate_post(&done);
    return NULL;
}

__attribute__((noinline)) static void run_region(void)
{
    pthread_t tid;

    reach_gate_open(&go);
    reach_gate_open(&done);
    if (pthread_create(&tid, NULL, worker, NULL) != 0)
        proc_die(91, "pthread_create failed");
    disable();
    in_region();
    disable();
    in_nested();
    enable();
    after_nested();
    freed_in_region();
    reach_gate_post(&go); // the worker allocates while main is disabled
    reach_gate_wait(&done);
    enable();
    after_enable();
    pthread_join(tid, NULL);
}

int main(int argc, char **argv)
{
    is_plain = argc > 1 && strcmp(argv[1], "plain") == 0;
    ignore_root();
    run_region();
    reach_scrub_stack();
    return 0;
}
