"""Pointers a conservative scan cannot and can see (scanatk_hidden.c): a pointer kept only
XORed with a key hides its 48-byte block (definite, as docs/limitations.md says); a
pointer kept only in a register of a thread spinning in a tight loop keeps its 80-byte
block reachable (the stop signal saves the registers)."""

import lsharness as h
import reach_common as rc
import scanatk_util as u

ctx = h.context()
for attempt in range(3):
    r, rep = u.run(ctx, "scanatk_hidden")
    h.eq((rep["threads_not_stopped"], rep["threads_at_report"]), (0, 2),
         "threads_not_stopped, threads_at_report")
    rc.check_groups(rep, "make_xor_block", [("definite", 48, 1)])
    rc.check_groups(rep, "make_reg_block", [("reachable", 80, 1)])
    rc.check_totals(rep, definite=(48, 1), reachable=(80, 1),
                    possible=u.check_libc_possible(rep, 1))
h.done()
