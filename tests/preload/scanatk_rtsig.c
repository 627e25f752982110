/* SPDX-License-Identifier: MIT
 *
 * scanatk_rtsig.c - a program that puts its own handler on every real-time signal.
 *
 * argv[1] = "after": main runs leakshim_check() first (so the shim has taken a real-time
 * signal for stopping threads), then installs its handlers; "before": handlers first.
 * Either way it then starts a thread that keeps the only pointer to a 100-byte block
 * (make_held_block) on its stack and blocks in read(2), sends itself every real-time
 * signal from SIGRTMIN to SIGRTMAX with tgkill (the way the shim sends its own), runs
 * leakshim_check() again, sends them all again, and prints how many of the 2 * n signals
 * its handlers saw, each with the right number and si_code SI_TKILL. Then it loses 300
 * bytes (lose_block) and calls exit(0): the shim, with no signal of its own left, stops
 * nobody; the blocked thread counts as not stopped and its stack is scanned whole.
 */
#include <leakshim.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "scanatk_common.h"

static atomic_int n_right, n_wrong;
static struct reach_gate ready;
static struct holder holder = {&ready, false};
static int expected_sig;

static void on_rt(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    if (sig == expected_sig && si->si_code == SI_TKILL && si->si_pid == getpid())
        atomic_fetch_add(&n_right, 1);
    else
        atomic_fetch_add(&n_wrong, 1);
}

static void install_handlers(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_rt;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++) {
        if (sigaction(sig, &sa, NULL) != 0)
            _exit(3);
    }
}

static void send_all(void)
{
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++) {
        expected_sig = sig;
        syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), sig);
    }
}

int main(int argc, char **argv)
{
    struct leakshim_counts c;
    bool is_after = argc > 1 && strcmp(argv[1], "after") == 0;

    if (is_after)
        leakshim_check(NULL);
    install_handlers();
    reach_gate_open(&ready);
    start_thread(holder_main, &holder);
    reach_gate_wait(&ready);
    send_all();
    int rc = leakshim_check(&c);
    send_all();
    printf("handled %d of %d, wrong %d; check %d reachable %llu/%llu\n", atomic_load(&n_right),
           2 * (SIGRTMAX - SIGRTMIN + 1), atomic_load(&n_wrong), rc, c.reachable_bytes,
           c.reachable_blocks);
    fflush(stdout);
    lose_block(300);
    reach_scrub_stack();
    exit(0);
}
