"""A SIGALRM handler calls exit(7) while the main thread loops over malloc and free.
docs/limitations.md: when exit() is called from a handler that interrupted malloc, no
exit report is written and one leakshim: line says so. The process must always end with
status 7. Run 60 times: the signal lands inside free() in a good part of the runs, and one
such landing deadlocked the exit report on the stripe lock free() holds."""


import lsharness as h
import atk_util as a

ctx = h.context()
prog = ctx.prog("atk_handler_exit")
for i in range(60):
    r = a.run_bounded(ctx, [prog], "run %d: exit() from a SIGALRM handler" % i, 5)
    h.eq(a.status_text(r.returncode), "exit 7", "run %d: status" % i)
    for line in r.stderr.splitlines():
        h.ok(line.startswith("leakshim:"), "run %d: stray stderr line %r" % (i, line))
    for rep in r.reports:
        h.eq(rep["reason"], "exit", "run %d: reason of the one report" % i)
h.done()
