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
  3. under valgrind memcheck: the same output; its log is parsed, and the parse checks
     itself (the loss records of each kind add up to the LEAK SUMMARY line of that kind,
     all of them to "in use at exit", and there are as many as valgrind numbered).

It then asserts that leakshim counts what valgrind counts, exactly:

    total_allocations      == "total heap usage: X allocs"
    total_frees            == "total heap usage: ... Y frees"
    live_bytes, live_blocks == "in use at exit: A bytes in B blocks"
    definite_bytes, _blocks  == LEAK SUMMARY "definitely lost: A bytes in B blocks"
    indirect_*, possible_*, reachable_* == "indirectly lost", "possibly lost",
                                           "still reachable" (heuristics included)

that the report's stacks, as (bytes, blocks) pairs, are valgrind's loss records merged
by stack, and then, kind by kind, that every stack holds what valgrind says it holds:
valgrind prints a loss record per (stack, kind), leakshim a stacks[] entry per (stack,
kind) (LEAKSHIM_SHOW_KINDS=all lists the reachable ones too). The two tools' addresses
differ, so a stack is compared as its profile, {kind: (bytes, blocks)}, and the profiles
of all stacks must be the same multiset; a mismatch is shown by function names. Of a
definitely lost block valgrind prints "T (D direct, I indirect) bytes": D is its own.

The leak kinds also set the exit status: every run has LEAKSHIM_EXITCODE=23. Where
valgrind finds nothing definitely or indirectly lost, leakshim must report leaked_bytes
0 and the program must exit with its own status (0); otherwise leaked_* must be
valgrind's definite + indirect totals and the status 23.

Where the two cannot agree, the workload names the block and the cause in an Allowed
entry: leakshim's kind for that block is replaced by valgrind's before the comparison,
and an Allowed entry that does not apply fails the test (no blanket tolerance).

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
  leakshim's is the caller of malloc, so both cut stacks at the same caller. (For
  operator new valgrind replaces operator new itself, while leakshim's first frame is
  libstdc++'s operator new: a C++ stack deeper than LEAKSHIM_DEPTH would be cut one
  caller earlier by leakshim. cxx_workload's stacks are far shorter.)
- --leak-check-heuristics is left at its default, all: leakshim applies the same four.

What cannot be made the same, and so is not compared: valgrind's heap lies below 4 GiB,
the native heap near 2^46, and CPython turns addresses into objects (json's
circular-reference markers are ints made from object addresses: 28 bytes under valgrind,
32 natively). So "bytes allocated" differs, and a workload whose address-made objects live
until exit or change how often a buffer grows differs in live bytes or counts too
(`python3 -S -c "import decimal"`: 1 allocation and 16 live bytes; a plain counting
preload agrees with leakshim there, not with valgrind). The workloads here avoid that.
Which of valgrind's heuristics reached a block is printed (LEAK SUMMARY) but not
compared: leakshim's report does not say.
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
EXIT_CODE = 23  # LEAKSHIM_EXITCODE in every run: no workload exits 23 by itself
KINDS = ("definite", "indirect", "possible", "reachable")
VALGRIND_KINDS = {"definitely lost": "definite", "indirectly lost": "indirect",
                  "possibly lost": "possible", "still reachable": "reachable"}


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


class Allowed:
    """One block whose kind the two tools cannot agree on, and why.

    stack: function names (as bare() prints them) that appear one after the other,
    innermost first, in the block's leakshim stack (enough of them to name one stack);
    size: the block's bytes; leakshim and valgrind: the kind each tool gives it; cause:
    why they differ. The block must be there with leakshim's kind, or the test fails: a
    difference that went away must be removed here."""

    def __init__(self, stack, size, leakshim, valgrind, cause):
        assert leakshim in KINDS and valgrind in KINDS and leakshim != valgrind
        self.stack = tuple(stack)
        self.size = size
        self.leakshim = leakshim
        self.valgrind = valgrind
        self.cause = cause

    def __str__(self):
        return "%d-byte block at %s: %s in leakshim, %s in valgrind (%s)" % (
            self.size, " < ".join(self.stack), self.leakshim, self.valgrind, self.cause)


class Workload:
    """argv runs in an empty directory with stdin from stdin_path (or /dev/null) and env
    added to a minimal fixed environment; expect_stdout is its exact output; allowed
    lists the blocks leakshim and valgrind classify differently (Allowed)."""

    def __init__(self, name, argv, expect_stdout, stdin_path=os.devnull, env=None,
                 allowed=()):
        self.name = name
        self.argv = argv
        self.expect_stdout = expect_stdout
        self.stdin_path = stdin_path
        self.env = env or {}
        self.allowed = list(allowed)


class Run:
    def __init__(self, returncode, stdout, stderr):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr


def base_env(ctx, w):
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "HOME": ctx.workdir,
           "LEAKSHIM_FORMAT": "json", "LEAKSHIM_OUTPUT": ctx.report,
           "LEAKSHIM_DEPTH": str(DEPTH), "LEAKSHIM_SCAN": "exit",
           "LEAKSHIM_SHOW_KINDS": "all", "LEAKSHIM_EXITCODE": str(EXIT_CODE)}
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


def expect_same_output(ctx, w, r, how, statuses=(0,)):
    ok(r.returncode in statuses, "%s %s: exit status %d, expected one of %s (stderr: %s)" % (
        w.name, how, r.returncode, list(statuses), r.stderr[-2000:]), ctx)
    eq(r.stderr, "", "%s %s: stderr" % (w.name, how), ctx)
    eq(r.stdout, w.expect_stdout, "%s %s: stdout" % (w.name, how), ctx)


def run_untraced(ctx, w):
    env = base_env(ctx, w)
    expect_same_output(ctx, w, run(ctx, w, [], env), "untraced")


def run_shim(ctx, w):
    """One run under libleakshim.so; returns its exit report and exit status (0, or
    EXIT_CODE when it found leaks: which one is checked against valgrind later)."""
    if os.path.exists(ctx.report):
        os.unlink(ctx.report)
    env = base_env(ctx, w)
    env["LD_PRELOAD"] = ctx.lib
    r = run(ctx, w, [], env)
    expect_same_output(ctx, w, r, "under leakshim", statuses=(0, EXIT_CODE))
    try:
        with open(ctx.report) as f:
            return json.load(f), r.returncode
    except (OSError, ValueError) as e:
        fail("%s under leakshim: no readable JSON exit report at %s: %s" % (
            w.name, ctx.report, e), ctx)


def run_valgrind(ctx, w):
    """One run under valgrind memcheck; returns its log. Every kind's loss records are
    printed (--show-leak-kinds=all), one per (stack, kind) (--leak-resolution=high
    keeps stacks apart up to --num-callers); the heuristics stay at their default, all."""
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


SUMMARY_KIND = re.compile(r"==\s+(definitely lost|indirectly lost|possibly lost|"
                          r"still reachable|suppressed): ([\d,]+) bytes in ([\d,]+) blocks")
HEURISTIC = re.compile(r"==\s+(stdstring|length64|newarray|multipleinheritance)\s*: "
                       r"([\d,]+) bytes in ([\d,]+) blocks")


def parse_leak_summary(log, ctx):
    """valgrind's LEAK SUMMARY: {kind: (bytes, blocks)} for the four kinds, and the
    "of which reachable via heuristic" lines as {heuristic: (bytes, blocks)}. A kind
    with no blocks still has its line; suppressed must be 0 (no suppression files). When
    nothing is in use at exit valgrind prints no summary, only that no leak is possible."""
    at = log.find("LEAK SUMMARY:")
    if at < 0 and "All heap blocks were freed -- no leaks are possible" in log:
        return {k: (0, 0) for k in KINDS}, {}  # nothing in use at exit: no summary
    if at < 0:
        fail("valgrind log has no LEAK SUMMARY (was --leak-check=full given?):\n%s"
             % log[-3000:], ctx)
    kinds, heuristics = {}, {}
    for line in log[at:].splitlines()[1:]:
        m = SUMMARY_KIND.search(line)
        h = HEURISTIC.search(line)
        if m is not None:
            kinds[m.group(1)] = (number(m.group(2)), number(m.group(3)))
        elif h is not None:
            heuristics[h.group(1)] = (number(h.group(2)), number(h.group(3)))
        elif "of which reachable via heuristic" not in line and re.search(r"==\s*$", line):
            break  # the blank line that ends the summary
    eq(sorted(kinds), sorted(list(VALGRIND_KINDS) + ["suppressed"]),
       "kinds in valgrind's LEAK SUMMARY", ctx)
    eq(kinds.pop("suppressed"), (0, 0), "valgrind's suppressed bytes and blocks", ctx)
    return {VALGRIND_KINDS[k]: v for k, v in kinds.items()}, heuristics


LOSS_RECORD = re.compile(r"== ([\d,]+)(?: \(([\d,]+) direct, ([\d,]+) indirect\))? bytes in "
                         r"([\d,]+) blocks are (definitely lost|indirectly lost|possibly lost|"
                         r"still reachable) in loss record ([\d,]+) of ([\d,]+)")
FRAME = re.compile(r"==\s+(?:at|by) (0x[0-9A-Fa-f]+): ((.*?)(?: \((?:in )?[^()]*\))?)$")


class Record:
    """One valgrind loss record: kind, the blocks' own bytes, blocks, and its stack as
    frames, the allocation function first, each a list of (address, function, line
    text). valgrind prints a line per inlined call, all with the address of the code they
    were inlined into, innermost first; the last names the function that holds the code,
    as leakshim names it. Direct recursion repeats an address too, but with the same
    lines: a frame ends where its first line comes again."""

    def __init__(self, kind, size, blocks, lines):
        self.kind = kind
        self.bytes = size
        self.blocks = blocks
        self.frames = []
        for address, function, text in lines:
            f = self.frames[-1] if self.frames else None
            if f is None or f[0][0] != address or f[0][2] == text:
                self.frames.append([])
            self.frames[-1].append((address, function, text))

    def addresses(self):
        return tuple(f[0][0] for f in self.frames)

    def functions(self):
        return tuple(f[-1][1] for f in self.frames)


def parse_loss_records(log, ctx):
    """Every loss record, in valgrind's order; checks that they are numbered 1..N."""
    records = []
    lines = log.splitlines()
    i = 0
    while i < len(lines):
        m = LOSS_RECORD.search(lines[i])
        i += 1
        if m is None:
            continue
        eq(number(m.group(6)), len(records) + 1, "valgrind loss record number", ctx)
        total = number(m.group(7))
        frames = []
        while i < len(lines) and FRAME.search(lines[i]):
            f = FRAME.search(lines[i])
            frames.append((f.group(1), f.group(3), f.group(2)))
            i += 1
        own = number(m.group(2) or m.group(1))
        if m.group(2) is not None:
            eq(own + number(m.group(3)), number(m.group(1)),
               "valgrind loss record %d: direct + indirect bytes" % len(records), ctx)
        records.append(Record(VALGRIND_KINDS[m.group(5)], own, number(m.group(4)), frames))
    if records:
        eq(len(records), total, "valgrind's loss record count", ctx)
    return records


class Valgrind:
    """What valgrind said: heap (HEAP SUMMARY), kinds and heuristics (LEAK SUMMARY),
    records (loss records)."""

    def __init__(self, log, ctx):
        self.heap = parse_heap_summary(log, ctx)
        self.kinds, self.heuristics = parse_leak_summary(log, ctx)
        self.records = parse_loss_records(log, ctx)
        self.check_itself(ctx)

    def check_itself(self, ctx):
        """The parse proves itself: records add up to the summaries they come from."""
        for kind in KINDS:
            mine = [r for r in self.records if r.kind == kind]
            eq((sum(r.bytes for r in mine), sum(r.blocks for r in mine)), self.kinds[kind],
               "valgrind's %s loss records against its LEAK SUMMARY" % kind, ctx)
        eq((sum(v[0] for v in self.kinds.values()), sum(v[1] for v in self.kinds.values())),
           (self.heap["live_bytes"], self.heap["live_blocks"]),
           "valgrind's LEAK SUMMARY kinds against in use at exit", ctx)
        h = self.heuristics
        ok(sum(v[0] for v in h.values()) <= self.kinds["reachable"][0],
           "valgrind's heuristic bytes exceed still reachable: %r" % h, ctx)
        seen = set()
        for r in self.records:
            key = (r.addresses(), r.kind)
            ok(key not in seen, "valgrind printed two %s records for one stack %s" % (
                r.kind, r.functions()), ctx)
            seen.add(key)

    def leaked(self):
        return tuple(self.kinds["definite"][i] + self.kinds["indirect"][i] for i in (0, 1))

    def describe(self):
        kinds = ", ".join("%s %d bytes in %d blocks" % (k, self.kinds[k][0], self.kinds[k][1])
                          for k in KINDS)
        heur = ", ".join("%s %d bytes in %d blocks" % (k, v[0], v[1])
                         for k, v in sorted(self.heuristics.items()))
        return "%s; %d loss records%s" % (kinds, len(self.records),
                                          "; via heuristics: " + heur if heur else "")


def valgrind_profiles(vg):
    """{stack addresses: {kind: (bytes, blocks)}} from the loss records."""
    out = {}
    for r in vg.records:
        out.setdefault(r.addresses(), {})[r.kind] = (r.bytes, r.blocks)
    return out


def valgrind_groups(vg):
    """valgrind's loss records merged by stack, as a sorted list of (bytes, blocks). A
    record of a block that points to others counts only its direct bytes: the blocks it
    points to have records of their own."""
    return sorted((sum(v[0] for v in p.values()), sum(v[1] for v in p.values()))
                  for p in valgrind_profiles(vg).values())


def own_frames(entry):
    """The stack's frames one per captured address, as Record.frames groups valgrind's:
    leakshim gives each inlined call a frame of its own ("inlined": true) with the
    address of the function it was inlined into, which follows it. valgrind names
    inlined calls by their short names, leakshim by their linkage names, so they are
    left out of the comparison."""
    return [f for f in entry["frames"] if not f.get("inlined", False)]


def stack_key(entry):
    return tuple(f["address"] for f in own_frames(entry))


def leakshim_profiles(rep):
    """{stack addresses: {kind: [bytes, blocks]}} from the report's stacks[] entries."""
    out = {}
    for s in rep["stacks"]:
        prof = out.setdefault(stack_key(s), {})
        ok(s["kind"] not in prof, "leakshim listed stack %s twice as %s" % (
            leakshim_functions(s), s["kind"]))
        prof[s["kind"]] = [s["bytes"], s["blocks"]]
    return out


def leakshim_functions(entry):
    return tuple(f["function"] or "???" for f in own_frames(entry))  # valgrind's unknown


def report_groups(rep):
    return sorted((sum(v[0] for v in p.values()), sum(v[1] for v in p.values()))
                  for p in leakshim_profiles(rep).values())


def multiset_minus(a, b):
    rest = list(b)
    out = []
    for x in a:
        if x in rest:
            rest.remove(x)
        else:
            out.append(x)
    return out


def check_report_itself(ctx, w, rep):
    """What the report must say about itself before it can be compared with valgrind."""
    s = rep["summary"]
    eq(rep["reason"], "exit", "%s: report reason" % w.name, ctx)
    eq(rep["libc_released"], True, "%s: libc_released (valgrind runs __libc_freeres)"
       % w.name, ctx)
    eq(rep.get("scanned"), True, "%s: scanned (LEAKSHIM_SCAN=exit)" % w.name, ctx)
    eq(rep.get("threads_not_stopped"), 0, "%s: threads_not_stopped" % w.name, ctx)
    eq(rep.get("leak_kinds"), ["definite", "indirect"], "%s: leak_kinds (default)" % w.name,
       ctx)
    eq(s["untracked_frees"], 0, "%s: untracked_frees" % w.name, ctx)
    for field in ("ignored", "suppressed", "below_threshold"):
        eq((s[field + "_bytes"], s[field + "_blocks"]), (0, 0), "%s: %s_bytes, _blocks "
           "(nothing is ignored, suppressed or under a threshold)" % (w.name, field), ctx)
    for unit in ("bytes", "blocks"):
        eq(sum(s["%s_%s" % (k, unit)] for k in KINDS), s["live_" + unit],
           "%s: live_%s against the four kinds" % (w.name, unit), ctx)
        eq(s["leaked_" + unit], s["definite_" + unit] + s["indirect_" + unit],
           "%s: leaked_%s against definite + indirect" % (w.name, unit), ctx)
        for k in KINDS:
            eq(sum(e[unit] for e in rep["stacks"] if e["kind"] == k), s["%s_%s" % (k, unit)],
               "%s: %s over the %s stacks (LEAKSHIM_SHOW_KINDS=all)" % (w.name, unit, k), ctx)
    eq(sorted(set(e["kind"] for e in rep["stacks"]) - set(KINDS)), [],
       "%s: stacks with another kind" % w.name, ctx)
    eq(s["stacks"], len(rep["stacks"]), "%s: summary.stacks" % w.name, ctx)


def apply_allowed(ctx, w, rep):
    """leakshim's profiles and kind totals with each Allowed block moved to valgrind's
    kind; fails when an Allowed block is not there as described."""
    profiles = leakshim_profiles(rep)
    totals = {k: [rep["summary"][k + "_bytes"], rep["summary"][k + "_blocks"]] for k in KINDS}
    names = {stack_key(e): tuple(bare(f) for f in leakshim_functions(e)) for e in rep["stacks"]}
    for a in w.allowed:
        hits = [k for k, p in profiles.items() if contains_run(names[k], a.stack) and
                a.leakshim in p and p[a.leakshim][0] >= a.size and p[a.leakshim][1] >= 1]
        eq(len(hits), 1, "%s: stacks that hold the allowed difference %s" % (w.name, a), ctx)
        p = profiles[hits[0]]
        move(p, a.leakshim, a.valgrind, a.size)
        if p[a.leakshim] == [0, 0]:
            del p[a.leakshim]  # a stack lists no empty kinds
        move(totals, a.leakshim, a.valgrind, a.size)
    return profiles, {k: tuple(v) for k, v in totals.items()}


def move(by_kind, src, dst, size):
    """One block of size bytes from kind src to kind dst."""
    by_kind[src][0] -= size
    by_kind[src][1] -= 1
    dst_total = by_kind.setdefault(dst, [0, 0])
    dst_total[0] += size
    dst_total[1] += 1


def contains_run(seq, run):
    return any(seq[i:i + len(run)] == run for i in range(len(seq) - len(run) + 1))


def frozen(profile):
    return tuple(sorted((k, tuple(v)) for k, v in profile.items()))


def show_profile(profile):
    return ", ".join("%s %d/%d" % (k, v[0], v[1]) for k, v in sorted(profile.items())) or "-"


def signature(functions, skip_alloc):
    """A stack as the program's functions, bare(), down to main: valgrind's first frame is
    its allocator and leakshim's may be libstdc++'s operator new; valgrind shows no frame
    below main (--show-below-main=no)."""
    names = list(functions)[1:] if skip_alloc else list(functions)
    if "main" in names:
        names = names[:names.index("main") + 1]
    while names and names[0].startswith("operator new"):
        names = names[1:]
    return tuple(bare(n) for n in names)


def short_stack(sig):
    return " < ".join(sig[:4])


def bare(function):
    """A C++ function name without its parameter list and template arguments, which both
    tools print alike but at length: "std::vector<int>::push_back(int const&)" ->
    "std::vector<>::push_back"."""
    name = function[:-len(" const")] if function.endswith(" const") else function
    if name.endswith(")"):
        depth = 0
        for i in range(len(name) - 1, 0, -1):
            depth += {")": 1, "(": -1}.get(name[i], 0)
            if depth == 0:
                name = name[:i]
                break
    out, depth = [], 0
    for c in name:
        depth += {"<": 1, ">": -1}.get(c, 0) if not name.startswith("operator") else 0
        if depth == 0 or (depth == 1 and c == "<"):
            out.append(c)
    return "".join(out).replace("(anonymous namespace)::", "")


def kind_mismatches(ls_profiles, ls_sigs, vg_profiles, vg_sigs):
    """Where the profiles differ, as (signature, leakshim profiles, valgrind profiles).

    Stacks are paired by signature where both tools have as many stacks of it (their
    profiles must be the same multiset); the rest, whose names the tools print
    differently (valgrind's strdup is glibc's __strdup to leakshim), are compared as one
    pool. Two stacks with one signature (one function calling the same allocator from
    two lines) are told apart by neither, so a swap of their kinds goes unseen."""
    def by_signature(profiles, sigs):
        out = {}
        for key, p in profiles.items():
            out.setdefault(sigs[key], []).append(frozen(p))
        return {k: sorted(v) for k, v in out.items()}

    ls_by, vg_by = by_signature(ls_profiles, ls_sigs), by_signature(vg_profiles, vg_sigs)
    paired = set(k for k in ls_by if len(ls_by[k]) == len(vg_by.get(k, ())))
    out = [(k, ls_by[k], vg_by[k]) for k in sorted(paired) if ls_by[k] != vg_by[k]]
    pool_ls = [(k, p) for k, ps in ls_by.items() if k not in paired for p in ps]
    pool_vg = [(k, p) for k, ps in vg_by.items() if k not in paired for p in ps]
    only_ls = multiset_minus([p for _, p in pool_ls], [p for _, p in pool_vg])
    only_vg = multiset_minus([p for _, p in pool_vg], [p for _, p in pool_ls])
    for k in sorted(set(k for k, p in pool_ls if p in only_ls) |
                    set(k for k, p in pool_vg if p in only_vg)):
        out.append((k, ls_by.get(k, []), vg_by.get(k, [])))
    return out


def show_mismatches(mismatches):
    return "\n".join("  %s\n    leakshim: %s\n    valgrind: %s" % (
        short_stack(k), "; ".join(show_profile(dict(p)) for p in mine) or "-",
        "; ".join(show_profile(dict(p)) for p in theirs) or "-")
        for k, mine, theirs in mismatches)


def compare(ctx, w, rep, vg):
    s = rep["summary"]
    heap = vg.heap
    eq(s["total_allocations"], heap["allocs"], "%s: total_allocations vs valgrind allocs"
       % w.name, ctx)
    eq(s["total_frees"], heap["frees"], "%s: total_frees vs valgrind frees" % w.name, ctx)
    eq(s["live_bytes"], heap["live_bytes"], "%s: live_bytes vs valgrind in use at exit"
       % w.name, ctx)
    eq(s["live_blocks"], heap["live_blocks"], "%s: live_blocks vs valgrind blocks in use"
       % w.name, ctx)
    mine, groups = report_groups(rep), valgrind_groups(vg)
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


def compare_kinds(ctx, w, rep, vg):
    """Per-kind totals, then per (stack, kind), after the workload's Allowed blocks."""
    ls_profiles, totals = apply_allowed(ctx, w, rep)
    ls_sigs = {stack_key(e): signature(leakshim_functions(e), False) for e in rep["stacks"]}
    vg_sigs = {r.addresses(): signature(r.functions(), True) for r in vg.records}
    why = show_mismatches(kind_mismatches(ls_profiles, ls_sigs, valgrind_profiles(vg),
                                          vg_sigs))
    wrong = [k for k in KINDS if totals[k] != vg.kinds[k]]
    if wrong:
        fail("%s: per-kind totals differ from valgrind's LEAK SUMMARY: %s\nstacks that "
             "differ:\n%s" % (w.name, "; ".join(
                 "%s leakshim %d bytes in %d blocks, valgrind %d in %d" % (
                     (k,) + totals[k] + vg.kinds[k]) for k in wrong), why), ctx)
    if why:
        fail("%s: stacks differ kind by kind from valgrind's loss records:\n%s" % (w.name, why),
             ctx)


def check_exit_status(ctx, w, rep, status, vg):
    """LEAKSHIM_EXITCODE=23 fails the run exactly when valgrind finds definite or
    indirect leaks; a program clean by valgrind keeps its own status and leaks 0 bytes."""
    s = rep["summary"]
    if vg.leaked() == (0, 0):
        eq((s["leaked_bytes"], s["leaked_blocks"]), (0, 0), "%s: leaked_bytes, _blocks of a "
           "program valgrind finds nothing definitely or indirectly lost in" % w.name, ctx)
        eq(status, 0, "%s: exit status under leakshim with LEAKSHIM_EXITCODE=%d and no leaks"
           % (w.name, EXIT_CODE), ctx)
    else:
        eq(status, EXIT_CODE, "%s: exit status under leakshim with LEAKSHIM_EXITCODE=%d and "
           "%d bytes definitely or indirectly lost" % (w.name, EXIT_CODE, vg.leaked()[0]), ctx)


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
    rep, status = run_shim(ctx, w)
    again, again_status = run_shim(ctx, w)
    eq(repeatable(again), repeatable(rep), "%s: summary of a second leakshim run" % w.name,
       ctx)
    eq(again_status, status, "%s: exit status of a second leakshim run" % w.name, ctx)
    check_report_itself(ctx, w, rep)

    vg = Valgrind(run_valgrind(ctx, w), ctx)
    print("%s: valgrind says %s" % (w.name, vg.describe()))
    for a in w.allowed:
        print("%s: allowed difference: %s" % (w.name, a))
    compare(ctx, w, rep, vg)
    compare_kinds(ctx, w, rep, vg)
    check_exit_status(ctx, w, rep, status, vg)

    s = rep["summary"]
    print("%s: %d allocations, %d frees, %d bytes in %d blocks live at exit, %d stacks, "
          "kinds %s, exit status %d: same as valgrind" % (
              w.name, s["total_allocations"], s["total_frees"], s["live_bytes"],
              s["live_blocks"], s["stacks"],
              ", ".join("%s %d/%d" % (k, s[k + "_bytes"], s[k + "_blocks"]) for k in KINDS),
              status))
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


def print_log(path):
    """python3 oracle.py VALGRIND_LOG: what the parser reads in a memcheck log."""
    with open(path) as f:
        vg = Valgrind(f.read(), None)
    print(vg.describe())
    for r in vg.records:
        print("  %-9s %7d bytes in %5d blocks  %s" % (
            r.kind, r.bytes, r.blocks, short_stack(signature(r.functions(), True))))


if __name__ == "__main__":
    print_log(sys.argv[1])
