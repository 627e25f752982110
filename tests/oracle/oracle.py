"""oracle - cross-check leakshim's exit report against valgrind memcheck on one workload.

A check script describes a workload and calls check():

    import oracle
    ctx = oracle.context()      # parses --lib, --valgrind, --program
    w = oracle.Workload("sqlite3", [ctx.program, "db"], stdin_path=..., expect_stdout=...)
    oracle.check(ctx, w)

check() runs the workload in one directory, emptied before each run, with stdin read
from a file and stdout and stderr written to files:

  1. untraced: it must exit 0, print nothing on stderr and print expect_stdout;
  2. under libleakshim.so, twice: the same output, and the same counts both times
     (a run that does not repeat itself cannot be compared with anything);
  3. under valgrind memcheck: the same output; its log is parsed.

It then asserts that leakshim counts what valgrind counts, exactly:

    total_allocations      == "total heap usage: X allocs"
    total_frees            == "total heap usage: ... Y frees"
    live_bytes, live_blocks == "in use at exit: A bytes in B blocks"

and that the report's stacks, as (bytes, blocks) pairs, are valgrind's loss records
merged by stack (valgrind splits one stack into a record per leak kind).

What keeps the two tools' runs the same program run (each was measured):
- valgrind.bin, not Debian's /usr/bin/valgrind wrapper: the wrapper exports
  LD_LIBRARY_PATH=/usr/lib/debug, GLIBCXX_FORCE_NEW and GLIBCPP_FORCE_NEW, and python3
  then makes 7 more allocations than it does under leakshim.
- One environment, built from nothing, with the same variable names in every run: only
  LD_PRELOAD's value differs (valgrind sets its own). LEAKSHIM_* is set for valgrind too.
- The same kinds of file on fds 0-2 and valgrind's log in --log-file: python3 makes 2
  more allocations when stderr is a pipe than when it is a file.
- valgrind runs __libc_freeres and __gnu_cxx::__freeres before its summary; leakshim does
  the same, and the report must say so (libc_released), or its live counts include the
  C library's buffers.
- --num-callers is LEAKSHIM_DEPTH + 1: valgrind's first frame is its malloc replacement,
  leakshim's is the caller of malloc, so both cut stacks at the same caller.

What cannot be made the same, and so is not compared: valgrind's heap lies below 4 GiB,
the native heap near 2^46, and CPython turns addresses into objects (json's
circular-reference markers are ints made from object addresses: 28 bytes under valgrind,
32 natively). So "bytes allocated" differs, and a workload whose address-made objects live
until exit or change how often a buffer grows differs in live bytes or counts too
(`python3 -S -c "import decimal"`: 1 allocation and 16 live bytes; a plain counting
preload agrees with leakshim there, not with valgrind). The workloads here avoid that.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

DEPTH = 32
RUN_TIMEOUT_S = 600


class Context:
    def __init__(self, args):
        self.lib = os.path.abspath(args.lib)
        self.valgrind = args.valgrind
        self.program = args.program
        self.tmp = tempfile.mkdtemp(prefix="leakshim-oracle-")
        self.workdir = os.path.join(self.tmp, "work")
        self.report = os.path.join(self.tmp, "report.json")
        self.vglog = os.path.join(self.tmp, "valgrind.log")


def context():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True, help="libleakshim.so")
    ap.add_argument("--valgrind", required=True, help="valgrind.bin (not the Debian wrapper)")
    ap.add_argument("--program", required=True, help="the workload's interpreter or tool")
    args = ap.parse_args()
    ctx = Context(args)
    if not os.path.exists(ctx.lib):
        fail("%s does not exist: build the leakshim target first" % ctx.lib)
    for path, package in ((ctx.valgrind, "valgrind"), (ctx.program, None)):
        if not os.access(path, os.X_OK):
            fail("%s is not installed (apt-get install %s)" % (
                path, package or os.path.basename(path)))
    return ctx


class Workload:
    """argv runs in an empty directory with stdin from stdin_path (or /dev/null) and env
    added to a minimal fixed environment; expect_stdout is its exact output."""

    def __init__(self, name, argv, expect_stdout, stdin_path=os.devnull, env=None):
        self.name = name
        self.argv = argv
        self.expect_stdout = expect_stdout
        self.stdin_path = stdin_path
        self.env = env or {}


class Run:
    def __init__(self, returncode, stdout, stderr):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr


def base_env(ctx, w):
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "HOME": ctx.workdir,
           "LEAKSHIM_FORMAT": "json", "LEAKSHIM_OUTPUT": ctx.report,
           "LEAKSHIM_DEPTH": str(DEPTH)}
    env.update(w.env)
    return env


def run(ctx, w, prefix, env):
    """Runs prefix + w.argv in a freshly emptied ctx.workdir; output goes through files."""
    shutil.rmtree(ctx.workdir, ignore_errors=True)
    os.mkdir(ctx.workdir)
    out_path = os.path.join(ctx.tmp, "stdout")
    err_path = os.path.join(ctx.tmp, "stderr")
    with open(w.stdin_path, "rb") as fin, open(out_path, "wb") as fout, \
            open(err_path, "wb") as ferr:
        proc = subprocess.run(prefix + w.argv, env=env, cwd=ctx.workdir, stdin=fin,
                              stdout=fout, stderr=ferr, timeout=RUN_TIMEOUT_S)
    with open(out_path, errors="replace") as fout, open(err_path, errors="replace") as ferr:
        return Run(proc.returncode, fout.read(), ferr.read())


def expect_same_output(ctx, w, r, how):
    eq(r.returncode, 0, "%s %s: exit status (stderr: %s)" % (w.name, how, r.stderr[-2000:]),
       ctx)
    eq(r.stderr, "", "%s %s: stderr" % (w.name, how), ctx)
    eq(r.stdout, w.expect_stdout, "%s %s: stdout" % (w.name, how), ctx)


def run_untraced(ctx, w):
    env = base_env(ctx, w)
    expect_same_output(ctx, w, run(ctx, w, [], env), "untraced")


def run_shim(ctx, w):
    """One run under libleakshim.so; returns its exit report."""
    if os.path.exists(ctx.report):
        os.unlink(ctx.report)
    env = base_env(ctx, w)
    env["LD_PRELOAD"] = ctx.lib
    expect_same_output(ctx, w, run(ctx, w, [], env), "under leakshim")
    try:
        with open(ctx.report) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail("%s under leakshim: no readable JSON exit report at %s: %s" % (
            w.name, ctx.report, e), ctx)


def run_valgrind(ctx, w):
    """One run under valgrind memcheck; returns its log."""
    prefix = [ctx.valgrind, "--tool=memcheck", "--leak-check=full",
              "--show-leak-kinds=all", "--leak-resolution=high",
              "--num-callers=%d" % (DEPTH + 1), "--run-libc-freeres=yes",
              "--run-cxx-freeres=yes", "--log-file=" + ctx.vglog]
    expect_same_output(ctx, w, run(ctx, w, prefix, base_env(ctx, w)), "under valgrind")
    with open(ctx.vglog) as f:
        return f.read()


def number(text):
    return int(text.replace(",", ""))


def parse_heap_summary(log, ctx):
    """valgrind's HEAP SUMMARY as a dict, or a failure naming the missing line."""
    in_use = re.search(r"in use at exit: ([\d,]+) bytes in ([\d,]+) blocks", log)
    usage = re.search(r"total heap usage: ([\d,]+) allocs, ([\d,]+) frees, ([\d,]+) bytes "
                      r"allocated", log)
    if in_use is None or usage is None:
        fail("valgrind log has no HEAP SUMMARY:\n%s" % log[-3000:], ctx)
    return {"live_bytes": number(in_use.group(1)), "live_blocks": number(in_use.group(2)),
            "allocs": number(usage.group(1)), "frees": number(usage.group(2)),
            "bytes_allocated": number(usage.group(3))}


LOSS_RECORD = re.compile(r"== ([\d,]+)(?: \(([\d,]+) direct, [\d,]+ indirect\))? bytes in "
                         r"([\d,]+) blocks are .* in loss record")
FRAME = re.compile(r"==\s+(?:at|by) (0x[0-9A-Fa-f]+):")


def parse_loss_groups(log):
    """valgrind's loss records merged by stack, as a sorted list of (bytes, blocks). A
    record of a block that points to others counts only its direct bytes: the blocks it
    points to have records of their own."""
    groups = {}
    lines = log.splitlines()
    i = 0
    while i < len(lines):
        m = LOSS_RECORD.search(lines[i])
        i += 1
        if m is None:
            continue
        frames = []
        while i < len(lines) and FRAME.search(lines[i]):
            frames.append(FRAME.search(lines[i]).group(1))
            i += 1
        total = groups.setdefault(tuple(frames), [0, 0])
        total[0] += number(m.group(2) or m.group(1))
        total[1] += number(m.group(3))
    return sorted(tuple(g) for g in groups.values())


def multiset_minus(a, b):
    rest = list(b)
    out = []
    for x in a:
        if x in rest:
            rest.remove(x)
        else:
            out.append(x)
    return out


def report_groups(rep):
    return sorted((s["bytes"], s["blocks"]) for s in rep["stacks"])


def check_report_itself(ctx, w, rep):
    """What the report must say about itself before it can be compared with valgrind."""
    s = rep["summary"]
    eq(rep["reason"], "exit", "%s: report reason" % w.name, ctx)
    eq(rep["libc_released"], True, "%s: libc_released (valgrind runs __libc_freeres)"
       % w.name, ctx)
    eq(s["untracked_frees"], 0, "%s: untracked_frees" % w.name, ctx)
    eq(s["leaked_bytes"], s["live_bytes"], "%s: leaked_bytes (nothing is suppressed)"
       % w.name, ctx)
    eq(s["stacks"], len(rep["stacks"]), "%s: summary.stacks" % w.name, ctx)
    eq(sum(g[0] for g in report_groups(rep)), s["live_bytes"],
       "%s: bytes over all stacks" % w.name, ctx)
    eq(sum(g[1] for g in report_groups(rep)), s["live_blocks"],
       "%s: blocks over all stacks" % w.name, ctx)


def compare(ctx, w, rep, heap, groups):
    s = rep["summary"]
    eq(s["total_allocations"], heap["allocs"], "%s: total_allocations vs valgrind allocs"
       % w.name, ctx)
    eq(s["total_frees"], heap["frees"], "%s: total_frees vs valgrind frees" % w.name, ctx)
    eq(s["live_bytes"], heap["live_bytes"], "%s: live_bytes vs valgrind in use at exit"
       % w.name, ctx)
    eq(s["live_blocks"], heap["live_blocks"], "%s: live_blocks vs valgrind blocks in use"
       % w.name, ctx)
    mine = report_groups(rep)
    if mine != groups:
        fail("%s: stacks as (bytes, blocks) differ from valgrind's loss records merged by "
             "stack: only leakshim %s, only valgrind %s" % (
                 w.name, multiset_minus(mine, groups)[:20], multiset_minus(groups, mine)[:20]),
             ctx)
    # memcheck reports no peak: the peak lies between what is live at exit and all bytes
    # ever allocated. valgrind's total can run a little under the native one (see the
    # top of this file), but the peak is a fraction of it here.
    ok(s["live_bytes"] <= s["peak_live_bytes"] <= heap["bytes_allocated"],
       "%s: peak_live_bytes %d outside [%d, %d]" % (w.name, s["peak_live_bytes"],
                                                     s["live_bytes"],
                                                     heap["bytes_allocated"]), ctx)


def repeatable(rep):
    """The summary less peak_live_bytes. CPython's type attribute cache picks its slot by
    hashing a name string's address and holds the name until the slot is reused, so the
    moment some strings are freed follows their addresses, which ASLR changes each run:
    the peak moves by a few hundred bytes (it repeats under setarch -R); counts do not."""
    s = dict(rep["summary"])
    del s["peak_live_bytes"]
    return s


def check(ctx, w):
    run_untraced(ctx, w)
    rep = run_shim(ctx, w)
    eq(repeatable(run_shim(ctx, w)), repeatable(rep), "%s: summary of a second leakshim run"
       % w.name, ctx)
    check_report_itself(ctx, w, rep)

    log = run_valgrind(ctx, w)
    heap = parse_heap_summary(log, ctx)
    compare(ctx, w, rep, heap, parse_loss_groups(log))

    s = rep["summary"]
    print("%s: %d allocations, %d frees, %d bytes in %d blocks live at exit, %d stacks: "
          "same as valgrind" % (w.name, s["total_allocations"], s["total_frees"],
                                s["live_bytes"], s["live_blocks"], s["stacks"]))
    shutil.rmtree(ctx.tmp, ignore_errors=True)
    print("%s: passed" % os.path.basename(sys.argv[0]))


def fail(msg, ctx=None):
    sys.stderr.write("FAIL: %s\n" % msg)
    if ctx is not None:
        sys.stderr.write("(runs kept in %s)\n" % ctx.tmp)
    sys.exit(1)


def eq(actual, expected, what, ctx=None):
    if actual != expected:
        fail("%s: expected %r, got %r" % (what, expected, actual), ctx)


def ok(cond, what, ctx=None):
    if not cond:
        fail(what, ctx)
