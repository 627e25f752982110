"""LEAKSHIM_EXITCODE replaces the exit status only when the exit report counts leaked
bytes, and never at the cost of the program's buffered stdout (printf without newline or
fflush into a pipe must still arrive). A bad value gets one leakshim: line naming the
variable and keeps the gate on with status 1 (a typo must not pass a leaking CI run); a
clean program keeps its own status."""

import lsharness as h
import proc_util as u

ctx = h.context()
prog = ctx.prog("proc_exitcode")


def check(mode, status, exitcode, want_status, warning=False):
    env = {"LEAKSHIM_EXITCODE": exitcode}
    what = "%s program, own status %d, LEAKSHIM_EXITCODE=%r" % (mode, status, exitcode)
    r = h.run(ctx, [prog, mode, str(status)], env=env)
    h.eq(r.returncode, want_status, "%s: exit status\n%s" % (what, r.stderr))
    h.eq(r.stdout, "proc_exitcode %s status %d" % (mode, status), "%s: stdout" % what)
    if warning:
        u.expect_one_warning(r, "LEAKSHIM_EXITCODE", what)
    else:
        u.expect_quiet(r, what)
    leaked = (50, 1) if mode == "leak" else (0, 0)
    rep = u.expect_exit_report(r, u.pid_of(r), prog, *leaked)
    if mode == "leak":
        u.expect_stack(rep, "leak_for_exitcode", 50, 1)


check("leak", 0, "23", 23)
check("leak", 5, "23", 23)
check("leak", 5, "0", 0)
check("leak", 0, "255", 255)
check("leak", 5, None, 5)
check("clean", 0, "23", 0)  # the stdout buffer is the C library's, released before
check("clean", 5, "23", 5)  # the exit report, so it does not count as a leak
for bad in ("abc", "300", "-1", "23abc", ""):
    check("leak", 5, bad, 1, warning=True)
    check("clean", 5, bad, 5, warning=True)

# With the report on stderr (LEAKSHIM_OUTPUT unset) the status and stdout hold as well.
r = h.run(ctx, [prog, "leak", "0"], env={"LEAKSHIM_EXITCODE": "23", "LEAKSHIM_OUTPUT": None},
          fmt="text")
h.eq(r.returncode, 23, "exit status with the report on stderr")
h.eq(r.stdout, "proc_exitcode leak status 0", "stdout with the report on stderr")
h.ok(r.stderr.startswith("leakshim: exit report, pid "), "text report on stderr: %r"
     % r.stderr[:200])
h.ok(r.stderr.rstrip("\n").splitlines()[-1].startswith("SUMMARY: leaked 50 bytes in 1 block"),
     "summary line on stderr: %r" % r.stderr[-300:])
h.done()
