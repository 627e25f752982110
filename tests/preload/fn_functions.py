"""Each interposed allocation function, one program per function (fn_<name>.c): the
leaked blocks, the totals and the stack of the leaking call, all exact.

A program leaks `blocks` blocks of `bytes` bytes in all from `function` (through the
call marked `fn-mark: <name>`), allocates and frees others, and uses no stdio, so
its own calls are all the shim sees.
"""

import fn_common as fc
import lsharness as h

# allocs and frees count every successful call; a realloc of a live block is one free
# and one allocation. The contract leaves open whether a realloc is booked as
# free-then-allocate or allocate-then-free, so each program's peak comes from a plain
# allocation that outweighs either order.
CASES = {
    "malloc": dict(function="leak_with_malloc", bytes=144, blocks=3,
                   allocs=8, frees=5, peak=144 + 1000),
    "calloc": dict(function="leak_with_calloc", bytes=240, blocks=2,
                   allocs=6, frees=4, peak=240 + 1000),
    # 2 malloc(16) grown to 300 (2 allocs + 2 reallocs), 3 x (malloc 50, realloc 60,
    # free), malloc(10000) and free.
    "realloc": dict(function="leak_with_realloc", bytes=600, blocks=2,
                    allocs=2 + 2 + 6 + 1, frees=2 + 6 + 1, peak=600 + 10000),
    # 2 malloc(8) grown to 84 bytes, 3 x reallocarray(NULL, 10, 10) and free.
    "reallocarray": dict(function="leak_with_reallocarray", bytes=168, blocks=2,
                         allocs=2 + 2 + 3, frees=2 + 3, peak=168 + 100),
    "posix_memalign": dict(function="leak_with_posix_memalign", bytes=200, blocks=2,
                           allocs=5, frees=3, peak=200 + 3000),
    "aligned_alloc": dict(function="leak_with_aligned_alloc", bytes=288, blocks=3,
                          allocs=5, frees=2, peak=288 + 2048),
    "memalign": dict(function="leak_with_memalign", bytes=100, blocks=2,
                     allocs=4, frees=2, peak=100 + 640),
    # report-format.md: bytes is the size asked for, not glibc's page-rounded size.
    "valloc": dict(function="leak_with_valloc", bytes=60, blocks=2,
                   allocs=3, frees=1, peak=60 + 5000),
    "pvalloc": dict(function="leak_with_pvalloc", bytes=60, blocks=2,
                    allocs=3, frees=1, peak=60 + 5000),
    # malloc_usable_size itself allocates nothing and frees nothing.
    "usable_size": dict(function="leak_for_usable_size", bytes=37, blocks=1,
                        allocs=3, frees=2, peak=37 + 100 + 21),
}


def main():
    ctx = h.context()
    name = fc.case(CASES)
    c = CASES[name]
    prog = "fn_" + name

    _, rep = fc.run_ok(ctx, prog)
    fc.check_summary(rep, leaked_bytes=c["bytes"], leaked_blocks=c["blocks"],
                     live_bytes=c["bytes"], live_blocks=c["blocks"],
                     total_allocations=c["allocs"], total_frees=c["frees"],
                     peak_live_bytes=c["peak"], stacks=1)
    fc.check_stack(ctx, rep, c["function"], c["bytes"], c["blocks"], prog, prog + ".c", name)
    h.done()


main()
