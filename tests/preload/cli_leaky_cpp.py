"""`leakshim -f json -o ... -- leaky_cpp` reports exactly the leaks examples/leaky.cpp
documents, classified like valgrind memcheck: the 56-byte Session (open_session) and the
16-byte Counter (make_counter) are definitely lost; the vector's 128 bytes and the
string's 32, reachable only through the lost Session, are indirectly lost: 232 bytes in 4
blocks leaked, listed by kind, biggest first; nothing of libstdc++'s own."""

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
h.eq((rep["scanned"], rep["leak_kinds"]), (True, ["definite", "indirect"]),
     "scanned by default, default leak kinds")
c.check_counts(rep)
s = rep["summary"]
h.eq((s["leaked_bytes"], s["leaked_blocks"], s["live_bytes"], s["live_blocks"], s["stacks"]),
     (232, 4, 232, 4, 4), "leaked and live bytes, blocks, stacks\n" + h.describe(rep))
# valgrind --leak-check=full --show-leak-kinds=all gives these same numbers.
h.eq(c.kind_totals(rep), {"definite": (72, 2), "indirect": (160, 2), "possible": (0, 0),
                          "reachable": (0, 0)}, "totals per kind")
h.eq(c.not_counted(rep), c.ZERO_NOT_COUNTED, "suppressed, ignored, below threshold")
h.eq((s["total_allocations"], s["total_frees"]), (7, 3), "allocations, frees")

# reserve() and operator=() are inlined into open_session, so the line of those calls is
# in a libstdc++ header: only direct `new` has a line of leaky.cpp to check.
want = [("definite", 56, "open_session(char const*)", "new Session"),
        ("definite", 16, "make_counter(long)", "new Counter{hits, 0}"),
        ("indirect", 128, "open_session(char const*)", None),
        ("indirect", 32, "open_session(char const*)", None)]
h.eq(c.listed(rep), [(kind, nbytes, 1) for kind, nbytes, _, _ in want], "stacks listed")
for st, (kind, nbytes, fn, needle) in zip(rep["stacks"], want):
    what = "%d-byte stack of %s" % (nbytes, fn)
    h.eq((st["kind"], st["bytes"], st["blocks"], st["owner"]), (kind, nbytes, 1, "program"),
         what)
    own = c.program_frames(st, prog)
    h.eq([f["function"] for f in own], [fn, "main"], "%s: program frames" % what)
    if needle is not None:
        c.check_frame(own[0], fn, "leaky.cpp", needle, what)

# Plain `new T` is called straight from the program: operator new is the innermost frame.
for st in rep["stacks"][0], rep["stacks"][1]:
    h.eq(st["frames"][0]["function"], "operator new(unsigned long)", "innermost frame")
    h.ok(os.path.basename(st["frames"][0]["module"]).startswith("libstdc++.so"),
         "operator new's module: %r" % st["frames"][0]["module"])
h.done()
