"""LEAKSHIM_INTERVAL=300ms: over_time steady leaks 1 KiB from leak_step every 10 ms for
1.5 s. Snapshots come every interval (reason "interval", numbered on), then the exit
report; each one's new blocks are the ones leaked since the one before, so they add up
exactly to what the exit report holds. The timeline, by default beside the reports, has
its two header lines and a row every 30 ms (a tenth of the interval) whose live bytes
never fall (the program only leaks). Without LEAKSHIM_INTERVAL no timeline is written."""

import glob
import os

import lsharness as h

ctx = h.context()
prog = ctx.prog("over_time")


def step(rep):
    s = [x for x in rep["stacks"] if h.functions(x)[0] == "leak_step"]
    return (s[0]["bytes"], s[0]["blocks"], s[0]["new_bytes"], s[0]["new_blocks"]) if s else (0,) * 4


r = h.run(ctx, [prog, "steady", "1500"], env={"LEAKSHIM_INTERVAL": "300ms"})
h.eq((r.returncode, r.stderr), (0, ""), "status, stderr")
reasons = [x["reason"] for x in r.reports]
h.ok(len(reasons) >= 4 and set(reasons[:-1]) == {"interval"} and reasons[-1] == "exit",
     "interval snapshots, then the exit report: %s" % reasons)
h.eq([x["sequence"] for x in r.reports], list(range(len(reasons))), "numbered in order")
steps = [step(x) for x in r.reports]
h.ok(all(s[2] == 1024 * s[3] for s in steps), "new bytes are 1 KiB blocks: %s" % steps)
h.eq(sum(s[3] for s in steps), steps[-1][1], "new blocks of every report add up to the live ones")
h.ok(steps[-1][1] >= 100, "at least 100 blocks leaked in 1.5 s: %d" % steps[-1][1])

tl = glob.glob(os.path.join(r.outdir, "leakshim.*.timeline.tsv"))
h.eq([os.path.basename(p) for p in tl], ["leakshim.%d.timeline.tsv" % r.pid], "one timeline")
with open(tl[0]) as f:
    lines = f.read().splitlines()
h.eq(lines[0], "# leakshim timeline 1 pid=%d program=%s" % (r.pid, prog), "header")
h.eq(lines[1].split("\t"), ["time_unix_ms", "live_bytes", "live_blocks", "allocations", "frees"],
     "columns")
rows = [[int(v) for v in line.split("\t")] for line in lines[2:]]
h.ok(len(rows) >= 10, "a row every 30 ms: %d rows" % len(rows))
h.ok(all(b[0] >= a[0] and b[1] >= a[1] for a, b in zip(rows, rows[1:])),
     "time and live bytes never fall")
h.eq(rows[-1][1] - rows[0][1] >= 1024 * (steps[-1][1] - 10), True, "live bytes grow with the leak")
h.ok(all(row[2] == row[3] - row[4] for row in rows), "live blocks = allocations - frees")
exit_rep = r.reports[-1]
h.eq(rows[-1][1:3], [exit_rep["summary"]["live_bytes"], exit_rep["summary"]["live_blocks"]],
     "the last row is written after the exit report, and agrees with it")

# Interval snapshots that cannot be written are skipped, said once: not a report on
# stderr every interval. The exit report still falls back to stderr, as every report does.
missing = os.path.join(ctx.tmp, "no-such-dir", "s.%n.json")
r = h.run(ctx, [prog, "steady", "400"], output=missing,
          env={"LEAKSHIM_INTERVAL": "50ms", "LEAKSHIM_TIMELINE": os.path.join(r.outdir, "t")})
said = [line for line in r.stderr.splitlines() if line.startswith("leakshim: cannot write")]
h.eq(len(said), 2, "unwritable: two lines (interval snapshots, then the exit report): %s" % said)
h.ok(said[0].endswith("interval snapshots are skipped while they cannot be written (said "
                      "once)"), "unwritable: the interval line: " + said[0])
h.ok(said[1].endswith("; writing it to stderr"), "unwritable: the exit report line: " + said[1])
h.eq(r.stderr.count('"reason": "exit"'), 1, "unwritable: the exit report on stderr")
h.eq(r.stderr.count('"reason": "interval"'), 0, "unwritable: no interval snapshot on stderr")

r = h.run(ctx, [prog, "steady", "100"])
h.eq(glob.glob(os.path.join(r.outdir, "*timeline*")), [], "no interval: no timeline")
h.eq([x["reason"] for x in r.reports], ["exit"], "no interval: the exit report only")
h.done()
