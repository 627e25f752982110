/* SPDX-License-Identifier: MIT
 *
 * atk_handler_exit.c - a SIGALRM handler calls exit(7) after 20 ms, interrupting a loop
 * that does nothing but malloc and free (so the signal lands in free about half the
 * time). The program uses no stdio, so exit() itself needs no allocator lock.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>

static void on_alarm(int sig)
{
    (void)sig;
    exit(7);
}

int main(void)
{
    void *keep[4] = {0};
    struct itimerval it = {{0, 0}, {0, 20000}};

    signal(SIGALRM, on_alarm);
    setitimer(ITIMER_REAL, &it, NULL);
    for (unsigned long i = 0;; i++) {
        free(keep[i % 4]);
        keep[i % 4] = malloc(48);
    }
}
