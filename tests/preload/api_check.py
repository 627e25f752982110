"""leakshim_check() (include/leakshim.h) on api_check.c's leaks: 100 bytes definitely
lost (make_lost), a 32-byte list head definitely lost (make_head) with its 4 nodes of 48
bytes indirectly lost (make_node), 64 bytes still reachable from a global (make_kept).

- It returns 1 (leaks count) and fills every field of the counts exactly. It always
  classifies, LEAKSHIM_SCAN=none too (the header promises a classification; the exit
  report of that run, unscanned, counts every live block instead).
- Suppressions and LEAKSHIM_MIN_BYTES apply as in a report: with every leaked stack
  suppressed it returns 0 and the counts say what was suppressed.
- It writes no report: the exit report is the only one and keeps sequence 0.
- Without the shim the same binary links and runs: every call returns -1, the counts stay
  untouched, status 0, nothing on stderr, no report.
"""

import os

import lsharness as h
import proc_util as u

ctx = h.context()
prog = ctx.prog("api_check")
FIELDS = ("leaked", "definite", "indirect", "possible", "reachable", "suppressed", "ignored")


def counts(stdout):
    """{field: (bytes, blocks)} from the "key=value" lines api_check prints."""
    return {f: (u.value(stdout, f + "_bytes"), u.value(stdout, f + "_blocks")) for f in FIELDS}


def expect_counts(stdout, what, **want):
    """Every field is want's (bytes, blocks), (0, 0) when not given."""
    got = counts(stdout)
    h.eq(got, {f: want.get(f, (0, 0)) for f in FIELDS}, "%s: leakshim_check counts" % what)


CLASSIFIED = dict(leaked=(324, 6), definite=(132, 2), indirect=(192, 4), reachable=(64, 1))

for scan in (True, False):
    what = "LEAKSHIM_SCAN=%s" % ("exit" if scan else "none")
    r = h.run(ctx, [prog, "check"], scan=scan, env={"LEAKSHIM_EXITCODE": "23"})
    u.expect_quiet(r, what)
    h.eq((u.value(r.stdout, "rc"), u.value(r.stdout, "rc_null")), (1, 1),
         "%s: leakshim_check() with counts, with NULL" % what)
    expect_counts(r.stdout, what, **CLASSIFIED)
    h.eq(len(r.reports), 1, "%s: reports (leakshim_check writes none)" % what)
    rep = r.exit_report()
    h.eq(rep["sequence"], 0, "%s: sequence of the exit report" % what)
    s = rep["summary"]
    h.eq((s["total_allocations"], s["total_frees"], s["live_bytes"], s["live_blocks"]),
         (7, 0, 388, 7), "%s: allocations, frees, live bytes, live blocks" % what)
    if scan:  # the exit report agrees with the check, kind by kind
        h.eq(rep["scanned"], True, "%s: scanned" % what)
        for k in ("definite", "indirect", "reachable"):
            h.eq((s[k + "_bytes"], s[k + "_blocks"]), CLASSIFIED[k], "%s: summary %s" % (what, k))
        h.eq((s["leaked_bytes"], s["leaked_blocks"]), (324, 6), "%s: leaked" % what)
    else:  # unscanned: every live block counts
        h.eq(rep["scanned"], False, "%s: scanned" % what)
        h.eq((s["leaked_bytes"], s["leaked_blocks"]), (388, 7), "%s: leaked" % what)
    h.eq(r.returncode, 23, "%s: exit status with LEAKSHIM_EXITCODE=23" % what)

# Suppressions and LEAKSHIM_MIN_BYTES count in leakshim_check as in a report.
supp = os.path.join(ctx.tmp, "all.supp")
with open(supp, "w") as f:
    f.write("make_lost\nleak:make_head\n")
r = h.run(ctx, [prog, "check"], scan=True, env={"LEAKSHIM_SUPPRESSIONS": supp})
u.expect_quiet(r, "suppressions")
h.eq(u.value(r.stdout, "rc"), 0, "leakshim_check() with every leak suppressed")
expect_counts(r.stdout, "suppressions", suppressed=(324, 6), definite=(132, 2),
              indirect=(192, 4), reachable=(64, 1))
r = h.run(ctx, [prog, "check"], scan=True, env={"LEAKSHIM_MIN_BYTES": "150"})
u.expect_quiet(r, "LEAKSHIM_MIN_BYTES=150")
h.eq(u.value(r.stdout, "rc"), 1, "leakshim_check() with LEAKSHIM_MIN_BYTES=150")
expect_counts(r.stdout, "LEAKSHIM_MIN_BYTES=150", leaked=(192, 4), definite=(132, 2),
              indirect=(192, 4), reachable=(64, 1))

# The other calls under the shim: ignore refuses NULL, a block's middle and a freed
# block; report_now writes a request report (with the exit report, 2 in all).
r = h.run(ctx, [prog, "calls"])
u.expect_quiet(r, "calls")
h.eq([(k, u.value(r.stdout, k)) for k in ("ignore_null", "ignore_middle", "ignore_block",
                                         "ignore_freed", "report_now")],
     [("ignore_null", -1), ("ignore_middle", -1), ("ignore_block", 0), ("ignore_freed", -1),
      ("report_now", 0)], "API results under the shim")
h.eq([(x["reason"], x["sequence"]) for x in r.reports], [("request", 0), ("exit", 1)],
     "reports of the calls run")

# Without the shim: every call returns -1, nothing else changes.
for mode, want in (("check", "rc=-1\n" + "".join("%s_%s=7777\n" % (f, unit) for f in FIELDS
                                                for unit in ("bytes", "blocks")) + "rc_null=-1\n"),
                   ("calls", "ignore_null=-1\nignore_middle=-1\nignore_block=-1\n"
                             "ignore_freed=-1\nreport_now=-1\n")):
    r = h.run(ctx, [prog, mode], preload=False, env={"LEAKSHIM_EXITCODE": "23"})
    h.eq((r.returncode, r.stdout, r.stderr), (0, want, ""),
         "%s without the shim: status, stdout, stderr" % mode)
    h.eq(u.files_in(r), [], "%s without the shim: report files" % mode)
h.done()
