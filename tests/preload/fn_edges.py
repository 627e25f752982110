"""Edge cases of the malloc family, matching glibc 2.36 exactly. The programs
(fn_realloc_edges.c, fn_alloc_edges.c) check glibc's answers themselves and exit 1 on a
mismatch; these checks then pin what the report recorded, which for a failed call is
nothing at all. Every fn_alloc_edges case also leaks one 11-byte sentinel block from
leak_sentinel, so "nothing recorded" is told apart from "nothing tracked".
"""

import fn_common as fc
import lsharness as h

REALLOC = ("fn_realloc_edges", "fn_realloc_edges.c")
OTHER = ("fn_alloc_edges", "fn_alloc_edges.c")

# Summary fields for a run of an fn_alloc_edges case that records nothing but the sentinel.
SENTINEL_ONLY = dict(leaked_bytes=11, leaked_blocks=1, total_allocations=1, total_frees=0,
                     peak_live_bytes=11, stacks=1)

# case -> (program, argv[1], exact summary fields). The contract leaves open whether a
# realloc is booked as free-then-allocate or allocate-then-free, so peak_live_bytes is
# left out where a realloc of a live block decides it.
CASES = {
    "realloc_null_is_malloc": (REALLOC, "null", dict(
        leaked_bytes=70, leaked_blocks=1, total_allocations=1, total_frees=0,
        peak_live_bytes=70, stacks=1)),
    "realloc_zero_frees": (REALLOC, "zero", dict(
        leaked_bytes=0, leaked_blocks=0, total_allocations=1, total_frees=1,
        peak_live_bytes=40, stacks=0)),
    "realloc_grow_one_block": (REALLOC, "grow", dict(
        leaked_bytes=5000, leaked_blocks=1, total_allocations=2, total_frees=1, stacks=1)),
    "realloc_shrink_one_block": (REALLOC, "shrink", dict(
        leaked_bytes=10, leaked_blocks=1, total_allocations=2, total_frees=1, stacks=1)),
    "realloc_fail_keeps_block": (REALLOC, "fail", dict(
        leaked_bytes=32, leaked_blocks=1, total_allocations=1, total_frees=0,
        peak_live_bytes=32, stacks=1)),
    "calloc_overflow_records_nothing": (OTHER, "calloc_overflow", SENTINEL_ONLY),
    "malloc_huge_records_nothing": (OTHER, "malloc_huge", SENTINEL_ONLY),
    "free_null_is_noop": (OTHER, "free_null", SENTINEL_ONLY),
    "posix_memalign_einval_records_nothing": (OTHER, "posix_memalign_einval",
                                              SENTINEL_ONLY),
    # aligned_alloc(64, 128), aligned_alloc(4096, 4096), memalign(256, 10), memalign(32, 1)
    # and posix_memalign(1024, 1), all live at once, then all freed.
    "aligned_results_aligned": (OTHER, "aligned", dict(
        leaked_bytes=11, leaked_blocks=1, total_allocations=6, total_frees=5,
        peak_live_bytes=11 + 128 + 4096 + 10 + 1 + 1, stacks=1)),
    "reallocarray_overflow_keeps_block": (OTHER, "reallocarray_overflow", dict(
        leaked_bytes=11 + 24, leaked_blocks=2, total_allocations=2, total_frees=0,
        peak_live_bytes=35, stacks=2)),
    "malloc_zero_unique_block": (OTHER, "malloc_zero", dict(
        leaked_bytes=11, leaked_blocks=3, total_allocations=4, total_frees=1,
        peak_live_bytes=11, stacks=2)),
    "free_keeps_errno": (OTHER, "free_errno", dict(
        leaked_bytes=11, leaked_blocks=1, total_allocations=2, total_frees=1,
        peak_live_bytes=31, stacks=1)),
}


def check_realloc_stacks(ctx, name, rep):
    prog, src = REALLOC
    if name == "realloc_null_is_malloc":
        fc.check_stack(ctx, rep, "realloc_from_null", 70, 1, prog, src, "realloc_null")
    elif name in ("realloc_grow_one_block", "realloc_shrink_one_block"):
        # The block now belongs to the realloc call; first_alloc's malloc is gone.
        fn, size, mark = (("grow_block", 5000, "grow") if "grow" in name
                          else ("shrink_block", 10, "shrink"))
        fc.check_stack(ctx, rep, fn, size, 1, prog, src, mark)
        h.eq(len(h.stacks_by_function(rep, "first_alloc")), 0, "stacks through first_alloc")
    elif name == "realloc_fail_keeps_block":
        # A failed realloc leaves the block as it was: still first_alloc's.
        s = fc.check_stack(ctx, rep, "first_alloc", 32, 1, prog, src, "first_alloc")
        h.eq(h.functions(s)[1], "realloc_too_big", "caller of first_alloc")


def check_other_stacks(ctx, name, rep):
    prog, src = OTHER
    fc.check_stack(ctx, rep, "leak_sentinel", 11, 1, prog, src, "sentinel")
    if name == "reallocarray_overflow_keeps_block":
        s = fc.check_stack(ctx, rep, "start_array", 24, 1, prog, src, "start_array")
        h.eq(h.functions(s)[1], "reallocarray_overflow", "caller of start_array")
        h.eq(rep["stacks"][0]["bytes"], 24, "the bigger stack is listed first")
    elif name == "malloc_zero_unique_block":
        fc.check_stack(ctx, rep, "leak_zero_blocks", 0, 2, prog, src, "zero")
        h.eq(rep["stacks"][1]["bytes"], 0, "the 0-byte stack is listed last")


def main():
    ctx = h.context()
    name = fc.case(CASES)
    (prog, _), arg, summary = CASES[name]

    _, rep = fc.run_ok(ctx, prog, [arg])
    fc.check_summary(rep, live_bytes=summary["leaked_bytes"],
                     live_blocks=summary["leaked_blocks"], **summary)
    if prog == REALLOC[0]:
        check_realloc_stacks(ctx, name, rep)
    else:
        check_other_stacks(ctx, name, rep)
    h.done()


main()
