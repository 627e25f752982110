/* SPDX-License-Identifier: MIT
 *
 * proc_api.c - leaks 3 x 21 bytes from api_leak, calls leakshim_report_now() (from main
 * or from a second thread), prints "rc=<its result>", leaks 13 more bytes from
 * api_leak_after and exits 0 whatever the result.
 *
 * Usage: proc_api main|thread
 */
// No _GNU_SOURCE and <leakshim.h> first: the public header must stand on its own.
#include <leakshim.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "proc_util.h"

static int result;

static void api_leak(void)
{
    for (int i = 0; i < proc_opaque(3); i++)
        proc_keep(malloc(21));
}

static void api_leak_after(void)
{
    proc_keep(malloc(13));
}

static void *request_report(void *arg)
{
    (void)arg;
    result = leakshim_report_now();
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        proc_die(64, "usage: proc_api main|thread");

    api_leak();
    if (strcmp(argv[1], "thread") == 0) {
        pthread_t tid;
        if (pthread_create(&tid, NULL, request_report, NULL) != 0)
            proc_die(91, "pthread_create failed");
        pthread_join(tid, NULL);
    } else {
        request_report(NULL);
    }
    proc_write_kv(1, "rc", result);

    api_leak_after();
    return 0;
}
