"""inline_chain.c, built with -O2: 64 bytes malloc'ed in inline_make_buf, which is
inlined into inline_fill_buf, which is inlined into inline_parse_header (out of line),
called by main. One captured return address holds three functions: the report must
list them as three frames, innermost first, as valgrind and LeakSanitizer do, and every
reader of frames (JSON, text, suppressions, baseline keys) must see the same list. Lines
are those of the `fn-mark:` comments in inline_chain.c; FN_CASE picks the check."""

import os
import re
import shutil
import subprocess
import sys

import fn_common as fc
import lsharness as h

PROG, SRC = "inline_chain", "inline_chain.c"
# (function, fn-mark of the line it is at, inlined), innermost first, down to main.
EXPECTED = [("inline_make_buf", "inline_alloc", True),
            ("inline_fill_buf", "inline_middle_call", True),
            ("inline_parse_header", "inline_outer_call", False),
            ("main", "inline_main_call", False)]
NAMES = [name for name, _, _ in EXPECTED]
CASES = ["json_frames_innermost_first", "text_frames_numbered_per_call",
         "suppression_matches_inlined_name", "baseline_key_holds_inlined_names",
         "same_frames_as_valgrind"]


def expected_lines():
    return [fc.marker_line(SRC, mark) for _, mark, _ in EXPECTED]


def run(ctx, env=None, fmt="json"):
    r = h.run(ctx, [ctx.prog(PROG)], env=env, fmt=fmt)
    h.eq((r.returncode, r.stdout, r.stderr), (0, "header 63\n", ""),
         "status, stdout, stderr of %s" % PROG)
    return r


def the_stack(rep):
    h.eq(len(rep["stacks"]), 1, "stacks listed\n" + h.describe(rep))
    s = rep["stacks"][0]
    h.eq((s["kind"], s["bytes"], s["blocks"]), ("unscanned", 64, 1), "kind, bytes, blocks")
    return s


def check_json(ctx):
    frames = the_stack(run(ctx).exit_report())["frames"]
    got = [(f["function"], f["file"], f["line"], f.get("inlined", False)) for f in frames[:4]]
    src = os.path.join(fc.SRC_DIR, SRC)
    want = [(name, src, line, inlined)
            for (name, _, inlined), line in zip(EXPECTED, expected_lines())]
    h.eq(got, want, "frames, innermost first: (function, file, line, inlined)")
    # The three functions are one return address: all share it, its module and offset.
    prog = os.path.realpath(ctx.prog(PROG))
    one = frames[2]
    h.eq([(f["address"], f["module"], f["offset"]) for f in frames[:3]],
         [(one["address"], prog, one["offset"])] * 3, "address, module, offset of frames 0-2")
    h.ok(frames[3]["address"] != one["address"], "main has an address of its own")
    h.eq([f for f in frames[2:] if "inlined" in f], [],
         'frames of real functions carry no "inlined" field')


FRAME = re.compile(r"^    #(\d+) (\S+) (\S+):(\d+) \((\S+)\+0x([0-9a-f]+)\)$")


def check_text(ctx):
    r = run(ctx, fmt="text")
    h.eq(len(r.texts), 1, "text reports written")
    lines = [m.groups() for m in map(FRAME.match, list(r.texts.values())[0].splitlines()) if m]
    src = os.path.join(fc.SRC_DIR, SRC)
    got = [(int(n), fn, path, int(line)) for n, fn, path, line, _, _ in lines[:4]]
    h.eq(got, [(i, name, src, line) for i, (name, line) in
               enumerate(zip(NAMES, expected_lines()))],
         "text frames #0-#3: (number, function, file, line)")
    offsets = [off for _, _, _, _, _, off in lines[:4]]
    h.eq(offsets[:3], [offsets[2]] * 3, "offsets of #0-#2 (one return address)")
    h.ok(offsets[3] != offsets[2], "main's offset differs: %s" % offsets)


def check_suppression(ctx):
    for number, rule in enumerate(["leak:inline_make_buf", "leak:^inline_fill_buf$"], 1):
        path = os.path.join(ctx.tmp, "supp%d.txt" % number)
        with open(path, "w") as f:
            f.write("# a LeakSanitizer suppressions file\n%s\n" % rule)
        rep = run(ctx, env={"LEAKSHIM_SUPPRESSIONS": path}).exit_report()
        s = rep["summary"]
        h.eq((s["suppressed_bytes"], s["suppressed_blocks"], s["leaked_bytes"],
              s["leaked_blocks"], s["stacks"]), (64, 1, 0, 0, 0),
             "%s: suppressed bytes, blocks; leaked bytes, blocks; stacks" % rule)
        h.eq(rep["suppressions"], [{"pattern": rule[len("leak:"):], "line": 2, "stacks": 1,
                                    "bytes": 64, "blocks": 1}], "%s: the rule's use" % rule)


def check_baseline(ctx):
    r = run(ctx)
    names = [f["function"] for f in the_stack(r.exit_report())["frames"]]
    h.eq(names[:4], NAMES, "functions of the stack")
    key = "\t".join(names)
    # `leakshim baseline` reads the JSON frames: its key holds the inlined names too.
    made = os.path.join(ctx.tmp, "made.baseline")
    p = subprocess.run([ctx.cli, "baseline", r.reports[0]["_path"], "-o", made],
                       capture_output=True, text=True, timeout=60)
    h.eq((p.returncode, p.stderr), (0, ""), "leakshim baseline: status, stderr")
    with open(made) as f:
        h.eq([l for l in f.read().splitlines() if not l.startswith("#")],
             ["64\t1\t" + key], "leakshim baseline's lines")
    # The shim's own key must be the same: the entry with the inlined names matches, the
    # one keyed as before inlined calls had frames is gone.
    old_key = "\t".join(names[2:])
    path = os.path.join(ctx.tmp, "two.baseline")
    with open(path, "w") as f:
        f.write("64\t1\t%s\n64\t1\t%s\n" % (key, old_key))
    rep = run(ctx, env={"LEAKSHIM_BASELINE": path}).exit_report()
    s = rep["summary"]
    h.eq(the_stack(rep)["baseline"], "known", "baseline status of the stack")
    h.eq((s["over_baseline_bytes"], s["over_baseline_blocks"]), (0, 0), "over baseline")
    h.eq([e["key"] for e in rep["baseline"]["gone"]], [old_key], "baseline entries gone")


LOSS = re.compile(r"== 64 bytes in 1 blocks are \w+ lost in loss record")
AT_OR_BY = re.compile(r"==\s+(?:at|by) 0x")
BY = re.compile(r"==\s+(?:at|by) 0x[0-9A-Fa-f]+: (\S+) \((\S+):(\d+)\)$")


def valgrind_frames(ctx):
    """(function, file, line) of valgrind's 64-byte loss record, allocator left out,
    down to main."""
    p = subprocess.run(["valgrind", "--leak-check=full", "--show-leak-kinds=all",
                        ctx.prog(PROG)], capture_output=True, text=True, timeout=100)
    h.eq((p.returncode, p.stdout), (0, "header 63\n"), "valgrind run: status, stdout")
    lines = p.stderr.splitlines()
    starts = [i for i, l in enumerate(lines) if LOSS.search(l)]
    h.eq(len(starts), 1, "valgrind's 64-byte loss records\n" + p.stderr)
    out = []
    for l in lines[starts[0] + 1:]:
        if not AT_OR_BY.search(l) or out[-1:] and out[-1][0] == "main":
            break
        m = BY.search(l)
        if m is not None:  # not valgrind's own malloc, "(in vgpreload_memcheck...)"
            out.append((m.group(1), m.group(2), int(m.group(3))))
    return out


def check_valgrind(ctx):
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: skipped")
        sys.exit(77)
    frames = the_stack(run(ctx).exit_report())["frames"]
    mine = [(f["function"], os.path.basename(f["file"] or ""), f["line"]) for f in frames]
    mine = mine[:[f[0] for f in mine].index("main") + 1]
    h.eq(valgrind_frames(ctx), mine, "valgrind's frames against leakshim's")
    h.eq([f[0] for f in mine], NAMES, "leakshim's functions down to main")


def main():
    ctx = h.context()
    name = fc.case(CASES, prefix="inline_")
    checks = dict(zip(CASES, [check_json, check_text, check_suppression, check_baseline,
                              check_valgrind]))
    checks[name](ctx)
    h.done()


main()
