"""`leakshim -f json -o ... -- leaky_cgo` finds the C-heap leaks of examples/cgo that a Go
heap profile cannot see, definitely lost like valgrind memcheck says: 25 forgotten 64-byte
C.CString copies (1600 bytes, allocated by cgo's _Cfunc__Cmalloc) and 10 48-byte notes
from the C function remember_order; together exactly the 2080 bytes in 35 blocks leaked.
Go keeps no pointer to any of them. What the C library keeps for the Go runtime's threads
(a DTV per thread, pointed to only past its start) is possibly lost, not a leak. Skipped
(status 77) only when Go is not installed, so the example could not be built."""

import os
import shutil
import sys

import cli_common as c
import lsharness as h

ctx = h.context()
if not os.path.exists(os.path.join(os.path.dirname(ctx.cli), "leaky_cgo")) \
        and shutil.which("go") is None:
    print("cli_leaky_cgo: skipped: go is not installed")
    sys.exit(77)
prog = c.example(ctx, "leaky_cgo")


def stale_copy_kept_some(rep):
    """True when the only difference from the expected leaks is that some of the labels or
    notes are still reachable: Go's runtime threads cannot be stopped, and the live frames
    of an idle one (its scheduler loop on the thread's own stack) can hold, in slots
    written by an earlier cgo call, a stale copy of a label's address. About 1 run in
    200 on a loaded machine; valgrind, which skips unwritten words, never sees it."""
    s = rep["summary"]
    missing = (2080 - s["leaked_bytes"], 35 - s["leaked_blocks"])
    return 0 < missing[1] <= 2 and missing[0] in (64 * missing[1], 48 * missing[1]) and \
        s["reachable_blocks"] >= missing[1] and s["indirect_blocks"] == 0


for attempt in (1, 2):  # a second run only after the one known, rare, stale copy
    r = c.run_cli_json(ctx, [], [prog])
    h.eq(r.returncode, 0, "exit status (stderr: %s)" % r.stderr)
    h.eq(r.stdout, "labelled 100 orders, noted 10, checksum f67f9cf5ec09a464\n", "stdout")
    if attempt == 2 or not stale_copy_kept_some(r.exit_report()):
        break
    print("cli_leaky_cgo: run 1 kept %d bytes reachable through a stale copy; again"
          % (2080 - r.exit_report()["summary"]["leaked_bytes"]))

# The Go runtime's threads are still running at exit, so the C library keeps its
# buffers and the totals include blocks that are not the example's: check its stacks.
# How many threads the runtime starts varies from run to run, so the possibly lost
# blocks vary too; the leaks do not.
rep = r.exit_report()
h.eq(rep["program"], os.path.realpath(prog), "program")
h.eq((rep["scanned"], rep["leak_kinds"]), (True, ["definite", "indirect"]),
     "scanned by default, default leak kinds")
# Go's runtime handles every real-time signal, so leakshim has none to stop its threads
# with: all of them (at least sysmon) are counted as not stopped and scanned running,
# each from the stack pointer the kernel shows while it waits in a system call.
h.ok(rep["threads_not_stopped"] >= 1, "threads_not_stopped: %r" % rep["threads_not_stopped"])
c.check_counts(rep)
s = rep["summary"]
h.eq((s["leaked_bytes"], s["leaked_blocks"]), (2080, 35), "leaked\n" + h.describe(rep))
h.eq((s["definite_bytes"], s["definite_blocks"], s["indirect_bytes"], s["indirect_blocks"]),
     (2080, 35, 0, 0), "definite and indirect totals")
h.eq(c.not_counted(rep), c.ZERO_NOT_COUNTED, "suppressed, ignored, below threshold")
leaks = [st for st in rep["stacks"] if st["kind"] in ("definite", "indirect")]
h.eq([(st["kind"], st["bytes"], st["blocks"]) for st in leaks],
     [("definite", 1600, 25), ("definite", 480, 10)], "the leaks listed")
others = [st for st in rep["stacks"] if st not in leaks]
# The loader's calloc is an inline wrapper (rtld-malloc.h) with a frame of its own.
for st in others:
    h.eq((st["kind"], st["owner"], h.functions(st)[:2], st["frames"][0].get("inlined")),
         ("possible", "libc", ["calloc", "allocate_dtv"], True),
         "a stack listed besides the leaks")
# Two runtime threads started from the same Go call path share a stack: count blocks.
h.eq((sum(st["bytes"] for st in others), sum(st["blocks"] for st in others)),
     (s["possible_bytes"], s["possible_blocks"]), "possibly lost: the DTV stacks")

cmalloc = [st for st in rep["stacks"]
           if any((f["function"] or "").endswith("_Cfunc__Cmalloc") for f in st["frames"])]
h.ok(cmalloc, "no stack through _Cfunc__Cmalloc (C.CString)\n" + h.describe(rep))
h.eq((sum(st["bytes"] for st in cmalloc), sum(st["blocks"] for st in cmalloc)), (1600, 25),
     "bytes and blocks from C.CString\n" + h.describe(rep))
for st in cmalloc:
    h.eq((st["kind"], st["owner"]), ("definite", "program"), "the C.CString stack")
    h.ok(st["frames"][0]["function"].endswith("_Cfunc__Cmalloc"),
         "innermost frame of the C.CString stack: %r" % st["frames"][0])
    h.eq(st["frames"][0]["module"], os.path.realpath(prog), "module of _Cfunc__Cmalloc")

note = h.stack_by_function(rep, "remember_order")
h.eq((note["kind"], note["bytes"], note["blocks"], note["owner"]),
     ("definite", 480, 10, "program"),
     "remember_order's stack")
h.eq(note["frames"][0]["function"], "remember_order", "innermost frame of the note leak")
h.ok((note["frames"][1]["function"] or "").endswith("_Cfunc_remember_order"),
     "remember_order's caller: %r" % note["frames"][1])
# cgo keeps the preamble's main.go line numbers but names its generated file.
h.ok(os.path.basename(note["frames"][0]["file"] or "") in ("main.go", "main.cgo2.c"),
     "file of remember_order: %r" % note["frames"][0]["file"])
h.eq(note["frames"][0]["line"], c.line_of("cgo/main.go", "malloc(sizeof(*n))"),
     "line of remember_order's malloc")


def go_frame(stack, function):
    """The one frame of stack in the Go function, found above cgo's stack switch."""
    found = [f for f in stack["frames"] if f["function"] == function]
    h.eq(len(found), 1, "frames in %s: %s" % (function, h.functions(stack)))
    return found[0]


# The stacks go on past runtime.asmcgocall into the goroutine, to the Go lines that
# called C.CString and remember_order, then main.main.
main_go = os.path.join(c.EXAMPLES_DIR, "cgo", "main.go")
for st, needle in [(cmalloc[0], "cs := C.CString(label(i))"),
                   (note, "C.remember_order(C.int(i)) != nil")]:
    h.eq(len(cmalloc), 1, "one C.CString stack")
    caller = go_frame(st, "main.labelOrders")
    h.eq((caller["file"], caller["line"]), (main_go, c.line_of("cgo/main.go", needle)),
         "file:line of main.labelOrders")
    go_frame(st, "main.main")
    names = h.functions(st)
    h.ok(names.index("runtime.asmcgocall.abi0") < names.index("main.labelOrders") <
         names.index("main.main"), "frame order: %s" % names)
h.done()
