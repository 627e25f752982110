"""The parent leaks 3 x 111 bytes (parent_leak), forks; the child leaks 5 x 222 bytes
(child_leak) and calls exit(). fork copies the heap, so the child's exit report holds the
parent's live blocks at fork time plus its own, and its counters continue the parent's;
the parent's exit report holds only its own blocks."""

import lsharness as h
import proc_util as u

ctx = h.context()
prog = ctx.prog("proc_fork")
r = h.run(ctx, [prog])
h.eq(r.returncode, 0, "exit status (the program checks the child's status too)\n" + r.stderr)
u.expect_quiet(r, "fork run")

child = u.value(r.stdout, "child")
pids = sorted({rep["pid"] for rep in r.reports})
h.eq(len(r.reports), 2, "reports: one exit report per process")
h.ok(child in pids and len(pids) == 2, "report pids %s: the child %d and the parent"
     % (pids, child))
parent = [p for p in pids if p != child][0]

p = u.expect_exit_report(r, parent, prog, 333, 3)
u.expect_stack(p, "parent_leak", 333, 3)
u.expect_no_stack(p, "child_leak")
h.eq(p["sequence"], 0, "sequence of the parent's exit report")

c = u.expect_exit_report(r, child, prog, 333 + 1110, 8)
u.expect_stack(c, "child_leak", 1110, 5)
u.expect_stack(c, "parent_leak", 333, 3)
h.eq(h.functions(c["stacks"][0])[:2], ["child_leak", "main"], "biggest stack of the child")
h.eq(c["sequence"], 0, "sequence of the child's exit report (the parent wrote none)")

# The parent allocates and frees nothing after fork.
h.eq(c["summary"]["total_allocations"] - p["summary"]["total_allocations"], 5,
     "the child's allocations beyond the parent's")
h.eq(c["summary"]["total_frees"], p["summary"]["total_frees"], "frees, child vs parent")
h.done()
