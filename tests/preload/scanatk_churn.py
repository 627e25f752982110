"""exit(7) from main while four threads churn malloc/realloc/free (scanatk_churn.c), five
runs: no hang, status 7, one exit report, every thread stopped (a thread inside malloc
parks like any other), lose_block's 4242 bytes the only definite block, nothing
indirect, the four threads' DTVs the only possible blocks, and every churned block
still reachable (the global table holds them)."""

import lsharness as h
import reach_common as rc
import scanatk_util as u

ctx = h.context()
for attempt in range(5):
    r, rep = u.run(ctx, "scanatk_churn", status=7)
    h.eq(len(r.reports), 1, "reports")
    h.eq((rep["threads_not_stopped"], rep["threads_at_report"], rep["libc_released"]),
         (0, 5, False), "threads_not_stopped, threads_at_report, libc_released")
    rc.check_groups(rep, "lose_block", [("definite", 4242, 1)])
    h.eq(u.kinds_through(rep, "churn_main"), {"reachable"}, "kinds of churn_main's blocks")
    possible = u.check_libc_possible(rep, 4)
    reachable = rc.sum_groups(h.stacks_by_function(rep, "churn_main"))
    h.ok(reachable[1] <= 64, "at most 4 x 16 churned blocks live: %r" % (reachable,))
    rc.check_totals(rep, definite=(4242, 1), possible=possible, reachable=reachable)
h.done()
