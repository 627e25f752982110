/* SPDX-License-Identifier: MIT
 *
 * reach_tls.c - blocks whose only pointer is in thread-local storage.
 *
 * A second thread keeps a 64-byte block (make_tls_block) in the program's
 * `static __thread` variable and a 128-byte block (make_specific_block) as its
 * pthread_setspecific value, then blocks for good. Main keeps a 96-byte block
 * (make_main_tls_block) in its own copy of the __thread variable and calls exit(0) while
 * the thread is blocked. All three are still reachable: static TLS and the thread's
 * key values live in memory that is scanned as a root.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "reach_common.h"

static __thread void *volatile tls_kept;
static pthread_key_t key;
static struct reach_gate thread_ready;

__attribute__((noinline)) static void *allocate(size_t n)
{
    void *p = malloc(n);

    if (p == NULL)
        _exit(3);
    return p;
}

__attribute__((noinline)) static void make_tls_block(void)
{
    tls_kept = allocate(64);
}

__attribute__((noinline)) static void make_specific_block(void)
{
    if (pthread_setspecific(key, allocate(128)) != 0)
        _exit(3);
}

__attribute__((noinline)) static void make_main_tls_block(void)
{
    tls_kept = allocate(96);
}

static void *thread_main(void *arg)
{
    (void)arg;
    make_tls_block();
    make_specific_block();
    reach_gate_post(&thread_ready);
    reach_block_forever();
}

__attribute__((noinline)) static void start_thread(void)
{
    pthread_t t;

    reach_gate_open(&thread_ready);
    if (pthread_key_create(&key, NULL) != 0 || pthread_create(&t, NULL, thread_main, NULL) != 0)
        _exit(3);
    reach_gate_wait(&thread_ready);
}

int main(void)
{
    make_main_tls_block();
    start_thread();
    reach_scrub_stack();
    exit(0);
}
