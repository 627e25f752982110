"""Without -o (and without LEAKSHIM_OUTPUT) `leakshim` sends each report to its own file,
leakshim.<pid>.<n>.txt (or .json) in the current directory, and says so in one stderr
line. exec keeps the pid: the command's pid is the program's, and the pid in the names."""

import json
import os
import subprocess
import tempfile

import cli_common as c
import lsharness as h

ctx = h.context()
prog = c.example(ctx, "leaky_c")
LEAKY_C_STDOUT = "inventory-service: served 10 requests, rejected 2, total stock 500\n"


def run_in_fresh_cwd(args, env=None):
    """Runs the command in a new empty directory; returns (pid, proc, dir, files)."""
    cwd = tempfile.mkdtemp(dir=ctx.tmp)
    p = subprocess.Popen([ctx.cli] + args, cwd=cwd, env=c.clean_env(env),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = p.communicate(timeout=60)
    p.stdout_text, p.stderr_text = out, err
    return p.pid, p, cwd, sorted(os.listdir(cwd))


# Text by default.
pid, p, cwd, files = run_in_fresh_cwd([prog])
h.eq((p.returncode, p.stdout_text), (0, LEAKY_C_STDOUT), "text: status, stdout")
h.eq(p.stderr_text, "leakshim: reports go to %s/leakshim.%d.*.txt\n" % (os.path.realpath(cwd), pid),
     "text: stderr")
h.eq(files, ["leakshim.%d.0.txt" % pid], "text: files in the cwd")
with open(os.path.join(cwd, files[0])) as f:
    text = f.read().splitlines()
h.eq(text[0], "leakshim: exit report, pid %d, %s" % (pid, os.path.realpath(prog)),
     "text: header")
# The exit report is classified: the two definite stacks are listed, the reachable cache
# only counted. (A "note:" line about threads not stopped is left to the scan's own
# tests: this one is about where the report goes.)
headers = [line for line in text
           if line and not line.startswith((" ", "leakshim: ", "note: "))]
h.eq(headers, ["512 bytes in 2 blocks definitely lost (stack 1 of 2)",
               "18 bytes in 1 block definitely lost (stack 2 of 2)",
               "by kind: definitely lost 530 bytes in 3 blocks; indirectly lost 0 bytes in 0 "
               "blocks; possibly lost 0 bytes in 0 blocks; still reachable 448 bytes in 7 "
               "blocks",
               "not counted: suppressed 0 bytes in 0 blocks; ignored 0 bytes in 0 blocks; "
               "below LEAKSHIM_MIN_BYTES 0 bytes in 0 blocks",
               "SUMMARY: leaked 530 bytes in 3 blocks from 2 stacks; 21 allocations, 11 frees, "
               "peak live 5074 bytes"], "text: group headers, per-kind lines, summary")

# -f json picks the .json name; the pid in it is the command's own.
pid, p, cwd, files = run_in_fresh_cwd(["--format", "json", prog])
h.eq(p.stderr_text, "leakshim: reports go to %s/leakshim.%d.*.json\n" % (os.path.realpath(cwd), pid),
     "json: stderr")
h.eq(files, ["leakshim.%d.0.json" % pid], "json: files in the cwd")
with open(os.path.join(cwd, files[0])) as f:
    rep = json.load(f)
h.eq((rep["pid"], rep["sequence"], rep["reason"]), (pid, 0, "exit"), "json: pid, seq, reason")
h.eq((rep["scanned"], rep["summary"]["leaked_bytes"], rep["summary"]["reachable_bytes"]),
     (True, 530, 448), "json: scanned, leaked bytes, reachable bytes")

# Several formats: one file each, every extension named.
pid, p, cwd, files = run_in_fresh_cwd(["-f", "folded,json", prog])
h.eq(p.stderr_text, "leakshim: reports go to %s/leakshim.%d.*.json|folded\n" % (
    os.path.realpath(cwd), pid), "json,folded: stderr")
h.eq(files, ["leakshim.%d.0.folded" % pid, "leakshim.%d.0.json" % pid],
     "json,folded: files in the cwd")

# So does an inherited LEAKSHIM_FORMAT=json.
pid, p, cwd, files = run_in_fresh_cwd([prog], env={"LEAKSHIM_FORMAT": "json"})
h.eq(files, ["leakshim.%d.0.json" % pid], "LEAKSHIM_FORMAT=json: files in the cwd")

# An inherited LEAKSHIM_OUTPUT is the user's choice: kept, and nothing is said.
target = os.path.join(ctx.tmp, "inherited.%p.txt")
pid, p, cwd, files = run_in_fresh_cwd([prog], env={"LEAKSHIM_OUTPUT": target})
h.eq((p.returncode, p.stderr_text, files), (0, "", []), "inherited LEAKSHIM_OUTPUT")
h.ok(os.path.exists(target.replace("%p", str(pid))), "report at the inherited path")
h.done()
