"""LEAKSHIM_FORMAT=pprof at exit, read with `go tool pprof`: pprof_leaks.c's exact bytes
and blocks per function for every sample type, its stacks with file:line, each sample's
kind label, the comments `leakshim diff` reads back, and the mappings. Run with the exit
scan and LEAKSHIM_SHOW_KINDS=all, so every live block is listed:

    leak_a  300 bytes in 3 blocks, definite
    leak_b  8192 bytes in 2 blocks from one stack: 4096 reachable, 4096 definite
    churn   256 bytes in 1 block live (definite), 2560 bytes in 10 blocks allocated

and inline_chain (inline.cmake, -O2): one return address holding three functions is one
Location with three Lines. FN_CASE (the test's name) picks the check."""

import os
import re
import subprocess

import fn_common as fc
import lsharness as h
import pprof_common as pc

PROG, SRC = "pprof_leaks", "pprof_leaks.c"
CASES = ["inuse_space_and_objects_per_function", "alloc_space_counts_freed_blocks_once",
         "new_space_since_start_in_first_report", "traces_hold_call_chain_with_lines",
         "kind_labels_comments_sample_types", "mappings_name_files_with_build_ids",
         "inlined_calls_are_lines_of_one_location"]
SAMPLE_TYPES = ("inuse_objects/count inuse_space/bytes[dflt] alloc_objects/count "
                "alloc_space/bytes new_objects/count new_space/bytes")


def exit_profile(ctx):
    pc.need_go()
    r, paths = pc.run_profiles(ctx, [ctx.prog(PROG)], scan=True,
                               env={"LEAKSHIM_SHOW_KINDS": "all"})
    h.eq(r.stdout, "", "stdout of %s" % PROG)
    h.eq(len(paths), 1, "profiles written (the exit report only)")
    return r, paths[0]


def check_top(ctx, path, index, total, flat):
    got = pc.top(ctx, ["-sample_index=" + index, path])
    h.eq(got, (total, flat), "-sample_index=%s: (total, flat per function)" % index)


def check_inuse(ctx):
    _, path = exit_profile(ctx)
    check_top(ctx, path, "inuse_space", 8748, {"leak_b": 8192, "leak_a": 300, "churn": 256})
    check_top(ctx, path, "inuse_objects", 6, {"leak_a": 3, "leak_b": 2, "churn": 1})
    # The default sample type is inuse_space.
    h.eq(pc.top(ctx, [path]), pc.top(ctx, ["-sample_index=inuse_space", path]),
         "-top without -sample_index")


def check_alloc(ctx):
    _, path = exit_profile(ctx)
    # leak_b's stack has two samples (two kinds): its allocations count once.
    check_top(ctx, path, "alloc_space", 11052, {"leak_b": 8192, "churn": 2560, "leak_a": 300})
    check_top(ctx, path, "alloc_objects", 15, {"churn": 10, "leak_a": 3, "leak_b": 2})


def check_new(ctx):
    _, path = exit_profile(ctx)
    # The first report of a process counts from the start: new is everything live.
    check_top(ctx, path, "new_space", 8748, {"leak_b": 8192, "leak_a": 300, "churn": 256})
    check_top(ctx, path, "new_objects", 6, {"leak_a": 3, "leak_b": 2, "churn": 1})


def check_traces(ctx):
    _, path = exit_profile(ctx)
    src = os.path.join(pc.SRC_DIR, SRC)
    at = lambda fn, mark: "%s %s:%d" % (fn, src, pc.src_line(SRC, mark))
    got = sorted((value, labels, frames[:2])
                 for value, labels, frames in pc.traces(ctx, ["-sample_index=inuse_space",
                                                              path]))
    want = sorted([
        ("300B", ["kind:  definite"], [at("leak_a", "leak_a_malloc"),
                                       at("main", "main_calls_leak_a")]),
        ("4096B", ["kind:  definite"], [at("leak_b", "leak_b_malloc"),
                                        at("main", "main_calls_leak_b")]),
        ("4096B", ["kind:  reachable"], [at("leak_b", "leak_b_malloc"),
                                         at("main", "main_calls_leak_b")]),
        ("256B", ["kind:  definite"], [at("churn", "churn_malloc"),
                                       at("main", "main_calls_churn")]),
    ])
    h.eq(got, want, "traces: (bytes, labels, two innermost frames)")


def check_labels(ctx):
    r, path = exit_profile(ctx)
    tags = pc.pprof(ctx, ["-tags", "-unit=B", path])
    kinds = sorted(re.findall(r"^\s+(\d+)\.0B \(\s*[\d.]+%\): (\w+)$", tags, re.M))
    h.eq(kinds, [("4096", "reachable"), ("4652", "definite")], "kind labels in\n" + tags)
    raw = pc.pprof(ctx, ["-raw", path])
    comments = re.findall(r"^Comment: (.*)$", raw, re.M)
    h.eq(comments, ["pid=%d" % r.pid, "program=%s" % os.path.realpath(ctx.prog(PROG)),
                    "reason=exit", "sequence=0"], "comments")
    h.ok(("\n" + SAMPLE_TYPES + "\n") in raw, "sample types, in order, inuse_space the "
         "default, in\n" + raw)
    h.ok("\nPeriodType: space bytes\nPeriod: 1\n" in raw, "period type and period in\n" + raw)


def build_id(path):
    """The GNU build ID of an ELF file, as readelf -n shows it."""
    out = subprocess.run(["readelf", "-n", path], capture_output=True, text=True,
                         check=True).stdout
    found = re.findall(r"Build ID: ([0-9a-f]+)", out)
    h.eq(len(found), 1, "build IDs in readelf -n %s" % path)
    return found[0]


MAPPING = re.compile(r"^(\d+): 0x([0-9a-f]+)/0x([0-9a-f]+)/0x0 (\S+) ([0-9a-f]*) ?(\S*)$")


def check_mappings(ctx):
    _, path = exit_profile(ctx)
    raw = pc.pprof(ctx, ["-raw", path])
    rows = [MAPPING.match(l) for l in raw.split("\nMappings\n", 1)[1].splitlines()]
    h.ok(rows and all(rows), "mapping rows in\n" + raw)
    for m in rows:
        h.eq((m.group(5), m.group(6)), (build_id(m.group(4)), "[FN][FL][LN][IN]"),
             "build ID and symbol flags of %s" % m.group(4))
        h.ok(int(m.group(2), 16) < int(m.group(3), 16), "start below limit: " + m.group(0))
    prog = os.path.realpath(ctx.prog(PROG))
    mine = [m for m in rows if m.group(4) == prog]
    h.eq(len(mine), 1, "mappings of %s in\n%s" % (prog, raw))
    # Every location in the program lies inside the program's mapping.
    mid, start, limit = mine[0].group(1), int(mine[0].group(2), 16), int(mine[0].group(3), 16)
    addresses = [int(a, 16) for a, m in
                 re.findall(r"^\s+\d+: 0x([0-9a-f]+) M=(\d+) ", raw, re.M) if m == mid]
    h.ok(len(addresses) >= 4 and all(start <= a < limit for a in addresses),
         "program locations within its mapping %x-%x: %s" % (start, limit, addresses))


def check_inline(ctx):
    pc.need_go()
    r, paths = pc.run_profiles(ctx, [ctx.prog("inline_chain")])
    h.eq(r.stdout, "header 63\n", "stdout of inline_chain")
    src = os.path.join(pc.SRC_DIR, "inline_chain.c")
    lines = [fc.marker_line("inline_chain.c", m) for m in
             ("inline_alloc", "inline_middle_call", "inline_outer_call", "inline_main_call")]
    got = [(v, frames[:4]) for v, _, frames in pc.traces(ctx, [paths[0]])]
    h.eq(got, [("64B", ["inline_make_buf %s:%d (inline)" % (src, lines[0]),
                        "inline_fill_buf %s:%d (inline)" % (src, lines[1]),
                        "inline_parse_header %s:%d" % (src, lines[2]),
                        "main %s:%d" % (src, lines[3])])], "traces of inline_chain")
    # The three functions share one return address: one Location with three Lines.
    raw = pc.pprof(ctx, ["-raw", paths[0]])
    loc = re.search(r"^\s+1: 0x[0-9a-f]+ M=\d+ (\S+) \S+ s=0\n\s+(\S+) \S+ s=0\n"
                    r"\s+(\S+) \S+ s=0\n\s+2: 0x[0-9a-f]+ M=\d+ main ", raw, re.M)
    h.ok(loc is not None, "location 1 with three lines, then main's, in\n" + raw)
    h.eq(loc.groups(), ("inline_make_buf", "inline_fill_buf", "inline_parse_header"),
         "lines of location 1, innermost first")


ctx = h.context()
{
    "inuse_space_and_objects_per_function": check_inuse,
    "alloc_space_counts_freed_blocks_once": check_alloc,
    "new_space_since_start_in_first_report": check_new,
    "traces_hold_call_chain_with_lines": check_traces,
    "kind_labels_comments_sample_types": check_labels,
    "mappings_name_files_with_build_ids": check_mappings,
    "inlined_calls_are_lines_of_one_location": check_inline,
}[fc.case(CASES, prefix="pprof_")](ctx)
h.done()
