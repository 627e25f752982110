"""exit(5) while threads loop on vfork+execve, vfork+_exit and posix_spawn
(scanatk_spawn.c): no hang, status 5, the parent's exit report with every thread stopped
(a thread in vfork parks once its child has exec'd or exited) and lose_block's 500
bytes the only definite block; each /bin/true child writes its own clean exit report."""

import os

import lsharness as h
import reach_common as rc
import scanatk_util as u

ctx = h.context()
r, rep = u.run(ctx, "scanatk_spawn", status=5)
h.eq((rep["threads_not_stopped"], rep["threads_at_report"]), (0, 4),
     "threads_not_stopped, threads_at_report")
rc.check_groups(rep, "lose_block", [("definite", 500, 1)])
rc.check_totals(rep, definite=(500, 1), possible=u.check_libc_possible(rep, 3))
children = [c for c in r.reports if c["pid"] != r.pid]
h.ok(len(children) >= 6, "at least 6 child reports (3 vfork+exec, 3 spawn): %d"
     % len(children))
for c in children:
    h.eq((os.path.basename(c["program"]), c["reason"], c["summary"]["live_bytes"]),
         ("true", "exit", 0), "child %d: program, reason, live_bytes" % c["pid"])
h.done()
