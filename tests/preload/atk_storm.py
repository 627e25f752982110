"""Two seconds of four threads churning malloc/realloc/free, a fifth forking children and
a sixth sending SIGUSR2 every 500 us, all at once. No deadlock, no crash: status 42 (every
child exited 17). The parent's exit report, taken once every thread had stopped and freed
its blocks, holds exactly main_leak's 1234 bytes, with every counted allocation but one
matched by a free; every child's exit report holds its own 33 bytes from child_leak; every
snapshot's stacks add up to its summary."""

import lsharness as h
import atk_util as a

ctx = h.context()
prog = ctx.prog("atk_storm")
r = a.run_bounded(ctx, [prog], "threads, forks and signals at once", 100)
h.eq(a.status_text(r.returncode), "exit 42", "status")
parent = r.pid
rep = r.exit_report(parent)
s = rep["summary"]
h.eq((s["live_bytes"], s["live_blocks"], s["untracked_frees"]), (1234, 1, 0),
     "parent at exit: live bytes, live blocks, untracked frees")
h.eq(s["total_allocations"] - s["total_frees"], 1, "parent: allocations - frees")
st = h.stack_by_function(rep, "main_leak")
h.eq((st["bytes"], st["blocks"]), (1234, 1), "bytes, blocks of main_leak")

children = {x["pid"] for x in r.reports} - {parent}
h.ok(len(children) >= 20, "children with reports: %d" % len(children))
for pid in children:
    st = h.stack_by_function(r.exit_report(pid), "child_leak")
    h.eq((st["bytes"], st["blocks"]), (33, 1), "child %d: bytes, blocks of child_leak" % pid)
for x in r.reports:
    h.eq((sum(g["bytes"] for g in x["stacks"]), sum(g["blocks"] for g in x["stacks"])),
         (x["summary"]["live_bytes"], x["summary"]["live_blocks"]),
         "report %s: stacks add up to the summary" % x["_path"])
h.done()
