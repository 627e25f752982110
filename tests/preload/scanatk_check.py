"""leakshim_check() from two threads at once, 100 times each, while two threads churn
malloc/realloc/free (scanatk_check.c): no deadlock, and every one of the 200 checks
returns 1 with lose_block's 1000 bytes as the only definite block, nothing indirect,
leaked = definite + indirect. The exit report agrees."""

import lsharness as h
import reach_common as rc
import scanatk_util as u

ctx = h.context()
r, rep = u.run(ctx, "scanatk_check", timeout=50)
h.eq(r.stdout, "checks 200 bad 0\n", "stdout")
h.eq((rep["threads_not_stopped"], rep["threads_at_report"]), (0, 3),
     "threads_not_stopped, threads_at_report")
rc.check_groups(rep, "lose_block", [("definite", 1000, 1)])
h.eq(u.kinds_through(rep, "churn_main"), {"reachable"}, "kinds of churn_main's blocks")
h.eq(rep["summary"]["leaked_bytes"], 1000, "leaked_bytes")
h.done()
