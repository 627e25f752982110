"""A leaked list and a leaked two-block cycle (reach_list.c), as valgrind memcheck
reports them: the 32-byte head definitely lost, its 10 nodes of 48 bytes indirectly lost;
of the two 24-byte blocks that point at each other, one definitely and one indirectly
lost (the lower address leads the clique; both come from one stack, so the check does not
depend on which). With LEAKSHIM_EXITCODE=23 the definite blocks fail the run.

valgrind: definitely lost 56 bytes in 2 blocks, indirectly lost 504 bytes in 11 blocks,
loss records make_list_head 32 direct + 480 indirect, make_node 480 in 10 indirect,
make_cycle_block 24 direct + 24 indirect and 24 indirect.
"""

import lsharness as h
import reach_common as rc


def check(rep, status):
    h.eq(rep["libc_released"], True, "libc_released")
    rc.check_groups(rep, "make_list_head", [("definite", 32, 1)])
    rc.check_groups(rep, "make_node", [("indirect", 480, 10)])
    rc.check_groups(rep, "make_cycle_block", [("definite", 24, 1), ("indirect", 24, 1)])
    h.eq(rep["summary"]["stacks"], 4, "summary.stacks")
    rc.check_totals(rep, definite=(56, 2), indirect=(504, 11))
    rc.check_status(rep, status)


ctx = h.context()
check(rc.run(ctx, "reach_list"), 0)
check(rc.run(ctx, "reach_list", env={"LEAKSHIM_EXITCODE": "23"}), 23)
h.done()
