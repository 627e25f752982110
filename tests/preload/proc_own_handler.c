/* SPDX-License-Identifier: MIT
 *
 * proc_own_handler.c - installs its own SIGUSR2 handler, sends itself SIGUSR2 N times
 * (waiting up to 5 s for each call of its handler), leaks 77 bytes from own_leak, prints
 * "handler_calls=<n>" and exits with status 9.
 *
 * Usage: proc_own_handler N sigaction|signal
 * Exits 3 if a signal does not reach the program's handler.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc_util.h"

static volatile sig_atomic_t handler_calls;

static void count_call(int sig)
{
    (void)sig;
    handler_calls++;
}

static void install(const char *how)
{
    if (strcmp(how, "signal") == 0) {
        if (signal(SIGUSR2, count_call) == SIG_ERR)
            proc_die(90, "signal failed");
        return;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = count_call;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGUSR2, &sa, NULL) != 0)
        proc_die(90, "sigaction failed");
}

static void own_leak(void)
{
    proc_keep(malloc(77));
}

static void send_and_wait(void)
{
    sig_atomic_t before = handler_calls;

    kill(getpid(), SIGUSR2);
    for (int waited = 0; handler_calls == before; waited += 5) {
        if (waited >= 5000)
            proc_die(3, "the program's SIGUSR2 handler did not run");
        proc_sleep_ms(5);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3)
        proc_die(64, "usage: proc_own_handler N sigaction|signal");

    long n = proc_parse_long(argv[1]);
    install(argv[2]);
    for (long i = 0; i < n; i++)
        send_and_wait();

    own_leak();
    proc_sleep_ms(100); // a late extra call of the handler would show in the count
    proc_write_kv(1, "handler_calls", handler_calls);
    return 9;
}
