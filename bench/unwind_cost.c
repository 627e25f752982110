/* SPDX-License-Identifier: MIT
 *
 * unwind_cost.c - what libunwind charges per frame through its two local APIs, 40 frames
 * deep: `gcc -O2 -g bench/unwind_cost.c -lunwind && ./a.out`.
 *
 * unw_backtrace() walks with libunwind's per-thread trace cache and gives return
 * addresses only; unw_init_local() + unw_step() gives every frame's registers (its stack
 * pointer too) but takes the general path for each step. Reusing frames already unwound
 * needs each frame's stack pointer, which only the second gives: this measures how far
 * apart the two are.
 */
#define UNW_LOCAL_ONLY
#include <libunwind.h>
#include <stdio.h>
#include <time.h>

#define DEPTH 38
#define ROUNDS 100000
#define MAX_FRAMES 64

static volatile int sink;

static double seconds(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int by_backtrace(void)
{
    void *ips[MAX_FRAMES];

    return unw_backtrace(ips, MAX_FRAMES);
}

static int by_steps(void)
{
    unw_context_t uc;
    unw_cursor_t c;
    unw_word_t ip, sp;
    int n = 0;

    unw_getcontext(&uc);
    unw_init_local(&c, &uc);
    while (n < MAX_FRAMES && unw_step(&c) > 0) {
        unw_get_reg(&c, UNW_REG_IP, &ip);
        unw_get_reg(&c, UNW_REG_SP, &sp);
        sink = (int)(ip ^ sp);
        n++;
    }
    return n;
}

__attribute__((noinline)) static void leaf(int (*walk)(void), const char *name)
{
    int frames = 0;
    double start = seconds();

    for (int i = 0; i < ROUNDS; i++)
        frames = walk();
    double ns = (seconds() - start) / ROUNDS * 1e9;
    printf("%-14s %2d frames: %8.1f ns per stack, %6.2f ns per frame\n", name, frames, ns,
           ns / frames);
}

__attribute__((noinline)) static void descend(int depth, int (*walk)(void), const char *name)
{
    if (depth == 0)
        leaf(walk, name);
    else
        descend(depth - 1, walk, name);
    sink++; // keeps the call from becoming a jump
}

int main(void)
{
    descend(DEPTH, by_backtrace, "unw_backtrace");
    descend(DEPTH, by_steps, "unw_step");
    return 0;
}
