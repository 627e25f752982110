"""C++ layouts and containers (reach_cxx.cpp), as valgrind memcheck reports them:
- new Elem[5] (8-byte elements with a destructor), kept as the array pointer, start + 8:
  still reachable through the newarray heuristic (48 bytes);
- a 40-byte object with two polymorphic bases, kept as its second base, start + 16:
  still reachable through the multipleinheritance heuristic;
- a string of 40 chars (41 bytes), a vector of 10 ints (40 bytes) and a map of 3 ints
  (3 nodes of 40 bytes) in a global never destroyed: still reachable;
- the same in a new'd 104-byte struct whose pointer is dropped: the struct definitely
  lost, its 5 container blocks (201 bytes) indirectly lost.

valgrind: definitely lost 104 bytes in 1 blocks, indirectly lost 201 bytes in 5 blocks,
still reachable 289 bytes in 7 blocks (newarray 48 bytes in 1 block, multipleinheritance
40 bytes in 1 block); the libstdc++ emergency pool is freed before the check.
"""

import lsharness as h
import reach_common as rc

ctx = h.context()
rep = rc.run(ctx, "reach_cxx", env={"LEAKSHIM_EXITCODE": "23"})
h.eq(rep["libc_released"], True, "libc_released")
rc.check_groups(rep, "make_array()", [("reachable", 48, 1)])
rc.check_groups(rep, "make_both()", [("reachable", 40, 1)])
rc.check_groups(rep, "keep_containers()", [("reachable", 41, 1), ("reachable", 40, 1),
                                           ("reachable", 120, 3)])
rc.check_groups(rep, "leak_containers()", [("definite", 104, 1), ("indirect", 41, 1),
                                           ("indirect", 40, 1), ("indirect", 120, 3)])
rc.check_totals(rep, definite=(104, 1), indirect=(201, 5), reachable=(289, 7))
rc.check_status(rep, 23)
h.done()
