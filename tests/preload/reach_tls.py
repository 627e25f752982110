"""Thread-local storage as a root (reach_tls.c), as valgrind memcheck reports it: a
thread blocked for good at exit keeps 64 bytes in the program's static __thread variable
and 128 bytes as its pthread_setspecific value; main keeps 96 bytes in its own copy of
the __thread variable. All three are still reachable. The blocked thread's DTV (a libc
block pointed to 16 bytes in) is possibly lost; its size depends on how many modules
have TLS (the shim has), so only its kind and count are checked.

valgrind: still reachable 288 bytes in 3 blocks (make_tls_block 64, make_specific_block
128, make_main_tls_block 96), possibly lost 288 bytes in 1 blocks (allocate_dtv).
"""

import lsharness as h
import reach_common as rc

ctx = h.context()
rep = rc.run(ctx, "reach_tls", env={"LEAKSHIM_EXITCODE": "23"})
h.eq(rep["threads_at_report"], 2, "threads_at_report")
rc.check_groups(rep, "make_tls_block", [("reachable", 64, 1)])
rc.check_groups(rep, "make_specific_block", [("reachable", 128, 1)])
rc.check_groups(rep, "make_main_tls_block", [("reachable", 96, 1)])

dtv = [s for s in rep["stacks"] if s["kind"] == "possible"]
# allocate_dtv calls the loader's calloc, an inline wrapper (rtld-malloc.h): valgrind
# shows it as a frame too.
h.eq([(h.functions(s)[:2], s["frames"][0].get("inlined"), s["owner"], s["blocks"])
      for s in dtv], [(["calloc", "allocate_dtv"], True, "libc", 1)],
     "the possibly lost groups: the thread's DTV")
rc.check_totals(rep, reachable=(288, 3), possible=rc.sum_groups(dtv))
rc.check_status(rep, 0)
h.done()
