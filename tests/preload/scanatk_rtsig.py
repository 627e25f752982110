"""A program with its own handler on every real-time signal (scanatk_rtsig.c), installed
before or after a first leakshim_check(): the shim steals none of them. Each of the 2 x 31
signals it sends itself reaches its handler with the right number and si_code; the check
in between still classifies (the blocked thread's stack is scanned unstopped: its 100 bytes
reachable). At exit nothing can be stopped: threads_not_stopped is 1, the held block
reachable, lose_block's 300 bytes definite, status 0."""

import lsharness as h
import reach_common as rc
import scanatk_util as u

ctx = h.context()
for mode in ("before", "after"):
    r, rep = u.run(ctx, "scanatk_rtsig", [mode])
    h.eq(r.stdout, "handled 62 of 62, wrong 0; check 0 reachable 100/1\n", mode + ": stdout")
    h.eq((rep["threads_not_stopped"], rep["threads_at_report"]), (1, 2),
         mode + ": threads_not_stopped, threads_at_report")
    rc.check_groups(rep, "make_held_block", [("reachable", 100, 1)])
    rc.check_groups(rep, "lose_block", [("definite", 300, 1)])
    stdio = h.stacks_by_function(rep, "_IO_file_doallocate")
    rc.check_totals(rep, definite=(300, 1), reachable=rc.sum_groups(stdio + h.stacks_by_function(
        rep, "make_held_block")), possible=u.check_libc_possible(rep, 1))
h.done()
