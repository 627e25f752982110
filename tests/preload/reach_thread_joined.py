"""A block whose only pointer was on the stack of a thread that returned and was joined
(reach_thread_stack.c, no holder thread) is definitely lost, as valgrind memcheck says.
main exits alone, so the C library is released first (its cache of dead threads' stacks
emptied) and the block is the only one live.

valgrind: definitely lost 200 bytes in 1 blocks (make_dead_block); in use at exit 200
bytes in 1 blocks.
"""

import lsharness as h
import reach_common as rc

ctx = h.context()
rep = rc.run(ctx, "reach_thread_stack", env={"LEAKSHIM_EXITCODE": "23"})
h.eq(rep["threads_at_report"], 1, "threads_at_report")
h.eq(rep["libc_released"], True, "libc_released")
rc.check_groups(rep, "make_dead_block", [("definite", 200, 1)])
rc.check_totals(rep, definite=(200, 1))
rc.check_status(rep, 23)
h.done()
