"""LEAKSHIM_BASELINE with a file from `leakshim baseline REPORT.json -o FILE`, on api_leaks
(scanned): the baseline run leaks alpha 100, beta 2 x 200, gamma_one 30 (kept's 64 bytes
are reachable: no leak, so not in the file). Every later run has LEAKSHIM_EXITCODE=9 and
ends with status 7 of its own.

- The same leaks: status 7, over_baseline 0, every stack "known", nothing gone or shrunk.
- A new stack (lib_leak 50): status 9, over_baseline (50, 1), that stack "new".
- A known stack leaking more (beta 3 x 200): status 9, over_baseline (200, 1), "grown".
- A known stack leaking nothing (no gamma_one): status 7, listed under "gone" with its
  recorded and seen (0) counts, and on a text line "baseline entry matches no counted leak"; one
  leaking less (beta 1 x 200) is listed under "shrunk".
- A baseline file that cannot be read (missing, a directory): one `leakshim:` line and
  no baseline is used, the documented safe default: every leak counts again (status 9),
  and the report has no "baseline" object and no over_baseline_* fields.
- A malformed line: one `leakshim:` line naming file and line; the other lines count.
"""

import os
import subprocess

import lsharness as h

ctx = h.context()
prog = ctx.prog("api_leaks")
BASE_ARGS = ["alpha", "beta=2", "gamma_one", "kept"]


def run(args, env=None, fmt="json"):
    e = {"LEAKSHIM_EXITCODE": "9"}
    e.update(env or {})
    return h.run(ctx, [prog] + args + ["status=7"], scan=True, env=e, fmt=fmt)


def standing(rep):
    """(bytes, blocks, program function, baseline status) of every listed stack."""
    return [(s["bytes"], s["blocks"], h.functions(s)[1 if s["frames"][0]["function"] ==
                                                     "api_zeroed" else 0], s.get("baseline"))
            for s in rep["stacks"]]


def over(rep):
    s = rep["summary"]
    return (s["over_baseline_bytes"], s["over_baseline_blocks"])


def key_of(rep, fn):
    return "\t".join(h.functions(h.stack_by_function(rep, fn)))


# The baseline, from a report of the first run.
r = run(BASE_ARGS)
h.eq((r.returncode, r.stderr), (9, ""), "first run: status, stderr")
first = r.exit_report()
base = os.path.join(ctx.tmp, "app.baseline")
p = subprocess.run([ctx.cli, "baseline", first["_path"], "-o", base], stdout=subprocess.PIPE,
                   stderr=subprocess.PIPE, text=True, timeout=60)
h.eq((p.returncode, p.stdout, p.stderr), (0, "", ""), "leakshim baseline: status, output")
with open(base) as f:
    lines = [x for x in f.read().splitlines() if not x.startswith("#")]
h.eq(lines, ["400\t2\t" + key_of(first, "beta"), "100\t1\t" + key_of(first, "alpha"),
             "30\t1\t" + key_of(first, "gamma_one")], "baseline lines")
B = {"LEAKSHIM_BASELINE": base}

# The same leaks: known, the program's own status.
r = run(BASE_ARGS, B)
rep = r.exit_report()
h.eq(r.stderr, "", "same leaks: stderr")
h.eq(standing(rep), [(400, 2, "beta", "known"), (100, 1, "alpha", "known"),
                     (30, 1, "gamma_one", "known")], "same leaks: stacks")
h.eq((over(rep), rep["summary"]["leaked_bytes"], r.returncode), ((0, 0), 530, 7),
     "same leaks: over baseline, leaked bytes, status")
h.eq(rep["baseline"], {"path": base, "entries": 3, "gone": [], "shrunk": []},
     "same leaks: baseline object")

# A new stack.
r = run(BASE_ARGS + ["lib_leak"], B)
rep = r.exit_report()
h.eq(r.stderr, "", "new stack: stderr")
h.eq(standing(rep), [(400, 2, "beta", "known"), (100, 1, "alpha", "known"),
                     (50, 1, "lib_leak", "new"), (30, 1, "gamma_one", "known")],
     "new stack: stacks")
h.eq((over(rep), r.returncode), ((50, 1), 9), "new stack: over baseline, status")

# A known stack grown by one block.
r = run(["alpha", "beta=3", "gamma_one"], B)
rep = r.exit_report()
h.eq(standing(rep), [(600, 3, "beta", "grown"), (100, 1, "alpha", "known"),
                     (30, 1, "gamma_one", "known")], "grown: stacks")
h.eq((over(rep), r.returncode), ((200, 1), 9), "grown: over baseline, status")

# gamma_one gone, beta shrunk: the baseline could lose a line and lower another.
r = run(["alpha", "beta=1"], B)
rep = r.exit_report()
h.eq(standing(rep), [(200, 1, "beta", "known"), (100, 1, "alpha", "known")], "gone: stacks")
h.eq((over(rep), r.returncode), ((0, 0), 7), "gone: over baseline, status")
h.eq(rep["baseline"]["gone"], [{"bytes": 30, "blocks": 1, "seen_bytes": 0, "seen_blocks": 0,
                                "key": key_of(first, "gamma_one")}], "gone: gone entries")
h.eq(rep["baseline"]["shrunk"], [{"bytes": 400, "blocks": 2, "seen_bytes": 200,
                                  "seen_blocks": 1, "key": key_of(first, "beta")}],
     "gone: shrunk entries")
r = run(["alpha", "beta=1"], B, fmt="txt")
text = list(r.texts.values())[0]
want = ("baseline entry matches no counted leak (remove it): %s\n"
        % key_of(first, "gamma_one").replace("\t", " <- "))
h.ok(want in text, "text report lacks %r:\n%s" % (want, text))
h.ok("baseline %s: 3 entries; beyond it: 0 bytes in 0 blocks\n" % base in text,
     "text report's baseline line:\n%s" % text)

# A baseline that cannot be read: one line, no baseline, every leak counts.
for path, why in ((os.path.join(ctx.tmp, "missing.baseline"), "No such file or directory"),
                  (ctx.tmp, "Is a directory")):
    r = run(BASE_ARGS, {"LEAKSHIM_BASELINE": path})
    rep = r.exit_report()
    h.eq(r.stderr, "leakshim: cannot read baseline file %s: %s; no baseline loaded\n"
         % (path, why), "%s: stderr" % why)
    h.eq(("baseline" in rep, "over_baseline_bytes" in rep["summary"]), (False, False),
         "%s: baseline object, over_baseline fields" % why)
    h.eq((rep["summary"]["leaked_bytes"], r.returncode), (530, 9), "%s: leaked, status" % why)

# A malformed line is skipped with one line; the rest of the file still counts.
bad = os.path.join(ctx.tmp, "bad.baseline")
with open(base) as f, open(bad, "w") as out:
    text = f.read()
    out.write(text.replace("100\t1\t", "1x0\t1\t"))
alpha_line = [n for n, x in enumerate(text.splitlines(), 1) if x.startswith("100\t")][0]
r = run(BASE_ARGS, {"LEAKSHIM_BASELINE": bad})
rep = r.exit_report()
h.eq(r.stderr, "leakshim: %s:%d: expected <bytes> TAB <blocks> TAB <functions>: bad bytes; "
     "line ignored\n" % (bad, alpha_line), "malformed line: stderr")
h.eq(standing(rep), [(400, 2, "beta", "known"), (100, 1, "alpha", "new"),
                     (30, 1, "gamma_one", "known")], "malformed line: stacks")
h.eq((over(rep), r.returncode), ((100, 1), 9), "malformed line: over baseline, status")
h.done()
