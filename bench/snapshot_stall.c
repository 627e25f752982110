/* SPDX-License-Identifier: MIT
 *
 * snapshot_stall.c - how long a live snapshot stalls a thread that keeps allocating:
 * `snapshot_stall N REPORT_PATH`, or `snapshot_stall N -` for the untraced baseline.
 *
 * Allocates N blocks of 32 bytes and holds them, then starts a thread that mallocs and
 * frees small blocks in a loop and times every call (CLOCK_MONOTONIC), keeping the worst.
 * After a quiet window of QUIET_MS, the main thread sends the process SIGUSR2 and waits
 * for REPORT_PATH to appear (reports are renamed into place, so it appears whole), then
 * lets the thread run SETTLE_MS more. It prints the worst malloc or free latency in the
 * quiet window and in the snapshot window (signal to file, plus SETTLE_MS), the time from
 * the signal to the file, and the report's time_unix_ms minus the signal's wall clock
 * (when the report was gathered). With "-" no signal is sent: the same windows untraced.
 * The allocating thread blocks SIGUSR2, so the signal lands on the main thread and the
 * figure is the tracker's locks, not the signal handler.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BLOCK_BYTES 32
#define RING        4096 /* the allocating thread's own blocks, reused round robin */
#define QUIET_MS    300
#define SETTLE_MS   100
#define WAIT_MAX_MS 60000

static atomic_bool is_done;
static atomic_uint_fast64_t window_max_ns; /* worst call since the main thread last read it */
static atomic_uint_fast64_t n_calls;

static uint64_t now_ns(clockid_t clock)
{
    struct timespec ts;

    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void note_latency(uint64_t ns)
{
    uint_fast64_t seen = atomic_load_explicit(&window_max_ns, memory_order_relaxed);

    while (ns > seen && !atomic_compare_exchange_weak(&window_max_ns, &seen, ns))
        ;
}

static void *allocate_loop(void *arg)
{
    static void *ring[RING];
    uint64_t calls = 0;

    (void)arg;
    for (unsigned i = 0; !atomic_load_explicit(&is_done, memory_order_relaxed); i++) {
        void **slot = &ring[i % RING];
        uint64_t t0 = now_ns(CLOCK_MONOTONIC);

        free(*slot);
        *slot = malloc(16 + i % 240);
        note_latency(now_ns(CLOCK_MONOTONIC) - t0);
        if (*slot != NULL)
            *(volatile char *)*slot = (char)i;
        calls++;
    }
    for (unsigned i = 0; i < RING; i++)
        free(ring[i]);
    atomic_store(&n_calls, calls);
    return NULL;
}

/* The report's "time_unix_ms", or 0 when the file has none (a text report). */
static uint64_t report_time_unix_ms(const char *path)
{
    char buf[4096];
    FILE *f = fopen(path, "r");
    size_t len = f != NULL ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
    const char *key;

    if (f != NULL)
        fclose(f);
    buf[len] = '\0';
    key = strstr(buf, "\"time_unix_ms\":");
    return key != NULL ? strtoull(key + 15, NULL, 10) : 0;
}

/* Waits for path to exist; returns 0, or -1 after WAIT_MAX_MS. */
static int wait_for_file(const char *path)
{
    struct stat st;

    for (int ms = 0; ms < WAIT_MAX_MS; ms++) {
        if (stat(path, &st) == 0)
            return 0;
        usleep(1000);
    }
    return -1;
}

static void **hold_blocks(long n)
{
    void **blocks = malloc((size_t)n * sizeof(*blocks));

    for (long i = 0; blocks != NULL && i < n; i++) {
        blocks[i] = malloc(BLOCK_BYTES);
        if (blocks[i] != NULL)
            memset(blocks[i], (int)i, BLOCK_BYTES);
    }
    return blocks;
}

int main(int argc, char **argv)
{
    long n = argc == 3 ? strtol(argv[1], NULL, 10) : 0;
    const char *path = argc == 3 ? argv[2] : NULL;
    void **blocks = n > 0 ? hold_blocks(n) : NULL;
    sigset_t usr2;
    pthread_t thread;

    if (blocks == NULL) {
        fprintf(stderr, "usage: snapshot_stall N REPORT_PATH|-\n");
        return 2;
    }
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &usr2, NULL); // the thread inherits the mask
    pthread_create(&thread, NULL, allocate_loop, NULL);
    pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);

    usleep(QUIET_MS * 1000);
    uint64_t quiet_ns = atomic_exchange(&window_max_ns, 0);
    uint64_t signal_unix_ms = now_ns(CLOCK_REALTIME) / 1000000;
    uint64_t t0 = now_ns(CLOCK_MONOTONIC);
    int is_written = 0;
    if (strcmp(path, "-") != 0) {
        kill(getpid(), SIGUSR2);
        is_written = wait_for_file(path) == 0;
    }
    uint64_t snapshot_ns = now_ns(CLOCK_MONOTONIC) - t0;
    usleep(SETTLE_MS * 1000);
    atomic_store(&is_done, true);
    pthread_join(thread, NULL);
    uint64_t snapshot_window_ns = atomic_load(&window_max_ns);
    uint64_t report_ms = is_written ? report_time_unix_ms(path) : 0;

    for (long i = 0; i < n; i++)
        free(blocks[i]);
    free(blocks);
    printf("snapshot_stall: blocks %ld, quiet_max_ms %.3f, snapshot_max_ms %.3f, "
           "snapshot_ms %.1f, gathered_after_ms %lld, written %d, calls %llu\n",
           n, quiet_ns / 1e6, snapshot_window_ns / 1e6, snapshot_ns / 1e6,
           report_ms != 0 ? (long long)(report_ms - signal_unix_ms) : -1LL, is_written,
           (unsigned long long)atomic_load(&n_calls));
    return 0;
}
