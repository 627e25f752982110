/* SPDX-License-Identifier: MIT
 *
 * hooks.c - the exported functions that are not the malloc family: the public API,
 * dlclose (module ranges go stale) and sigaction/signal (the snapshot signal steps aside
 * when the program wants it).
 */
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>

#include "export.h"
#include "guard.h"
#include "module.h"
#include "real.h"
#include "report.h"
#include "snapshot.h"

LS_EXPORT int leakshim_write_report(void)
{
    int rc = -1;

    if (ls_guard_enter()) // never from inside the shim itself
        rc = ls_report_write(LS_REASON_REQUEST, false, NULL);
    ls_guard_leave();
    return rc;
}

LS_EXPORT int dlclose(void *handle)
{
    if (ls_real.dlclose == NULL && ls_real_init() != 0)
        return -1;

    int rc = ls_real.dlclose(handle);
    ls_module_note_unload(); // after, not before: a lookup in between would see it loaded
    return rc;
}

/* A program that sets any action for the snapshot signal gets exactly that action. */
static void yield_if_ours(int sig, int is_setting)
{
    if (is_setting && ls_snapshot_owns(sig))
        ls_snapshot_yield(sig);
}

LS_EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    if (ls_real.sigaction == NULL && ls_real_init() != 0) {
        errno = ENOSYS;
        return -1;
    }
    yield_if_ours(sig, act != NULL);
    return ls_real.sigaction(sig, act, old);
}

LS_EXPORT sighandler_t signal(int sig, sighandler_t handler)
{
    if (ls_real.signal == NULL && ls_real_init() != 0) {
        errno = ENOSYS;
        return SIG_ERR;
    }
    yield_if_ours(sig, 1);
    return ls_real.signal(sig, handler);
}
