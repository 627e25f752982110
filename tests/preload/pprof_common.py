"""pprof_common - helpers shared by the pprof_*.py checks (tests/preload/pprof.cmake):
run a program under the shim with LEAKSHIM_FORMAT=pprof and read the profiles back with
`go tool pprof`, the reader the format is for, never with a decoder of our own.

A check exits 77 (CTest's SKIP_RETURN_CODE for these tests) when Go is not installed.
"""

import os
import re
import shutil
import subprocess
import sys

import lsharness as h

SRC_DIR = os.path.dirname(os.path.abspath(__file__))


def need_go():
    """The go command; exits 77 (skipped) when there is none."""
    go = shutil.which("go")
    if go is None:
        print("%s: skipped: go is not installed" % os.path.basename(sys.argv[0]))
        sys.exit(77)
    return go


def run_profiles(ctx, argv, name="prof.%n.pb.gz", env=None, scan=False):
    """Runs argv under the shim writing pprof profiles to a fresh directory as `name`
    (LEAKSHIM_OUTPUT, so %n numbers them). The program must exit 0 with nothing on
    stderr. Returns (result, the profile paths sorted by report number)."""
    outdir = os.path.join(ctx.tmp, "profiles-%d" % len(os.listdir(ctx.tmp)))
    os.mkdir(outdir)
    r = h.run(ctx, argv, env=env, fmt="pprof", output=os.path.join(outdir, name), scan=scan)
    h.eq((r.returncode, r.stderr), (0, ""), "exit status, stderr of %s" % " ".join(argv))
    number = re.compile(r"\.(\d+)\.pb\.gz$")
    paths = [os.path.join(outdir, f) for f in os.listdir(outdir)]
    h.ok(all(number.search(p) for p in paths), "only numbered profiles written: %s" % paths)
    return r, sorted(paths, key=lambda p: int(number.search(p).group(1)))


def pprof(ctx, args):
    """stdout of `go tool pprof args`; it must exit 0. Its caches and any file it saves
    go to the test's temp dir."""
    home = os.path.join(ctx.tmp, "home")
    os.makedirs(home, exist_ok=True)
    env = dict(os.environ, HOME=home, GOCACHE=os.path.join(home, "gocache"),
               GOPATH=os.path.join(home, "gopath"), PPROF_TMPDIR=home)
    p = subprocess.run([need_go(), "tool", "pprof"] + args, env=env, capture_output=True,
                       text=True, timeout=120)
    h.eq(p.returncode, 0, "status of go tool pprof %s (stderr: %s)" % (" ".join(args),
                                                                       p.stderr))
    return p.stdout


TOP_ROW = re.compile(r"^\s*(\S+)\s+\S+%\s+\S+%\s+(\S+)\s+\S+%\s+(.+)$")
TOTAL = re.compile(r"^Showing nodes accounting for \S+, \S+ of (\S+) total$")


def number(text):
    """A -top value as an int: "8192B" (with -unit=B) or a count "3"."""
    return int(text[:-1] if text.endswith("B") else text)


def top(ctx, args):
    """`go tool pprof -top` with every node shown and bytes unscaled: (total, {function:
    flat}) for the functions with a flat value (the leaf functions)."""
    out = pprof(ctx, ["-top", "-unit=B", "-nodefraction=0", "-nodecount=1000"] + args)
    totals = [TOTAL.match(line).group(1) for line in out.splitlines() if TOTAL.match(line)]
    h.eq(len(totals), 1, "total lines in\n%s" % out)
    flat = {}
    for line in out.splitlines():
        m = TOP_ROW.match(line)
        if m and m.group(1) != "flat" and number(m.group(1)) != 0:
            flat[m.group(3)] = number(m.group(1))
    return number(totals[0]), flat


def traces(ctx, args):
    """`go tool pprof -traces -lines`: one (value, labels, frames) per sample, frames as
    printed ("leak_a /path/pprof_leaks.c:42", "(inline)" kept), innermost first."""
    out = pprof(ctx, ["-traces", "-lines", "-unit=B"] + args)
    found = []
    for block in out.split("-----------+-------------------------------------------------------")[1:]:
        lines = [l for l in block.splitlines() if l.strip()]
        labels = [l.strip() for l in lines if re.match(r"^\s+\S+:\s", l)]
        body = [l for l in lines if not re.match(r"^\s+\S+:\s", l)]
        if not body:
            continue
        value, first = body[0].split(None, 1)
        found.append((value, labels, [first.strip()] + [l.strip() for l in body[1:]]))
    return found


def src_line(name, mark):
    """1-based line of the `fn-mark: mark` comment in tests/preload/name."""
    return h.line_holding(os.path.join(SRC_DIR, name),
                          re.compile(r"fn-mark: %s\b" % re.escape(mark)))
