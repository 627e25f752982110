/* SPDX-License-Identifier: MIT
 *
 * atk_pthread_exit.c - main ends with pthread_exit() while a worker still runs; the
 * worker joins the finished main thread, leaks 77 bytes and returns, so it is always the
 * last thread. The process must then end with status 0, as POSIX says.
 */
#include <pthread.h>
#include <stdlib.h>

void *atk_kept;
static pthread_t main_tid;

static void *worker(void *unused)
{
    (void)unused;
    if (pthread_join(main_tid, NULL) != 0) // main has ended from here on
        abort();
    atk_kept = malloc(77); // reachable from a global, but live at exit: reported
    return NULL;
}

int main(void)
{
    pthread_t tid;

    main_tid = pthread_self();
    if (pthread_create(&tid, NULL, worker, NULL) != 0)
        return 3;
    pthread_exit(NULL); // the last thread to end runs exit(0)
}
