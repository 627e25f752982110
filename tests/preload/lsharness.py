"""lsharness - run a program under libleakshim.so and check its reports exactly.

Every preload check script does:

    import lsharness as h
    ctx = h.context()                       # parses --lib, --bindir, --cli
    r = h.run(ctx, [ctx.prog("t_malloc")])  # JSON reports into a fresh temp dir
    rep = r.exit_report()
    h.eq(rep["summary"]["leaked_bytes"], 100, "leaked bytes")
    s = h.stack_by_function(rep, "leak_with_malloc")
    h.eq(s["blocks"], 1, "blocks of leak_with_malloc")
    h.done()

A failed check prints what differed and exits 1 at once; h.done() prints one pass line.
"""

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile


_made_dirs = []  # removed by done(); a failed test keeps its reports for a look


class Context:
    def __init__(self, lib, bindir, cli):
        self.lib = os.path.abspath(lib)
        self.bindir = os.path.abspath(bindir)
        self.cli = os.path.abspath(cli) if cli else None
        self.tmp = tempfile.mkdtemp(prefix="leakshim-test-")
        _made_dirs.append(self.tmp)

    def prog(self, name):
        """Absolute path of a test program built beside this test."""
        return os.path.join(self.bindir, name)


def context():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True)
    ap.add_argument("--bindir", required=True)
    ap.add_argument("--cli", default=None)
    args, _ = ap.parse_known_args()
    return Context(args.lib, args.bindir, args.cli)


class Result:
    def __init__(self, proc, outdir):
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.outdir = outdir
        # The process started. Never guess it as the lowest pid: pids wrap at pid_max.
        self.pid = getattr(proc, "pid", None)
        self.reports = []
        self.texts = {}
        self.binaries = []  # gzipped pprof profiles: read them with their own tools
        for path in sorted(glob.glob(os.path.join(outdir, "r.*"))):
            if ".tmp" in os.path.basename(path):
                fail("temporary report file left behind: %s" % path)
            if path.endswith(".gz"):
                self.binaries.append(path)
                continue
            with open(path) as f:
                body = f.read()
            self.texts[path] = body
            if path.endswith(".json"):
                try:
                    rep = json.loads(body)
                except ValueError as e:
                    fail("report %s is not valid JSON: %s\n%s" % (path, e, body[:2000]))
                rep["_path"] = path
                self.reports.append(rep)
        self.reports.sort(key=lambda r: (r["pid"], r["sequence"]))

    def reports_of(self, pid=None, reason=None):
        return [r for r in self.reports
                if (pid is None or r["pid"] == pid) and (reason is None or r["reason"] == reason)]

    def exit_report(self, pid=None):
        """The one exit report (of pid, when given); fails unless there is exactly one."""
        reps = self.reports_of(pid, "exit")
        if len(reps) != 1:
            fail("expected exactly one exit report%s, found %d: %s\nstderr:\n%s" % (
                "" if pid is None else " for pid %d" % pid, len(reps),
                [r["_path"] for r in self.reports], self.stderr))
        return reps[0]


def run(ctx, argv, env=None, fmt="json", output=None, timeout=60, stdin=None, preload=True,
        scan=False, cwd=None):
    """Runs argv under the shim. Reports go to a fresh directory as r.<pid>.<n>.<fmt>
    unless output (a LEAKSHIM_OUTPUT value) is given. env adds to (or, with value None,
    removes from) the inherited environment.

    Without scan, the run sets LEAKSHIM_SCAN=none: tests of tracking then see every live
    block listed and counted as leaked, whatever points to it. scan=True leaves the
    default (the exit report is classified by reachability). cwd: where it starts."""
    outdir = tempfile.mkdtemp(dir=ctx.tmp)
    e = dict(os.environ)
    for k in list(e):
        if k.startswith("LEAKSHIM_"):
            del e[k]
    if preload:
        e["LD_PRELOAD"] = ctx.lib
    e["LEAKSHIM_FORMAT"] = fmt
    if not scan:
        e["LEAKSHIM_SCAN"] = "none"
    e["LEAKSHIM_OUTPUT"] = output if output is not None else os.path.join(
        outdir, "r.%p.%n." + fmt)
    for k, v in (env or {}).items():
        if v is None:
            e.pop(k, None)
        else:
            e[k] = v
    with subprocess.Popen(argv, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.PIPE if stdin is not None else None,
                          text=True, cwd=cwd) as proc:
        try:
            out, err = proc.communicate(input=stdin, timeout=timeout)
        except subprocess.TimeoutExpired as te:
            proc.kill()
            te.stdout, te.stderr = proc.communicate()
            raise
    done = subprocess.CompletedProcess(argv, proc.returncode, out, err)
    done.pid = proc.pid
    return Result(done, outdir)


def stacks_by_function(rep, function):
    """All stacks with a frame whose function is exactly `function`."""
    return [s for s in rep["stacks"]
            if any(f["function"] == function for f in s["frames"])]


def stack_by_function(rep, function):
    """The one stack with a frame named `function`; fails unless there is exactly one."""
    found = stacks_by_function(rep, function)
    if len(found) != 1:
        fail("expected one stack through %s, found %d in %s" % (function, len(found),
                                                                 describe(rep)))
    return found[0]


def functions(stack):
    return [f["function"] for f in stack["frames"]]


def describe(rep):
    """A short text form of a report, for failure messages."""
    lines = ["reason=%s summary=%s" % (rep.get("reason"), rep.get("summary"))]
    for s in rep.get("stacks", [])[:20]:
        lines.append("  %d bytes in %d blocks: %s" % (s["bytes"], s["blocks"],
                                                     " <- ".join(map(str, functions(s)[:6]))))
    return "\n".join(lines)


def line_holding(path, needle):
    """1-based number of the one line of the file at path that contains needle (a string,
    or a compiled regular expression); fails unless exactly one line does."""
    found = needle.search if hasattr(needle, "search") else (lambda text: needle in text)
    with open(path) as f:
        hits = [n for n, text in enumerate(f, 1) if found(text)]
    eq(len(hits), 1, "lines of %s holding %r" % (path, needle))
    return hits[0]


def fail(msg):
    sys.stderr.write("FAIL: %s\n" % msg)
    sys.exit(1)


def eq(actual, expected, what):
    if actual != expected:
        fail("%s: expected %r, got %r" % (what, expected, actual))


def ok(cond, what):
    if not cond:
        fail(what)


def done():
    for d in _made_dirs:
        shutil.rmtree(d, ignore_errors=True)
    print("%s: passed" % os.path.basename(sys.argv[0]))
    sys.exit(0)
