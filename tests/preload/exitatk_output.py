"""A relative LEAKSHIM_OUTPUT is anchored at the directory the process started in
(exitatk_chdir.c chdir()s to argv[1], leaks 10 bytes,
prints "out" and exits 0).

- A start directory whose name holds '%' ("a%p%n"): the '%' used to make leakshim give up
  anchoring silently, and the report landed in the directory the program moved to. It
  must be <start>/rep.txt, the name's "%p%n" not expanded.
- A start directory too long to put in front (4032 bytes and more with the path), and a
  deleted start directory: the report used to land wherever the program was at exit; now
  one leakshim: line says so at start-up and the report goes to stderr.
In every case stdout and the exit status are the program's own."""

import os
import shutil

import lsharness as h

ctx = h.context()
prog = ctx.prog("exitatk_chdir")
base = os.path.join(ctx.tmp, "runs")
other = os.path.join(base, "other")
os.makedirs(other)


def files_under(d):
    return sorted(os.path.relpath(os.path.join(r, f), d)
                  for r, _, fs in os.walk(d) for f in fs)


# '%' in the start directory's name.
start = os.path.join(base, "a%p%n")
os.makedirs(start)
r = h.run(ctx, [prog, other], output="rep.txt", fmt="text", cwd=start)
h.eq((r.returncode, r.stdout, r.stderr), (0, "out\n", ""), "percent: status, stdout, stderr")
h.eq(files_under(base), ["a%p%n/rep.txt"], "percent: files written")
with open(os.path.join(start, "rep.txt")) as f:
    h.ok("\n10 bytes in 1 block " in f.read(), "percent: the report's leak")
os.unlink(os.path.join(start, "rep.txt"))

# A start directory of 4031 bytes: "<dir>/rep.txt" cannot be anchored.
deep = base
while len(deep) < 4031 - 201:
    deep = os.path.join(deep, "d" * 200)
deep = os.path.join(deep, "e" * (4031 - len(deep) - 1))
h.eq(len(deep), 4031, "length of the long directory")
os.makedirs(deep)
r = h.run(ctx, [prog, other], output="rep.txt", fmt="text", cwd=deep)
h.eq((r.returncode, r.stdout), (0, "out\n"), "long: status, stdout")
lines = r.stderr.splitlines()
h.eq(lines[0], 'leakshim: LEAKSHIM_OUTPUT="rep.txt" is relative, and with the directory the '
     'process started in it is not under 4032 bytes; reports go to stderr', "long: warning")
h.eq(sum(1 for l in lines if l.startswith("leakshim:")), 2, "long: leakshim: lines")
h.ok(any(l.startswith("10 bytes in 1 block ") for l in lines), "long: report on stderr")
h.eq(files_under(base), [], "long: files written")
shutil.rmtree(os.path.join(base, "d" * 200))

# A deleted start directory.
gone = os.path.join(base, "gone")
os.makedirs(gone)
r = h.run(ctx, ["/bin/sh", "-c", 'cd "$1" && rmdir "$1" && exec "$2" "$3"', "sh", gone, prog,
                other], output="rep.txt", fmt="text", preload=False,
          env={"EXITATK_LIB": ctx.lib})
# The shell runs without the shim; the program gets it through exec (see the wrapper).
h.eq((r.returncode, r.stdout), (0, "out\n"), "gone: status, stdout")
lines = r.stderr.splitlines()
h.eq(lines[0], 'leakshim: LEAKSHIM_OUTPUT="rep.txt" is relative, but the directory the '
     'process started in has no name (No such file or directory); reports go to stderr',
     "gone: warning")
h.ok(any(l.startswith("10 bytes in 1 block ") for l in lines), "gone: report on stderr")
h.eq(files_under(base), [], "gone: files written")
h.done()
