"""LEAKSHIM_SAMPLE's estimates of a known leak. At rate R a block of s bytes is recorded
with probability p = 1 - exp(-s/R) and stands for s/p bytes, so n leaked blocks of s
bytes are estimated with a relative standard deviation of sqrt((1 - p) / (n p)). At
R = 4096, 20000 blocks of 1000 bytes per thread: 1.35% on one thread, 0.95% on two. The
check allows 5 standard deviations (6.7% and 4.8%): a correct sampler fails it about once
in 3.5 million runs, a sampler off by a tenth fails at once.

Blocks of 1 MiB are sampled with p = 1 - exp(-256), 1.0 in a double: their figures are
exact. Blocks allocated and freed leave no stack behind. The program's output and status
are its own."""

import math

import lsharness as h

ctx = h.context()
prog = ctx.prog("sample")
RATE, SIZE, MANY, HUGE = 4096, 1000, 20000, 1 << 20


def stack_of(rep, function):
    found = [s for s in rep["stacks"] if s["frames"] and s["frames"][0]["function"] == function]
    h.eq(len(found), 1, "one stack with %s innermost" % function)
    return found[0]


for threads in (1, 2):
    r = h.run(ctx, [prog, str(threads)], env={"LEAKSHIM_SAMPLE": str(RATE)})
    what = "%d thread%s" % (threads, "s" if threads > 1 else "")
    h.eq((r.returncode, r.stdout, r.stderr), (0, "ignore rc=0\ndone\n", ""),
         what + ": status, output (leakshim_ignore of a block most likely not sampled: 0)")
    h.eq(len(r.reports), 1, what + ": one exit report")
    rep = r.reports[0]

    n = MANY * threads
    p = -math.expm1(-SIZE / RATE)
    bound = 5 * math.sqrt((1 - p) / (n * p))
    many = stack_of(rep, "leak_many")
    for key, want in (("bytes", n * SIZE), ("blocks", n)):
        err = abs(many[key] - want) / want
        h.ok(err <= bound, "%s: leak_many's %s estimated as %d, %d true: off by %.2f%%, "
             "the bound is %.2f%%" % (what, key, many[key], want, 100 * err, 100 * bound))
    h.eq(many["bytes"], many["sampled_blocks"] * round(SIZE / p),
         what + ": each sampled block of leak_many stands for s/p bytes")
    # Stacks that never free: everything allocated is live, each block weighed alike.
    for name in ("leak_many", "leak_huge", "leak_mixed"):
        s = stack_of(rep, name)
        h.eq((s["alloc_bytes"], s["alloc_blocks"]), (s["bytes"], s["blocks"]),
             "%s: %s's allocated estimates equal its live ones" % (what, name))
    mixed = stack_of(rep, "leak_mixed")
    h.ok(mixed["sampled_blocks"] >= 1000 * threads,
         "%s: leak_mixed's 100000-byte blocks all sampled (%d)" % (what, mixed["sampled_blocks"]))

    big = stack_of(rep, "leak_huge")
    h.eq((big["bytes"], big["blocks"], big["sampled_bytes"], big["sampled_blocks"]),
         (4 * HUGE * threads, 4 * threads, 4 * HUGE * threads, 4 * threads),
         what + ": blocks far above the rate are always sampled: exact")
    h.eq([s for s in rep["stacks"] if any(f["function"] == "churn" for f in s["frames"])], [],
         what + ": blocks allocated and freed leave nothing behind")

    sampled = rep["sampled"]
    h.eq((sampled["rate_bytes"], sampled["live_blocks"], sampled["live_bytes"]),
         (RATE, sum(s["sampled_blocks"] for s in rep["stacks"]),
          sum(s["sampled_bytes"] for s in rep["stacks"])),
         what + ": the sampled object adds up the stacks' sampled blocks")
    h.eq(rep["summary"]["leaked_bytes"], sum(s["bytes"] for s in rep["stacks"]),
         what + ": the summary adds up the stacks' estimates")
    h.eq(rep["scanned"], False, what + ": no reachability scan by default when sampling")

# A fork child draws its own sample points: parent and child leak alike from
# leak_after_fork, and sample different blocks (equal sums by chance: far below 1e-6).
r = h.run(ctx, [prog, "fork"], env={"LEAKSHIM_SAMPLE": str(RATE)})
h.eq((r.returncode, r.stdout, r.stderr), (0, "done\n", ""), "fork: status, output")
h.eq(len(r.reports), 2, "fork: two exit reports")
after = [stack_of(x, "leak_after_fork")["sampled_bytes"] for x in r.reports]
h.ok(after[0] != after[1], "fork: parent and child sampled different blocks: %s" % after)

# A fork child whose allocations are never sampled (a rate of 1 GiB) still starts its
# snapshot thread: interval snapshots during its second of life.
r = h.run(ctx, [prog, "fork"], env={"LEAKSHIM_SAMPLE": str(1 << 30), "LEAKSHIM_INTERVAL": "200ms"})
h.eq((r.returncode, r.stdout, r.stderr), (0, "done\n", ""), "fork, interval: status, output")
child = [x["pid"] for x in r.reports if x["pid"] != r.pid]
ticks = [x for x in r.reports if x["reason"] == "interval" and x["pid"] in child]
h.ok(len(ticks) >= 3, "fork, interval: the child's interval snapshots: %d" % len(ticks))

# Without LEAKSHIM_SAMPLE every block is counted: the same program, exact figures.
r = h.run(ctx, [prog, "1"])
rep = r.reports[0]
h.eq((rep["sampled"], stack_of(rep, "leak_many")["bytes"], stack_of(rep, "leak_many")["blocks"]),
     (None, MANY * SIZE, MANY), "exact mode: every block, no sampled object")

# A value that is not a byte count: one line on stderr, and every block recorded.
for bad in ("abc", "0", "-5", "1.5", "2000000000000"):
    r = h.run(ctx, [prog, "1"], env={"LEAKSHIM_SAMPLE": bad})
    h.eq((r.returncode, r.stdout), (0, "ignore rc=0\ndone\n"),
         "LEAKSHIM_SAMPLE=%s: status, output" % bad)
    h.eq(r.stderr, 'leakshim: LEAKSHIM_SAMPLE="%s" is not a whole number of bytes from 1 to '
         "2^40 (e.g. 524288); using the default\n" % bad,
         "LEAKSHIM_SAMPLE=%s: said once" % bad)
    h.eq(r.reports[0]["sampled"], None, "LEAKSHIM_SAMPLE=%s: exact report" % bad)
h.done()
