"""Every format of a sampled run says it is sampled and carries the same estimates: the
text header and SUMMARY line name the rate and each stack its sampled blocks, the folded
lines add up to the JSON's leaked bytes, the pprof profile's period is the rate (as Go's
sampled heap profiles) and its totals are the JSON's. `leakshim --sample` sets the rate."""

import os
import re
import shutil
import subprocess

import lsharness as h
import pprof_common

ctx = h.context()
prog = ctx.prog("sample")
RATE = 4096
MARK = "(estimated from sampled blocks, LEAKSHIM_SAMPLE=%d)" % RATE

outdir = h.tempfile.mkdtemp(dir=ctx.tmp)
r = h.run(ctx, [prog, "1"], fmt="text,json,folded,pprof", output=os.path.join(outdir, "r.%p.%n"),
          env={"LEAKSHIM_SAMPLE": str(RATE)})
r = h.Result(r, outdir)
h.eq((r.returncode, r.stdout, r.stderr), (0, "ignore rc=0\ndone\n", ""), "status, output")
h.eq(len(r.reports), 1, "one JSON report")
rep = r.reports[0]
leaked = rep["summary"]["leaked_bytes"]

text = r.texts[os.path.join(outdir, "r.%d.0.txt" % r.pid)].splitlines()
h.eq(text[0], "leakshim: exit report, pid %d, %s %s" % (r.pid, prog, MARK), "text: header")
h.ok(text[-1].startswith("SUMMARY: leaked %d bytes" % leaked) and text[-1].endswith(MARK),
     "text: SUMMARY line with the JSON's estimate, marked: %s" % text[-1])
heads = [line for line in text if re.match(r"^\d+ bytes in \d+ blocks? ", line)]
want = ["%d bytes in %d block%s live (stack %d of %d, estimated from %d sampled block%s)" %
        (s["bytes"], s["blocks"], "s" if s["blocks"] != 1 else "", i + 1, len(rep["stacks"]),
         s["sampled_blocks"], "s" if s["sampled_blocks"] != 1 else "")
        for i, s in enumerate(rep["stacks"])]
h.eq(heads, want, "text: each stack names the sampled blocks behind its estimate")

folded = r.texts[os.path.join(outdir, "r.%d.0.folded" % r.pid)]
h.eq(sum(int(line.rsplit(" ", 1)[1]) for line in folded.splitlines()), leaked,
     "folded: lines add up to the JSON's estimate")

if shutil.which("go"):
    profile = os.path.join(outdir, "r.%d.0.pb.gz" % r.pid)
    raw = pprof_common.pprof(ctx, ["-raw", profile])
    h.ok("\nPeriod: %d\n" % RATE in raw, "pprof: the period is the rate:\n%s" % raw[:400])
    total, flat = pprof_common.top(ctx, ["-sample_index=inuse_space", profile])
    h.eq((total, flat.get("leak_many"), flat.get("leak_huge")),
         (leaked, [s for s in rep["stacks"] if s["frames"][0]["function"] == "leak_many"][0]["bytes"],
          4 << 20), "pprof: inuse_space totals are the JSON's estimates")
else:
    print("sample_formats: pprof part skipped: go is not installed")

# leakshim diff says its inputs are estimates: text, JSON, and the period of its profile.
js = os.path.join(outdir, "r.%d.0.json" % r.pid)
p = subprocess.run([ctx.cli, "diff", js, js], capture_output=True, text=True, timeout=60)
h.eq([line.endswith("(estimated from sampled blocks, rate %d bytes)" % RATE)
      for line in p.stdout.splitlines() if line.startswith(("old: ", "new: "))], [True, True],
     "diff text: both snapshots marked as sampled:\n%s" % p.stdout[:600])
p = subprocess.run([ctx.cli, "diff", "-f", "json", js, js], capture_output=True, text=True,
                   timeout=60)
j = h.json.loads(p.stdout)
h.eq((j["old"]["sample_rate_bytes"], j["new"]["sample_rate_bytes"]), (RATE, RATE),
     "diff JSON: the rate of each snapshot")
if shutil.which("go"):
    pb = os.path.join(outdir, "r.%d.0.pb.gz" % r.pid)
    p = subprocess.run([ctx.cli, "diff", "-f", "json", pb, js], capture_output=True, text=True,
                       timeout=60)
    h.eq(h.json.loads(p.stdout)["old"]["sample_rate_bytes"], RATE,
         "diff of a pprof input: its period read as the rate")
    out_pb = os.path.join(outdir, "d.pb.gz")
    p = subprocess.run([ctx.cli, "diff", "-f", "pprof", "-o", out_pb, js, js],
                       capture_output=True, text=True, timeout=60)
    h.eq(p.returncode, 0, "diff -f pprof: status (%s)" % p.stderr)
    h.ok("\nPeriod: %d\n" % RATE in pprof_common.pprof(ctx, ["-raw", out_pb]),
         "diff -f pprof: the period is the rate")

# The command's --sample sets the rate; a bad one is a usage error before anything runs.
out = os.path.join(outdir, "cli.json")
p = subprocess.run([ctx.cli, "--sample", str(RATE), "-f", "json", "-o", out, prog, "1"],
                   capture_output=True, text=True, timeout=60)
h.eq((p.returncode, p.stdout), (0, "ignore rc=0\ndone\n"), "leakshim --sample: status, output")
h.eq(h.json.load(open(out))["sampled"]["rate_bytes"], RATE, "leakshim --sample: the rate")
p = subprocess.run([ctx.cli, "--sample", "lots", prog, "1"], capture_output=True, text=True,
                   timeout=60)
h.eq((p.returncode, p.stdout, p.stderr.splitlines()[0]),
     (2, "", "leakshim: --sample must be a whole number of bytes from 1 to 2^40, not 'lots'"),
     "leakshim --sample lots: usage error")
h.done()
