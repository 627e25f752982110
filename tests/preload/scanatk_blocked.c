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
static atomic_long n_cycles;

static void block_all_signals(void)
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

static void *holder_main(void *arg)
{
    void *volatile held = make_held_block();

    (void)arg;
    (void)held;
    block_all_signals();
    reach_gate_post(&ready);
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
    } else {
        start_thread(holder_main, NULL);
        reach_gate_wait(&ready);
    }
    lose_block(300);
    reach_scrub_stack();
    exit(0);
}
