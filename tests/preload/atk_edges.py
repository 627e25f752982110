"""Allocation calls at the edges (sizes that must fail, odd alignments, realloc chains
through size 0) print their results and errno; under leakshim every line must equal the
run without it, and the counts must be exact: 60 allocations, 60 frees, nothing live,
peak 4801 bytes (the largest realloc, 100 * 48 + 1), no untracked frees."""

import lsharness as h
import atk_util as a

ctx = h.context()
prog = ctx.prog("atk_edges")
bare = h.run(ctx, [prog], preload=False)
h.eq(bare.returncode, 0, "status without leakshim")
r = a.run_bounded(ctx, [prog], "allocation edges", 30)
h.eq(a.status_text(r.returncode), "exit 0", "status")
h.eq(r.stdout.splitlines(), bare.stdout.splitlines(), "results and errno, line by line")
s = r.exit_report()["summary"]
h.eq((s["total_allocations"], s["total_frees"], s["live_bytes"], s["live_blocks"],
      s["peak_live_bytes"], s["untracked_frees"]), (60, 60, 0, 0, 4801, 0),
     "allocations, frees, live bytes, live blocks, peak, untracked frees")
h.done()
