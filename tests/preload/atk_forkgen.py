"""Four generations of processes, each forked by the one before and each leaking through
leak_gen: generation g's exit report holds its own block and those it inherited. The
stack of generation 0's call differs from the loop's one call site for generations 1-3.
Expected live bytes 100, 300, 600, 1000; the status 5 of the last travels back up."""

import lsharness as h
import atk_util as a

ctx = h.context()
r = a.run_bounded(ctx, [ctx.prog("atk_forkgen")], "four generations", 30)
h.eq(a.status_text(r.returncode), "exit 5", "status")
exits = r.reports_of(reason="exit")
h.eq(len(exits), 4, "exit reports")
h.eq(len(r.reports), 4, "reports")
exits.sort(key=lambda rep: rep["summary"]["live_bytes"])
for g, rep in enumerate(exits):
    s = rep["summary"]
    h.eq((s["live_bytes"], s["live_blocks"], s["total_allocations"], s["total_frees"]),
         (sum(100 * (k + 1) for k in range(g + 1)), g + 1, g + 1, 0),
         "generation %d: live bytes, live blocks, allocations, frees" % g)
    h.eq((rep["libc_released"], rep["threads_at_report"]), (True, 1),
         "generation %d: libc_released, threads_at_report" % g)
    groups = sorted(x["bytes"] for x in h.stacks_by_function(rep, "leak_gen"))
    expected = [100] + ([sum(100 * (k + 1) for k in range(1, g + 1))] if g else [])
    h.eq(groups, sorted(expected), "generation %d: bytes per leak_gen stack" % g)
h.done()
