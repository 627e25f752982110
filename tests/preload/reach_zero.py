"""malloc(0) kept in a global (reach_zero.c) is a live block of 0 bytes that is still
reachable, as valgrind memcheck counts it ("still reachable: 0 bytes in 1 blocks"). It is
the only block live at exit, so with LEAKSHIM_EXITCODE=23 the program keeps its own
status, 0, and the report counts nothing leaked.
"""

import lsharness as h
import reach_common as rc

ctx = h.context()
for env in ({}, {"LEAKSHIM_EXITCODE": "23"}):
    rep = rc.run(ctx, "reach_zero", env=env)
    h.eq(rep["libc_released"], True, "libc_released")
    rc.check_groups(rep, "keep_zero_block", [("reachable", 0, 1)])
    rc.check_totals(rep, reachable=(0, 1))
    h.eq((rep["summary"]["leaked_bytes"], rep["summary"]["leaked_blocks"]), (0, 0), "leaked")
    rc.check_status(rep, 0)

# Listed only when asked for: reachable is not a default kind to show.
rep = rc.run(ctx, "reach_zero", env={"LEAKSHIM_SHOW_KINDS": None})
h.eq(rep["stacks"], [], "stacks with the default LEAKSHIM_SHOW_KINDS")
h.eq(rc.totals(rep)["reachable"], (0, 1), "reachable totals with the default show kinds")
rc.check_status(rep, 0)
h.done()
