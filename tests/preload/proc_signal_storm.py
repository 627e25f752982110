"""Three threads churn malloc/realloc/free while a fourth sends the process SIGUSR2 200
times, 2 ms apart. The run must finish (no deadlock, no crash) with the program's own
status 7; signals may merge while one is pending, so there are 1 to 200 snapshots, each
valid JSON holding storm_leak's 3 x 1000 bytes, numbered 0, 1, ... with the exit report
last, and total_allocations never decreasing from one report to the next."""

import lsharness as h
import proc_util as u

ctx = h.context()
prog = ctx.prog("proc_storm")
r = h.run(ctx, [prog], timeout=110)
h.eq(r.returncode, 7, "exit status (the program's own 7)\n" + r.stderr[-2000:])
u.expect_quiet(r, "signal storm")

pids = {rep["pid"] for rep in r.reports}
h.eq(len(pids), 1, "processes writing reports")
snaps = r.reports_of(reason="signal")
h.ok(1 <= len(snaps) <= 200, "snapshots written: %d" % len(snaps))
h.eq([rep["sequence"] for rep in r.reports], list(range(len(r.reports))),
     "sequence numbers of all reports")
h.eq(r.reports[-1]["reason"], "exit", "reason of the last report")
h.eq(len(r.reports), len(snaps) + 1, "reports: snapshots and one exit report")

previous = 0
for rep in snaps:
    what = "snapshot %d" % rep["sequence"]
    h.eq(rep["libc_released"], False, "%s: libc_released" % what)
    u.expect_consistent(rep, counters=False)
    h.ok(rep["summary"]["live_bytes"] >= 3000, "%s: live_bytes %d below the permanent leak"
         % (what, rep["summary"]["live_bytes"]))
    u.expect_stack(rep, "storm_leak", 3000, 3)
    h.ok(rep["summary"]["total_allocations"] >= previous,
         "%s: total_allocations went down from %d" % (what, previous))
    previous = rep["summary"]["total_allocations"]

rep = u.expect_exit_report(r, pids.pop(), prog, 3000, 3)
h.ok(rep["summary"]["total_allocations"] >= previous, "exit report: total_allocations")
u.expect_stack(rep, "storm_leak", 3000, 3)
h.done()
