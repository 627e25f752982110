"""leakshim_check() and leakshim_report_now() from an atexit handler and from an ELF
destructor, and exit() from a signal handler (scanatk_hooks.c). Each sees lose_block's
1000 bytes definite (check returns 1); report_now returns 0 and writes an unscanned
"request" report of the same block, before the exit report; exit(4) from the SIGUSR1
handler still gets its exit report."""

import lsharness as h
import reach_common as rc
import scanatk_util as u

ctx = h.context()
for mode in ("atexit", "dtor"):
    r, rep = u.run(ctx, "scanatk_hooks", [mode])
    h.eq(r.stdout, "%s check 1 definite 1000/1 leaked 1000/1 report 0\n" % mode,
         mode + ": stdout")
    req = r.reports_of(r.pid, "request")
    h.eq(len(req), 1, mode + ": request reports")
    h.eq((req[0]["sequence"], rep["sequence"], req[0]["scanned"]), (0, 1, False),
         mode + ": sequence of request and exit reports, request scanned")
    h.eq((req[0]["summary"]["leaked_bytes"], req[0]["summary"]["leaked_blocks"]), (1000, 1),
         mode + ": request report leaked")
    rc.check_groups(rep, "lose_block", [("definite", 1000, 1)])
    rc.check_totals(rep, definite=(1000, 1))

r, rep = u.run(ctx, "scanatk_hooks", ["signal"], status=4)
h.eq(len(r.reports), 1, "signal: reports")
rc.check_groups(rep, "lose_block", [("definite", 1000, 1)])
rc.check_totals(rep, definite=(1000, 1))
h.done()
