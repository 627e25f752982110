"""Stacks of other threads (reach_thread_stack.c holder), as valgrind memcheck reports
them. A thread blocked for good holds the only pointer to a 100-byte block in a local
variable while main calls exit(0): still reachable. A thread that was joined before held
the only pointer to a 200-byte block: its stack is no root, the block definitely lost,
even though glibc keeps the dead thread's stack mapped (cached for reuse) natively.
The holder thread still runs at exit, so the C library is not released: the thread's
DTV (a libc block pointed to 16 bytes in, from the thread's descriptor) is possibly lost,
as valgrind says; its size depends on how many modules have TLS, so only its kind is
checked.

valgrind: still reachable 100 bytes in 1 blocks (make_held_block), definitely lost 200
bytes in 1 blocks (make_dead_block), possibly lost 272 bytes in 1 blocks (allocate_dtv
in pthread_create); no other block.
"""

import lsharness as h
import reach_common as rc

ctx = h.context()
rep = rc.run(ctx, "reach_thread_stack", ["holder"], env={"LEAKSHIM_EXITCODE": "23"})
h.eq(rep["threads_at_report"], 2, "threads_at_report")
h.eq(rep["libc_released"], False, "libc_released")
rc.check_groups(rep, "make_held_block", [("reachable", 100, 1)])
rc.check_groups(rep, "make_dead_block", [("definite", 200, 1)])

dtv = [s for s in rep["stacks"] if s["kind"] == "possible"]
h.ok(len(dtv) > 0 and all("allocate_dtv" in h.functions(s) and s["owner"] == "libc"
                          for s in dtv),
     "possibly lost groups are libc's thread DTVs only:\n%s" % rc.describe(rep))
rc.check_totals(rep, definite=(200, 1), reachable=(100, 1), possible=rc.sum_groups(dtv))
rc.check_status(rep, 23)
h.done()
