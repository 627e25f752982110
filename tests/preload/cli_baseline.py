"""`leakshim baseline REPORT.json` writes exactly the leaks of a JSON report as a baseline:
one `bytes TAB blocks TAB functions` line per stack whose kind is a leak kind (every stack
of a report without kinds), equal keys summed, sorted by bytes then key, after a comment
naming the program and pid; to stdout or, with -o, atomically to a file. Bad input stops
it with status 2 and one `leakshim:` line. The shim reads the file back without a warning.

leaky_c leaks 512 bytes in 2 blocks from read_request and 18 in 1 from strdup in
load_config; its 448 bytes in 7 blocks from cache_insert stay reachable through the
global cache_head, so a scanned report leaves them out of the leak kinds (a report from
before the scan, with no kinds, counts them too)."""

import copy
import json
import os
import subprocess

import cli_common as c
import lsharness as h

ctx = h.context()
prog = c.example(ctx, "leaky_c")
LEAKY_C_STDOUT = "inventory-service: served 10 requests, rejected 2, total stock 500\n"
OWN = {"read_request": ["read_request", "handle_request", "main"],
       "cache_insert": ["cache_insert", "cache_get", "handle_request", "main"],
       "load_config": ["load_config", "main"]}  # strdup's own frame comes first


def baseline(args, stdin=None):
    """Runs `leakshim baseline ARGS` and returns the CompletedProcess."""
    return subprocess.run([ctx.cli, "baseline"] + list(args), env=c.clean_env(),
                          input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=60)


def write_json(name, rep):
    path = os.path.join(ctx.tmp, name)
    with open(path, "w") as f:
        json.dump(rep, f)
    return path


def names(stack):
    return ["??" if f["function"] is None else f["function"] for f in stack["frames"]]


def leaky_c_report(args):
    """leaky_c run through `leakshim -f json -o DIR/r.%p.%n.json ARGS --`: its exit report
    and the path of that report."""
    r = c.run_cli_json(ctx, args, [prog])
    h.eq((r.returncode, r.stdout, r.stderr), (0, LEAKY_C_STDOUT, ""),
         "leaky_c %s: status, stdout, stderr" % args)
    rep = r.exit_report()
    return rep, rep["_path"]


def expected_line(rep, fn, nbytes, blocks):
    """The baseline line of leaky_c's stack through fn, after checking that stack in the
    report: its bytes, blocks and program frames are the documented ones, and the frames
    under main (the C runtime's) are whatever the report names."""
    st = h.stack_by_function(rep, fn)
    h.eq((st["bytes"], st["blocks"]), (nbytes, blocks), "stack through %s" % fn)
    got = names(st)
    own = got[1:] if fn == "load_config" else got
    h.eq(own[:len(OWN[fn])], OWN[fn], "program frames of the stack through %s" % fn)
    if fn == "load_config":
        h.ok(got[0] in ("strdup", "__strdup"), "strdup's frame: %r" % got[0])
    return "%d\t%d\t%s\n" % (nbytes, blocks, "\t".join(got))


def header(rep):
    return ("# leakshim baseline: %s, pid %d\n" % (rep["program"], rep["pid"]) +
            "# bytes, blocks, then the stack's functions, innermost first; tab-separated\n")


def check_output(p, want, what):
    h.eq((p.returncode, p.stderr), (0, ""), "%s: status, stderr" % what)
    h.eq(p.stdout, want, "%s: baseline" % what)


def check_refused(p, needle, what):
    h.eq((p.returncode, p.stdout), (2, ""), "%s: status, stdout" % what)
    lines = p.stderr.splitlines()
    h.ok(len(lines) == 1 and lines[0].startswith("leakshim: ") and needle in lines[0],
         "%s: stderr %r should be one 'leakshim: ' line holding %r" % (what, p.stderr, needle))


# The report as the brief's workflow makes it: `leakshim -f json -o DIR/r.%p.%n.json`.
rep, path = leaky_c_report([])
if rep.get("scanned"):
    h.eq(rep["leak_kinds"], ["definite", "indirect"], "default leak_kinds")
    h.eq([s["kind"] for s in rep["stacks"]], ["definite", "definite"], "kinds listed")
    want = header(rep) + expected_line(rep, "read_request", 512, 2) + \
        expected_line(rep, "load_config", 18, 1)
else:  # a report from before the scan: every stack counts
    want = header(rep) + expected_line(rep, "read_request", 512, 2) + \
        expected_line(rep, "cache_insert", 448, 7) + expected_line(rep, "load_config", 18, 1)
check_output(baseline([path]), want, "leaky_c's report")
check_output(baseline(["-"], stdin=open(path).read()), want, "the report on stdin")
default_want = want

# With every kind a leak kind, the reachable cache counts too: all three stacks.
rep, path = leaky_c_report(["-k", "all"])
all_want = header(rep) + expected_line(rep, "read_request", 512, 2) + \
    expected_line(rep, "cache_insert", 448, 7) + expected_line(rep, "load_config", 18, 1)
check_output(baseline([path]), all_want, "-k all")

# Listing the reachable stack does not make it a leak: the baseline stays the default one.
rep, path = leaky_c_report(["--show-kinds", "all"])
if rep.get("scanned"):
    h.eq(h.stack_by_function(rep, "cache_insert")["kind"], "reachable", "cache_insert's kind")
check_output(baseline([path]), header(rep) + default_want.split("\n", 2)[2],
             "--show-kinds all")

# -o FILE: the same text, written through a temporary file renamed into place (0644 less
# the umask), replacing an existing file; a path that cannot be written stops it.
rep, path = leaky_c_report(["-k", "all"])
outdir = os.path.join(ctx.tmp, "out")
os.mkdir(outdir)
out = os.path.join(outdir, "app.baseline")
with open(out, "w") as f:
    f.write("old\n")
p = baseline(["-o", out, path])
h.eq((p.returncode, p.stdout, p.stderr), (0, "", ""), "-o: status, stdout, stderr")
want = header(rep) + all_want.split("\n", 2)[2]
with open(out) as f:
    h.eq(f.read(), want, "-o: the file")
umask = os.umask(0)
os.umask(umask)
h.eq(os.stat(out).st_mode & 0o777, 0o644 & ~umask, "-o: mode")
h.eq(os.listdir(outdir), ["app.baseline"], "-o: files left in the directory")
p = baseline(["--output=" + out, path])
h.eq((p.returncode, open(out).read()), (0, want), "--output=: status, file")
check_refused(baseline(["-o", os.path.join(outdir, "no", "dir"), path]),
              "cannot write %s/no/dir: No such file or directory" % outdir, "-o in no directory")
h.eq(os.listdir(outdir), ["app.baseline"], "after a failed -o: files in the directory")

# The shim reads the baseline back without a word; every leak is known, so -e stays quiet.
# Dropping the strdup line makes those 18 bytes new, and -e 3 fires. (A shim that does
# not read baselines yet writes no over_baseline_* and exits 3 both times.)
r = c.run_cli_json(ctx, ["-k", "all", "-b", out, "-e", "3"], [prog])
h.eq(r.stderr, "", "-b with every leak known: stderr")
s = r.exit_report()["summary"]
if "over_baseline_bytes" in s:
    h.eq((r.returncode, s["over_baseline_bytes"], s["over_baseline_blocks"]), (0, 0, 0),
         "-b with every leak known: status, bytes and blocks over the baseline")
partial = os.path.join(outdir, "partial.baseline")
with open(partial, "w") as f:
    f.write("".join(line for line in want.splitlines(True) if "load_config" not in line))
r = c.run_cli_json(ctx, ["-k", "all", "-b", partial, "-e", "3"], [prog])
h.eq(r.stderr, "", "-b without the strdup line: stderr")
if "over_baseline_bytes" in r.exit_report()["summary"]:
    s = r.exit_report()["summary"]
    h.eq((r.returncode, s["over_baseline_bytes"], s["over_baseline_blocks"]), (3, 18, 1),
         "-b without the strdup line: status, bytes and blocks over the baseline")

# A report written by hand: equal keys (the addresses differ) summed, a frame without a
# name written ??, an empty stack, ties on bytes ordered by key, only the leak kinds
# taken ("unscanned" too: nothing was classified there).
frame = {"address": "0x1", "function": None, "module": "/bin/x", "offset": "0x1",
         "file": None, "line": None}


def stack(nbytes, blocks, kind, *functions):
    frames = [dict(frame, function=fn, address=hex(0x1000 + i + nbytes))
              for i, fn in enumerate(functions)]
    return {"kind": kind, "bytes": nbytes, "blocks": blocks, "owner": "program",
            "frames": frames}


made = {"format": "leakshim", "version": 1, "pid": 77, "program": "/bin/x\nnext",
        "reason": "exit", "scanned": True, "leak_kinds": ["definite", "possible"],
        "stacks": [stack(100, 1, "definite", "big", "main"),
                   stack(10, 1, "definite", "a", None, "main"),
                   stack(30, 2, "possible", "a", None, "main"),
                   stack(40, 5, "definite", "b", "main"),
                   stack(999, 9, "reachable", "reached", "main"),
                   stack(998, 9, "indirect", "inner", "main"),
                   stack(7, 1, "unscanned", "early"),
                   stack(5, 1, "definite"),
                   stack(2**62, 3, "definite", "huge")]}
check_output(baseline([write_json("made.json", made)]),
             "# leakshim baseline: /bin/x?next, pid 77\n"
             "# bytes, blocks, then the stack's functions, innermost first; tab-separated\n"
             "4611686018427387904\t3\thuge\n"
             "100\t1\tbig\tmain\n"
             "40\t3\ta\t??\tmain\n"
             "40\t5\tb\tmain\n"
             "7\t1\tearly\n"
             "5\t1\t\n", "a report made by hand")

# A version-1 report from before the scan (no kinds, no leak_kinds): every stack.
old = copy.deepcopy(made)
del old["leak_kinds"], old["scanned"]
for st in old["stacks"]:
    del st["kind"]
check_output(baseline([write_json("old.json", old)]),
             "# leakshim baseline: /bin/x?next, pid 77\n"
             "# bytes, blocks, then the stack's functions, innermost first; tab-separated\n"
             "4611686018427387904\t3\thuge\n"
             "999\t9\treached\tmain\n"
             "998\t9\tinner\tmain\n"
             "100\t1\tbig\tmain\n"
             "40\t3\ta\t??\tmain\n"
             "40\t5\tb\tmain\n"
             "7\t1\tearly\n"
             "5\t1\t\n", "a report without kinds")
clean = dict(made, stacks=[])
check_output(baseline([write_json("clean.json", clean)]),
             "# leakshim baseline: /bin/x?next, pid 77\n"
             "# bytes, blocks, then the stack's functions, innermost first; tab-separated\n",
             "a report without leaks")

# What is refused, with status 2 and one line.
p = c.run([ctx.cli, "-f", "text", "-o", os.path.join(ctx.tmp, "t.%p.txt"), prog])
h.eq((p.returncode, p.stderr), (0, ""), "leaky_c with a text report: status, stderr")
texts = [f for f in os.listdir(ctx.tmp) if f.startswith("t.") and f.endswith(".txt")]
h.eq(len(texts), 1, "text reports written")
check_refused(baseline([os.path.join(ctx.tmp, texts[0])]),
              "baseline needs a JSON report (LEAKSHIM_FORMAT=json or -f json)", "a text report")
missing = os.path.join(ctx.tmp, "missing.json")
check_refused(baseline([missing]), "cannot read %s: No such file or directory" % missing,
              "a missing report")
check_refused(baseline([ctx.tmp]), "cannot read %s: Is a directory" % ctx.tmp, "a directory")
bad = os.path.join(ctx.tmp, "bad.json")
with open(bad, "w") as f:
    f.write('{"format": "leakshim", "version": 1, "stacks": [')
check_refused(baseline([bad]), "%s is not JSON: " % bad, "cut JSON")
check_refused(baseline([write_json("other.json", {"a": 1})]),
              "is not a leakshim report (no \"format\": \"leakshim\")", "another JSON file")
check_refused(baseline([write_json("list.json", [1])]), "is not a leakshim report", "a list")
check_refused(baseline([write_json("v2.json", dict(made, version=2))]),
              "only version 1 leakshim reports can be read", "version 2")
check_refused(baseline([write_json("nostacks.json", {"format": "leakshim", "version": 1})]),
              "is not a leakshim report (no \"stacks\" list)", "no stacks")
nokinds = dict(made)
del nokinds["leak_kinds"]
check_refused(baseline([write_json("nokinds.json", nokinds)]),
              "stack 1 has a \"kind\" but the report no \"leak_kinds\" list", "no leak_kinds")
badkind = copy.deepcopy(made)
badkind["stacks"][2]["kind"] = 5
check_refused(baseline([write_json("badkind.json", badkind)]),
              "stack 3 has a \"kind\" that is not a string", "a numeric kind")
check_refused(baseline([write_json("badstack.json", dict(made, stacks=[{"bytes": -1}]))]),
              "stack 1 lacks \"bytes\", \"blocks\" or \"frames\"", "a stack without fields")
badfn = copy.deepcopy(made)
badfn["stacks"][1]["frames"][0]["function"] = 12
check_refused(baseline([write_json("badfn.json", badfn)]),
              "stack 2, frame 0: \"function\" is neither a string nor null", "a numeric name")
check_refused(baseline([]), "baseline takes one report", "no report")
check_refused(baseline([path, path]), "baseline takes one report", "two reports")
check_refused(baseline(["-x", path]), "unknown option '-x'", "an unknown option")
check_refused(baseline(["--bogus=1", path]), "unknown option '--bogus'", "an unknown long option")
check_refused(baseline(["-o"]), "option '-o' needs a value", "-o without a value")

p = baseline(["--help"])
h.eq((p.returncode, p.stderr), (0, ""), "baseline --help: status, stderr")
h.ok(p.stdout.startswith("usage: leakshim baseline [-o FILE] REPORT.json\n"),
     "baseline --help: %r" % p.stdout[:80])

# `leakshim -- baseline` runs a program of that name: not the subcommand.
p = c.run([ctx.cli, "-o", os.path.join(ctx.tmp, "x.%p"), "--", "baseline"])
h.eq((p.returncode, p.stdout), (127, ""), "leakshim -- baseline: status, stdout")
h.ok(p.stderr.startswith("leakshim: cannot run baseline: "), "stderr %r" % p.stderr)
h.done()
