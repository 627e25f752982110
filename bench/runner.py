"""runner - times workloads untraced and under each tool, in pairs, and prints ratios.

bench/run.sh builds the workloads and calls this; see its header for the options. For each
workload and each installed tool, N pairs are run, each pair an untraced run followed at
once by a traced run, with the tools taking turns round by round, so slow drift of the
machine hits both halves of a pair alike. A pair gives a wall-time ratio (traced /
untraced) and a peak-RSS ratio; a row shows the medians over its pairs.

Peak RSS is wait4()'s ru_maxrss: the largest process of the run's process tree (for
heaptrack, the larger of the program and heaptrack_interpret). A traced run must exit 0 and
print what the untraced run printed; a run that does not is shown as crashed or failed,
and that tool is not run again on that workload.
"""

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

RUN_TIMEOUT_S = 300
# heaptrack 1.4's heaptrack_interpret grows without bound on alloc_heavy (it throws
# bad_alloc at about 19 GB on a 24 GB machine); a cap on its address space makes it fail
# in seconds instead of pushing the machine into swap. Its normal runs stay far below.
HEAPTRACK_AS_LIMIT = 4 << 30


class Tool:
    """How to run a program under one tool: a command prefix, environment additions, and
    an optional address-space cap. Paths may use {out}, a per-run output prefix."""

    def __init__(self, name, prefix=(), env=None, as_limit=None, small_input=False, note="",
                 adds_stdout=False):
        self.name = name
        self.adds_stdout = adds_stdout  # prints its own lines around the program's output
        self.prefix = list(prefix)
        self.env = env or {}
        self.as_limit = as_limit
        self.small_input = small_input
        self.note = note


class Workload:
    def __init__(self, name, argv, stdin_path, input_desc):
        self.name = name
        self.argv = argv
        self.stdin_path = stdin_path
        self.input_desc = input_desc


class Sample:
    def __init__(self, wall_s, rss_kb, status, stdout):
        self.wall_s = wall_s
        self.rss_kb = rss_kb
        self.status = status  # shell style (exit code, or 128 + signal); None: timed out
        self.stdout = stdout


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--runs", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--alloc-heavy", required=True)
    ap.add_argument("--scale", type=int, required=True)
    ap.add_argument("--small-scale", type=int, required=True)
    ap.add_argument("--sql", required=True)
    ap.add_argument("--small-sql", required=True)
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--small-rows", type=int, required=True)
    ap.add_argument("--quick", action="store_true")
    return ap.parse_args()


def lsan_library():
    """GCC's standalone LeakSanitizer runtime, or None when gcc or the library is missing."""
    try:
        path = subprocess.run(["gcc", "-print-file-name=liblsan.so"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return os.path.realpath(path) if os.path.isabs(path) and os.path.exists(path) else None


def find_tools(args):
    """The tools to compare, and the names of those that are not installed."""
    out = os.path.join(args.workdir, "out")
    tools = [Tool("leakshim", env={"LD_PRELOAD": args.lib,
                                   "LEAKSHIM_OUTPUT": out + ".leakshim.%p.txt"},
                  note="text report written to a temp file")]
    missing = []
    if shutil.which("heaptrack"):
        tools.append(Tool("heaptrack", ["heaptrack", "-o", out + ".heaptrack"],
                          as_limit=HEAPTRACK_AS_LIMIT, adds_stdout=True,
                          note="heaptrack -o: records and compresses, no analysis; "
                          "address space capped at 4 GiB (see bench/runner.py)"))
    else:
        missing.append("heaptrack")
    lsan = lsan_library()
    if lsan:
        tools.append(Tool("LSan", env={"LD_PRELOAD": lsan, "LSAN_OPTIONS": "detect_leaks=1"},
                          note="gcc's liblsan preloaded"))
    else:
        missing.append("LSan (gcc's liblsan.so)")
    if shutil.which("valgrind"):
        tools.append(Tool("valgrind", ["valgrind", "--tool=memcheck", "--leak-check=full",
                                       "--log-file=" + out + ".valgrind.%p"],
                          small_input=True, note="memcheck, smaller input"))
    else:
        missing.append("valgrind")
    return tools, missing


def workloads(args, small):
    """alloc_heavy and sqlite3, at the normal or the smaller (valgrind) input size."""
    scale = args.small_scale if small else args.scale
    sql, rows = (args.small_sql, args.small_rows) if small else (args.sql, args.rows)
    return [Workload("alloc_heavy", [args.alloc_heavy, str(scale)], os.devnull,
                     "%d million operations" % scale),
            Workload("sqlite3", ["/usr/bin/sqlite3", "-batch", "-bail", "-init", os.devnull,
                                 "bench.db"], sql, "%d inserts" % rows)]


def limit_address_space(as_limit):
    """A preexec_fn that caps the child's address space, or None (so Popen can vfork)."""
    if as_limit is None:
        return None
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (as_limit, as_limit))


def run_once(args, w, tool):
    """One run of w (under tool, or untraced when tool is None) in an empty directory."""
    cwd = os.path.join(args.workdir, "run")
    shutil.rmtree(cwd, ignore_errors=True)
    os.mkdir(cwd)
    env = {k: v for k, v in os.environ.items()
           if k not in ("LD_PRELOAD", "LSAN_OPTIONS") and not k.startswith("LEAKSHIM_")}
    argv = list(w.argv)
    as_limit = None
    if tool is not None:
        env.update(tool.env)
        argv = tool.prefix + argv
        as_limit = tool.as_limit
    out_path = os.path.join(args.workdir, "stdout")

    with open(w.stdin_path, "rb") as fin, open(out_path, "wb") as fout:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=fin, stdout=fout,
                                stderr=subprocess.DEVNULL, start_new_session=True,
                                preexec_fn=limit_address_space(as_limit))
        status, rss_kb = wait_for(proc)
        wall_s = time.perf_counter() - start
    with open(out_path, "rb") as f:
        stdout = f.read()
    remove_outputs(args.workdir)
    return Sample(wall_s, rss_kb, status, stdout)


def wait_for(proc):
    """(shell-style status, ru_maxrss in KiB) of proc, status None when it ran past
    RUN_TIMEOUT_S and was killed. wait4 blocks: no polling adds to the measured time."""
    timed_out = []

    def kill():
        timed_out.append(True)
        os.killpg(proc.pid, signal.SIGKILL)

    timer = threading.Timer(RUN_TIMEOUT_S, kill)
    timer.start()
    try:
        _, wstatus, ru = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    proc.returncode = code = os.waitstatus_to_exitcode(wstatus)
    if timed_out:
        return None, ru.ru_maxrss
    return (128 - code if code < 0 else code), ru.ru_maxrss


def remove_outputs(workdir):
    for name in os.listdir(workdir):
        if name.startswith("out."):
            os.unlink(os.path.join(workdir, name))


def same_output(untraced, traced, tool_adds_lines):
    return untraced in traced if tool_adds_lines else untraced == traced


class Row:
    """The pairs of one workload under one tool."""

    def __init__(self, w, tool):
        self.workload = w
        self.tool = tool
        self.untraced = []
        self.traced = []
        self.failure = None

    def add_pair(self, base, traced):
        self.untraced.append(base)
        self.traced.append(traced)
        if traced.status is None:
            self.failure = "timed out (%d s)" % RUN_TIMEOUT_S
        elif traced.status != 0:
            self.failure = "crashed (exit %d)" % traced.status
        elif not same_output(base.stdout, traced.stdout, self.tool.adds_stdout):
            self.failure = "failed (output differs)"

    def wall_ratio(self):
        return statistics.median(t.wall_s / u.wall_s for u, t in zip(self.untraced,
                                                                       self.traced))

    def rss_ratio(self):
        return statistics.median(t.rss_kb / u.rss_kb for u, t in zip(self.untraced,
                                                                       self.traced))

    def untraced_s(self):
        return statistics.median(u.wall_s for u in self.untraced)


def measure(args, tools):
    """N rounds; in each, one pair per (workload, tool) still standing."""
    rows = []
    for tool in tools:
        for w in workloads(args, tool.small_input):
            rows.append(Row(w, tool))
    warm_up(args)
    for i in range(args.runs):
        for row in rows:
            if row.failure is not None:
                continue
            base = run_once(args, row.workload, None)
            if base.status != 0:
                sys.exit("bench: %s fails untraced (exit %s)" % (row.workload.name,
                                                                  base.status))
            row.add_pair(base, run_once(args, row.workload, row.tool))
        sys.stderr.write("bench: round %d of %d done\n" % (i + 1, args.runs))
    return rows


def warm_up(args):
    """One untraced run of each workload first, so no pair pays for a cold page cache."""
    for small in (False, True):
        for w in workloads(args, small):
            run_once(args, w, None)


def print_table(rows, tools, args, missing):
    print("| workload | input | tool | untraced s | wall ratio | peak RSS ratio |")
    print("| --- | --- | --- | ---: | ---: | ---: |")
    for r in sorted(rows, key=lambda r: r.workload.name):
        w = r.workload
        if r.failure is not None:
            cells = ["%.2f" % r.untraced_s(), r.failure, r.failure]
        else:
            cells = ["%.2f" % r.untraced_s(), "%.2fx" % r.wall_ratio(),
                     "%.2fx" % r.rss_ratio()]
        print("| %s | %s | %s | %s |" % (w.name, w.input_desc, r.tool.name, " | ".join(cells)))
    print()
    print("Medians of %d untraced/traced pairs per row; %s. valgrind runs a smaller input "
          "(%d million operations, %d inserts), compared with untraced runs of that input."
          % (args.runs, "quick run" if args.quick else "full run", args.small_scale,
             args.small_rows))
    for tool in tools:
        print("- %s: %s" % (tool.name, tool.note))
    if missing:
        print("Not installed, so not compared: %s." % ", ".join(missing))


def results_json(rows, args, missing):
    out = {"format": "leakshim-bench", "version": 1, "time_unix": int(time.time()),
           "quick": args.quick, "runs": args.runs, "lib": args.lib,
           "machine": {"cpus": os.cpu_count(), "kernel": platform.release()},
           "not_installed": missing, "results": []}
    for r in rows:
        entry = {"workload": r.workload.name, "input": r.workload.input_desc,
                 "tool": r.tool.name, "note": r.tool.note,
                 "status": "ok" if r.failure is None else r.failure,
                 "untraced_s": [round(s.wall_s, 4) for s in r.untraced],
                 "traced_s": [round(s.wall_s, 4) for s in r.traced],
                 "untraced_rss_kb": [s.rss_kb for s in r.untraced],
                 "traced_rss_kb": [s.rss_kb for s in r.traced],
                 "traced_exit": [s.status for s in r.traced]}
        if r.failure is None:
            entry["wall_ratio"] = round(r.wall_ratio(), 4)
            entry["rss_ratio"] = round(r.rss_ratio(), 4)
        out["results"].append(entry)
    return out


def main():
    args = parse_args()
    tools, missing = find_tools(args)
    rows = measure(args, tools)
    print_table(rows, tools, args, missing)
    with open(args.out, "w") as f:
        json.dump(results_json(rows, args, missing), f, indent=2)
        f.write("\n")
    print("\nResults: %s" % args.out)


if __name__ == "__main__":  # bench/scan_runner.py imports the helpers above
    main()
