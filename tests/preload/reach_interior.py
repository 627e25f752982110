"""Blocks pointed to only in their middle (reach_interior.c), as valgrind memcheck
reports them: a 1000-byte block of zeros pointed to 16 bytes in is possibly lost (no
heuristic matches there); a 512-byte block whose first word is 504 and whose pointer sits
just past it is still reachable through the length64 heuristic. Neither counts as leaked.

valgrind: possibly lost 1,000 bytes in 1 blocks; still reachable 512 bytes in 1 blocks,
of which reachable via heuristic length64: 512 bytes in 1 blocks.
"""

import lsharness as h
import reach_common as rc

ctx = h.context()
rep = rc.run(ctx, "reach_interior", env={"LEAKSHIM_EXITCODE": "23"})
h.eq(rep["libc_released"], True, "libc_released")
rc.check_groups(rep, "make_interior_block", [("possible", 1000, 1)])
rc.check_groups(rep, "make_length64_block", [("reachable", 512, 1)])
rc.check_totals(rep, possible=(1000, 1), reachable=(512, 1))
rc.check_status(rep, 0)
h.done()
