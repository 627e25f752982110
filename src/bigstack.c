/* SPDX-License-Identifier: MIT
 *
 * bigstack.c - makecontext/swapcontext onto an arena stack and back.
 */
#include "bigstack.h"

#include <ucontext.h>

#include "arena.h"

#define BIG_STACK_BYTES (8u << 20)

// makecontext passes only ints: the call goes through the thread's own slots.
static __thread void (*pending_fn)(void *);
static __thread void *pending_arg;

static void trampoline(void)
{
    pending_fn(pending_arg);
}

void ls_bigstack_run(void (*fn)(void *arg), void *arg, bool is_kept)
{
    ucontext_t back, run;
    void *stack = ls_arena_alloc(BIG_STACK_BYTES);

    if (stack == NULL || getcontext(&run) != 0) {
        ls_arena_free(stack, BIG_STACK_BYTES);
        fn(arg);
        return;
    }
    run.uc_stack.ss_sp = stack;
    run.uc_stack.ss_size = BIG_STACK_BYTES;
    run.uc_link = &back; // where trampoline() returns to
    pending_fn = fn;
    pending_arg = arg;
    makecontext(&run, trampoline, 0);
    if (swapcontext(&back, &run) != 0)
        fn(arg);
    if (!is_kept)
        ls_arena_free(stack, BIG_STACK_BYTES);
}
