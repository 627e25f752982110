"""A single-threaded program calls unshare(CLONE_NEWUSER), which the kernel allows only to
single-threaded processes. Without leakshim it succeeds here (else the test is skipped,
status 77); under leakshim with default settings it must still succeed ("ok", status 0):
leakshim's snapshot thread must not make the program multi-threaded in a way it can see."""

import sys

import lsharness as h
import atk_util as a

ctx = h.context()
prog = ctx.prog("atk_unshare")
bare = h.run(ctx, [prog], preload=False, timeout=30)
if bare.returncode != 0:
    print("atk_unshare.py: skipped, unshare(CLONE_NEWUSER) fails here even without "
          "leakshim: %r" % bare.stdout)
    sys.exit(77)
r = a.run_bounded(ctx, [prog], "unshare(CLONE_NEWUSER)", 30)
h.eq((r.stdout, a.status_text(r.returncode)), ("ok\n", "exit 0"),
     "stdout and status of unshare(CLONE_NEWUSER) under leakshim")
rep = r.exit_report()
h.eq((rep["summary"]["live_bytes"], rep["summary"]["live_blocks"]), (19, 1),
     "live bytes, blocks at exit")
h.done()
