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

# reserve() and operator=() are inlined into open_session with the library code under
# them: each inlined call is a frame of its own, named by its demangled linkage name,
# with open_session's address, before open_session itself at the line of the call
# (valgrind lists the same calls, by their short names, at the same lines).
STRING = "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::"
VECTOR_INLINED = [
    "std::__new_allocator<long>::allocate(unsigned long, void const*)",
    "std::allocator_traits<std::allocator<long> >::allocate(std::allocator<long>&, "
    "unsigned long)",
    "std::_Vector_base<long, std::allocator<long> >::_M_allocate(unsigned long)",
    "std::vector<long, std::allocator<long> >::reserve(unsigned long)"]
STRING_INLINED = [STRING + "assign(char const*)", STRING + "operator=(char const*)"]
want = [("definite", 56, [], "open_session(char const*)", "new Session"),
        ("definite", 16, [], "make_counter(long)", "new Counter{hits, 0}"),
        ("indirect", 128, VECTOR_INLINED, "open_session(char const*)",
         "s->events.reserve(16)"),
        ("indirect", 32, STRING_INLINED, "open_session(char const*)", "s->user = user")]
h.eq(c.listed(rep), [(kind, nbytes, 1) for kind, nbytes, _, _, _ in want], "stacks listed")
for st, (kind, nbytes, inlined, fn, needle) in zip(rep["stacks"], want):
    what = "%d-byte stack of %s" % (nbytes, fn)
    h.eq((st["kind"], st["bytes"], st["blocks"], st["owner"]), (kind, nbytes, 1, "program"),
         what)
    own = c.program_frames(st, prog)
    h.eq([(f["function"], f.get("inlined", False)) for f in own],
         [(name, True) for name in inlined] + [(fn, False), ("main", False)],
         "%s: program frames, (function, inlined)" % what)
    h.eq({f["offset"] for f in own[:len(inlined) + 1]}, {own[len(inlined)]["offset"]},
         "%s: inlined frames share %s's offset" % (what, fn))
    c.check_frame(own[len(inlined)], fn, "leaky.cpp", needle, what)

# Plain `new T` is called straight from the program: operator new is the innermost frame.
for st in rep["stacks"][0], rep["stacks"][1]:
    h.eq(st["frames"][0]["function"], "operator new(unsigned long)", "innermost frame")
    h.ok(os.path.basename(st["frames"][0]["module"]).startswith("libstdc++.so"),
         "operator new's module: %r" % st["frames"][0]["module"])
h.done()
