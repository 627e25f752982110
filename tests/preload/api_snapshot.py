"""With LEAKSHIM_SCAN=all, snapshots are classified like the exit report: a
leakshim_report_now() request (sequence 0) and a SIGUSR2 snapshot (sequence 1) of
api_check.c's leaks both have "scanned": true, stacks carrying their kind, and the exact
per-kind totals: definite 132 bytes in 2 blocks (make_lost 100, make_head 32), indirect 192
in 4 (make_node), reachable 64 in 1 (make_kept, not listed by default), leaked 324 in 6.
With the default LEAKSHIM_SCAN=exit the same two snapshots are unclassified: every
stack "unscanned", every kind total 0, leaked = live = 388 in 7."""

import os

import lsharness as h
import proc_util as u

ctx = h.context()
prog = ctx.prog("api_check")
KINDS = ("definite", "indirect", "possible", "reachable")
CLASSIFIED = [("definite", 100, 1, "make_lost"), ("definite", 32, 1, "make_head"),
              ("indirect", 192, 4, "make_node")]
UNSCANNED = [("unscanned", 192, 4, "make_node"), ("unscanned", 100, 1, "make_lost"),
             ("unscanned", 64, 1, "make_kept"), ("unscanned", 32, 1, "make_head")]


def listed(rep):
    return [(s["kind"], s["bytes"], s["blocks"], h.functions(s)[0]) for s in rep["stacks"]]


def totals(rep):
    s = rep["summary"]
    return [(s[k + "_bytes"], s[k + "_blocks"]) for k in KINDS + ("leaked", "live")]


for scan, what in (("all", "LEAKSHIM_SCAN=all"), (None, "default LEAKSHIM_SCAN")):
    outdir = os.path.join(ctx.tmp, "scan-%s" % scan)
    os.mkdir(outdir)
    pattern = os.path.join(outdir, "r.%p.%n.json")
    r = h.run(ctx, [prog, "snapshot", pattern], output=pattern, scan=True,
              env={"LEAKSHIM_SCAN": scan})
    h.eq((r.returncode, r.stderr, r.stdout), (0, "", "report_now=0\n"),
         "%s: status, stderr, stdout" % what)
    reps = u.reports_in(outdir).reports
    h.eq([(x["reason"], x["sequence"]) for x in reps],
         [("request", 0), ("signal", 1), ("exit", 2)], "%s: reports" % what)
    for rep in reps[:2]:
        w = "%s, %s report" % (what, rep["reason"])
        if scan == "all":
            h.eq((rep["scanned"], rep["threads_not_stopped"]), (True, 0), "%s: scanned" % w)
            h.eq(listed(rep), CLASSIFIED, "%s: stacks" % w)
            h.eq(totals(rep), [(132, 2), (192, 4), (0, 0), (64, 1), (324, 6), (388, 7)],
                 "%s: kinds, leaked, live" % w)
        else:
            h.eq(rep["scanned"], False, "%s: scanned" % w)
            h.eq(listed(rep), UNSCANNED, "%s: stacks" % w)
            h.eq(totals(rep), [(0, 0)] * 4 + [(388, 7), (388, 7)], "%s: kinds, leaked, live" % w)
    exit_rep = reps[2]
    h.eq((exit_rep["scanned"], listed(exit_rep), totals(exit_rep)),
         (True, CLASSIFIED, [(132, 2), (192, 4), (0, 0), (64, 1), (324, 6), (388, 7)]),
         "%s: the exit report" % what)
h.done()
