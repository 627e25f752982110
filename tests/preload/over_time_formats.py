"""Several formats in one run: LEAKSHIM_FORMAT=text,json,folded with LEAKSHIM_OUTPUT
r.%p.%n writes r.PID.N.txt, .json and .folded for each report, from one view of the table
(the same totals in each); "%e" in the path places the extension itself; a stream gets
the formats one after another."""

import os
import pty
import subprocess

import lsharness as h

ctx = h.context()
prog = ctx.prog("over_time")


def names(r):
    return sorted(os.path.basename(p) for p in r.texts)


outdir = h.tempfile.mkdtemp(dir=ctx.tmp)
r = h.run(ctx, [prog, "snapshots"], fmt="text,json,folded", output=os.path.join(outdir, "r.%p.%n"))
r = h.Result(r, outdir)
want = sorted("r.%d.%d.%s" % (r.pid, n, ext) for n in range(3) for ext in ("txt", "json", "folded"))
h.eq((r.returncode, r.stderr), (0, ""), "status, stderr")
h.eq(names(r), want, "three reports, one file per format each")
for rep in r.reports:
    n = rep["sequence"]
    text = r.texts[os.path.join(outdir, "r.%d.%d.txt" % (r.pid, n))]
    folded = r.texts[os.path.join(outdir, "r.%d.%d.folded" % (r.pid, n))]
    leaked = rep["summary"]["leaked_bytes"]
    h.ok(text.splitlines()[-1].startswith("SUMMARY: leaked %d bytes" % leaked),
         "report %d: text and JSON agree (%d bytes)" % (n, leaked))
    h.eq(sum(int(line.rsplit(" ", 1)[1]) for line in folded.splitlines()), leaked,
         "report %d: folded lines add up to the JSON's leaked bytes" % n)
h.eq([x["summary"]["leaked_bytes"] for x in r.reports], [4396, 5208, 5208], "leaked per report")

outdir = h.tempfile.mkdtemp(dir=ctx.tmp)
r = h.run(ctx, [prog, "exit"], fmt="json,folded", output=os.path.join(outdir, "r.%p.%e.%n"))
r = h.Result(r, outdir)
h.eq(names(r), ["r.%d.folded.0" % r.pid, "r.%d.json.0" % r.pid], "%e places the extension")

r = h.run(ctx, [prog, "exit"], fmt="folded,text", output="-")
lines = r.stderr.splitlines()
end = [i for i, line in enumerate(lines) if line.startswith("SUMMARY: ")]
root = "_start;__libc_start_main;__libc_start_call_main;main;"
h.eq((r.returncode, lines[0], len(end), lines[end[0] + 1:] if end else None),
     (0, "leakshim: exit report, pid %d, %s" % (r.pid, prog), 1,
      [root + "leak_big 4096", root + "leak_small 300"]),
     "to stderr: text first (formats go in a fixed order), then folded")

# A profile is binary: with stderr a terminal it goes to a file in the start directory
# (a '%' in its name is no escape), or, when that directory has no name (deleted), nowhere.
def pprof_on_tty(cwd, what):
    master, slave = pty.openpty()
    env = dict(os.environ, LD_PRELOAD=ctx.lib, LEAKSHIM_FORMAT="pprof", LEAKSHIM_SCAN="none")
    env.pop("LEAKSHIM_OUTPUT", None)
    with subprocess.Popen([prog, "exit"], env=env, cwd=cwd, stderr=slave,
                          stdout=subprocess.PIPE) as proc:
        proc.communicate(timeout=60)
    os.close(slave)
    said = os.read(master, 4096).decode(errors="replace").replace("\r\n", "\n")
    os.close(master)
    h.eq(proc.returncode, 0, "%s: status" % what)
    return proc.pid, said


cwd = os.path.join(h.tempfile.mkdtemp(dir=ctx.tmp), "100%n")
os.mkdir(cwd)
pid, said = pprof_on_tty(cwd, "pprof to a terminal")
name = "leakshim.%d.0.pb.gz" % pid
h.eq(os.listdir(cwd), [name], "pprof to a terminal: the file in the start directory")
h.eq(said, "leakshim: pprof output is binary: not written to a terminal, but to "
     "%s/leakshim.%d.<n>.pb.gz\n" % (os.path.realpath(cwd).replace("%", "%%"), pid),
     "pprof to a terminal: said once")
with open(os.path.join(cwd, name), "rb") as f:
    h.eq(f.read(2), b"\x1f\x8b", "pprof to a terminal: a gzip file")

gone = h.tempfile.mkdtemp(dir=ctx.tmp)
master, slave = pty.openpty()
env = dict(os.environ, LD_PRELOAD=ctx.lib, LEAKSHIM_FORMAT="pprof", LEAKSHIM_SCAN="none")
env.pop("LEAKSHIM_OUTPUT", None)


def enter_and_delete():
    os.chdir(gone)
    os.rmdir(gone)


with subprocess.Popen([prog, "exit"], env=env, stderr=slave, stdout=subprocess.PIPE,
                      preexec_fn=enter_and_delete) as proc:
    proc.communicate(timeout=60)
os.close(slave)
said = os.read(master, 4096).decode(errors="replace").replace("\r\n", "\n")
os.close(master)
h.eq((proc.returncode, said), (0, "leakshim: pprof output is binary: not written to a "
                              "terminal; give LEAKSHIM_OUTPUT a file\n"),
     "pprof to a terminal from a deleted directory: not written, said once")
h.done()
