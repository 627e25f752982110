"""The program runs from a directory whose name is not UTF-8 (bytes 0xff 0xfe: legal in a
Linux path). A JSON report must still be JSON, which is UTF-8 text: the file must decode
as UTF-8 and parse, with the 21 leaked bytes reported and "program" naming the file
(however leakshim chooses to spell the undecodable bytes)."""

import json
import os
import shutil

import lsharness as h
import atk_util as a

ctx = h.context()
odd_dir = os.path.join(os.fsencode(ctx.tmp), b"dir\xff\xfe")
os.mkdir(odd_dir)
prog = os.path.join(odd_dir, b"prog")
shutil.copy(os.fsencode(ctx.prog("atk_pipe_status")), prog)
out = os.path.join(ctx.tmp, "bytes.json")
r = a.run_bounded(ctx, [prog], "program in a non-UTF-8 directory", 30, output=out)
h.eq(a.status_text(r.returncode), "exit 4", "status")
with open(out, "rb") as f:
    raw = f.read()
try:
    rep = json.loads(raw.decode("utf-8"))
except ValueError as e:
    h.fail("the report is not UTF-8 JSON: %s; bytes around it: %r"
           % (e, raw[max(0, getattr(e, "start", 0) - 40):getattr(e, "start", 0) + 10]))
h.eq((rep["summary"]["live_bytes"], rep["summary"]["live_blocks"]), (21, 1), "live at exit")
h.ok(rep["program"].startswith(ctx.tmp + "/dir") and rep["program"].endswith("/prog"),
     "program: %r" % rep["program"])
h.done()
