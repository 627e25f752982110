"""Odd LEAKSHIM_OUTPUT values never change the program's status (4) or stdout, and the
report lands where the contract says: "%p%p%n%%%q%" expands to pid, pid, 0, "%", and keeps
the unknown "%q" and the lone "%" as they are; a directory name with spaces and UTF-8
works; a FIFO with a reader receives the report; a FIFO without one fails at once with
one leakshim: line naming it and the report goes to stderr."""

import json
import os

import lsharness as h
import atk_util as a

ctx = h.context()
prog = ctx.prog("atk_pipe_status")


def run_with(output, what):
    r = a.run_bounded(ctx, [prog], what, 30, output=output)
    h.eq((a.status_text(r.returncode), r.stdout), ("exit 4", "line\n"), "%s: status, stdout" % what)
    return r


def load(path, what):
    with open(path) as f:
        rep = json.load(f)
    h.eq((rep["summary"]["live_bytes"], rep["summary"]["live_blocks"]), (21, 1),
         "%s: live at exit" % what)
    return rep


pdir = os.path.join(ctx.tmp, "percent")
os.mkdir(pdir)
r = run_with(os.path.join(pdir, "%p%p%n%%%q%"), "percent escapes")
names = os.listdir(pdir)
h.eq(len(names), 1, "files written for the percent template: %r" % names)
pid = load(os.path.join(pdir, names[0]), "percent escapes")["pid"]
h.eq(names[0], "%d%d0%%%%q%%" % (pid, pid), "expanded name")

udir = os.path.join(ctx.tmp, "dir with space/é ü")
os.makedirs(udir)
r = run_with(os.path.join(udir, "r %p.json"), "spaces and UTF-8")
h.eq(len(os.listdir(udir)), 1, "files in the UTF-8 directory")
load(os.path.join(udir, os.listdir(udir)[0]), "spaces and UTF-8")

fifo = os.path.join(ctx.tmp, "fifo")
os.mkfifo(fifo)
r = run_with(fifo, "FIFO without a reader")
lines = [l for l in r.stderr.splitlines() if l.startswith("leakshim:")]
h.eq(len(lines), 1, "FIFO without a reader: leakshim: lines %r" % lines)
h.ok(fifo in lines[0], "the line names the FIFO: %r" % lines[0])
h.ok('"live_bytes": 21' in r.stderr or '"live_bytes":21' in r.stderr,
     "FIFO without a reader: the report went to stderr")

# The reader opens first (without waiting for a writer) and reads once the program ended:
# a report is far smaller than the pipe's buffer.
rd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
r = run_with(fifo, "FIFO with a reader")
got = os.read(rd, 1 << 20)
os.close(rd)
rep = json.loads(got.decode())
h.eq((rep["summary"]["live_bytes"], r.stderr), (21, ""), "FIFO with a reader: report, stderr")
h.done()
