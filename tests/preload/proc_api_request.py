"""leakshim_report_now() (include/leakshim.h) writes a report with reason "request" and
returns 0 under the shim, from the main thread or another one; without the shim the same
binary gets -1 and runs on normally."""

import lsharness as h
import proc_util as u

ctx = h.context()
prog = ctx.prog("proc_api")  # 3 x 21 (api_leak), request, then 13 (api_leak_after)

r = h.run(ctx, [prog, "main"])
h.eq(r.returncode, 0, "exit status\n" + r.stderr)
u.expect_quiet(r, "request from main")
h.eq(u.value(r.stdout, "rc"), 0, "leakshim_report_now() under the shim")
h.eq(len(r.reports), 2, "reports: the request and the exit report")
req, last = r.reports
h.eq((req["reason"], req["sequence"], req["libc_released"]), ("request", 0, False),
     "reason, sequence, libc_released of the request report")
u.expect_consistent(req)
h.eq((req["summary"]["live_bytes"], req["summary"]["live_blocks"]), (63, 3),
     "live bytes, blocks at the request")
u.expect_stack(req, "api_leak", 63, 3)
u.expect_no_stack(req, "api_leak_after")
h.eq((last["reason"], last["sequence"]), ("exit", 1), "reason, sequence of the exit report")
rep = u.expect_exit_report(r, req["pid"], prog, 76, 4)
u.expect_stack(rep, "api_leak_after", 13, 1)

r = h.run(ctx, [prog, "thread"])
h.eq(r.returncode, 0, "exit status, request from a thread\n" + r.stderr)
u.expect_quiet(r, "request from a thread")
h.eq(u.value(r.stdout, "rc"), 0, "leakshim_report_now() from a thread")
h.eq([(x["reason"], x["sequence"]) for x in r.reports], [("request", 0), ("exit", 1)],
     "reports, request from a thread")
u.expect_stack(r.reports[0], "api_leak", 63, 3)
u.expect_exit_report(r, u.pid_of(r), prog, 76, 4)

r = h.run(ctx, [prog, "main"], preload=False)
h.eq(r.returncode, 0, "exit status without the shim")
h.eq(r.stdout, "rc=-1\n", "stdout without the shim")
h.eq(r.stderr, "", "stderr without the shim")
h.eq(u.files_in(r), [], "report files without the shim")
h.done()
