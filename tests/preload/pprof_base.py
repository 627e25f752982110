"""Two snapshots of one process as pprof profiles, compared with `go tool pprof -base`:
pprof_leaks.c in "snapshot" mode writes prof.0.pb.gz (leak_a, leak_b, churn: 8748 bytes
live), leaks 1024 bytes in 2 blocks in leak_c, and writes prof.1.pb.gz; the exit report is
prof.2.pb.gz. The difference of the first two must be exactly leak_c's growth, in bytes
and blocks, and so must prof.1's own new_space (allocated since prof.0 and live); the
stacks alive in both cancel out. Snapshots are not scanned: every sample is of kind
unscanned."""

import re

import lsharness as h
import pprof_common as pc

pc.need_go()
ctx = h.context()
r, paths = pc.run_profiles(ctx, [ctx.prog("pprof_leaks"), "snapshot"])
h.eq(r.stdout, "report_now=0\nreport_now=0\n", "stdout: both snapshots written")
h.eq([p.rsplit("/", 1)[1] for p in paths], ["prof.0.pb.gz", "prof.1.pb.gz", "prof.2.pb.gz"],
     "profiles, one per report")
first, second = paths[0], paths[1]

EARLIER = {"leak_b": 8192, "leak_a": 300, "churn": 256}
h.eq(pc.top(ctx, [first]), (8748, EARLIER), "prof.0: inuse_space per function")
h.eq(pc.top(ctx, [second]), (9772, dict(EARLIER, leak_c=1024)),
     "prof.1: inuse_space per function")

h.eq(pc.top(ctx, ["-base", first, second]), (1024, {"leak_c": 1024}),
     "prof.1 -base prof.0: inuse_space")
h.eq(pc.top(ctx, ["-sample_index=inuse_objects", "-base", first, second]),
     (2, {"leak_c": 2}), "prof.1 -base prof.0: inuse_objects")
h.eq(pc.top(ctx, ["-sample_index=new_space", second]), (1024, {"leak_c": 1024}),
     "prof.1: new_space, live blocks allocated since prof.0")
h.eq(pc.top(ctx, ["-sample_index=new_objects", second]), (2, {"leak_c": 2}),
     "prof.1: new_objects")

for n, path in enumerate(paths):
    raw = pc.pprof(ctx, ["-raw", path])
    comments = re.findall(r"^Comment: (.*)$", raw, re.M)
    h.eq(comments[2:], ["reason=%s" % ("exit" if n == 2 else "request"), "sequence=%d" % n],
         "reason and sequence comments of prof.%d" % n)
    h.eq(sorted(set(re.findall(r"^\s+kind:\[(\w+)\]$", raw, re.M))), ["unscanned"],
         "kinds of prof.%d" % n)
h.done()
