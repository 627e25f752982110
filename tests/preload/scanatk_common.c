/* SPDX-License-Identifier: MIT
 *
 * scanatk_common.c - helpers shared by the scanatk_* programs (see scanatk_common.h).
 */
#include "scanatk_common.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((noinline)) void *must_malloc(size_t n)
{
    void *p = malloc(n);

    if (p == NULL)
        _exit(3);
    return p;
}

__attribute__((noinline)) void lose_block(size_t n)
{
    void *volatile p = malloc(n);

    if (p == NULL)
        _exit(3);
    p = NULL; // the only copy on the stack is gone
}

void start_thread(void *(*fn)(void *), void *arg)
{
    pthread_t t;

    if (pthread_create(&t, NULL, fn, arg) != 0 || pthread_detach(t) != 0)
        _exit(3);
}

void block_all_signals(void)
{
    sigset_t all;

    sigfillset(&all);
    if (pthread_sigmask(SIG_SETMASK, &all, NULL) != 0)
        _exit(3);
}

__attribute__((noinline)) static void *make_held_block(void)
{
    return must_malloc(100);
}

void *holder_main(void *holder)
{
    const struct holder *h = holder;
    void *volatile held = make_held_block();

    (void)held;
    if (h->blocks_signals)
        block_all_signals();
    reach_gate_post(h->ready);
    reach_block_forever();
}
