"""Real programs under leakshim must behave exactly as without it (same stdout, same
status) and each process must write one valid exit report: a bash loop running ls 50
times (52 processes: bash, seq, 50 ls; exactly those), a threaded Python script with PYTHONMALLOC=malloc
(every object through malloc), sqlite3, make -j2, git init/add/status and gdb --batch.
Tools that are not installed are left out."""

import collections
import os
import shutil

import lsharness as h
import atk_util as a

ctx = h.context()
work = os.path.join(ctx.tmp, "work")
os.mkdir(work)

PY = """
import threading, json
out = []
def work(n):
    d = {i: str(i) * 3 for i in range(20000)}
    out.append(len(json.dumps(d)))
ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]
[t.start() for t in ts]
[t.join() for t in ts]
print(sum(out))
"""
SQL = ("create table t(a, b); with recursive c(x) as (select 1 union all select x + 1 "
       "from c limit 20000) insert into t select x, hex(x) from c; "
       "select count(*), sum(length(b)) from t;")
with open(os.path.join(work, "Makefile"), "w") as f:
    f.write("all: a b\n\t@echo all done\na:\n\t@echo a\nb:\n\t@echo b\n")

cases = [
    ("bash", ["bash", "-c", "for i in $(seq 50); do ls / >/dev/null; done; echo looped"],
     {"bash": 1, "seq": 1, "ls": 50}),
    ("python3", ["/usr/bin/python3", "-c", PY], {"python3.11": 1}),
]
if shutil.which("sqlite3"):
    cases.append(("sqlite3", ["sqlite3", ":memory:", SQL], {"sqlite3": 1}))
if shutil.which("make"):
    cases.append(("make", ["make", "-s", "-C", work, "all"], None))
if shutil.which("git"):
    repo = os.path.join(work, "repo")
    script = ("git init -q %s && cd %s && echo x > f && git add f && git status --porcelain"
              % (repo, repo))
    cases.append(("git", ["sh", "-c", script], None))
if shutil.which("gdb"):
    cases.append(("gdb", ["gdb", "-nx", "--batch", "-ex", "print 1"], {"gdb": 1}))

for name, argv, expected_programs in cases:
    env = {"PYTHONMALLOC": "malloc", "GIT_CONFIG_NOSYSTEM": "1", "HOME": work}
    if name == "git":
        shutil.rmtree(os.path.join(work, "repo"), ignore_errors=True)
    bare = h.run(ctx, argv, env=env, preload=False, timeout=120)
    if name == "git":
        shutil.rmtree(os.path.join(work, "repo"), ignore_errors=True)
    r = a.run_bounded(ctx, argv, name, 150, env=env)
    h.eq((r.returncode, r.stdout), (bare.returncode, bare.stdout),
         "%s: status and stdout against the run without leakshim" % name)
    pids = collections.Counter(rep["pid"] for rep in r.reports)
    h.ok(len(pids) >= 1, "%s: processes with reports" % name)
    for pid in pids:
        rep = r.exit_report(pid)
        h.eq(sum(s["bytes"] for s in rep["stacks"]), rep["summary"]["live_bytes"],
             "%s: pid %d: stacks add up to live_bytes" % (name, pid))
    if expected_programs is not None:
        got = collections.Counter(os.path.basename(rep["program"]) for rep in r.reports)
        h.eq({k: got[k] for k in expected_programs}, expected_programs,
             "%s: exit reports of these programs (all: %r)" % (name, dict(got)))
    if name == "bash":
        h.eq(len(r.reports), 52, "bash: reports, one per process")
h.done()
