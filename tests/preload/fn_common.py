"""fn_common - helpers shared by the fn_*.py checks (tests/preload/functions.cmake).

Each fn_*.py script holds several small checks; CTest picks one through FN_CASE, the
test's own name, set by fn_case_test() in functions.cmake. Source lines are found from
`fn-mark: NAME` comments in the test programs, never written down here.
"""

import os
import re

import lsharness as h

SRC_DIR = os.path.dirname(os.path.abspath(__file__))


def case(known, prefix="fn_"):
    """The check to run: FN_CASE is the CTest name, prefix + <case>; fails unless <case>
    is one of known."""
    test = os.environ.get("FN_CASE", "")
    name = test[len(prefix):] if test.startswith(prefix) else None
    if name not in known:
        h.fail("FN_CASE=%r is not %s and one of %s" % (test, prefix, sorted(known)))
    return name


def marker_line(src, marker):
    """1-based line of the one `fn-mark: marker` comment in tests/preload/src."""
    pattern = re.compile(r"fn-mark: %s\b" % re.escape(marker))
    return h.line_holding(os.path.join(SRC_DIR, src), pattern)


def run_ok(ctx, prog, args=(), **kw):
    """Runs a test program under the shim; it must exit 0. Returns (result, exit report)."""
    r = h.run(ctx, [ctx.prog(prog)] + list(args), **kw)
    h.eq(r.returncode, 0, "exit status of %s %s (stderr: %s)" % (prog, " ".join(args),
                                                                r.stderr.strip()))
    return r, r.exit_report()


def check_summary(rep, **expected):
    """Exact summary fields, plus what holds for every exit report of a normal program:
    nothing suppressed, leaked == live, libc released, and the stacks adding up to the
    summary. (untracked_frees has its own test, fn_untracked_frees_zero, so one fault
    there does not fail every check.)"""
    s = rep["summary"]
    for key, value in expected.items():
        h.eq(s[key], value, "summary.%s" % key)
    h.eq(rep["reason"], "exit", "reason")
    h.eq(rep["libc_released"], True, "libc_released")
    h.eq((s["suppressed_bytes"], s["suppressed_blocks"]), (0, 0), "suppressed bytes, blocks")
    h.eq((s["leaked_bytes"], s["leaked_blocks"]), (s["live_bytes"], s["live_blocks"]),
         "leaked (bytes, blocks) equal live (bytes, blocks)")
    h.eq(s["stacks"], len(rep["stacks"]), "summary.stacks against the stacks listed")
    h.eq(sum(st["bytes"] for st in rep["stacks"]), s["live_bytes"], "sum of stack bytes")
    h.eq(sum(st["blocks"] for st in rep["stacks"]), s["live_blocks"], "sum of stack blocks")
    h.ok(s["peak_live_bytes"] >= s["live_bytes"], "peak_live_bytes below live_bytes")


def frame_index(stack, function):
    """Index of the first frame named function in stack; fails if there is none."""
    names = h.functions(stack)
    if function not in names:
        h.fail("no frame %r in stack %s" % (function, names))
    return names.index(function)


def check_frame(ctx, stack, function, prog, src, marker, depth=0, outer="main"):
    """In stack, function is the frame at index depth, its file and line are those of the
    `fn-mark: marker` call in src, its module is the program (or shared library) prog,
    and outer (unless None) is a frame further out."""
    i = frame_index(stack, function)
    h.eq(i, depth, "frame index of %s in %s" % (function, h.functions(stack)))
    f = stack["frames"][i]
    h.ok(f["file"] is not None and f["file"].endswith("/" + src),
         "file of %s: expected .../%s, got %r" % (function, src, f["file"]))
    h.ok(os.path.isabs(f["file"]), "file of %s is not absolute: %r" % (function, f["file"]))
    h.eq(f["line"], marker_line(src, marker), "line of the call in %s" % function)
    h.eq(f["module"], os.path.realpath(ctx.prog(prog)), "module of %s" % function)
    h.ok(int(f["offset"], 16) > 0, "offset of %s is not positive" % function)
    if outer is not None:
        h.ok(outer in h.functions(stack)[i + 1:],
             "%s is not an outer frame of %s: %s" % (outer, function, h.functions(stack)))


def check_stack(ctx, rep, function, nbytes, nblocks, prog, src, marker, depth=0,
                outer="main"):
    """The one stack through function has exactly nbytes in nblocks, is the program's,
    and passes check_frame(). Returns it."""
    s = h.stack_by_function(rep, function)
    h.eq((s["bytes"], s["blocks"]), (nbytes, nblocks), "(bytes, blocks) through %s" % function)
    h.eq(s["owner"], "program", "owner of the stack through %s" % function)
    check_frame(ctx, s, function, prog, src, marker, depth, outer)
    return s
