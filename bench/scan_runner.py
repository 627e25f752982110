"""scan_runner - times the leak check at exit of leakshim, LeakSanitizer and valgrind memcheck.

bench/scan.sh builds bench/scan_heap.c and calls this; see its header for the options. Each
tool runs each heap twice per round, its check off and then on: leakshim with
LEAKSHIM_SCAN=none and =exit, LSan (scan_heap built with gcc -fsanitize=leak) with
LSAN_OPTIONS=detect_leaks=0 and =1, memcheck with --leak-check=no and =full. The check's
time is the median wall time with it minus the median without it, so it holds everything
the check adds to a run: stopping threads, the scan, and writing what it found. One run is
bench/runner.py's run_once (an empty directory, stderr discarded, wait4 for the time).

Each checked run must find the leaks scan_heap made (definitely plus indirectly lost
blocks: leakshim's JSON summary, LSan's SUMMARY line, memcheck's LEAK SUMMARY); a run
that does not is flagged in the table, and a run that crashes or prints something else
than the untraced run ends that tool's row.
"""

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time

import runner

LSAN_LEAK_STATUS = 23  # LeakSanitizer's exit status when it found leaks


class Heap:
    """One scan_heap invocation and the number of blocks it leaks."""

    def __init__(self, name, mode, n, desc, leaked):
        self.name = name
        self.args = [mode, str(n)]
        self.desc = desc
        self.leaked = leaked


class Config:
    """A tool with its check on or off: runner.Tool, which binary, what it must exit with,
    and how to read the leaked blocks it found (None when the check is off)."""

    def __init__(self, tool, binary, status, found=None):
        self.tool = tool
        self.binary = binary
        self.status = status
        self.found = found


class Row:
    """One heap under one tool: the runs with the check off and on."""

    def __init__(self, heap, name, off, on):
        self.heap = heap
        self.name = name
        self.configs = (off, on)
        self.samples = ([], [])
        self.scan_ms = []
        self.found = []
        self.failure = None

    def check_ms(self):
        off, on = (statistics.median(s.wall_s for s in runs) for runs in self.samples)
        return (on - off) * 1000

    def median_s(self, i):
        return statistics.median(s.wall_s for s in self.samples[i])


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--runs", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--plain", required=True, help="scan_heap built with gcc -O2")
    ap.add_argument("--lsan", required=True, help="scan_heap built with -fsanitize=leak")
    ap.add_argument("--quick", action="store_true")
    return ap.parse_args()


def heaps(quick):
    """(a) many small blocks, (b) a big heap without pointers, and (b) pointer-dense."""
    n_small, mib = (100000, 64) if quick else (1000000, 1024)
    return [Heap("small", "small", n_small, "%d blocks of 16-64 B" % n_small, n_small // 100),
            Heap("big", "big", mib, "%d MiB in 1 MiB blocks, no pointers" % mib, 4),
            Heap("dense", "dense", mib, "%d MiB in 1 MiB blocks, pointer-dense" % mib, 4)]


def leakshim_found(path):
    with open(path) as f:
        report = json.load(f)
    s = report["summary"]
    return s["definite_blocks"] + s["indirect_blocks"], report.get("scan_ms")


def lsan_found(prefix):
    """Blocks in LSan's SUMMARY line; it writes prefix.<pid>, and nothing without leaks."""
    total = 0
    for path in logs(prefix):
        with open(path) as f:
            m = re.search(r"SUMMARY: LeakSanitizer: \d+ byte\(s\) leaked in (\d+) allocation",
                          f.read())
        total += int(m.group(1)) if m else 0
    return total, None


def memcheck_found(prefix):
    total = 0
    for path in logs(prefix):
        with open(path) as f:
            text = f.read()
        for kind in ("definitely", "indirectly"):
            m = re.search(kind + r" lost: [\d,]+ bytes in ([\d,]+) blocks", text)
            total += int(m.group(1).replace(",", "")) if m else 0
    return total, None


def logs(prefix):
    d, base = os.path.split(prefix)
    return [os.path.join(d, n) for n in sorted(os.listdir(d)) if n.startswith(base + ".")]


def rows_for(args, heap):
    """The three tools on one heap, each as a check-off and a check-on configuration."""
    out = os.path.join(args.workdir, "report")
    ls_env = {"LD_PRELOAD": args.lib, "LEAKSHIM_FORMAT": "json",
              "LEAKSHIM_OUTPUT": out + ".leakshim.json"}
    vg = ["valgrind", "--tool=memcheck", "--log-file=" + out + ".memcheck.%p"]
    lsan_log = "log_path=" + out + ".lsan"

    def ls(scan):
        return runner.Tool("leakshim", env=dict(ls_env, LEAKSHIM_SCAN=scan))

    return [Row(heap, "leakshim", Config(ls("none"), args.plain, 0),
                Config(ls("exit"), args.plain, 0,
                       lambda: leakshim_found(out + ".leakshim.json"))),
            Row(heap, "LSan", Config(runner.Tool("LSan", env={
                "LSAN_OPTIONS": "detect_leaks=0:" + lsan_log}), args.lsan, 0),
                Config(runner.Tool("LSan", env={"LSAN_OPTIONS": "detect_leaks=1:" + lsan_log}),
                       args.lsan, LSAN_LEAK_STATUS, lambda: lsan_found(out + ".lsan"))),
            Row(heap, "valgrind", Config(runner.Tool("valgrind", vg + ["--leak-check=no"]),
                                         args.plain, 0),
                Config(runner.Tool("valgrind", vg + ["--leak-check=full"]), args.plain, 0,
                       lambda: memcheck_found(out + ".memcheck")))]


def remove_reports(workdir):
    for name in os.listdir(workdir):
        if name.startswith("report."):
            os.unlink(os.path.join(workdir, name))


def run_config(args, row, i, expected_stdout):
    """One run of row's configuration i (0: check off, 1: on); notes a failure in row."""
    c = row.configs[i]
    w = runner.Workload(row.heap.name, [c.binary] + row.heap.args, os.devnull, row.heap.desc)
    remove_reports(args.workdir)
    s = runner.run_once(args, w, c.tool)
    row.samples[i].append(s)
    if s.status is None:
        row.failure = "timed out (%d s)" % runner.RUN_TIMEOUT_S
    elif s.status != c.status:
        row.failure = "crashed (exit %d)" % s.status
    elif not runner.same_output(expected_stdout, s.stdout, False):
        row.failure = "failed (output differs)"
    elif c.found is not None:
        found, scan_ms = c.found()
        row.found.append(found)
        if scan_ms is not None:
            row.scan_ms.append(scan_ms)
    remove_reports(args.workdir)


def measure(args, all_rows):
    """N rounds; in each, per heap, an untraced run and then every tool off, then on."""
    untraced = {}
    by_heap = {}
    for row in all_rows:
        by_heap.setdefault(row.heap.name, []).append(row)
    for r in range(args.runs + 1):  # round 0 warms the page cache and the machine's memory
        for name, rows in by_heap.items():
            heap = rows[0].heap
            w = runner.Workload(name, [args.plain] + heap.args, os.devnull, heap.desc)
            base = runner.run_once(args, w, None)
            if base.status != 0:
                sys.exit("bench: scan_heap %s fails untraced (exit %s)" % (name, base.status))
            if r == 0:
                continue
            untraced.setdefault(name, []).append(base.wall_s)
            for row in rows:
                for i in (0, 1):
                    if row.failure is None:
                        run_config(args, row, i, base.stdout)
        if r > 0:
            sys.stderr.write("bench: round %d of %d done\n" % (r, args.runs))
    return {name: statistics.median(v) for name, v in untraced.items()}


def found_cell(row):
    if not row.found:
        return "-"
    bad = [f for f in row.found if f != row.heap.leaked]
    if bad:
        return "%d, expected %d" % (bad[0], row.heap.leaked)
    return "%d" % row.heap.leaked


def print_table(rows, untraced, args):
    ls_ms = {r.heap.name: r.check_ms() for r in rows
             if r.name == "leakshim" and r.failure is None}
    print("| heap | untraced s | tool | check off s | check on s | check ms | tool / leakshim "
          "| leakshim scan_ms | leaked blocks found |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        cells = [r.heap.desc, "%.2f" % untraced[r.heap.name], r.name]
        if r.failure is not None:
            cells += [r.failure] * 5
        else:
            ms = r.check_ms()
            base = ls_ms.get(r.heap.name)
            ratio = "%.2fx" % (ms / base) if base and base > 0 else "-"
            scan = "%.0f" % statistics.median(r.scan_ms) if r.scan_ms else "-"
            cells += ["%.2f" % r.median_s(0), "%.2f" % r.median_s(1), "%.0f" % ms, ratio, scan]
        print("| " + " | ".join(cells + [found_cell(r)]) + " |")
    print()
    print("Medians of %d runs per cell (%s). check ms = median with the check - median "
          "without. leakshim: LEAKSHIM_SCAN=none vs exit (JSON report to a file); "
          "LSan: gcc -fsanitize=leak, LSAN_OPTIONS=detect_leaks=0 vs 1; valgrind: memcheck "
          "--leak-check=no vs full. leakshim scan_ms: the report's \"scan_ms\" (stop the "
          "world, read the maps, scan), median." % (args.runs,
                                                     "quick run" if args.quick else "full run"))


def results_json(rows, untraced, args):
    out = {"format": "leakshim-scan-bench", "version": 1, "time_unix": int(time.time()),
           "quick": args.quick, "runs": args.runs, "lib": args.lib,
           "machine": {"cpus": os.cpu_count(), "kernel": platform.release()},
           "untraced_s": untraced, "results": []}
    for r in rows:
        entry = {"heap": r.heap.name, "input": r.heap.desc, "tool": r.name,
                 "status": "ok" if r.failure is None else r.failure,
                 "check_off_s": [round(s.wall_s, 4) for s in r.samples[0]],
                 "check_on_s": [round(s.wall_s, 4) for s in r.samples[1]],
                 "leaked_blocks_found": r.found, "leaked_blocks_expected": r.heap.leaked}
        if r.scan_ms:
            entry["scan_ms"] = r.scan_ms
        if r.failure is None:
            entry["check_ms"] = round(r.check_ms(), 1)
        out["results"].append(entry)
    return out


def main():
    args = parse_args()
    rows = [row for heap in heaps(args.quick) for row in rows_for(args, heap)]
    untraced = measure(args, rows)
    print_table(rows, untraced, args)
    with open(args.out, "w") as f:
        json.dump(results_json(rows, untraced, args), f, indent=2)
        f.write("\n")
    print("\nResults: %s" % args.out)


main()
