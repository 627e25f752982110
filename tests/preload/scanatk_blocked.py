"""A thread that blocks every signal cannot be stopped (scanatk_blocked.c).

hold: as docs/limitations.md says, it counts in threads_not_stopped (1) and its whole
stack mapping is scanned instead: the 100 bytes it keeps in a local are still
reachable, not definite; lose_block's 300 bytes are definite.
unmap: while that thread maps, writes and unmaps 64 regions of 64 KiB without pause,
200 leakshim_check() calls and the exit scan read them as roots; a region unmapped under
the scan must not crash the program (it did: SIGSEGV). Every check sees no definite
block; the exit report has lose_block's 300 bytes definite.
stale: the thread left running is blocked in read(2): its stack below the stack pointer
the kernel shows is not scanned, so the 64-byte block whose only copy lies there is
definite (valgrind: definitely lost 364 bytes in 2 blocks). A second, stoppable thread
makes the stop look twice: the unstoppable one still counts once (it counted twice)."""

import lsharness as h
import reach_common as rc
import scanatk_util as u

ctx = h.context()
r, rep = u.run(ctx, "scanatk_blocked", ["hold"])
h.eq((rep["threads_not_stopped"], rep["threads_at_report"]), (1, 2),
     "hold: threads_not_stopped, threads_at_report")
rc.check_groups(rep, "make_held_block", [("reachable", 100, 1)])
rc.check_groups(rep, "lose_block", [("definite", 300, 1)])
rc.check_totals(rep, definite=(300, 1), reachable=(100, 1),
                possible=u.check_libc_possible(rep, 1))

for attempt in range(3):
    r, rep = u.run(ctx, "scanatk_blocked", ["unmap"])
    h.eq(r.stdout, "checks 200 bad 0\n", "unmap: stdout")
    h.eq(rep["threads_not_stopped"], 1, "unmap: threads_not_stopped")
    rc.check_groups(rep, "lose_block", [("definite", 300, 1)])
    stdio = h.stacks_by_function(rep, "_IO_file_doallocate")
    rc.check_totals(rep, definite=(300, 1), reachable=rc.sum_groups(stdio),
                    possible=u.check_libc_possible(rep, 1))
r, rep = u.run(ctx, "scanatk_blocked", ["stale"])
h.eq((rep["threads_not_stopped"], rep["threads_scanned_whole"], rep["threads_at_report"]),
     (1, 0, 3), "stale: threads_not_stopped, threads_scanned_whole (blocked in read: its "
     "stack pointer is known), threads_at_report")
rc.check_groups(rep, "make_stale_block", [("definite", 64, 1)])
rc.check_totals(rep, definite=(364, 2), possible=u.check_libc_possible(rep, 2))
h.done()
