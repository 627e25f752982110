/* SPDX-License-Identifier: MIT
 *
 * scanatk_hidden.c - pointers a conservative scan can and cannot see.
 *
 * - xor_block (48 bytes, make_xor_block): its only pointer is kept XORed with a key in
 *   a global. No word equals its address: definitely lost, as docs/limitations.md says.
 * - reg_block (80 bytes, make_reg_block): a thread spins in a tight loop of inline
 *   assembly that keeps the only pointer in a register (no memory copy, no system call).
 *   The stop signal interrupts the loop and saves the registers: still reachable.
 * main waits until the thread spins, then calls exit(0).
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "scanatk_common.h"

#define KEY 0xa5a5a5a5a5a5a5a5ull

static uintptr_t xor_kept;
static atomic_int is_spinning;
static int never;

__attribute__((noinline)) static void *make_xor_block(void)
{
    return must_malloc(48);
}

__attribute__((noinline)) static void *make_reg_block(void)
{
    return must_malloc(80);
}

__attribute__((noinline)) static void keep_xored(void)
{
    xor_kept = (uintptr_t)make_xor_block() ^ KEY;
}

static void *spinner_main(void *arg)
{
    void *p = make_reg_block();

    (void)arg;
    reach_scrub_stack(); // no stale copy of p below this frame
    atomic_store(&is_spinning, 1);
    // p lives only in a register from here on: the asm names it as an operand.
    __asm__ volatile("1: pause\n\t"
                     "cmpl $0, %1\n\t"
                     "je 1b"
                     : "+r"(p)
                     : "m"(never)
                     : "memory");
    return p;
}

int main(void)
{
    keep_xored();
    start_thread(spinner_main, NULL);
    while (atomic_load(&is_spinning) == 0) {
    }
    reach_scrub_stack();
    exit(0);
}
