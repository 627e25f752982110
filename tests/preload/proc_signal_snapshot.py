"""proc_snapshot leaks 10 x 64 bytes (snap_leak_before), sends itself SIGUSR2, waits for
the snapshot file, then leaks 5 x 32 bytes (snap_leak_after) and exits. With %n the
snapshot is report 0 (reason "signal", the live blocks at that moment) and the exit report
is report 1; without %n the exit report replaces the snapshot and is the only file."""

import os

import lsharness as h
import proc_util as u

ctx = h.context()
prog = ctx.prog("proc_snapshot")


def run_snapshot(pattern_name):
    outdir = os.path.join(ctx.tmp, pattern_name.replace("%", "_"))
    os.mkdir(outdir)
    pattern = os.path.join(outdir, pattern_name)
    r = h.run(ctx, [prog, pattern], output=pattern)
    h.eq(r.returncode, 0, "exit status (3: no snapshot within 5 s)\n" + r.stderr)
    u.expect_quiet(r, "snapshot run")
    return r, u.reports_in(outdir), outdir


# With %n: the snapshot, then the exit report.
r, reps, outdir = run_snapshot("r.%p.%n.json")
h.eq(len(reps.reports), 2, "reports: the snapshot and the exit report")
snap, last = reps.reports
pid = snap["pid"]
h.eq(sorted(os.listdir(outdir)), ["r.%d.0.json" % pid, "r.%d.1.json" % pid], "report files")
h.eq((snap["reason"], snap["sequence"]), ("signal", 0), "reason, sequence of the snapshot")
h.eq(snap["libc_released"], False, "libc_released of a snapshot")
h.eq(snap["program"], os.path.realpath(prog), "program of the snapshot")
u.expect_consistent(snap)
h.eq((snap["summary"]["live_bytes"], snap["summary"]["live_blocks"]), (640, 10),
     "live bytes, blocks at the snapshot")
u.expect_stack(snap, "snap_leak_before", 640, 10)
u.expect_no_stack(snap, "snap_leak_after")

h.eq((last["reason"], last["sequence"]), ("exit", 1), "reason, sequence of the last report")
rep = u.expect_exit_report(reps, pid, prog, 640 + 160, 15)
u.expect_stack(rep, "snap_leak_before", 640, 10)
u.expect_stack(rep, "snap_leak_after", 160, 5)
h.ok(rep["summary"]["total_allocations"] >= snap["summary"]["total_allocations"] + 5,
     "the exit report counts the allocations after the snapshot")

# Without %n: one file, the exit report.
r, reps, outdir = run_snapshot("r.%p.json")
h.eq(len(reps.reports), 1, "reports without %n")
rep = reps.reports[0]
h.eq(sorted(os.listdir(outdir)), ["r.%d.json" % rep["pid"]], "files without %n")
h.eq((rep["reason"], rep["sequence"]), ("exit", 1), "reason, sequence of the remaining file")
u.expect_exit_report(reps, rep["pid"], prog, 800, 15)
h.done()
