"""Forking 20 times while two threads churn malloc/realloc/free must not leave a child
deadlocked on a lock some other thread held at fork time. Each child allocates after fork,
keeps 4242 bytes from child_after_fork and exits through exit(): 20 child exit reports,
each holding that block plus at most one block per churning thread of the parent."""

import lsharness as h
import proc_util as u

ctx = h.context()
prog = ctx.prog("proc_fork_threads")
r = h.run(ctx, [prog], timeout=110)
h.eq(r.returncode, 0, "exit status (3: a child deadlocked; 4: a child failed)\n" + r.stderr)
u.expect_quiet(r, "fork-with-threads run")

children = u.values(r.stdout, "child")
h.eq(len(children), 20, "children forked")
h.eq(len(set(children)), 20, "distinct child pids")
h.eq(len(r.reports), 21, "exit reports: 20 children and the parent")

for pid in children:
    rep = r.exit_report(pid)
    h.eq(rep["sequence"], 0, "sequence of child %d's report" % pid)
    h.eq(rep["threads_at_report"], 1, "threads in child %d (fork copies one thread)" % pid)
    # Not the counters: a churner may have been between malloc and recording at fork.
    u.expect_consistent(rep, counters=False)
    u.expect_stack(rep, "child_after_fork", 4242, 1)
    others = [s for s in rep["stacks"] if "child_after_fork" not in h.functions(s)]
    for s in others:
        h.ok("worker_churn" in h.functions(s), "child %d: unexpected stack %s"
             % (pid, h.functions(s)))
    h.ok(sum(s["blocks"] for s in others) <= 2,
         "child %d: at most one in-flight block per churning thread\n%s"
         % (pid, h.describe(rep)))

parent = [p for p in {rep["pid"] for rep in r.reports} if p not in children]
h.eq(len(parent), 1, "parent reports")
p = u.expect_exit_report(r, parent[0], prog, 0, 0)
h.eq(p["threads_at_report"], 1, "threads in the parent after joining the churners")
h.done()
