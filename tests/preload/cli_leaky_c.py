"""`leakshim -f json -o ... -- leaky_c` reports exactly the leaks examples/leaky.c
documents, classified like valgrind memcheck: 512 bytes in 2 blocks from read_request and
18 in 1 from strdup in load_config are definitely lost (530 bytes in 3 blocks leaked), in
that order, with their files and lines; the 448 bytes in 7 blocks from cache_insert are
still reachable through the static cache_head, so they are counted as reachable but
listed only with LEAKSHIM_SHOW_KINDS=all (or --show-kinds all), after the definite ones."""

import os

import cli_common as c
import lsharness as h

ctx = h.context()
prog = c.example(ctx, "leaky_c")
STDOUT = "inventory-service: served 10 requests, rejected 2, total stock 500\n"
# valgrind --leak-check=full --show-leak-kinds=all gives these same numbers.
KIND_TOTALS = {"definite": (530, 3), "indirect": (0, 0), "possible": (0, 0),
               "reachable": (448, 7)}
READ = (512, 2, "read_request", "malloc(REQUEST_BUF_BYTES)")
DUP = (18, 1, "load_config", "strdup(SERVICE_NAME)")
CACHE = (448, 7, "cache_insert", "calloc(1, sizeof(*e))")


def exit_report(args, env=None, what="leaky_c"):
    r = c.run_cli_json(ctx, args, [prog], env=env)
    c.check_quiet_success(r, STDOUT, what)
    rep = r.exit_report()
    h.eq(rep["program"], os.path.realpath(prog), "%s: program" % what)
    h.eq(rep["reason"], "exit", "%s: reason" % what)
    h.eq(rep["libc_released"], True, "%s: libc_released (single-threaded program)" % what)
    h.eq((rep["scanned"], rep["leak_kinds"]), (True, ["definite", "indirect"]),
         "%s: scanned by default, default leak kinds" % what)
    c.check_counts(rep)
    s = rep["summary"]
    h.eq((s["leaked_bytes"], s["leaked_blocks"], s["live_bytes"], s["live_blocks"]),
         (530, 3, 978, 10), "%s: leaked and live bytes, blocks\n%s" % (what, h.describe(rep)))
    h.eq(c.kind_totals(rep), KIND_TOTALS, "%s: totals per kind" % what)
    h.eq(c.not_counted(rep), c.ZERO_NOT_COUNTED, "%s: suppressed, ignored, below" % what)
    # leaky_c's own 20 allocations and 10 frees, and stdout's buffer (valgrind: 21, 11).
    h.eq((s["total_allocations"], s["total_frees"]), (21, 11), "%s: allocations, frees" % what)
    return rep


def check_stack(st, want, kind, what):
    nbytes, blocks, fn, needle = want
    what = "%s: stack of %s" % (what, fn)
    h.eq((st["kind"], st["bytes"], st["blocks"], st["owner"]),
         (kind, nbytes, blocks, "program"), what)
    own = c.program_frames(st, prog)
    h.ok(len(own) >= 2, "%s: program frames %s" % (what, own))
    c.check_frame(own[0], fn, "leaky.c", needle, what)
    h.eq(own[-1]["function"], "main", "%s: outermost program frame" % what)


# By default only the leaks are listed: the two definite stacks, biggest first.
rep = exit_report([])
h.eq(c.listed(rep), [("definite", 512, 2), ("definite", 18, 1)], "stacks listed")
check_stack(rep["stacks"][0], READ, "definite", "default")
check_stack(rep["stacks"][1], DUP, "definite", "default")
h.eq(h.stacks_by_function(rep, "cache_insert"), [], "the reachable cache is not listed")

# strdup allocates inside the C library: the innermost frame is strdup itself, in libc.
dup = rep["stacks"][1]
h.ok(dup["frames"][0]["function"] in ("strdup", "__strdup"),
     "innermost frame of the strdup leak: %r" % dup["frames"][0])
h.ok(os.path.basename(dup["frames"][0]["module"]).startswith("libc.so"),
     "strdup's module: %r" % dup["frames"][0]["module"])
h.eq(dup["frames"][1]["function"], "load_config", "strdup's caller")

# LEAKSHIM_SHOW_KINDS=all lists the cache too, as reachable and after the definite
# stacks; it is still not a leak: leaked_* and the totals stay the same. The command's
# --show-kinds all sets the same variable.
for args, env, what in (([], {"LEAKSHIM_SHOW_KINDS": "all"}, "LEAKSHIM_SHOW_KINDS=all"),
                        (["--show-kinds", "all"], None, "--show-kinds all")):
    rep = exit_report(args, env, what)
    h.eq(c.listed(rep), [("definite", 512, 2), ("definite", 18, 1), ("reachable", 448, 7)],
         "%s: stacks listed" % what)
    check_stack(rep["stacks"][0], READ, "definite", what)
    check_stack(rep["stacks"][1], DUP, "definite", what)
    check_stack(rep["stacks"][2], CACHE, "reachable", what)
    # The stack through cache_insert is cache_insert <- cache_get <- handle_request <- main.
    cache = rep["stacks"][2]
    h.eq([f["function"] for f in c.program_frames(cache, prog)],
         ["cache_insert", "cache_get", "handle_request", "main"], "%s: cache's stack" % what)
    h.eq(cache["frames"][0]["function"], "cache_insert", "%s: innermost cache frame" % what)
h.done()
