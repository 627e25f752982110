"""LEAKSHIM_FORMAT=folded: one line per stack, frames outermost first joined by ';', a
space, the live bytes, biggest first, as flame-graph tools read it. over_time exit leaks
leak_big 4096 (calloc) and leak_small 3 x 100 from one call site; churn frees its blocks,
so it has no line. With the default output (stderr) the lines go to stderr."""

import os

import lsharness as h

ctx = h.context()
prog = ctx.prog("over_time")
ROOT = "_start;__libc_start_main;__libc_start_call_main;main;"
EXPECTED = [ROOT + "leak_big 4096", ROOT + "leak_small 300"]

r = h.run(ctx, [prog, "exit"], fmt="folded")
h.eq((r.returncode, r.stdout, r.stderr), (0, "", ""), "status, stdout, stderr")
paths = sorted(r.texts)
h.eq([os.path.basename(p) for p in paths], ["r.%d.0.folded" % r.pid], "one folded report")
h.eq(r.texts[paths[0]].splitlines(), EXPECTED, "folded lines")

r = h.run(ctx, [prog, "exit"], fmt="folded", output="-")
h.eq((r.returncode, r.stdout), (0, ""), "to stderr: status, stdout")
h.eq(r.stderr.splitlines(), EXPECTED, "to stderr: the lines")
h.done()
