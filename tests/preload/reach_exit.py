"""The exiting thread's stack as a root (reach_exit.c): from the frame that called exit()
upwards, never the C library's exit frames below it, which sit on stale pointers.

"return": main kept the list's head in a table on its stack, then returned. valgrind:
definitely lost 32 bytes in 1 block (make_node), indirectly lost 288 bytes in 9 blocks.
Scanning exit()'s own frames found the head there and called all 320 bytes reachable.

"exit": exit() is called with main's table and a local of exit_holding_block still live.
valgrind: still reachable 368 bytes in 11 blocks, nothing lost.

"quick": quick_exit(0) from main writes the exit report too (registered with
at_quick_exit). valgrind: still reachable 320 bytes in 10 blocks.
"""

import lsharness as h
import reach_common as rc

ctx = h.context()

rep = rc.run(ctx, "reach_exit", ["return"], env={"LEAKSHIM_EXITCODE": "23"})
rc.check_groups(rep, "make_node", [("definite", 32, 1), ("indirect", 288, 9)])
rc.check_totals(rep, definite=(32, 1), indirect=(288, 9))
rc.check_status(rep, 23)

rep = rc.run(ctx, "reach_exit", ["exit"], env={"LEAKSHIM_EXITCODE": "23"})
rc.check_groups(rep, "make_node", [("reachable", 320, 10)])
rc.check_groups(rep, "exit_holding_block", [("reachable", 48, 1)])
rc.check_totals(rep, reachable=(368, 11))
rc.check_status(rep, 0)

rep = rc.run(ctx, "reach_exit", ["quick"], env={"LEAKSHIM_EXITCODE": "23"})
rc.check_groups(rep, "make_node", [("reachable", 320, 10)])
rc.check_totals(rep, reachable=(320, 10))
rc.check_status(rep, 0)
h.done()
