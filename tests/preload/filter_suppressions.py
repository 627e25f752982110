"""LEAKSHIM_SUPPRESSIONS on api_leaks (scanned exit reports): alpha 100, beta 2 x 200,
gamma_one 30, gamma_two 40, file_leak 70 (api_leaks_file.c), lib_leak 50
(libapi_leaks_lib.so) definitely lost; kept 64 still reachable.

The file mixes `#` comments (indented too), blank lines, a `leak:` line, a `*` pattern
anchored both ends, a module and a source file pattern, a malformed `race:` line, a dead
rule, a duplicate of an earlier rule (dead: the first matching rule takes the stack), a
`#` after a pattern (part of it: dead) and a rule matching only the reachable block.
Checked: suppressed_bytes/blocks, the "suppressions" list rule by rule (pattern, line,
stacks, bytes, blocks; 0 for a dead rule), exactly one `leakshim:` stderr line for the
malformed line (naming file and line) with the other rules still read, the status with
LEAKSHIM_EXITCODE (its own once every leak is suppressed), the text report's rule lines.
A rule only counts groups the report lists: by default the reachable block is no leak,
so its rule stays dead; with LEAKSHIM_SHOW_KINDS=all it is listed, and the rule takes it.
A file that cannot be read: one `leakshim:` line, nothing suppressed.
"""

import os

import lsharness as h
import proc_util as u

ctx = h.context()
prog = ctx.prog("api_leaks")
ALL = ["alpha", "beta=2", "gamma_one", "gamma_two", "file_leak", "lib_leak", "kept",
       "status=7"]
SUPP = os.path.join(ctx.tmp, "app.supp")
LINES = ["# leaks we know about",          # 1
         "   # an indented comment",       # 2
         "leak:alpha",                     # 3  LSan form: 100 in 1
         "^gamma_*$",                      # 4  gamma_one, gamma_two: 70 in 2, 2 stacks
         "",                               # 5
         "libapi_leaks_lib.so",            # 6  module: 50 in 1
         "  */api_leaks_file.c$  ",        # 7  source file, blanks trimmed: 70 in 1
         "race:beta",                      # 8  malformed
         "never_called_function",          # 9  dead
         "leak:alpha",                     # 10 dead: line 3 takes alpha
         "beta # not a comment",           # 11 dead: the # is part of the pattern
         "^keep$"]                         # 12 only the reachable block
with open(SUPP, "w") as f:
    f.write("\n".join(LINES) + "\n")


def run(args, env, supp=SUPP):
    e = {"LEAKSHIM_SUPPRESSIONS": supp, "LEAKSHIM_EXITCODE": "9"}
    e.update(env)
    r = h.run(ctx, [prog] + args, scan=True, env=e)
    return r, r.exit_report()


def rules(rep):
    return [(x["pattern"], x["line"], x["stacks"], x["bytes"], x["blocks"])
            for x in rep["suppressions"]]


def listed(rep):
    return sorted((s["kind"], s["bytes"], s["blocks"], h.functions(s)[1]) for s in rep["stacks"])


def expect_warning(r, line, what):
    h.eq(r.stderr, "leakshim: %s:%d: unknown suppression type \"race\" (only \"leak:\" is "
         "read); line ignored\n" % (SUPP, line), "%s: stderr" % what)


def expected_rules(keep):
    return [("alpha", 3, 1, 100, 1), ("^gamma_*$", 4, 2, 70, 2),
            ("libapi_leaks_lib.so", 6, 1, 50, 1), ("*/api_leaks_file.c$", 7, 1, 70, 1),
            ("never_called_function", 9, 0, 0, 0), ("alpha", 10, 0, 0, 0),
            ("beta # not a comment", 11, 0, 0, 0), ("^keep$", 12) + keep]


# Everything but beta suppressed: beta's 400 bytes fail the run.
r, rep = run(ALL, {})
expect_warning(r, 8, "default kinds")
s = rep["summary"]
h.eq(rules(rep), expected_rules((0, 0, 0)), "suppressions, default kinds")
h.eq((s["suppressed_bytes"], s["suppressed_blocks"]), (290, 5), "suppressed, default kinds")
h.eq((s["leaked_bytes"], s["leaked_blocks"]), (400, 2), "leaked, default kinds")
h.eq((s["definite_bytes"], s["definite_blocks"], s["reachable_bytes"], s["reachable_blocks"]),
     (690, 7, 64, 1), "kind totals count suppressed blocks too")
h.eq(listed(rep), [("definite", 400, 2, "beta")], "stacks, default kinds")
h.eq(r.returncode, 9, "status with beta leaking")

# Listed, the reachable block is taken by its rule; still beta fails the run.
r, rep = run(ALL, {"LEAKSHIM_SHOW_KINDS": "all"})
expect_warning(r, 8, "LEAKSHIM_SHOW_KINDS=all")
h.eq(rules(rep), expected_rules((1, 64, 1)), "suppressions, every kind listed")
s = rep["summary"]
h.eq((s["suppressed_bytes"], s["suppressed_blocks"]), (354, 6), "suppressed, every kind listed")
h.eq(listed(rep), [("definite", 400, 2, "beta")], "stacks, every kind listed")
h.eq(r.returncode, 9, "status, every kind listed")

# Without beta everything leaked is suppressed: the program's own status.
r, rep = run([a for a in ALL if a != "beta=2"], {})
expect_warning(r, 8, "without beta")
s = rep["summary"]
h.eq((s["leaked_bytes"], s["leaked_blocks"], s["suppressed_bytes"], s["suppressed_blocks"]),
     (0, 0, 290, 5), "without beta: leaked, suppressed")
h.eq((rep["stacks"], r.returncode), ([], 7), "without beta: stacks, status")

# The text report lists each rule with what it matched.
r = h.run(ctx, [prog] + ALL, scan=True, fmt="txt", env={"LEAKSHIM_SUPPRESSIONS": SUPP})
text = list(r.texts.values())[0]
for line in ('suppression "alpha" (line 3): 100 bytes in 1 block from 1 stack\n',
             'suppression "^gamma_*$" (line 4): 70 bytes in 2 blocks from 2 stacks\n',
             'suppression "never_called_function" (line 9): 0 bytes in 0 blocks from 0 stacks '
             '(unused)\n',
             'not counted: suppressed 290 bytes in 5 blocks; ignored 0 bytes in 0 blocks; '
             'below LEAKSHIM_MIN_BYTES 0 bytes in 0 blocks\n'):
    h.ok(line in text, "text report lacks %r:\n%s" % (line, text))

# Other malformed lines: one warning each, naming the line; the good rule still counts.
bad_lines = [("leak:", "empty pattern"),
             ("called_from_lib:libfoo.so",
              "unknown suppression type \"called_from_lib\" (only \"leak:\" is read)"),
             ("x" * 1025, "pattern longer than 1024 bytes")]
for bad, why in bad_lines:
    path = os.path.join(ctx.tmp, "bad.supp")
    with open(path, "w") as f:
        f.write("# first\n%s\nalpha\n" % bad)
    r, rep = run(["alpha", "beta"], {}, supp=path)
    h.eq(r.stderr, "leakshim: %s:2: %s; line ignored\n" % (path, why), "%r: stderr" % bad[:30])
    h.eq(rules(rep), [("alpha", 3, 1, 100, 1)], "%r: the rules" % bad[:30])
    h.eq(r.returncode, 9, "%r: status (beta leaks)" % bad[:30])

# A file that cannot be read: one line, nothing suppressed.
missing = os.path.join(ctx.tmp, "missing.supp")
r, rep = run(["alpha"], {}, supp=missing)
h.eq(r.stderr, "leakshim: cannot read suppressions file %s: No such file or directory; "
     "nothing is suppressed\n" % missing, "missing file: stderr")
h.eq((rep["suppressions"], rep["summary"]["leaked_bytes"], r.returncode), ([], 100, 9),
     "missing file: rules, leaked bytes, status")
h.done()
