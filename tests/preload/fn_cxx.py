"""C++ through libstdc++'s operator new (fn_cxx.cpp). Each check also runs the program
in mode `none`, which allocates nothing itself: libstdc++'s own start-up allocation (its
emergency exception pool) is in both runs, so the difference in totals is exactly the
program's. The `none` run is itself a clean C++ program and must report no leak.
"""

import os

import fn_common as fc
import lsharness as h

PROG, SRC = "fn_cxx", "fn_cxx.cpp"

# The report gives C++ functions demangled, with their parameter types. operator new[]
# is not a frame of its own: libstdc++'s operator new[] tail-calls operator new.
OP_NEW = "operator new(unsigned long)"


def user(name, params=""):
    """The report's name for the test program's C++ function name(params)."""
    return "%s(%s)" % (name, params)


def baseline(ctx):
    _, rep = fc.run_ok(ctx, PROG, ["none"])
    fc.check_summary(rep, leaked_bytes=0, leaked_blocks=0, live_bytes=0, live_blocks=0,
                     stacks=0)
    return rep["summary"]


def stack_with(rep, function, at):
    """The one stack whose frame `at` is function."""
    found = [s for s in rep["stacks"]
             if len(s["frames"]) > at and s["frames"][at]["function"] == function]
    if len(found) != 1:
        h.fail("expected one stack with %s at frame %d, found %d in %s" % (
            function, at, len(found), h.describe(rep)))
    return found[0]


def check_op_new(stack, inner):
    """The innermost frames are libstdc++'s operator new (then new[] for arrays)."""
    h.eq(h.functions(stack)[:len(inner)], inner, "innermost frames")
    for f in stack["frames"][:len(inner)]:
        h.ok(os.path.basename(f["module"]).startswith("libstdc++.so.6"),
             "module of %s: %s" % (f["function"], f["module"]))


def check_leaks(ctx):
    base = baseline(ctx)
    _, rep = fc.run_ok(ctx, PROG, ["leak"])
    # 5 leaked (new int, new int[25], Holder, its string and vector storage); 5 more
    # allocated and deleted (new int, new char[300], Holder, string, vector).
    fc.check_summary(rep, leaked_bytes=4 + 100 + 56 + 101 + 200, leaked_blocks=5,
                     stacks=5, total_allocations=base["total_allocations"] + 10,
                     total_frees=base["total_frees"] + 5)
    h.eq([s["bytes"] for s in rep["stacks"]], [200, 101, 100, 56, 4], "stack bytes, sorted")

    # new and new[] straight from the program: operator new, then the calling function.
    for fn, marker, nbytes in (("leak_with_new", "new", 4), ("leak_with_new_array",
                                "new_array", 100), ("leak_holder", "holder", 56)):
        s = stack_with(rep, user(fn), 1)
        h.eq((s["bytes"], s["blocks"]), (nbytes, 1), "(bytes, blocks) of %s" % fn)
        check_op_new(s, [OP_NEW])
        fc.check_frame(ctx, s, user(fn), PROG, SRC, marker, depth=1)

    # The string and vector storage: operator new, then library and template frames,
    # then the filling function and leak_holder and main.
    for fn, marker, nbytes in (("fill_text", "string", 101), ("fill_numbers", "vector", 200)):
        found = h.stacks_by_function(rep, user(fn, "Holder*"))
        h.eq(len(found), 1, "stacks through %s" % fn)
        s = found[0]
        h.eq((s["bytes"], s["blocks"]), (nbytes, 1), "(bytes, blocks) through %s" % fn)
        check_op_new(s, [OP_NEW])
        i = fc.frame_index(s, user(fn, "Holder*"))
        fc.check_frame(ctx, s, user(fn, "Holder*"), PROG, SRC, marker, depth=i)
        h.eq(h.functions(s)[i + 1], user("leak_holder"), "caller of %s" % fn)


def check_exception(ctx):
    base = baseline(ctx)
    _, rep = fc.run_ok(ctx, PROG, ["throw"])
    # Each throw: __cxa_allocate_exception's block and runtime_error's string, both freed.
    fc.check_summary(rep, leaked_bytes=0, leaked_blocks=0, live_bytes=0, live_blocks=0,
                     stacks=0, total_allocations=base["total_allocations"] + 6,
                     total_frees=base["total_frees"] + 6)


CASES = {"cxx_new_leaks": check_leaks, "cxx_exception_clean": check_exception}


def main():
    ctx = h.context()
    CASES[fc.case(CASES)](ctx)
    h.done()


main()
