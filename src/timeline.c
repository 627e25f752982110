/* SPDX-License-Identifier: MIT
 *
 * timeline.c - the timeline file: cheap rows from counters read without locks, so a
 * row never waits on (or stalls) an allocating thread.
 */
#include "timeline.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "module.h"
#include "output.h"
#include "table.h"
#include "track.h"

/* Rows come from the snapshot thread and, last, from the exiting thread. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int fd = -1;
static bool is_broken;   /* said once; no more rows */
static bool is_finished; /* the exit report's row is written: no more rows */

bool ls_timeline_enabled(void)
{
    return ls_cfg.timeline_path[0] != '\0';
}

static void stop(const char *path, int err)
{
    ls_log(LS_LOG_ERROR, "cannot write timeline %s: %s; the timeline stops", path, strerror(err));
    is_broken = true;
    if (fd >= 0)
        close(fd);
    fd = -1;
}

/* Opens (appending) this process's file. Each process image starts its rows with a
 * header line (an exec'd program may append to its predecessor's file: same pid); a new
 * file also gets the column names. */
static void open_file(void)
{
    char path[PATH_MAX], head[PATH_MAX + 128];
    struct stat st;

    if (ls_output_expand(ls_cfg.timeline_path, getpid(), 0, "tsv", path, sizeof(path)) != 0) {
        stop(ls_cfg.timeline_path, ENAMETOOLONG);
        return;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 || fstat(fd, &st) != 0) {
        stop(path, errno);
        return;
    }
    int n = snprintf(
        head, sizeof(head), "# leakshim timeline 1 pid=%d program=%s\n%s", (int)getpid(),
        ls_module_program_path(),
        st.st_size != 0 ? "" : "time_unix_ms\tlive_bytes\tlive_blocks\tallocations\tfrees\n");
    if (n < 0 || write(fd, head, (size_t)n) != n)
        stop(path, errno != 0 ? errno : EIO);
}

static void write_row(void)
{
    struct ls_table_counts c;
    struct timespec ts;
    char row[160];

    if (fd < 0)
        open_file();
    if (fd < 0)
        return;
    clock_gettime(CLOCK_REALTIME, &ts);
    ls_table_counts_relaxed(&c);
    ls_track_estimate_counts(&c); // sampling mode: estimates, as live_bytes is
    uint64_t live_blocks = c.allocations >= c.frees ? c.allocations - c.frees : 0;
    int n = snprintf(row, sizeof(row),
                     "%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\n",
                     (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000,
                     ls_track_live_bytes(), live_blocks, c.allocations, c.frees);
    if (n < 0 || write(fd, row, (size_t)n) != n)
        stop(ls_cfg.timeline_path, errno != 0 ? errno : EIO);
}

void ls_timeline_tick(void)
{
    if (!ls_timeline_enabled())
        return;
    pthread_mutex_lock(&lock);
    if (!is_broken && !is_finished)
        write_row();
    pthread_mutex_unlock(&lock);
}

void ls_timeline_finish(void)
{
    ls_timeline_tick();
    pthread_mutex_lock(&lock);
    is_finished = true;
    pthread_mutex_unlock(&lock);
}

void ls_timeline_after_fork_child(void)
{
    pthread_mutex_init(&lock, NULL);
    if (fd >= 0)
        close(fd);
    fd = -1;
    is_finished = false;
}
