/* SPDX-License-Identifier: MIT
 *
 * grow.c - a program whose heap grows between two snapshots, for the report page test.
 * At the first leakshim_report_now() grow_cache() holds 1000 bytes in 10 blocks, called
 * from main's first call site; by the second, main's second call site has added 2500
 * bytes in 25 blocks and open_session() 640 bytes in 1 block. Pauses let a timeline
 * collect rows. Frees everything before it exits.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "leakshim.h"

enum { BLOCK_BYTES = 100, MAX_BLOCKS = 64 };

static void *cache[MAX_BLOCKS];
static int n_cached;

__attribute__((noinline)) static void grow_cache(int n)
{
    for (int i = 0; i < n && n_cached < MAX_BLOCKS; i++) {
        cache[n_cached] = malloc(BLOCK_BYTES);
        memset(cache[n_cached], 'c', BLOCK_BYTES); // used, so the call stays
        n_cached++;
    }
}

__attribute__((noinline)) static char *open_session(void)
{
    char *s = malloc(640);

    if (s != NULL)
        memset(s, 's', 640);
    return s;
}

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) != 0) // a snapshot's signal may cut the sleep short
        ;
}

int main(void)
{
    char *session;

    grow_cache(10);
    pause_ms(150);
    if (leakshim_report_now() != 0)
        return 1;
    pause_ms(150);
    grow_cache(25);
    session = open_session();
    pause_ms(150);
    if (leakshim_report_now() != 0)
        return 1;
    pause_ms(150);

    free(session);
    while (n_cached > 0)
        free(cache[--n_cached]);
    return 0;
}
