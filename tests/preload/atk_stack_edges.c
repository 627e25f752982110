/* SPDX-License-Identifier: MIT
 *
 * atk_stack_edges.c - leaks 99 bytes at the bottom of a 10000-frame recursion, then 8
 * blocks of 100 bytes on a thread with the smallest stack POSIX allows. Exits 0.
 */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>

void *atk_kept[9];

int recurse(int n)
{
    if (n == 0) {
        atk_kept[8] = malloc(99);
        return 0;
    }
    return recurse(n - 1) + 1; // not a tail call: every level keeps its frame
}

static void *small_stack_worker(void *unused)
{
    (void)unused;
    for (int i = 0; i < 8; i++)
        atk_kept[i] = malloc(100);
    return NULL;
}

int main(void)
{
    pthread_attr_t attr;
    pthread_t tid;

    if (recurse(10000) != 10000)
        return 2;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN);
    if (pthread_create(&tid, &attr, small_stack_worker, NULL) != 0)
        return 3;
    pthread_join(tid, NULL);
    return 0;
}
