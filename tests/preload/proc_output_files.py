"""Report files: "%p", "%n" and "%%" expand; files are mode 0600 whatever the umask; no
temporary file stays behind; a symlink planted at the target is neither followed nor
replaced (the report goes to stderr), and a device there is written in place;
an unwritable target gets one leakshim: line and the report on stderr instead, with the
program's status unchanged; a text report ends with "SUMMARY: leaked ..."."""

import json
import os
import stat

import lsharness as h
import proc_util as u

ctx = h.context()
prog = ctx.prog("proc_output")  # 2 x 100 (out_leak_a) + 2 x 50 (out_leak_b)
os.umask(0)  # a report holding addresses must not become world-readable by umask


def new_dir(name):
    d = os.path.join(ctx.tmp, name)
    os.mkdir(d)
    return d


def mode_of(path):
    st = os.lstat(path)
    h.ok(stat.S_ISREG(st.st_mode), "%s is a regular file" % path)
    return stat.S_IMODE(st.st_mode)


def check_exit(rep, pid):
    h.eq(rep["pid"], pid, "pid in the report")
    h.eq((rep["summary"]["leaked_bytes"], rep["summary"]["leaked_blocks"]), (300, 4),
         "leaked bytes, blocks")
    u.expect_stack(rep, "out_leak_a", 200, 2)
    u.expect_stack(rep, "out_leak_b", 100, 2)


# %p, %n and %%: a request report and the exit report, both 0600, nothing else.
d = new_dir("expand")
r = h.run(ctx, [prog, "request", "4"], output=os.path.join(d, "r.%p.%n.%%.json"))
h.eq(r.returncode, 4, "exit status\n" + r.stderr)
u.expect_quiet(r, "expansion run")
pid = u.value(r.stdout, "pid")
names = ["r.%d.0.%%.json" % pid, "r.%d.1.%%.json" % pid]
h.eq(sorted(os.listdir(d)), names, "files after %p.%n.%% expansion")
for name in names:
    h.eq(mode_of(os.path.join(d, name)), 0o600, "mode of %s" % name)
reps = u.reports_in(d).reports
h.eq([(x["reason"], x["sequence"]) for x in reps], [("request", 0), ("exit", 1)],
     "reasons and sequences")
check_exit(reps[1], pid)

# A symlink at the target path is neither followed nor replaced: one leakshim: line,
# the report on stderr, the link and its target untouched.
d = new_dir("symlink")
victim = os.path.join(d, "victim.txt")
with open(victim, "w") as f:
    f.write("untouched\n")
os.chmod(victim, 0o644)
target = os.path.join(d, "r.fixed.json")
os.symlink(victim, target)
r = h.run(ctx, [prog, "plain", "0"], output=target)
h.eq(r.returncode, 0, "exit status with a planted symlink\n" + r.stderr)
warnings = u.leakshim_lines(r.stderr)
h.eq(len(warnings), 1, "planted symlink: leakshim: lines in %r" % r.stderr)
h.ok("symbolic link" in warnings[0] and target in warnings[0], "the warning: %r" % warnings[0])
h.eq(sorted(os.listdir(d)), ["r.fixed.json", "victim.txt"], "files after the symlink run")
h.ok(os.path.islink(target), "the symlink at the target path is still a symlink")
with open(victim) as f:
    h.eq(f.read(), "untouched\n", "contents of the symlink's target")
h.eq(mode_of(victim), 0o644, "mode of the symlink's target")
body = "\n".join(x for x in r.stderr.splitlines() if not x.startswith("leakshim:"))
check_exit(json.loads(body), u.value(r.stdout, "pid"))

# A device at the target is written in place, never replaced by a file.
r = h.run(ctx, [prog, "plain", "0"], output="/dev/null")
h.eq(r.returncode, 0, "exit status with /dev/null\n" + r.stderr)
u.expect_quiet(r, "/dev/null")
h.ok(stat.S_ISCHR(os.stat("/dev/null").st_mode), "/dev/null is still a character device")
# Without %n each report replaces the last: the request report, then the exit report.
d = new_dir("no-sequence")
r = h.run(ctx, [prog, "request", "4"], output=os.path.join(d, "r.fixed.json"))
h.eq(r.returncode, 4, "exit status without %n\n" + r.stderr)
u.expect_quiet(r, "run without %n")
h.eq(os.listdir(d), ["r.fixed.json"], "files without %n")
rep = u.reports_in(d).reports
h.eq([(x["reason"], x["sequence"]) for x in rep], [("exit", 1)],
     "without %n the exit report has the last word")
check_exit(rep[0], u.value(r.stdout, "pid"))

# Unwritable targets: one leakshim: line naming the path, then the report on stderr.
for bad in ("/nonexistent-leakshim-dir/r.%p.json", "/proc/leakshim-x/r.%p.json"):
    r = h.run(ctx, [prog, "plain", "6"], output=bad)
    h.eq(r.returncode, 6, "%s: exit status\n%s" % (bad, r.stderr))
    warnings = u.leakshim_lines(r.stderr)
    h.eq(len(warnings), 1, "%s: leakshim: lines in %r" % (bad, r.stderr))
    h.ok(os.path.dirname(bad) in warnings[0], "%s: the warning names the path: %r"
         % (bad, warnings[0]))
    body = "\n".join(x for x in r.stderr.splitlines() if not x.startswith("leakshim:"))
    try:
        rep = json.loads(body)
    except ValueError as e:
        h.fail("%s: the report on stderr is not JSON (%s):\n%s" % (bad, e, r.stderr))
    h.eq(rep["reason"], "exit", "%s: reason of the report on stderr" % bad)
    check_exit(rep, u.value(r.stdout, "pid"))

# A relative LEAKSHIM_OUTPUT is where the process started, though it changed directory.
d = new_dir("relative")
r = h.run(ctx, [prog, "chdir", "0"], output="r.%p.%n.json", cwd=d)
h.eq(r.returncode, 0, "relative output: exit status\n" + r.stderr)
pid = u.value(r.stdout, "pid")
h.eq(os.listdir(d), ["r.%d.0.json" % pid], "relative output: files where it started")
with open(os.path.join(d, "r.%d.0.json" % pid)) as f:
    check_exit(json.load(f), pid)

# Text format: the header names pid and program; the last line is the summary.
d = new_dir("text")
r = h.run(ctx, [prog, "plain", "0"], fmt="txt", env={"LEAKSHIM_FORMAT": "text"},
          output=os.path.join(d, "r.%p.%n.txt"))
h.eq(r.returncode, 0, "text run: exit status\n" + r.stderr)
pid = u.value(r.stdout, "pid")
h.eq(os.listdir(d), ["r.%d.0.txt" % pid], "text report files")
path = os.path.join(d, "r.%d.0.txt" % pid)
h.eq(mode_of(path), 0o600, "mode of the text report")
with open(path) as f:
    lines = f.read().rstrip("\n").splitlines()
h.eq(lines[0], "leakshim: exit report, pid %d, %s" % (pid, os.path.realpath(prog)),
     "text header")
h.ok(lines[-1].startswith("SUMMARY: leaked 300 bytes in 4 blocks from 2 stacks; "),
     "text summary line: %r" % lines[-1])
h.done()
