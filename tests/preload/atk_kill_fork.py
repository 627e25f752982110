"""The parent sends itself SIGUSR2 and forks straight away, 20 times; each child allocates
(which starts its snapshot thread) and lives 100 ms. Snapshots belong to the process
that got the signal: the parent writes up to 20, and each child writes exactly one report,
its exit report; a child must not write a snapshot for the parent's signal."""

import lsharness as h
import atk_util as a

ctx = h.context()
r = a.run_bounded(ctx, [ctx.prog("atk_kill_fork")], "signal then fork", 60)
h.eq(a.status_text(r.returncode), "exit 0", "status")
parent = r.pid
children = {rep["pid"] for rep in r.reports} - {parent}
h.eq(len(children), 20, "children that wrote reports")
stray = [(rep["pid"], rep["sequence"]) for rep in r.reports
         if rep["pid"] != parent and rep["reason"] != "exit"]
h.eq(stray, [], "(pid, sequence) of snapshots written by children")
for pid in children:
    rep = r.exit_report(pid)
    s = h.stack_by_function(rep, "child_life")
    h.eq((s["bytes"], s["blocks"]), (5, 1), "child %d: bytes, blocks of child_life" % pid)
h.ok(1 <= len(r.reports_of(parent, "signal")) <= 20, "parent snapshots")
h.done()
