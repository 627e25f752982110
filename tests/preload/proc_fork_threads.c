/* SPDX-License-Identifier: MIT
 *
 * proc_fork_threads.c - forks 20 times while two threads churn malloc/free, to catch a
 * child that inherits a lock some other thread held at fork time and then deadlocks.
 *
 * Each child allocates after fork (child_after_fork keeps 4242 bytes), frees, and leaves
 * through exit() so it writes an exit report. The parent gives each child 20 s; a child
 * that is still running then is killed and the program exits with status 3. Prints one
 * "child=<pid>" line per child.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc_util.h"

#define PROC_CHURNERS       2
#define PROC_FORKS          20
#define PROC_CHILD_LIMIT_MS 20000

static atomic_int is_stopping;

static void *worker_churn(void *arg)
{
    size_t size = 16 + (size_t)(long)arg * 40;

    while (!atomic_load(&is_stopping)) {
        char *p = malloc(size);
        p[0] = 1;
        p = realloc(p, size * 3);
        free(p);
        size = size % 3000 + 24;
    }
    return NULL;
}

static void child_after_fork(void)
{
    void *scratch = malloc(100);

    proc_keep(malloc(4242));
    free(scratch);
}

// Waits for child with a deadline, so a deadlocked child fails the test by status
// rather than by the CTest timeout.
static void wait_for_child(pid_t child)
{
    int status;

    for (long waited = 0; waited < PROC_CHILD_LIMIT_MS; waited += 5) {
        pid_t done = waitpid(child, &status, WNOHANG);
        if (done == child) {
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                proc_die(4, "child did not exit with status 0");
            return;
        }
        proc_sleep_ms(5);
    }
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    proc_die(3, "child still running after 20 s: deadlocked after fork");
}

int main(void)
{
    pthread_t tids[PROC_CHURNERS];

    for (long t = 0; t < PROC_CHURNERS; t++)
        if (pthread_create(&tids[t], NULL, worker_churn, (void *)t) != 0)
            proc_die(91, "pthread_create failed");

    for (int i = 0; i < PROC_FORKS; i++) {
        proc_sleep_ms(2); // let the churners get well into malloc between forks
        pid_t child = fork();
        if (child < 0)
            proc_die(90, "fork failed");
        if (child == 0) {
            child_after_fork();
            exit(0);
        }
        proc_write_kv(1, "child", child);
        wait_for_child(child);
    }

    atomic_store(&is_stopping, 1);
    for (int t = 0; t < PROC_CHURNERS; t++)
        pthread_join(tids[t], NULL);
    return 0;
}
