"""`leakshim -f json -o ... -- leaky_c` reports exactly the leaks examples/leaky.c
documents: 512 bytes in 2 blocks from read_request, 448 in 7 from cache_insert and 18 in
1 from strdup in load_config, in that order, with their files and lines."""

import os

import cli_common as c
import lsharness as h

ctx = h.context()
prog = c.example(ctx, "leaky_c")
r = c.run_cli_json(ctx, [], [prog])
c.check_quiet_success(r, "inventory-service: served 10 requests, rejected 2, "
                      "total stock 500\n", "leaky_c")

rep = r.exit_report()
h.eq(rep["program"], os.path.realpath(prog), "program")
h.eq(rep["reason"], "exit", "reason")
h.eq(rep["libc_released"], True, "libc_released (single-threaded program)")
c.check_counts(rep)
s = rep["summary"]
h.eq((s["leaked_bytes"], s["leaked_blocks"], s["stacks"]), (978, 10, 3),
     "leaked bytes, blocks, stacks\n" + h.describe(rep))
h.ok(s["total_allocations"] >= 20, "at least leaky_c's own 20 allocations counted")

want = [(512, 2, "read_request", "malloc(REQUEST_BUF_BYTES)"),
        (448, 7, "cache_insert", "calloc(1, sizeof(*e))"),
        (18, 1, "load_config", "strdup(SERVICE_NAME)")]
for st, (nbytes, blocks, fn, needle) in zip(rep["stacks"], want):
    what = "stack of %s" % fn
    h.eq((st["bytes"], st["blocks"], st["owner"]), (nbytes, blocks, "program"), what)
    own = c.program_frames(st, prog)
    h.ok(len(own) >= 2, "%s: program frames %s" % (what, own))
    c.check_frame(own[0], fn, "leaky.c", needle, what)
    h.eq(own[-1]["function"], "main", "%s: outermost program frame" % what)

# The stack through cache_insert is cache_insert <- cache_get <- handle_request <- main.
cache = rep["stacks"][1]
h.eq([f["function"] for f in c.program_frames(cache, prog)],
     ["cache_insert", "cache_get", "handle_request", "main"], "cache_insert's stack")
h.eq(cache["frames"][0]["function"], "cache_insert", "innermost frame of the cache leak")

# strdup allocates inside the C library: the innermost frame is strdup itself, in libc.
dup = rep["stacks"][2]
h.ok(dup["frames"][0]["function"] in ("strdup", "__strdup"),
     "innermost frame of the strdup leak: %r" % dup["frames"][0])
h.ok(os.path.basename(dup["frames"][0]["module"]).startswith("libc.so"),
     "strdup's module: %r" % dup["frames"][0]["module"])
h.eq(dup["frames"][1]["function"], "load_config", "strdup's caller")
h.done()
