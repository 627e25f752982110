"""The acceptance run of `leakshim diff`: diff_grow leaks 1 KiB an iteration from
grow_leak among churn (churn_small, churn_medium allocate and free blocks of varied sizes)
and three steady blocks (steady_table: 600 bytes), under LEAKSHIM_INTERVAL=300ms with JSON
and pprof snapshots and a 20 ms timeline. It paces itself on the snapshots, K iterations
between two, so snapshot n holds exactly n*K leaked blocks.

- Each snapshot's own counts agree: grow_leak n*K blocks of 1024 bytes, K*1024 of them
  new since the previous snapshot; steady_table 600 in 3; the churn freed.
- `leakshim diff` of snapshots 1 and 3 (JSON, and pprof) ranks grow_leak first with
  exactly +2K KiB, +2K blocks, the growth its new_bytes say; steady_table is unchanged;
  nothing else is listed. 0 to 1: grow_leak is new. 3 to 1: it shrank.
- `go tool pprof -top` of `leakshim diff -f pprof` shows the rows `go tool pprof -top
  -base` shows on the two pprof snapshots (when go is installed).
- The timeline's live bytes never fall and grow by at least the leak.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile

import diff_common as d
import lsharness as h
import proc_util as u

ctx = h.context()
K, PHASES, LEAK = 4, 3, 1024
outdir = tempfile.mkdtemp(dir=ctx.tmp)
pattern = os.path.join(outdir, "snap.%p.%n.")
timeline = os.path.join(outdir, "tl.tsv")
r = h.run(ctx, [ctx.prog("diff_grow"), str(K), str(PHASES), pattern + "json",
                pattern + "pb.gz"],
          fmt="json,pprof", output=pattern + "%e", timeout=90,
          env={"LEAKSHIM_INTERVAL": "300ms", "LEAKSHIM_TIMELINE": timeline,
               "LEAKSHIM_TIMELINE_PERIOD": "20ms"})
h.eq((r.returncode, r.stderr), (0, ""), "diff_grow: status, stderr")
snap = {}
for n in range(PHASES + 1):
    base = pattern.replace("%p", str(r.pid)).replace("%n", str(n))
    h.ok(os.path.exists(base + "json") and os.path.exists(base + "pb.gz"),
         "snapshot %d: both files" % n)
    snap[n] = base
    with open(base + "json") as f:
        rep = json.load(f)
    h.eq((rep["reason"], rep["sequence"]), ("interval", n), "snapshot %d: reason, sequence" % n)
    h.eq(rep["previous"] and rep["previous"]["sequence"], None if n == 0 else n - 1,
         "snapshot %d: previous" % n)
    steady = h.stack_by_function(rep, "steady_table")
    h.eq((steady["bytes"], steady["blocks"]), (600, 3), "snapshot %d: steady_table" % n)
    grow = h.stacks_by_function(rep, "grow_leak")
    h.eq([(s["bytes"], s["blocks"], s["new_bytes"], s["new_blocks"]) for s in grow],
         [] if n == 0 else [(n * K * LEAK, n * K, K * LEAK, K)], "snapshot %d: grow_leak" % n)
    h.eq((rep["summary"]["live_bytes"], rep["summary"]["live_blocks"]),
         (600 + n * K * LEAK, 3 + n * K), "snapshot %d: live (the churn all freed)" % n)

SRC = "diff_grow.c"
SRC_PATH = os.path.join(u.HERE, SRC)
GROW_FRAMES = ["    #0 grow_leak %s:%d " % (SRC_PATH, u.source_line(SRC, "malloc(LEAK_BYTES)")),
               "    #1 main %s:%d " % (SRC_PATH, u.source_line(SRC, "grow_leak();"))]


def check_text(old, new, ext):
    """The text diff of snapshots 1 and 3, from files with extension ext."""
    p = d.diff(ctx, [snap[old] + ext, snap[new] + ext])
    d.check_ok(p, "text diff %s" % ext)
    lines = p.stdout.splitlines()
    h.ok(re.fullmatch(r"growth: \+8192 bytes, \+8 blocks live in \d+\.\d{3} s", lines[3]),
         "%s growth line: %r" % (ext, lines[3]))
    h.eq(lines[4], "stacks: 1 grew by +8192 bytes, +8 blocks (0 new); 0 shrank (0 gone); "
         "1 unchanged", "%s stacks line" % ext)
    h.eq(lines[6], "+8192 bytes, +8 blocks, grown from 4096 bytes in 4 blocks to 12288 bytes "
         "in 12 blocks (growing 1 of 1)", "%s: grow_leak ranked first" % ext)
    for k, want in enumerate(GROW_FRAMES):
        h.ok(lines[7 + k].startswith(want), "%s frame %d: %r, not %r" % (ext, k, lines[7 + k], want))


def diff_json(old, new, ext):
    p = d.diff(ctx, ["-f", "json", snap[old] + ext, snap[new] + ext])
    d.check_ok(p, "json diff %d %d %s" % (old, new, ext))
    j = json.loads(p.stdout)
    return j["growth"], [(s["status"], s["bytes"], s["blocks"],
                          [f["function"] for f in s["frames"]][:2]) for s in j["stacks"]]


for ext in ("json", "pb.gz"):
    check_text(1, 3, ext)
    growth, stacks = diff_json(1, 3, ext)
    h.eq(stacks, [("grown", 2 * K * LEAK, 2 * K, ["grow_leak", "main"])], "%s 1->3 stacks" % ext)
    h.eq((growth["live_bytes"], growth["live_blocks"], growth["unchanged_stacks"]),
         (2 * K * LEAK, 2 * K, 1), "%s 1->3 growth" % ext)
    h.eq(diff_json(0, 1, ext)[1], [("new", K * LEAK, K, ["grow_leak", "main"])],
         "%s 0->1" % ext)
    h.eq(diff_json(3, 1, ext)[1], [("shrunk", -2 * K * LEAK, -2 * K, ["grow_leak", "main"])],
         "%s 3->1" % ext)
h.eq(diff_json(1, 3, "json"), diff_json(1, 3, "pb.gz"), "the JSON and pprof snapshots agree")

# The timeline: one row per 20 ms from start to exit; live bytes never fall.
with open(timeline) as f:
    rows = f.read().splitlines()
h.ok(rows[0].startswith("# leakshim timeline 1 pid=%d " % r.pid), "timeline head %r" % rows[0])
h.eq(rows[1], "time_unix_ms\tlive_bytes\tlive_blocks\tallocations\tfrees", "timeline columns")
live = [int(row.split("\t")[1]) for row in rows[2:]]
h.ok(len(live) >= 10, "timeline rows: %d" % len(live))
h.eq([b for a, b in zip(live, live[1:]) if b < a], [], "timeline rows whose live bytes fell")
h.ok(live[-1] - live[0] >= PHASES * K * LEAK, "timeline growth %d" % (live[-1] - live[0]))

# go tool pprof on the pprof diff shows what -base shows on the two snapshots.
go = shutil.which("go")
if go is None:
    print("go not installed: go tool pprof checks skipped")
    h.done()
gohome = tempfile.mkdtemp(dir=ctx.tmp)
env = dict(os.environ, HOME=gohome, GOCACHE=os.path.join(gohome, "cache"), GOFLAGS="",
           PPROF_TMPDIR=gohome)
env.pop("LD_PRELOAD", None)
out = os.path.join(outdir, "diff.pb.gz")
p = d.diff(ctx, ["-f", "pprof", "-o", out, snap[1] + "pb.gz", snap[3] + "pb.gz"])
h.eq((p.returncode, p.stdout, p.stderr), (0, "", ""), "diff -f pprof")


def pprof_top(args):
    p = subprocess.run([go, "tool", "pprof", "-top"] + args, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=120)
    h.eq(p.returncode, 0, "go tool pprof %s: status (stderr %s)" % (args, p.stderr))
    lines = p.stdout.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Showing nodes")]
    h.eq(len(starts), 1, "go tool pprof %s: a 'Showing nodes' line in %r" % (args, p.stdout))
    return lines[starts[0]:]


for index, flat in (("inuse_space", "8kB"), ("inuse_objects", "8")):
    mine = pprof_top(["-sample_index=" + index, out])
    base = pprof_top(["-sample_index=" + index, "-base", snap[1] + "pb.gz", snap[3] + "pb.gz"])
    h.eq(mine, base, "%s: go tool pprof -top of the diff vs -base" % index)
    h.eq(mine[2].split()[0::5], [flat, "grow_leak"], "%s: first row %r" % (index, mine[2]))
h.done()
