"""exit() called from an atexit handler: status 5 and one exit report with leak_main's 123
bytes. exit() called from a thread while four others allocate without pause: status 9,
one exit report with leak_exiter's 55 bytes, six program threads at the report and the
C library's buffers kept (libc_released false)."""

import lsharness as h
import atk_util as a

ctx = h.context()
prog = ctx.prog("atk_exit_paths")

r = a.run_bounded(ctx, [prog, "atexit"], "exit() from an atexit handler", 30)
h.eq(a.status_text(r.returncode), "exit 5", "atexit: status")
rep = r.exit_report()
h.eq(len(r.reports), 1, "atexit: reports")
s = h.stack_by_function(rep, "leak_main")
h.eq((s["bytes"], s["blocks"]), (123, 1), "atexit: bytes, blocks of leak_main")
h.eq((rep["summary"]["live_bytes"], rep["libc_released"]), (123, True),
     "atexit: live bytes, libc_released")

r = a.run_bounded(ctx, [prog, "thread"], "exit() from a thread among busy threads", 30)
h.eq(a.status_text(r.returncode), "exit 9", "thread: status")
rep = r.exit_report()
h.eq(len(r.reports), 1, "thread: reports")
s = h.stack_by_function(rep, "leak_exiter")
h.eq((s["bytes"], s["blocks"]), (55, 1), "thread: bytes, blocks of leak_exiter")
h.eq((rep["threads_at_report"], rep["libc_released"]), (6, False),
     "thread: threads_at_report, libc_released")
h.done()
