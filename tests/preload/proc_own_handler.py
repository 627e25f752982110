"""A program that installs its own SIGUSR2 handler (with sigaction, and with signal) keeps
it: each of its 5 SIGUSR2s runs the handler exactly once, and it exits with its own status
9. Whether leakshim still takes snapshots then is leakshim's choice; it may say so in at
most one "leakshim:" line, and the exit report is still written last."""

import lsharness as h
import proc_util as u

N = 5

ctx = h.context()
prog = ctx.prog("proc_own_handler")

for how in ("sigaction", "signal"):
    r = h.run(ctx, [prog, str(N), how])
    what = "handler installed with %s" % how
    h.eq(r.returncode, 9, "%s: exit status (3: the handler did not run)\n%s"
         % (what, r.stderr))
    h.eq(u.value(r.stdout, "handler_calls"), N, "%s: calls of the program's handler" % what)
    lines = r.stderr.splitlines()
    h.ok(len(lines) <= 1 and all(x.startswith("leakshim:") for x in lines),
         "%s: stderr should be at most one leakshim: line, was %r" % (what, r.stderr))

    pid = u.pid_of(r)
    rep = u.expect_exit_report(r, pid, prog, 77, 1)
    u.expect_stack(rep, "own_leak", 77, 1)
    h.eq(r.reports[-1]["reason"], "exit", "%s: the last report" % what)
    h.eq([x["sequence"] for x in r.reports], list(range(len(r.reports))),
         "%s: sequence numbers" % what)
h.done()
