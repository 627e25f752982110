"""A program leaks 2 x 50 bytes (pre_exec_leak) and execs proc_exec_target, which leaks
3 x 70 bytes (exec_target_leak); LD_PRELOAD and LEAKSHIM_* pass to the new image.

execve replaces the process image without running atexit handlers or destructors, so the
pre-exec image writes no exit report: its live blocks vanish with its heap. The new image
(same pid) loads leakshim afresh and writes the one exit report, numbered from 0, with
only its own blocks. A report the pre-exec image asks for before exec stays on disk."""

import os

import lsharness as h
import proc_util as u

ctx = h.context()
prog = ctx.prog("proc_exec")
target = ctx.prog("proc_exec_target")

# Plain exec: one report in all, the new image's exit report.
r = h.run(ctx, [prog, target, "plain"])
h.eq(r.returncode, 0, "exit status of the exec'ed program\n" + r.stderr)
u.expect_quiet(r, "plain exec")
pid = u.value(r.stdout, "pid")
h.eq(u.files_in(r), ["r.%d.0.json" % pid], "report files after exec")
rep = u.expect_exit_report(r, pid, target, 210, 3)
h.eq(rep["sequence"], 0, "sequence of the new image's exit report")
u.expect_stack(rep, "exec_target_leak", 210, 3)
u.expect_no_stack(rep, "pre_exec_leak")

# Request before exec: the pre-exec image's request report, then the new image's exit
# report, written under the LEAKSHIM_OUTPUT the pre-exec image set for it.
after = os.path.join(ctx.tmp, "exec-after")
os.mkdir(after)
r = h.run(ctx, [prog, target, "request", os.path.join(after, "r.%p.%n.json")])
h.eq(r.returncode, 0, "exit status of the exec'ed program\n" + r.stderr)
u.expect_quiet(r, "exec after a request")
pid = u.value(r.stdout, "pid")
h.eq(u.files_in(r), ["r.%d.0.json" % pid], "files of the pre-exec image")
h.eq(len(r.reports), 1, "reports of the pre-exec image")
pre = r.reports[0]
h.eq((pre["reason"], pre["sequence"], pre["pid"]), ("request", 0, pid),
     "reason, sequence, pid of the pre-exec report")
h.eq(pre["program"], os.path.realpath(prog), "program of the pre-exec report")
u.expect_consistent(pre)
u.expect_stack(pre, "pre_exec_leak", 100, 2)

h.eq(sorted(os.listdir(after)), ["r.%d.0.json" % pid], "files of the new image")
rep = u.expect_exit_report(u.reports_in(after), pid, target, 210, 3)
h.eq(rep["sequence"], 0, "the new image numbers its reports from 0")
u.expect_no_stack(rep, "pre_exec_leak")
h.done()
