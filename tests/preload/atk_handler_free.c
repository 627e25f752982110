/* SPDX-License-Identifier: MIT
 *
 * atk_handler_free.c - a SIGALRM handler frees blocks while the main thread churns
 * malloc/free. The handler frees 200 pool blocks, one per signal; the pool's sizes sit in
 * tcache bins nothing else uses, four per bin, and the main thread only ever reuses four
 * 48-byte blocks, so glibc itself never takes a lock on either side: without leakshim the
 * program always completes. Prints "done", leaks 33 bytes from leak_once, exits 0.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>

#define POOL 200

static void *pool[POOL];
static volatile sig_atomic_t handled;
void *atk_kept;

static void on_alarm(int sig)
{
    (void)sig;
    if (handled < POOL) {
        free(pool[handled]);
        handled++;
    }
}

static void leak_once(void)
{
    atk_kept = malloc(33);
}

static void set_timer(long usec)
{
    struct itimerval it = {{0, usec}, {0, usec}};

    setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
    void *keep[4] = {0};

    for (int i = 0; i < POOL; i++)
        pool[i] = malloc(200 + (size_t)(i / 4) * 16);
    signal(SIGALRM, on_alarm);
    set_timer(100);
    for (unsigned long i = 0; handled < POOL; i++) {
        free(keep[i % 4]);
        keep[i % 4] = malloc(48);
    }
    set_timer(0);
    for (int i = 0; i < 4; i++)
        free(keep[i]);
    leak_once();
    return write(STDOUT_FILENO, "done\n", 5) == 5 ? 0 : 1;
}
