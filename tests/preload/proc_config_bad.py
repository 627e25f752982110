"""A bad LEAKSHIM_FORMAT, LEAKSHIM_DEPTH or LEAKSHIM_SIGNAL gets exactly one stderr line
starting "leakshim:" that names the variable, and the default is used: text reports,
32 frames, SIGUSR2 snapshots. Good depths cut every stack to that many frames."""

import os
import signal

import lsharness as h
import proc_util as u

ctx = h.context()
deep = ctx.prog("proc_deep")  # deep_leak under 40 calls of descend: 2 x 100 bytes
snapshot = ctx.prog("proc_snapshot")


def run_text(env, what):
    r = h.run(ctx, [deep], env=env, fmt="txt")
    h.eq(r.returncode, 0, "%s: exit status" % what)
    h.eq(len(r.texts), 1, "%s: report files" % what)
    return r, list(r.texts.values())[0]


# Bad format: one warning, a text report.
for bad in ("xml", "jsonl", "tex"):
    what = "LEAKSHIM_FORMAT=%r" % bad
    r, text = run_text({"LEAKSHIM_FORMAT": bad}, what)
    u.expect_one_warning(r, "LEAKSHIM_FORMAT", what)
    h.ok(text.startswith("leakshim: exit report, pid "), "%s: text header: %r"
         % (what, text[:200]))
    last = text.rstrip("\n").splitlines()[-1]
    h.ok(last.startswith("SUMMARY: leaked 200 bytes in 2 blocks from "),
         "%s: summary line %r" % (what, last))

# Depth: bad values fall back to 32; good ones cut every stack to that many frames.
for bad in ("0", "999", "deep", "-3", "3x"):
    what = "LEAKSHIM_DEPTH=%r" % bad
    r = h.run(ctx, [deep], env={"LEAKSHIM_DEPTH": bad})
    h.eq(r.returncode, 0, "%s: exit status" % what)
    u.expect_one_warning(r, "LEAKSHIM_DEPTH", what)
    rep = r.exit_report()
    h.eq(rep["max_depth"], 32, "%s: max_depth" % what)
    s = u.expect_stack(rep, "deep_leak", 200, 2)
    h.eq(len(s["frames"]), 32, "%s: frames of the 41-call-deep stack" % what)

for depth in (1, 3, 256):
    what = "LEAKSHIM_DEPTH=%d" % depth
    r = h.run(ctx, [deep], env={"LEAKSHIM_DEPTH": str(depth)})
    h.eq(r.returncode, 0, "%s: exit status" % what)
    u.expect_quiet(r, what)
    rep = u.expect_exit_report(r, u.pid_of(r), deep, 200, 2)
    h.eq(rep["max_depth"], depth, "%s: max_depth" % what)
    for s in rep["stacks"]:
        h.ok(len(s["frames"]) <= depth, "%s: a stack of %d frames" % (what, len(s["frames"])))
    s = u.expect_stack(rep, "deep_leak", 200, 2)
    fns = h.functions(s)
    if depth < 256:
        h.eq(fns, (["deep_leak"] + ["descend"] * 40)[:depth], "%s: frames" % what)
    else:
        h.eq(fns[:42], ["deep_leak"] + ["descend"] * 41, "%s: innermost frames" % what)
        h.ok("main" in fns, "%s: main among the frames %s" % (what, fns))

# Bad signal: one warning, and SIGUSR2 still takes a snapshot (with no handler the
# program would die of SIGUSR2).
for bad in ("SIGFOO", "KILL", "SIGSTOP", "99", "USR2x"):
    what = "LEAKSHIM_SIGNAL=%r" % bad
    outdir = os.path.join(ctx.tmp, "signal-" + bad)
    os.mkdir(outdir)
    pattern = os.path.join(outdir, "r.%p.%n.json")
    r = h.run(ctx, [snapshot, pattern, str(int(signal.SIGUSR2))], output=pattern,
              env={"LEAKSHIM_SIGNAL": bad})
    h.eq(r.returncode, 0, "%s: exit status (3: no snapshot)\n%s" % (what, r.stderr))
    u.expect_one_warning(r, "LEAKSHIM_SIGNAL", what)
    reasons = [rep["reason"] for rep in u.reports_in(outdir).reports]
    h.eq(reasons, ["signal", "exit"], "%s: reports" % what)

# A good alternative signal is honoured.
outdir = os.path.join(ctx.tmp, "signal-usr1")
os.mkdir(outdir)
pattern = os.path.join(outdir, "r.%p.%n.json")
r = h.run(ctx, [snapshot, pattern, str(int(signal.SIGUSR1))], output=pattern,
          env={"LEAKSHIM_SIGNAL": "SIGUSR1"})
h.eq(r.returncode, 0, "LEAKSHIM_SIGNAL=SIGUSR1: exit status\n" + r.stderr)
u.expect_quiet(r, "LEAKSHIM_SIGNAL=SIGUSR1")
h.eq([rep["reason"] for rep in u.reports_in(outdir).reports], ["signal", "exit"],
     "LEAKSHIM_SIGNAL=SIGUSR1: reports")

# All three bad at once: one line for each.
r = h.run(ctx, [deep], fmt="txt", env={"LEAKSHIM_FORMAT": "xml", "LEAKSHIM_DEPTH": "0",
                                       "LEAKSHIM_SIGNAL": "SIGFOO"})
h.eq(r.returncode, 0, "all bad: exit status")
lines = r.stderr.splitlines()
h.eq(len(lines), 3, "all bad: stderr lines %r" % r.stderr)
for var in ("LEAKSHIM_FORMAT", "LEAKSHIM_DEPTH", "LEAKSHIM_SIGNAL"):
    h.eq(len([x for x in lines if x.startswith("leakshim:") and var in x]), 1,
         "all bad: lines naming %s" % var)
h.done()
