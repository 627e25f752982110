/* SPDX-License-Identifier: MIT
 *
 * atk_exit_paths.c - unusual ways to reach exit():
 *   atexit  - main returns 0; an atexit handler calls exit(5) (glibc carries on with the
 *             remaining handlers). Leaks 123 bytes in leak_main.
 *   thread  - four threads churn malloc/free without end; a fifth leaks 55 bytes in
 *             leak_exiter and calls exit(9) while main waits in pause().
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *atk_kept[2];

static void exit_again(void)
{
    exit(5);
}

static void leak_main(void)
{
    atk_kept[0] = malloc(123);
}

static void *churn(void *unused)
{
    void *keep[32] = {0};

    (void)unused;
    for (unsigned long i = 0;; i++) {
        free(keep[i % 32]);
        keep[i % 32] = malloc(8 + i % 32);
    }
    return NULL;
}

static void leak_exiter(void)
{
    atk_kept[1] = malloc(55);
}

static void *exiter(void *unused)
{
    (void)unused;
    usleep(200000);
    leak_exiter();
    exit(9);
}

int main(int argc, char **argv)
{
    pthread_t tid;

    if (argc > 1 && strcmp(argv[1], "atexit") == 0) {
        atexit(exit_again);
        leak_main();
        return 0;
    }
    for (int i = 0; i < 4; i++)
        pthread_create(&tid, NULL, churn, NULL);
    pthread_create(&tid, NULL, exiter, NULL);
    for (;;)
        pause();
}
