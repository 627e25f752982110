"""The shim leaves the traced program's stdin, stdout, stderr and exit status alone
(fn_passthrough.c, which exits 7), with the report in a file and on stderr.
"""

import re

import fn_common as fc
import lsharness as h

PROG = "fn_passthrough"
STDIN = "hello\nworld\n"
STDOUT = "HELLO\nWORLD\n" + \
    "".join("line %d of the passthrough check\n" % i for i in range(5000)) + \
    "atexit: bye\ndestructor: bye\n"
STDERR = "passthrough: to stderr\n"


def run_plain(ctx):
    """The program without the shim: the reference the shimmed runs must equal."""
    r = h.run(ctx, [ctx.prog(PROG)], stdin=STDIN, preload=False)
    h.eq((r.returncode, r.stderr), (7, STDERR), "status and stderr without the shim")
    h.eq(r.stdout, STDOUT, "stdout without the shim")
    h.eq(r.reports, [], "reports without the shim")
    return r


def output_unchanged(ctx):
    plain = run_plain(ctx)
    r = h.run(ctx, [ctx.prog(PROG)], stdin=STDIN)
    h.eq(r.returncode, plain.returncode, "exit status under the shim")
    h.eq(r.stderr, plain.stderr, "stderr under the shim")
    h.ok(r.stdout == plain.stdout, "stdout under the shim differs: %d bytes, ends %r" % (
        len(r.stdout), r.stdout[-80:]))

    # stdin's and stdout's buffers (both pipes) come and go with the libc release.
    rep = r.exit_report()
    fc.check_summary(rep, leaked_bytes=123, leaked_blocks=1, total_allocations=3,
                     total_frees=2, stacks=1)
    fc.check_stack(ctx, rep, "leak_for_passthrough", 123, 1, PROG, PROG + ".c",
                   "passthrough")


def report_to_stderr(ctx):
    plain = run_plain(ctx)
    r = h.run(ctx, [ctx.prog(PROG)], stdin=STDIN, fmt="text",
              env={"LEAKSHIM_OUTPUT": None})
    h.eq(r.returncode, plain.returncode, "exit status with the report on stderr")
    h.ok(r.stdout == plain.stdout, "stdout with the report on stderr differs")
    h.ok(r.stderr.startswith(STDERR), "stderr does not start with the program's line: %r"
         % r.stderr[:200])
    summary = [line for line in r.stderr.split("\n") if line.startswith("SUMMARY:")]
    h.eq(len(summary), 1, "SUMMARY lines on stderr")
    h.ok(re.match(r"SUMMARY: leaked 123 bytes in 1 blocks? from 1 stacks?; ", summary[0]),
         "summary line: %r" % summary[0])


CASES = {"passthrough_output_unchanged": output_unchanged,
         "passthrough_report_to_stderr": report_to_stderr}


def main():
    ctx = h.context()
    CASES[fc.case(CASES)](ctx)
    h.done()


main()
