"""An address that comes back from malloc while the shim still holds it (its free went
through __libc_free, which is not interposed): the new block takes the slot with its own
stack and size, the old one counts as freed, and nothing is said on stderr."""

import lsharness as h

ctx = h.context()
r = h.run(ctx, [ctx.prog("atk_reuse")])
h.eq((r.returncode, r.stdout, r.stderr), (0, "same=1\n", ""), "status, output, stderr")
rep = [x for x in r.reports if x["reason"] == "request"][0]
by_fn = {s["frames"][0]["function"]: (s["bytes"], s["blocks"]) for s in rep["stacks"]}
h.eq(by_fn.get("second"), (40, 1), "the live block is second()'s")
h.ok("first" not in by_fn, "first()'s block is gone: %s" % sorted(by_fn))
h.eq(rep["summary"]["total_allocations"] - rep["summary"]["total_frees"],
     rep["summary"]["live_blocks"], "allocations - frees = live blocks")
h.done()
