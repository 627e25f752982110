"""`leakshim diff OLD NEW` on two hand-written JSON reports, checked exactly.

OLD holds grow_leak 1024 bytes in 1 block, cache_put 512 in 4, an unnamed frame in
/lib/x.so 64 in 1 and steady 100 in 1. NEW (another run: every address moved) holds
grow_leak in two kinds, 2048 in 2 definite and 1024 in 1 reachable (one line of the diff,
3072 in 3), cache_put 256 in 2, the same x.so frame nowhere, steady unchanged, and two new
stacks of 300 bytes: new_thing in 3 blocks, new_other in 1 (blocks break the tie). So:
growing grow_leak +2048/+2 (grown), new_thing +300/+3 (new), new_other +300/+1 (new);
shrinking cache_put -256/-2 (shrunk), x.so -64/-1 (gone); steady unchanged, not listed.
"""

import gzip
import json
import os
import stat
import threading

import diff_common as d
import lsharness as h

ctx = h.context()
T0 = 1796371200000  # 2026-12-04T08:00:00.000Z


def frame(fn, offset, base, file=None, line=None, module="/bin/app"):
    return {"address": "0x%x" % (base + offset), "function": fn, "module": module,
            "offset": "0x%x" % offset, "file": file, "line": line}


def stack(kind, nbytes, blocks, frames):
    return {"kind": kind, "bytes": nbytes, "blocks": blocks, "owner": "program",
            "frames": frames}


def chain(fn, offset, file, line, base):
    """fn called from main at /src/a.c:50."""
    return [frame(fn, offset, base, file, line), frame("main", 0x200, base, "/src/a.c", 50)]


def report(seq, ms, reason, stacks, base):
    live = (sum(s["bytes"] for s in stacks), sum(s["blocks"] for s in stacks))
    return {"format": "leakshim", "version": 1, "pid": 100, "program": "/bin/app",
            "reason": reason, "sequence": seq, "time_unix_ms": ms, "max_depth": 32,
            "summary": {"live_bytes": live[0], "live_blocks": live[1]},
            "stacks": [dict(s, frames=s["frames"](base)) for s in stacks]}


def write(name, rep, compress=False):
    path = os.path.join(ctx.tmp, name)
    data = json.dumps(rep).encode()
    with open(path, "wb") as f:
        f.write(gzip.compress(data) if compress else data)
    return path


def lazy(kind, nbytes, blocks, frames_of):
    return {"kind": kind, "bytes": nbytes, "blocks": blocks, "owner": "program",
            "frames": frames_of}


GROW = lambda b: chain("grow_leak", 0x100, "/src/a.c", 10, b)
CACHE = lambda b: chain("cache_put", 0x110, "/src/a.c", 20, b)
STEADY = lambda b: chain("steady", 0x120, "/src/a.c", 30, b)
XSO = lambda b: [frame(None, 0x120, b + 0x100000, module="/lib/x.so")]
NEW_THING = lambda b: chain("new_thing", 0x300, "/src/b.c", 5, b)
NEW_OTHER = lambda b: chain("new_other", 0x310, "/src/b.c", 9, b)

old = report(1, T0, "signal", [lazy("unscanned", 1024, 1, GROW),
                                lazy("unscanned", 512, 4, CACHE),
                                lazy("unscanned", 100, 1, STEADY),
                                lazy("unscanned", 64, 1, XSO)], 0x555500000000)
new = report(2, T0 + 300, "interval", [lazy("definite", 2048, 2, GROW),
                                        lazy("definite", 300, 3, NEW_THING),
                                        lazy("definite", 300, 1, NEW_OTHER),
                                        lazy("definite", 256, 2, CACHE),
                                        lazy("definite", 100, 1, STEADY),
                                        lazy("reachable", 1024, 1, GROW)], 0x560000000000)
new["previous"] = {"sequence": 1, "time_unix_ms": T0}
for s in new["stacks"]:
    s.update(new_bytes=0, new_blocks=0, alloc_bytes=s["bytes"], alloc_blocks=s["blocks"])
old_path, new_path = write("old.json", old), write("new.json", new)

# Text: header, totals, then each section in rank order, frames as the text report has them.
NB = 0x560000000000
HEAD = ("leakshim: diff %s -> %s\n" % (old_path, new_path) +
        "old: %s (json), pid 100 /bin/app, sequence 1 (signal), 2026-12-04T08:00:00.000Z: "
        "live 1700 bytes in 7 blocks\n" % old_path +
        "new: %s (json), pid 100 /bin/app, sequence 2 (interval), 2026-12-04T08:00:00.300Z: "
        "live 4028 bytes in 10 blocks\n" % new_path +
        "growth: +2328 bytes, +3 blocks live in 0.300 s\n"
        "stacks: 3 grew by +2648 bytes, +6 blocks (2 new); 2 shrank by -320 bytes, -3 blocks "
        "(1 gone); 1 unchanged\n")


def frames_text(fn, off, file, line):
    return ("    #0 %s %s:%d (/bin/app+0x%x)\n" % (fn, file, line, off) +
            "    #1 main /src/a.c:50 (/bin/app+0x200)\n")


GROW_TEXT = ("\n+2048 bytes, +2 blocks, grown from 1024 bytes in 1 block to 3072 bytes in 3 "
             "blocks (growing 1 of 3)\n" + frames_text("grow_leak", 0x100, "/src/a.c", 10))
THING_TEXT = ("\n+300 bytes, +3 blocks, new: 300 bytes in 3 blocks (growing 2 of 3)\n" +
              frames_text("new_thing", 0x300, "/src/b.c", 5))
OTHER_TEXT = ("\n+300 bytes, +1 block, new: 300 bytes in 1 block (growing 3 of 3)\n" +
              frames_text("new_other", 0x310, "/src/b.c", 9))
CACHE_TEXT = ("\n-256 bytes, -2 blocks, shrunk from 512 bytes in 4 blocks to 256 bytes in 2 "
              "blocks (shrinking 1 of 2)\n" + frames_text("cache_put", 0x110, "/src/a.c", 20))
XSO_TEXT = ("\n-64 bytes, -1 block, gone: was 64 bytes in 1 block (shrinking 2 of 2)\n"
            "    #0 ?? (/lib/x.so+0x120)\n")

p = d.diff(ctx, [old_path, new_path])
d.check_ok(p, "text")
h.eq(p.stdout, HEAD + GROW_TEXT + THING_TEXT + OTHER_TEXT + CACHE_TEXT + XSO_TEXT, "text diff")

# -n caps each section apart; gzipped input reads the same.
p = d.diff(ctx, ["-n", "1", write("old.json.gz", old, True), new_path])
d.check_ok(p, "-n 1")
h.eq(p.stdout, HEAD.replace(old_path, old_path + ".gz") + GROW_TEXT +
     "\n... 2 more growing stacks not shown (-n 0 shows all)\n" + CACHE_TEXT +
     "\n... 1 more shrinking stack not shown (-n 0 shows all)\n", "text diff, -n 1, gzipped OLD")
p = d.diff(ctx, ["--top=0", old_path, new_path])
h.eq(p.stdout.count("\n+") + p.stdout.count("\n-"), 5, "--top=0 lists all 5 changed stacks")

# JSON: the same content.
p = d.diff(ctx, ["-f", "json", old_path, new_path])
d.check_ok(p, "json")
j = json.loads(p.stdout)
h.eq((j["format"], j["version"]), ("leakshim-diff", 1), "json format, version")
h.eq(j["old"], {"path": old_path, "input_format": "json", "pid": 100, "program": "/bin/app",
                "reason": "signal", "sequence": 1, "time_unix_ms": T0, "live_bytes": 1700,
                "live_blocks": 7, "sample_rate_bytes": None}, "json old")
h.eq(j["new"]["live_bytes"], 4028, "json new live_bytes")
h.eq(j["growth"], {"live_bytes": 2328, "live_blocks": 3, "ms": 300, "growing_stacks": 3,
                   "new_stacks": 2, "grown_bytes": 2648, "grown_blocks": 6,
                   "shrinking_stacks": 2, "gone_stacks": 1, "shrunk_bytes": -320,
                   "shrunk_blocks": -3, "unchanged_stacks": 1}, "json growth")
h.eq([(s["status"], s["bytes"], s["blocks"], s["old"]["bytes"], s["old"]["blocks"],
       s["new"]["bytes"], s["new"]["blocks"], s["frames"][0]["function"]) for s in j["stacks"]],
     [("grown", 2048, 2, 1024, 1, 3072, 3, "grow_leak"),
      ("new", 300, 3, 0, 0, 300, 3, "new_thing"),
      ("new", 300, 1, 0, 0, 300, 1, "new_other"),
      ("shrunk", -256, -2, 512, 4, 256, 2, "cache_put"),
      ("gone", -64, -1, 64, 1, 0, 0, None)], "json stacks")
h.eq(j["stacks"][0]["frames"][0], {"address": "0x%x" % (NB + 0x100), "function": "grow_leak",
                                   "module": "/bin/app", "offset": "0x100",
                                   "file": "/src/a.c", "line": 10}, "json frame: NEW's")
h.eq(j["stacks"][4]["frames"][0]["module"], "/lib/x.so", "gone stack: OLD's frame")
h.eq(j["stacks_not_listed"], 0, "json stacks_not_listed")
p = d.diff(ctx, ["-f", "json", "-n", "2", old_path, new_path])
h.eq(json.loads(p.stdout)["stacks_not_listed"], 1, "json -n 2: stacks_not_listed")

# pprof: NEW minus OLD per changed stack, inuse_space the default.
out = os.path.join(ctx.tmp, "diff.pb.gz")
p = d.diff(ctx, ["-f", "pprof", "-o", out, old_path, new_path])
h.eq((p.returncode, p.stdout, p.stderr), (0, "", ""), "pprof -o: status, stdout, stderr")
types, default, samples = d.read_pprof(out)
h.eq(types, [("inuse_objects", "count"), ("inuse_space", "bytes")], "pprof sample types")
h.eq(default, ["inuse_space"], "pprof default sample type")
h.eq(sorted((names, v["inuse_space"], v["inuse_objects"]) for names, v in samples),
     sorted([(["grow_leak", "main"], 2048, 2), (["new_thing", "main"], 300, 3),
             (["new_other", "main"], 300, 1), (["cache_put", "main"], -256, -2),
             ([], -64, -1)]), "pprof samples")

# The reverse diff: what grew now shrank; new stacks are gone and gone ones new.
p = d.diff(ctx, ["-f", "json", new_path, old_path])
rev = [(s["status"], s["bytes"], s["blocks"], s["frames"][0]["function"])
       for s in json.loads(p.stdout)["stacks"]]
h.eq(rev, [("grown", 256, 2, "cache_put"), ("new", 64, 1, None),
           ("shrunk", -2048, -2, "grow_leak"), ("gone", -300, -3, "new_thing"),
           ("gone", -300, -1, "new_other")], "reverse diff")

# -o writes the file atomically; the same text as stdout.
out = os.path.join(ctx.tmp, "diff.txt")
p = d.diff(ctx, ["-o", out, old_path, new_path])
h.eq((p.returncode, p.stdout, p.stderr), (0, "", ""), "-o: status, stdout, stderr")
h.eq(open(out).read(), HEAD + GROW_TEXT + THING_TEXT + OTHER_TEXT + CACHE_TEXT + XSO_TEXT,
     "-o: the file")
h.eq(sorted(os.listdir(ctx.tmp)).count("diff.txt"), 1, "-o: one file")
h.ok(not [n for n in os.listdir(ctx.tmp) if ".tmp." in n], "-o: no temporary file left")

# --help, and every refusal: status 2, one leakshim: line.
p = d.diff(ctx, ["--help"])
h.ok(p.returncode == 0 and p.stdout.startswith("usage: leakshim diff"), "--help")
d.check_refused(d.diff(ctx, []), "diff takes two snapshots", "no operands")
d.check_refused(d.diff(ctx, [old_path]), "diff takes two snapshots", "one operand")
d.check_refused(d.diff(ctx, ["-f", "xml", old_path, new_path]),
                "--format must be text, json or pprof, not 'xml'", "-f xml")
d.check_refused(d.diff(ctx, ["-n", "-1", old_path, new_path]), "--top must be a whole number",
                "-n -1")
d.check_refused(d.diff(ctx, ["-x", old_path, new_path]), "unknown option '-x'", "-x")
d.check_refused(d.diff(ctx, [old_path, new_path, "-o"]), "option '-o' needs a value", "-o")
missing = os.path.join(ctx.tmp, "missing.json")
d.check_refused(d.diff(ctx, [old_path, missing]),
                "cannot read %s: No such file or directory" % missing, "missing NEW")
bad = {"text.txt": b"leakshim: exit report, pid 1, /bin/x\n",
       "broken.json": b"{\"format\": \"leakshim\",",
       "v2.json": json.dumps(dict(old, version=2)).encode(),
       "nostacks.json": json.dumps({"format": "leakshim", "version": 1}).encode(),
       "badbytes.json": json.dumps(dict(old, stacks=[dict(old["stacks"][0], bytes="1")])).encode(),
       "empty": b"",
       "cut.gz": gzip.compress(b"{}")[:-6],
       "garbage.bin": b"\x08\x96\x01\x12\xff"}
needles = {"text.txt": "is a text report; use a JSON (LEAKSHIM_FORMAT=json) or pprof one",
           "broken.json": "is not JSON",
           "v2.json": "only version 1 leakshim reports can be read",
           "nostacks.json": "no \"stacks\" list",
           "badbytes.json": "stack 1: \"bytes\" is not a whole number",
           "empty": "is empty",
           "cut.gz": "gzip data is corrupt or cut short",
           "garbage.bin": "not a leakshim report or pprof profile"}
for name, data in bad.items():
    path = os.path.join(ctx.tmp, name)
    with open(path, "wb") as f:
        f.write(data)
    d.check_refused(d.diff(ctx, [old_path, path]), needles[name], name)
d.check_refused(d.diff(ctx, ["-o", os.path.join(ctx.tmp, "no", "dir"), old_path, new_path]),
                "cannot write %s/no/dir: No such file or directory" % ctx.tmp, "-o in no dir")

# A FIFO (as a device would be) is written in place: a file renamed over it would replace it.
fifo = os.path.join(ctx.tmp, "fifo")
os.mkfifo(fifo)
got = []
reader = threading.Thread(target=lambda: got.append(open(fifo).read()), daemon=True)
reader.start()
p = d.diff(ctx, ["-o", fifo, old_path, new_path])
reader.join(30)
d.check_ok(p, "-o FIFO")
h.ok(stat.S_ISFIFO(os.lstat(fifo).st_mode), "-o FIFO: still a FIFO")
h.ok(got and got[0].startswith("leakshim: diff "), "-o FIFO: the reader got the diff: %r"
     % got[:1])

# A symbolic link is followed: the file it names gets the diff, the link stays a link.
target = os.path.join(ctx.tmp, "target.txt")
link = os.path.join(ctx.tmp, "link.txt")
os.symlink(target, link)
d.check_ok(d.diff(ctx, ["-o", link, old_path, new_path]), "-o symlink")
h.ok(os.path.islink(link), "-o symlink: still a link")
with open(target) as f:
    h.ok(f.read().startswith("leakshim: diff "), "-o symlink: the file it names has the diff")

# A report that went through an editor: a byte order mark and white space before '{'.
bom = os.path.join(ctx.tmp, "bom.json")
with open(old_path, "rb") as f:
    body = f.read()
with open(bom, "wb") as f:
    f.write(b"\xef\xbb\xbf \n" + body)
p = d.diff(ctx, [bom, new_path])
d.check_ok(p, "BOM and white space before the JSON")
h.ok(p.stdout.startswith("leakshim: diff %s -> %s\n" % (bom, new_path)), "BOM: %r" % p.stdout[:200])
h.done()
