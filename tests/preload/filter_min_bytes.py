"""LEAKSHIM_MIN_BYTES on api_leaks (scanned exit reports): beta 2 x 200, alpha 100,
gamma_two 40, gamma_one 30, small 3 x 5 definitely lost; kept 64 still reachable.

A listed group (one stack, one kind) smaller in total than the threshold leaves the list
and leaked_*, and counts in below_threshold_*; the threshold compares the group's total
(small's 3 blocks make 15 bytes), and a group exactly at it stays. A hidden kind is never
listed, so it is never below the threshold either (kept, until LEAKSHIM_SHOW_KINDS=all).
Groups below the threshold do not fire LEAKSHIM_EXITCODE: with all of them below, the
status is the program's own. A bad value gets one `leakshim:` line and the default, 0.
"""

import lsharness as h

ctx = h.context()
prog = ctx.prog("api_leaks")
ALL = ["beta=2", "alpha", "gamma_two", "gamma_one", "small=3", "kept", "status=7"]
EVERY = [("definite", 400, 2, "beta"), ("definite", 100, 1, "alpha"),
         ("definite", 40, 1, "gamma_two"), ("definite", 30, 1, "gamma_one"),
         ("definite", 15, 3, "small")]


def run(value, args=ALL, env=None):
    e = {"LEAKSHIM_EXITCODE": "9"}
    if value is not None:
        e["LEAKSHIM_MIN_BYTES"] = value
    e.update(env or {})
    r = h.run(ctx, [prog] + args, scan=True, env=e)
    rep = r.exit_report()
    s = rep["summary"]
    listed = [(x["kind"], x["bytes"], x["blocks"], h.functions(x)[1]) for x in rep["stacks"]]
    return r, listed, (s["leaked_bytes"], s["leaked_blocks"]), (s["below_threshold_bytes"],
                                                               s["below_threshold_blocks"])


def check(value, want_listed, leaked, below, status, args=ALL, env=None):
    what = "LEAKSHIM_MIN_BYTES=%r %s" % (value, env or "")
    r, listed, got_leaked, got_below = run(value, args, env)
    h.eq(r.stderr, "", "%s: stderr" % what)
    h.eq(listed, want_listed, "%s: stacks listed" % what)
    h.eq((got_leaked, got_below, r.returncode), (leaked, below, status),
         "%s: leaked, below threshold, status" % what)


check(None, EVERY, (585, 8), (0, 0), 9)
check("0", EVERY, (585, 8), (0, 0), 9)
check("100", EVERY[:2], (500, 3), (85, 5), 9)
check("100", EVERY[:2], (500, 3), (149, 6), 9,
      env={"LEAKSHIM_SHOW_KINDS": "all"})
check("16", EVERY[:4], (570, 5), (15, 3), 9)
check("64", EVERY[:2] + [("reachable", 64, 1, "keep")], (500, 3), (85, 5), 9,
      env={"LEAKSHIM_SHOW_KINDS": "all"})
check("15", EVERY, (585, 8), (0, 0), 9)
check("401", [], (0, 0), (585, 8), 7)
check("9223372036854775808", [], (0, 0), (585, 8), 7)

# Bad values: one line naming the variable and the value, then the default (0).
for bad in ("12abc", "-5", "+5", " 5", "", "0x10", "9223372036854775809",
            "99999999999999999999"):
    r, listed, leaked, below = run(bad)
    h.eq(r.stderr, "leakshim: LEAKSHIM_MIN_BYTES=\"%s\" is not a whole number of bytes from 0 "
         "to 2^63; using the default\n" % bad, "LEAKSHIM_MIN_BYTES=%r: stderr" % bad)
    h.eq((listed, leaked, below, r.returncode), (EVERY, (585, 8), (0, 0), 9),
         "LEAKSHIM_MIN_BYTES=%r: stacks, leaked, below threshold, status" % bad)
h.done()
