"""leakshim_ignore() and leakshim_disable()/leakshim_enable() (api_ignore.c).

Ignored blocks are tracked but never reported: they count in live_*, total_allocations and
total_frees (the same totals as a run without the calls), not in leaked_*, not in any
kind's totals, and in ignored_bytes/ignored_blocks; no stack lists them. Ignored here:
ignore_root's 40 bytes (leakshim_ignore returns 0, twice), and what main allocates between
leakshim_disable() and the matching leakshim_enable(), nested: in_region 56, in_nested 8,
after_nested 16 (one enable of two leaves it disabled). 120 bytes in 4 blocks. The 1000
bytes allocated and freed inside the region count as one allocation and one free.
Other threads are unaffected: from_thread's 88 bytes, allocated by a worker while main is
disabled, are reported, and so are after_enable's 72.
What an ignored block points to is reachable once scanned (ignored_child, 24 bytes);
without the scan it is counted like any live block.
"""

import lsharness as h
import proc_util as u

ctx = h.context()
prog = ctx.prog("api_ignore")
IGNORED_FNS = ("in_region", "in_nested", "after_nested", "freed_in_region")


def run(args, scan, env=None):
    e = {"LEAKSHIM_SHOW_KINDS": "all", "LEAKSHIM_EXITCODE": "23"}
    e.update(env or {})
    r = h.run(ctx, [prog] + args, scan=scan, env=e)
    u.expect_quiet(r, "api_ignore %s" % args)
    rep = r.exit_report()
    h.eq((rep["libc_released"], rep["scanned"]), (True, scan), "libc_released, scanned")
    return r, rep


def groups(rep):
    """(kind, bytes, blocks, the program function that allocated) of every listed stack."""
    out = []
    for s in rep["stacks"]:
        fns = h.functions(s)
        h.eq(fns[0], "zeroed", "frame #0 of %s" % fns)
        out.append((s["kind"], s["bytes"], s["blocks"], fns[1]))
    return sorted(out)


# The same allocations without any API call: the totals to compare with.
r, plain = run(["plain"], scan=False)
h.eq(r.stdout, "", "plain: stdout")
p = plain["summary"]
h.eq((p["live_bytes"], p["live_blocks"], p["leaked_bytes"], p["leaked_blocks"]),
     (304, 7, 304, 7), "plain: live and leaked")
h.eq(p["total_allocations"] - p["total_frees"], 7, "plain: allocations - frees")

for scan in (False, True):
    what = "scan" if scan else "no scan"
    r, rep = run([], scan)
    h.eq(r.stdout, "ignore=0\nignore_again=0\n", "%s: leakshim_ignore results" % what)
    s = rep["summary"]
    h.eq((s["ignored_bytes"], s["ignored_blocks"]), (120, 4), "%s: ignored" % what)
    for k in ("total_allocations", "total_frees", "live_bytes", "live_blocks",
              "peak_live_bytes"):
        h.eq(s[k], p[k], "%s: %s equals the run without the API calls" % (what, k))
    for fn in IGNORED_FNS:
        u.expect_no_stack(rep, fn)
    if scan:
        h.eq(groups(rep), [("definite", 72, 1, "after_enable"), ("definite", 88, 1, "from_thread"),
                           ("reachable", 24, 1, "ignored_child")], "%s: stacks" % what)
        h.eq([(s[k + "_bytes"], s[k + "_blocks"]) for k in ("definite", "indirect", "possible",
                                                              "reachable")],
             [(160, 2), (0, 0), (0, 0), (24, 1)], "%s: kinds (ignored left out)" % what)
        h.eq((s["leaked_bytes"], s["leaked_blocks"]), (160, 2), "%s: leaked" % what)
    else:
        h.eq(groups(rep), [("unscanned", 24, 1, "ignored_child"),
                           ("unscanned", 72, 1, "after_enable"),
                           ("unscanned", 88, 1, "from_thread")], "%s: stacks" % what)
        h.eq((s["leaked_bytes"], s["leaked_blocks"]), (184, 3), "%s: leaked" % what)
    h.eq(r.returncode, 23, "%s: exit status (the unignored blocks leak)" % what)

# The text report says the same on its "not counted" line.
r = h.run(ctx, [prog], scan=True, fmt="txt")
text = list(r.texts.values())[0]
h.ok("\nnot counted: suppressed 0 bytes in 0 blocks; ignored 120 bytes in 4 blocks; below "
     "LEAKSHIM_MIN_BYTES 0 bytes in 0 blocks\n" in text, "text report:\n%s" % text)
h.ok(text.rstrip("\n").splitlines()[-1].startswith("SUMMARY: leaked 160 bytes in 2 blocks from "
                                                   "2 stacks; "), "text SUMMARY:\n%s" % text)
h.done()
