"""reach_common - helpers shared by the reach_*.py checks (tests/preload/reach.cmake).

Each reach_ program leaves blocks where a reachability scan must, or must not, find
them. Every number the checks expect is what valgrind memcheck (3.19, default
heuristics) reports for the same program: per kind in its LEAK SUMMARY, per allocating
function in its loss records. A block is found by a function of the program on its
stack, and a stack is compared as its list of (kind, bytes, blocks) groups.
"""

import lsharness as h

KINDS = ("definite", "indirect", "possible", "reachable")


def run(ctx, prog, args=(), env=None):
    """Runs a reach_ program under the shim with the exit report classified and every
    kind listed. Returns the exit report, with the run's exit status in "_status" (checked
    last by check_status, so a wrong kind is what a failure shows first)."""
    e = {"LEAKSHIM_SHOW_KINDS": "all"}
    e.update(env or {})
    argv = [ctx.prog(prog)] + list(args)
    r = h.run(ctx, argv, env=e, scan=True)
    h.eq(r.stderr, "", "stderr of %s" % " ".join(argv))
    rep = r.exit_report()
    h.eq(rep["scanned"], True, "scanned")
    h.eq(rep["threads_not_stopped"], 0, "threads_not_stopped")
    rep["_status"] = r.returncode
    return rep


def check_status(rep, expected):
    """The program's exit status: its own, or LEAKSHIM_EXITCODE's when it leaked."""
    h.eq(rep["_status"], expected, "exit status of %s" % rep["program"])


def totals(rep):
    """{kind: (bytes, blocks)} from the summary."""
    s = rep["summary"]
    return {k: (s[k + "_bytes"], s[k + "_blocks"]) for k in KINDS}


def check_totals(rep, **expected):
    """Per-kind summary totals, exactly; a kind not given must be (0, 0). Then what holds
    for every report here: nothing ignored, suppressed or below a threshold, the kinds
    adding up to the live totals, and leaked = definite + indirect (the default)."""
    got = totals(rep)
    for k in KINDS:
        h.eq(got[k], expected.get(k, (0, 0)), "summary (%s_bytes, %s_blocks)" % (k, k))
    s = rep["summary"]
    for field in ("ignored", "suppressed", "below_threshold"):
        h.eq((s[field + "_bytes"], s[field + "_blocks"]), (0, 0), "summary %s_*" % field)
    h.eq((s["live_bytes"], s["live_blocks"]),
         tuple(sum(got[k][i] for k in KINDS) for i in (0, 1)), "live = sum of the kinds")
    h.eq(rep["leak_kinds"], ["definite", "indirect"], "leak_kinds")
    h.eq((s["leaked_bytes"], s["leaked_blocks"]),
         tuple(got["definite"][i] + got["indirect"][i] for i in (0, 1)),
         "leaked = definite + indirect")


def groups(rep, function):
    """Sorted (kind, bytes, blocks) of every listed group whose stack has a frame named
    function."""
    return sorted((s["kind"], s["bytes"], s["blocks"])
                  for s in h.stacks_by_function(rep, function))


def check_groups(rep, function, expected):
    """The groups through function are exactly expected, a list of (kind, bytes, blocks)."""
    h.eq(groups(rep, function), sorted(expected), "(kind, bytes, blocks) of the groups "
         "through %s, in\n%s" % (function, describe(rep)))


def describe(rep):
    """The report's groups, one line each, for failure messages."""
    lines = ["totals %s" % totals(rep)]
    for s in rep["stacks"]:
        names = [str(n) for n in h.functions(s)[:6]]
        lines.append("  %-9s %6d bytes %3d blocks %s: %s" % (
            s["kind"], s["bytes"], s["blocks"], s["owner"], " <- ".join(names)))
    return "\n".join(lines)


def sum_groups(stacks):
    """(bytes, blocks) of a list of groups."""
    return (sum(s["bytes"] for s in stacks), sum(s["blocks"] for s in stacks))
