"""The `leakshim` command's exit statuses: 2 and one `leakshim:` line for a usage error
(the program is not run), 127 when the program or the library cannot be found, 126 when
the program cannot be executed, the program's own status and stdout otherwise, and the
status --exit-code names when the program leaked."""

import os

import cli_common as c
import lsharness as h

ctx = h.context()
prog = c.example(ctx, "leaky_c")
LEAKY_C_STDOUT = "inventory-service: served 10 requests, rejected 2, total stock 500\n"


def check_refused(args, status, needle, what):
    p = c.run([ctx.cli] + args)
    h.eq(p.returncode, status, "%s: exit status" % what)
    h.eq(p.stdout, "", "%s: stdout (the program must not run)" % what)
    first = p.stderr.splitlines()[0] if p.stderr else ""
    h.ok(first.startswith("leakshim: ") and needle in first,
         "%s: first stderr line %r should start 'leakshim: ' and name %r" % (what, first,
                                                                              needle))


check_refused(["--bogus", prog], 2, "--bogus", "unknown long option")
check_refused(["-x", prog], 2, "-x", "unknown short option")
check_refused(["-f", "xml", prog], 2, "xml", "bad --format")
check_refused(["-f", "json,xml", prog], 2, "json,xml", "bad word in a --format list")
check_refused(["-i", "5ms", prog], 2, "5ms", "--interval under 10 ms")
check_refused(["--interval=soon", prog], 2, "soon", "bad --interval")
check_refused(["-d", "0", prog], 2, "--depth", "bad --depth")
check_refused(["--depth=deep", prog], 2, "deep", "bad --depth")
check_refused(["-s", "SIGFOO", prog], 2, "SIGFOO", "bad --signal")
check_refused(["--signal", "KILL", prog], 2, "KILL", "uncatchable --signal")
check_refused(["--exit-code=256", prog], 2, "256", "--exit-code out of range")
check_refused(["-e", "3x", prog], 2, "3x", "--exit-code not a number")
check_refused(["-o"], 2, "-o", "-o without its value")
check_refused([], 2, "program", "no program")
missing = os.path.join(ctx.tmp, "no-such-program")
check_refused(["--", missing], 127, missing, "missing program")
check_refused(["no-such-program-on-path-42"], 127, "no-such-program-on-path-42",
              "missing program on PATH")
check_refused(["--", c.EXAMPLES_DIR + "/leaky.c"], 126, "leaky.c", "not executable")

# LEAKSHIM_LIBRARY names the library; a missing one is refused before anything runs.
p = c.run([ctx.cli, prog], env={"LEAKSHIM_LIBRARY": missing})
h.eq((p.returncode, p.stdout), (127, ""), "missing LEAKSHIM_LIBRARY: status, stdout")
h.ok(p.stderr.startswith("leakshim: ") and missing in p.stderr,
     "missing LEAKSHIM_LIBRARY: stderr %r" % p.stderr)

p = c.run([ctx.cli, "--version"])
h.eq((p.returncode, p.stdout, p.stderr), (0, "leakshim 0.1.0\n", ""), "--version")
p = c.run([ctx.cli, "-h"])
h.eq((p.returncode, p.stderr), (0, ""), "-h: status, stderr")
h.ok(p.stdout.startswith("usage: leakshim [options] [--] program [args...]\n"),
     "-h: usage line: %r" % p.stdout[:80])
for opt in ("--output", "--format", "--exit-code", "--signal", "--depth", "--verbose",
            "--interval", "--timeline"):
    h.ok(opt in p.stdout, "--help does not mention %s" % opt)

# The program's own output and status come through untouched.
plain = c.run([prog])
h.eq((plain.returncode, plain.stdout), (0, LEAKY_C_STDOUT), "leaky_c without leakshim")
r = c.run_cli_json(ctx, [], [prog])
c.check_quiet_success(r, LEAKY_C_STDOUT, "leaky_c under leakshim")

# --exit-code: leaky_c leaks (530 bytes in 3 blocks definitely lost; its reachable
# cache does not count), so it exits 3; the option after the program is its own.
# LEAKSHIM_EXITCODE, inherited, does the same.
for args, env, what in ((["--exit-code", "3"], None, "--exit-code 3"),
                        ([], {"LEAKSHIM_EXITCODE": "3"}, "LEAKSHIM_EXITCODE=3")):
    r = c.run_cli_json(ctx, args, [prog], env=env)
    h.eq((r.returncode, r.stdout, r.stderr), (3, LEAKY_C_STDOUT, ""),
         "%s: status, stdout, stderr" % what)
    rep = r.exit_report()
    s = rep["summary"]
    h.eq((rep["scanned"], s["leaked_bytes"], s["leaked_blocks"], s["reachable_bytes"]),
         (True, 530, 3, 448), "%s: scanned, leaked bytes, blocks, reachable bytes" % what)
# Only the leak kinds count: with possible the one leak kind, nothing leaked, status 0.
r = c.run_cli_json(ctx, ["-e", "3", "-k", "possible"], [prog])
h.eq((r.returncode, r.stdout), (0, LEAKY_C_STDOUT), "-e 3 -k possible: status, stdout")
s = r.exit_report()["summary"]
h.eq((s["leaked_bytes"], s["leaked_blocks"], s["definite_bytes"]), (0, 0, 530),
     "-e 3 -k possible: leaked, definite bytes")
# Unclassified (--scan none), every live block counts: the cache's 448 bytes too.
r = c.run_cli_json(ctx, ["-e", "3", "--scan", "none"], [prog])
h.eq((r.returncode, r.stdout), (3, LEAKY_C_STDOUT), "-e 3 --scan none: status, stdout")
s = r.exit_report()["summary"]
h.eq((s["leaked_bytes"], s["leaked_blocks"]), (978, 10), "-e 3 --scan none: leaked")
script = "printf '%s %s\\n' \"$0\" \"$1\"; exit 5"
r = c.run_cli_json(ctx, [], ["sh", "-c", script, "-e", "x"], dashdash=False)
h.eq((r.returncode, r.stdout), (5, "-e x\n"), "options after the program are its own")
h.done()
