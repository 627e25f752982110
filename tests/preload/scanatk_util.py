"""scanatk_util - helpers shared by the scanatk_*.py checks (tests/preload/scanatk.cmake).

Each run classifies the exit report (scan=True) and lists every kind; a hang becomes a
failure message. Kinds are checked per allocating function with reach_common.
"""

import atk_util as a
import lsharness as h
import reach_common as rc


def run(ctx, prog, args=(), status=0, timeout=30, env=None):
    """Runs a scanatk_ program; checks its exit status and an empty stderr. Returns the
    Result and the one exit report of the program's own pid."""
    e = {"LEAKSHIM_SHOW_KINDS": "all"}
    e.update(env or {})
    argv = [ctx.prog(prog)] + list(args)
    what = " ".join([prog] + list(args))
    r = a.run_bounded(ctx, argv, what, timeout, env=e, scan=True)
    h.eq(a.status_text(r.returncode), "exit %d" % status, "status of %s" % what)
    h.eq(r.stderr, "", "stderr of %s" % what)
    rep = r.exit_report(r.pid)
    h.eq(rep["scanned"], True, "%s: scanned" % what)
    return r, rep


def check_libc_possible(rep, n_threads):
    """The only possibly lost blocks are the C library's thread DTVs, one per thread
    started (as valgrind says while threads still run at exit). Returns their totals."""
    dtv = [s for s in rep["stacks"] if s["kind"] == "possible"]
    h.ok(all("allocate_dtv" in h.functions(s) and s["owner"] == "libc" for s in dtv),
         "possibly lost groups are libc's thread DTVs only:\n%s" % rc.describe(rep))
    h.eq(rc.sum_groups(dtv)[1], n_threads, "possibly lost DTV blocks")
    return rc.sum_groups(dtv)


def kinds_through(rep, function):
    """The set of kinds of the groups whose stack has a frame named function."""
    return {s["kind"] for s in h.stacks_by_function(rep, function)}
