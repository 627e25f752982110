"""runner - times workloads untraced and under each tool, in pairs, and prints ratios.

bench/run.sh builds the C programs and calls this; see its header for the options. The
workloads are in bench/workloads.py, the tools in bench/tools.py, leakshim's own probes in
bench/probes.py and the table and results file in bench/results.py.

For each workload and each installed tool, N pairs are run, each pair an untraced run
followed at once by a traced run, with the tools taking turns round by round, so slow
drift of the machine hits both halves of a pair alike. A pair gives a wall-time ratio
(traced / untraced), a CPU-time ratio and a peak-RSS ratio; a row shows the medians over
its pairs.

CPU time is user + system time from wait4()'s rusage, which covers the process and every
descendant it waited for, and all their threads. Peak RSS is its ru_maxrss: the largest
process of the tree (for heaptrack, the larger of the program and heaptrack_interpret).
A traced run must exit 0 and print what the untraced run printed; a run that does not is
shown as crashed or failed, and that tool is not run again on that workload.
"""

import argparse
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

import about
import probes
import results
import workloads
from tools import Tool, find_tools  # noqa: F401 (bench/scan_runner.py uses runner.Tool)
from workloads import Workload  # noqa: F401 (and runner.Workload)

# A traced run killed after this long shows as timed out. The slowest expected run (LSan
# with DWARF unwinding on a small input, or valgrind) takes well under a minute.
RUN_TIMEOUT_S = 180


class Sample:
    def __init__(self, wall_s, cpu_s, rss_kb, status, stdout, nvcsw=0, allocations=None):
        self.wall_s = wall_s
        self.cpu_s = cpu_s  # user + system, the whole process tree
        self.rss_kb = rss_kb
        self.status = status  # shell style (exit code, or 128 + signal); None: timed out
        self.stdout = stdout
        self.nvcsw = nvcsw  # voluntary context switches: waits, lock contention among them
        self.allocations = allocations  # from leakshim's text reports, when there are any


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--runs", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--alloc-heavy", required=True)
    ap.add_argument("--live-blocks", required=True)
    ap.add_argument("--snapshot-stall", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--quick", action="store_true")
    return ap.parse_args()


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
    env.update(getattr(w, "env", {}))
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
        status, ru = wait_for(proc)
        wall_s = time.perf_counter() - start
    with open(out_path, "rb") as f:
        stdout = f.read()
    allocations = count_allocations(args.workdir)
    remove_outputs(args.workdir)
    return Sample(wall_s, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, status, stdout, ru.ru_nvcsw,
                  allocations)


def wait_for(proc):
    """(shell-style status, rusage) of proc, status None when it ran past RUN_TIMEOUT_S
    and was killed. wait4 blocks: no polling adds to the measured time."""
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
        return None, ru
    return (128 - code if code < 0 else code), ru


def count_allocations(workdir):
    """The allocations leakshim's text reports of the run count (their SUMMARY lines, one
    report per process), or None when the run wrote none."""
    total = None
    for name in os.listdir(workdir):
        if not (name.startswith("out.leakshim.") and name.endswith(".txt")):
            continue
        with open(os.path.join(workdir, name), errors="replace") as f:
            m = re.search(r"^SUMMARY: .*?; ([0-9]+) allocations?,", f.read(), re.M)
        if m:
            total = (total or 0) + int(m.group(1))
    return total


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

    def ratio(self, field):
        """Median over pairs of traced / untraced for a Sample field."""
        return statistics.median(getattr(t, field) / max(getattr(u, field), 1e-9)
                                 for u, t in zip(self.untraced, self.traced))

    def untraced_s(self):
        return statistics.median(u.wall_s for u in self.untraced)


def measure(args, tools):
    """N rounds; in each, one pair per (workload, tool) still standing."""
    rows = []
    for tool in tools:
        for w in workloads.workloads(args, tool.small_input):
            rows.append(Row(w, tool))
    warm_up(args)
    # A quick run gives the slow tools one pair each: they take most of its time.
    slow_runs = 1 if args.quick else args.runs
    for i in range(args.runs):
        for row in rows:
            if row.failure is not None or (row.tool.small_input and i >= slow_runs):
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
        for w in workloads.workloads(args, small):
            run_once(args, w, None)


def main():
    args = parse_args()
    started = time.time()
    load_at_start = about.machine()["load_average"]
    workloads.write_inputs(args.workdir, args.quick)
    tools, missing = find_tools(args.lib, args.workdir)
    missing += ["%s (for the %s workload)" % (cmd, name)
                for name, cmd in workloads.needed_commands().items()]
    rows = measure(args, tools)
    leakshim_tools = [t for t in tools if t.is_leakshim]
    figures = probes.measure(run_once, Workload, args, leakshim_tools)
    sys.stderr.write("bench: probes done\n")

    results.print_table(rows, tools, args, missing)
    results.print_leakshim(rows, figures, leakshim_tools)
    doc = results.results_json(rows, figures, args, missing)
    doc["elapsed_s"] = round(time.time() - started, 1)
    doc["machine"]["load_average_at_start"] = load_at_start
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print("\nResults: %s (%.0f s)" % (args.out, doc["elapsed_s"]))


if __name__ == "__main__":  # bench/scan_runner.py imports the helpers above
    main()
