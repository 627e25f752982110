"""A report symbolizes the stacks by opening the ELF files of the program and libc (and
their separate debug files). Whatever the report leaves open must be close-on-exec, or
every program the traced one later execs inherits leakshim's descriptors (and a daemon
that closed 0..2 finds them taken). The program counts new inheritable descriptors after
leakshim_report_now(): there must be none."""

import lsharness as h
import atk_util as a

ctx = h.context()
r = a.run_bounded(ctx, [ctx.prog("atk_report_fds")], "report then count fds", 30)
h.eq(a.status_text(r.returncode), "exit 0", "status")
h.eq(r.stdout, "leftover=0\n", "descriptors left open and inheritable by the report")
reqs = r.reports_of(reason="request")
h.eq(len(reqs), 1, "request reports")
s = h.stack_by_function(reqs[0], "main")
h.eq((s["bytes"], s["blocks"]), (45, 1), "bytes, blocks from main in the request report")
h.done()
