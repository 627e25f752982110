"""`leakshim -f json -o ... -- leaky_cpp` reports exactly the leaks examples/leaky.cpp
documents: the vector's 128 bytes, the 56-byte Session, the string's 32 bytes (all from
open_session) and the 16-byte Counter from make_counter; nothing of libstdc++'s own."""

import os

import cli_common as c
import lsharness as h

ctx = h.context()
prog = c.example(ctx, "leaky_cpp")
r = c.run_cli_json(ctx, [], [prog])
c.check_quiet_success(r, "session oncall-operator@ops.example.org: 10 events, sum 285, "
                      "counter 10\n", "leaky_cpp")

rep = r.exit_report()
h.eq(rep["libc_released"], True, "libc_released (single-threaded program)")
c.check_counts(rep)
s = rep["summary"]
h.eq((s["leaked_bytes"], s["leaked_blocks"], s["stacks"]), (232, 4, 4),
     "leaked bytes, blocks, stacks\n" + h.describe(rep))

# reserve() and operator=() are inlined into open_session, so the line of those calls is
# in a libstdc++ header: only direct `new` has a line of leaky.cpp to check.
want = [(128, "open_session(char const*)", None),
        (56, "open_session(char const*)", "new Session"),
        (32, "open_session(char const*)", None),
        (16, "make_counter(long)", "new Counter{hits, 0}")]
for st, (nbytes, fn, needle) in zip(rep["stacks"], want):
    what = "%d-byte stack of %s" % (nbytes, fn)
    h.eq((st["bytes"], st["blocks"], st["owner"]), (nbytes, 1, "program"), what)
    own = c.program_frames(st, prog)
    h.eq([f["function"] for f in own], [fn, "main"], "%s: program frames" % what)
    if needle is not None:
        c.check_frame(own[0], fn, "leaky.cpp", needle, what)

# Plain `new T` is called straight from the program: operator new is the innermost frame.
for st in rep["stacks"][1], rep["stacks"][3]:
    h.eq(st["frames"][0]["function"], "operator new(unsigned long)", "innermost frame")
    h.ok(os.path.basename(st["frames"][0]["module"]).startswith("libstdc++.so"),
         "operator new's module: %r" % st["frames"][0]["module"])
h.done()
