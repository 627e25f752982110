/* SPDX-License-Identifier: MIT
 *
 * reach_thread_stack.c - blocks whose only pointer is on another thread's stack.
 *
 * A worker thread keeps the only pointer to a 200-byte block (make_dead_block) in a local
 * variable and returns; main joins it. The dead thread's stack may stay mapped (glibc
 * caches it for the next thread) with the pointer still in it, but a dead thread's stack
 * is no root: the block is definitely lost.
 * With argv[1] = "holder", a holder thread first keeps the only pointer to a 100-byte
 * block (make_held_block) in a local variable and blocks for good; main calls exit(0)
 * while it is blocked: that block is still reachable. The holder starts before the
 * worker, so the worker's stack is not one the holder then runs on. Without "holder",
 * main exits alone and the C library can be released (its stack cache emptied) first.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reach_common.h"

static struct reach_gate held_ready;

__attribute__((noinline)) static void *make_held_block(void)
{
    void *p = malloc(100);

    if (p == NULL)
        _exit(3);
    return p;
}

__attribute__((noinline)) static void *make_dead_block(void)
{
    void *p = malloc(200);

    if (p == NULL)
        _exit(3);
    return p;
}

static void *holder_main(void *arg)
{
    void *volatile held = make_held_block();

    (void)arg;
    (void)held;
    reach_gate_post(&held_ready);
    reach_block_forever();
}

static void *worker_main(void *arg)
{
    void *volatile kept = make_dead_block();

    (void)kept;
    return arg;
}

__attribute__((noinline)) static void start_holder(void)
{
    pthread_t t;

    reach_gate_open(&held_ready);
    if (pthread_create(&t, NULL, holder_main, NULL) != 0)
        _exit(3);
    reach_gate_wait(&held_ready);
}

__attribute__((noinline)) static void run_worker(void)
{
    pthread_t t;

    if (pthread_create(&t, NULL, worker_main, NULL) != 0 || pthread_join(t, NULL) != 0)
        _exit(3);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "holder") == 0)
        start_holder();
    run_worker();
    reach_scrub_stack();
    exit(0);
}
