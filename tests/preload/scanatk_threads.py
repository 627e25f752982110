"""Many threads and forks at exit (scanatk_threads.c).

many: 200 threads blocked in read(2), each keeping a 32-byte block in a local: all 200
stopped (threads_not_stopped 0, threads_at_report 201), the 200 blocks reachable,
lose_block's 77 bytes definite.
fork: a thread forks without pause while main calls exit(6). A fork during the exit
report hung the child for good (glibc drops pthread_atfork handlers of a library once
its destructor ran, so the child inherited the shim's locks held), and a child forked
while its parent was exiting wrote no report. Now: no hang, and every child that called
exit() (it leaves a marker file first) wrote an exit report with its own 64 lost bytes
(lose_in_child) definite."""

import os

import lsharness as h
import reach_common as rc
import scanatk_util as u

ctx = h.context()
r, rep = u.run(ctx, "scanatk_threads", ["many"])
h.eq((rep["threads_not_stopped"], rep["threads_at_report"]), (0, 201),
     "many: threads_not_stopped, threads_at_report")
rc.check_groups(rep, "make_thread_block", [("reachable", 32 * 200, 200)])
rc.check_groups(rep, "lose_block", [("definite", 77, 1)])
rc.check_totals(rep, definite=(77, 1), reachable=(6400, 200),
                possible=u.check_libc_possible(rep, 200))

for attempt in range(5):
    markers = os.path.join(ctx.tmp, "markers%d" % attempt)
    os.mkdir(markers)
    r, rep = u.run(ctx, "scanatk_threads", ["fork", markers], status=6)
    rc.check_groups(rep, "lose_block", [("definite", 77, 1)])
    children = {c["pid"]: c for c in r.reports if c["pid"] != r.pid}
    marked = sorted(int(name) for name in os.listdir(markers))
    h.ok(len(marked) >= 5, "at least 5 children ran exit(): %d" % len(marked))
    h.eq(sorted(children), marked, "pids of child exit reports = children that ran exit()")
    for pid, c in children.items():
        h.eq(c["reason"], "exit", "child %d: reason" % pid)
        h.eq(rc.groups(c, "lose_in_child"), [("definite", 64, 1)],
             "child %d: groups through lose_in_child" % pid)
h.done()
