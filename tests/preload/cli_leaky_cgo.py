"""`leakshim -f json -o ... -- leaky_cgo` finds the C-heap leaks of examples/cgo that a Go
heap profile cannot see: 25 forgotten 64-byte C.CString copies (1600 bytes, allocated by
cgo's _Cfunc__Cmalloc) and 10 48-byte notes from the C function remember_order. Skipped
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
r = c.run_cli_json(ctx, [], [prog])
h.eq(r.returncode, 0, "exit status (stderr: %s)" % r.stderr)
h.eq(r.stdout, "labelled 100 orders, noted 10, checksum f67f9cf5ec09a464\n", "stdout")

# The Go runtime's threads are still running at exit, so the C library keeps its
# buffers and the totals include blocks that are not the example's: check its stacks.
rep = r.exit_report()
h.eq(rep["program"], os.path.realpath(prog), "program")
c.check_counts(rep)

cmalloc = [st for st in rep["stacks"]
           if any((f["function"] or "").endswith("_Cfunc__Cmalloc") for f in st["frames"])]
h.ok(cmalloc, "no stack through _Cfunc__Cmalloc (C.CString)\n" + h.describe(rep))
h.eq((sum(st["bytes"] for st in cmalloc), sum(st["blocks"] for st in cmalloc)), (1600, 25),
     "bytes and blocks from C.CString\n" + h.describe(rep))
for st in cmalloc:
    h.eq(st["owner"], "program", "owner of the C.CString stack")
    h.ok(st["frames"][0]["function"].endswith("_Cfunc__Cmalloc"),
         "innermost frame of the C.CString stack: %r" % st["frames"][0])
    h.eq(st["frames"][0]["module"], os.path.realpath(prog), "module of _Cfunc__Cmalloc")

note = h.stack_by_function(rep, "remember_order")
h.eq((note["bytes"], note["blocks"], note["owner"]), (480, 10, "program"),
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
