"""A frame whose function name is longer than any line buffer (fn_longname.cpp, a
member of a class template over nested maps: 16 KiB and more once demangled) comes out
whole in the text report: the frame line holds the name from `Deep<` to `::make()`, then
the source line and the module, as the JSON report's frame gives them."""

import os

import fn_common as fc
import lsharness as h

ctx = h.context()
prog = ctx.prog("fn_longname")
r = h.run(ctx, [prog])
h.eq(r.returncode, 0, "exit status (stderr: %s)" % r.stderr)
rep = r.exit_report()
s = h.stack_by_function(rep, next(f["function"] for s in rep["stacks"] for f in s["frames"]
                                   if f["function"] and f["function"].endswith("::make()")))
h.eq((s["bytes"], s["blocks"]), (144, 1), "(bytes, blocks) of the tuple")
f = next(f for f in s["frames"] if f["function"].endswith("::make()"))
h.ok(f["function"].startswith("Deep<std::map<") and len(f["function"]) > 16384,
     "the JSON name is whole: %d bytes" % len(f["function"]))
line = fc.marker_line("fn_longname.cpp", "longname")

r = h.run(ctx, [prog], fmt="txt", env={"LEAKSHIM_FORMAT": "text"})
text = next(iter(r.texts.values()))
want = "%s %s:%d (%s+0x" % (f["function"], os.path.realpath(os.path.join(
    fc.SRC_DIR, "fn_longname.cpp")), line, os.path.realpath(prog))
frame_lines = [l[len("    #1 "):] for l in text.splitlines() if l.startswith("    #1 ")]
h.ok(any(l.startswith(want) for l in frame_lines),
     "a whole frame line #1 for %s...::make()" % f["function"][:40])
h.done()
