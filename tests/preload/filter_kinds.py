"""LEAKSHIM_LEAK_KINDS and LEAKSHIM_SHOW_KINDS on api_check.c (scanned): make_lost 100
and make_head 32 definitely lost, make_node 4 x 48 indirectly lost, make_kept 64 still
reachable. Runs with LEAKSHIM_EXITCODE=23; the program's own status is 0.

- LEAKSHIM_LEAK_KINDS=definite,indirect,reachable: the reachable block counts in leaked_*
  (388 bytes in 7 blocks), in leakshim_check()'s leaked counts, in the SUMMARY line's
  stacks, and is listed; LEAKSHIM_LEAK_KINDS=reachable alone fails the run on it too.
  api_leaks with only its reachable block: status 7 by default, 9 once reachable counts.
- LEAKSHIM_SHOW_KINDS hides a kind that is not a leak kind from the stacks (its totals
  stay in the summary); a leak kind is always listed.
- A bad kind list: one `leakshim:` line naming the variable, and its default.
"""

import lsharness as h
import proc_util as u

ctx = h.context()
prog = ctx.prog("api_check")
LOST, HEAD, NODES, KEPT = (("definite", 100, 1, "make_lost"), ("definite", 32, 1, "make_head"),
                           ("indirect", 192, 4, "make_node"), ("reachable", 64, 1, "make_kept"))


def run(env, args=("check",)):
    e = {"LEAKSHIM_EXITCODE": "23"}
    e.update(env)
    r = h.run(ctx, [prog] + list(args), scan=True, env=e)
    rep = r.exit_report()
    h.eq((rep["scanned"], rep["libc_released"]), (True, True), "%s: scanned, released" % env)
    s = rep["summary"]
    h.eq([(s[k + "_bytes"], s[k + "_blocks"]) for k in ("definite", "indirect", "possible",
                                                          "reachable")],
         [(132, 2), (192, 4), (0, 0), (64, 1)], "%s: kind totals" % env)
    return r, rep


def listed(rep):
    return [(s["kind"], s["bytes"], s["blocks"], h.functions(s)[0]) for s in rep["stacks"]]


def check(env, leak_kinds, stacks, leaked, status):
    r, rep = run(env)
    h.eq(r.stderr, "", "%s: stderr" % env)
    h.eq(rep["leak_kinds"], leak_kinds, "%s: leak_kinds" % env)
    h.eq(listed(rep), stacks, "%s: stacks" % env)
    s = rep["summary"]
    h.eq(((s["leaked_bytes"], s["leaked_blocks"]), r.returncode), (leaked, status),
         "%s: leaked, status" % env)
    h.eq((u.value(r.stdout, "leaked_bytes"), u.value(r.stdout, "leaked_blocks")), leaked,
         "%s: leakshim_check's leaked counts" % env)
    return rep


check({}, ["definite", "indirect"], [LOST, HEAD, NODES], (324, 6), 23)
check({"LEAKSHIM_LEAK_KINDS": "definite,indirect,reachable"},
      ["definite", "indirect", "reachable"], [LOST, HEAD, NODES, KEPT], (388, 7), 23)
check({"LEAKSHIM_LEAK_KINDS": "all"}, ["definite", "indirect", "possible", "reachable"],
      [LOST, HEAD, NODES, KEPT], (388, 7), 23)
check({"LEAKSHIM_LEAK_KINDS": "reachable"}, ["reachable"], [LOST, HEAD, NODES, KEPT],
      (64, 1), 23)
# Hidden: indirect (not a leak kind, not shown), then reachable (shown only on request).
check({"LEAKSHIM_LEAK_KINDS": "definite", "LEAKSHIM_SHOW_KINDS": "definite"}, ["definite"],
      [LOST, HEAD], (132, 2), 23)
check({"LEAKSHIM_LEAK_KINDS": "definite", "LEAKSHIM_SHOW_KINDS": "reachable"}, ["definite"],
      [LOST, HEAD, KEPT], (132, 2), 23)
check({"LEAKSHIM_SHOW_KINDS": "reachable"}, ["definite", "indirect"],
      [LOST, HEAD, NODES, KEPT], (324, 6), 23)

# The text SUMMARY counts the reachable stack once it is a leak kind.
r = h.run(ctx, [prog, "check"], scan=True, fmt="txt",
          env={"LEAKSHIM_LEAK_KINDS": "definite,indirect,reachable"})
last = list(r.texts.values())[0].rstrip("\n").splitlines()[-1]
h.ok(last.startswith("SUMMARY: leaked 388 bytes in 7 blocks from 4 stacks; "), last)

# Only a reachable block: passes by default, fails once reachable is a leak kind.
leaks = ctx.prog("api_leaks")
for env, status in (({}, 7), ({"LEAKSHIM_LEAK_KINDS": "definite,indirect,reachable"}, 9)):
    r = h.run(ctx, [leaks, "kept", "status=7"], scan=True,
              env=dict(env, LEAKSHIM_EXITCODE="9"))
    h.eq((r.stderr, r.returncode), ("", status), "api_leaks kept %s: stderr, status" % env)

# Bad lists: one line, the default. LEAKSHIM_SHOW_KINDS is tried with only definite as
# a leak kind, so its default (definite,indirect,possible) shows in the indirect nodes.
for var, env, leak_kinds, stacks, leaked in (
        ("LEAKSHIM_LEAK_KINDS", {}, ["definite", "indirect"], [LOST, HEAD, NODES], 324),
        ("LEAKSHIM_SHOW_KINDS", {"LEAKSHIM_LEAK_KINDS": "definite"}, ["definite"],
         [LOST, HEAD, NODES], 132)):
    for bad in ("Definite", "lost", "definite,", ",indirect", "definite,,indirect",
                "unscanned", "", "definite indirect"):
        r, rep = run(dict(env, **{var: bad}))
        h.eq(r.stderr, "leakshim: %s=\"%s\" is not a comma list of definite, indirect, "
             "possible, reachable, or all; using the default\n" % (var, bad),
             "%s=%r: stderr" % (var, bad))
        h.eq((rep["leak_kinds"], listed(rep), rep["summary"]["leaked_bytes"], r.returncode),
             (leak_kinds, stacks, leaked, 23), "%s=%r: leak_kinds, stacks, leaked, status"
             % (var, bad))
h.done()
