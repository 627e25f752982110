"""LEAKSHIM_SIGNAL=11 (SIGSEGV by number; the name SEGV is already refused). A snapshot
handler on a fault signal returns to the faulting instruction, which faults again:
a program that would crash instead spins forever writing snapshots. The number must be
refused like the name (one leakshim: line, default signal), and the program must die of
SIGSEGV as it does without leakshim."""

import os

import lsharness as h
import atk_util as a

ctx = h.context()
prog = ctx.prog("atk_segv_signal")
# One report path without %n: a spinning program replaces one file instead of filling
# the disk with snapshots.
out = os.path.join(ctx.tmp, "segv.json")
r = a.run_bounded(ctx, [prog], "a crashing program with LEAKSHIM_SIGNAL=11", 10,
                  env={"LEAKSHIM_SIGNAL": "11"}, output=out)
h.eq(a.status_text(r.returncode), "signal 11", "how the program ended")
lines = [l for l in r.stderr.splitlines() if l.startswith("leakshim:")]
h.eq(len(lines), 1, "leakshim: lines on stderr: %r" % lines)
h.ok("LEAKSHIM_SIGNAL" in lines[0], "the warning names LEAKSHIM_SIGNAL: %r" % lines[0])
h.done()
