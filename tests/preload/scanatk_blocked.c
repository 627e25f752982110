/* SPDX-License-Identifier: MIT
 *
 * scanatk_blocked.c - a thread that blocks every signal, so the exit scan cannot stop it.
 *
 * argv[1] = "hold": the thread keeps the only pointer to a 100-byte block (make_held_block)
 * in a local variable and blocks for good in read(2). main loses 300 bytes (lose_block)
 * and calls exit(0). Documented: the thread is counted in threads_not_stopped and its
 * whole stack mapping is scanned instead, so the held block is still reachable.
 * argv[1] = "unmap": the thread maps 64 anonymous writable regions of 64 KiB, writes to
 * them and unmaps them again, without pause, while main runs leakshim_check() 200 times:
 * every check scans those regions as roots while they may vanish under the scan. main
 * then loses 300 bytes and calls exit(0).
 * argv[1] = "stale": the thread allocates 64 bytes (make_stale_block), leaves the only
 * copy of the pointer at the far end of a 2 KiB local array of a function that returns,
 * and blocks in read(2) with a shallower stack: the copy lies below its stack pointer.
 * The kernel shows that stack pointer (/proc/self/task/TID/syscall), so the dead part
 * is not scanned and the block is definitely lost, as valgrind says. A second thread,
 * which can be stopped, blocks too: the stop looks at the threads twice, and the one it
 * cannot stop must still count once.
 */
#include <leakshim.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "scanatk_common.h"

#define N_REGIONS    64
#define REGION_BYTES (64 * 1024)

static struct reach_gate ready;
static struct holder holder = {&ready, true};
static atomic_long n_cycles;

__attribute__((noinline)) static void leave_stale_copy(void)
{
    void *volatile area[256];

    area[0] = must_malloc(64); // lowest address: below any frame of read()
    for (int i = 1; i < 256; i++)
        area[i] = NULL;
    __asm__ volatile("" : : "r"(area) : "memory"); // the array is written, then dropped
}

__attribute__((noinline)) static void *make_stale_block(void *arg)
{
    (void)arg;
    block_all_signals();
    leave_stale_copy();
    reach_gate_post(&ready);
    reach_block_forever();
}

static void *idle_main(void *arg)
{
    (void)arg;
    reach_block_forever();
}

static void *unmapper_main(void *arg)
{
    static char *regions[N_REGIONS];

    (void)arg;
    block_all_signals();
    reach_gate_post(&ready);
    for (;;) {
        for (int i = 0; i < N_REGIONS; i++) {
            regions[i] = mmap(NULL, REGION_BYTES, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (regions[i] == MAP_FAILED)
                _exit(3);
            memset(regions[i], 0x5a, REGION_BYTES);
        }
        for (int i = 0; i < N_REGIONS; i++)
            munmap(regions[i], REGION_BYTES);
        atomic_fetch_add(&n_cycles, 1);
    }
}

static void run_checks(void)
{
    struct leakshim_counts c;
    int bad = 0;

    for (int i = 0; i < 200; i++) {
        memset(&c, 0, sizeof(c));
        bad += leakshim_check(&c) != 0 || c.definite_bytes != 0;
    }
    printf("checks 200 bad %d\n", bad);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    reach_gate_open(&ready);
    if (argc > 1 && strcmp(argv[1], "unmap") == 0) {
        start_thread(unmapper_main, NULL);
        reach_gate_wait(&ready);
        while (atomic_load(&n_cycles) < 2) {
        }
        run_checks();
    } else if (argc > 1 && strcmp(argv[1], "stale") == 0) {
        start_thread(make_stale_block, NULL);
        reach_gate_wait(&ready);
        start_thread(idle_main, NULL);
    } else {
        start_thread(holder_main, &holder);
        reach_gate_wait(&ready);
    }
    lose_block(300);
    reach_scrub_stack();
    exit(0);
}
