"""Start-up and clean programs: allocations in constructors (the program's, and a shared
library's that runs before the shim's own constructor), a program that frees everything
while printing through stdio, in both report formats, and no untracked frees in any
normal program.
"""

import os
import re

import fn_common as fc
import lsharness as h

CLEAN_STDOUT = "".join("block %d: %d bytes\n" % (i, 10 * (i + 1)) for i in range(4)) + \
    "copy: clean\n"
# fn_clean: malloc 10, 20, 30 and 40 bytes, stdout's 4096-byte buffer (stdout is a pipe)
# and strdup("clean"), all live together, all freed: stdout's buffer by the libc release.
CLEAN_TOTALS = dict(total_allocations=6, total_frees=6, peak_live_bytes=100 + 4096 + 6)


def ctor_alloc_before_main(ctx):
    _, rep = fc.run_ok(ctx, "fn_ctor")
    fc.check_summary(rep, leaked_bytes=77, leaked_blocks=1, total_allocations=3,
                     total_frees=2, peak_live_bytes=77 + 33, stacks=1)
    s = fc.check_stack(ctx, rep, "ctor_leak", 77, 1, "fn_ctor", "fn_ctor.c", "ctor",
                       outer=None)
    h.eq(h.functions(s)[1], "early_init", "caller of ctor_leak")
    h.ok("main" not in h.functions(s), "main in a stack from before main: %s" % h.functions(s))


def early_lib_alloc_before_shim(ctx):
    r, rep = fc.run_ok(ctx, "fn_early")
    fc.check_summary(rep, leaked_bytes=65, leaked_blocks=1, total_allocations=2,
                     total_frees=1, peak_live_bytes=65, stacks=1)
    s = fc.check_stack(ctx, rep, "early_lib_leak", 65, 1, "libfn_early_lib.so",
                       "fn_early_lib.c", "early_lib", outer=None)
    h.eq(h.functions(s)[1], "early_lib_init", "caller of early_lib_leak")


def clean_program_no_leak(ctx):
    r, rep = fc.run_ok(ctx, "fn_clean")
    h.eq(r.stdout, CLEAN_STDOUT, "stdout")
    h.eq(r.stderr, "", "stderr")
    fc.check_summary(rep, leaked_bytes=0, leaked_blocks=0, live_bytes=0, live_blocks=0,
                     stacks=0, **CLEAN_TOTALS)
    h.eq(rep["stacks"], [], "stacks")


def untracked_frees_zero(ctx):
    """Programs that free only what they allocated report no untracked frees: C, C with
    stdio, C++, and a stdio stream left open, each with the C library released."""
    runs = [("fn_malloc", []), ("fn_clean", []), ("fn_realloc_edges", ["zero"]),
            ("fn_libc_alloc", ["fopen"]), ("fn_cxx", ["leak"]), ("fn_cxx", ["throw"])]
    for prog, args in runs:
        _, rep = fc.run_ok(ctx, prog, args)
        h.eq(rep["libc_released"], True, "libc_released of %s %s" % (prog, args))
        h.eq(rep["summary"]["untracked_frees"], 0, "untracked_frees of %s %s" % (prog, args))


def clean_program_text_report(ctx):
    r = h.run(ctx, [ctx.prog("fn_clean")], fmt="text", scan=True)
    h.eq((r.returncode, r.stdout, r.stderr), (0, CLEAN_STDOUT, ""), "status, stdout, stderr")
    h.eq(len(r.texts), 1, "report files: %s" % sorted(r.texts))
    path, body = next(iter(r.texts.items()))
    m = re.match(r"r\.(\d+)\.0\.text$", os.path.basename(path))
    h.ok(m is not None, "report file name %s" % path)
    # The header, the blank line after it, the per-kind totals, and SUMMARY last.
    h.eq(body.rstrip("\n").split("\n"), [
        "leakshim: exit report, pid %s, %s" % (m.group(1), os.path.realpath(ctx.prog("fn_clean"))),
        "",
        "by kind: definitely lost 0 bytes in 0 blocks; indirectly lost 0 bytes in 0 blocks; "
        "possibly lost 0 bytes in 0 blocks; still reachable 0 bytes in 0 blocks",
        "not counted: suppressed 0 bytes in 0 blocks; ignored 0 bytes in 0 blocks; "
        "below LEAKSHIM_MIN_BYTES 0 bytes in 0 blocks",
        "SUMMARY: leaked 0 bytes in 0 blocks from 0 stacks; %d allocations, %d frees, "
        "peak live %d bytes" % (CLEAN_TOTALS["total_allocations"], CLEAN_TOTALS["total_frees"],
                                CLEAN_TOTALS["peak_live_bytes"]),
    ], "text report of a clean program")


CASES = {
    "ctor_alloc_before_main": ctor_alloc_before_main,
    "early_lib_alloc_before_shim": early_lib_alloc_before_shim,
    "clean_program_no_leak": clean_program_no_leak,
    "clean_program_text_report": clean_program_text_report,
    "untracked_frees_zero": untracked_frees_zero,
}


def main():
    ctx = h.context()
    CASES[fc.case(CASES)](ctx)
    h.done()


main()
