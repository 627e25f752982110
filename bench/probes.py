"""probes - leakshim's own figures, beside the paired workload runs: its metadata per
live block (bench/live_blocks.c) and how a SIGUSR2 snapshot with 1 million live blocks
stalls a thread that keeps allocating (bench/snapshot_stall.c).

Each probe runs the program untraced and under each leakshim mode, alternately, a few
times, through runner.run_once, and keeps the medians (the worst stall: the worst run).
"""

import os
import re
import statistics

import tools

LIVE_BLOCKS = 1000000
PROBE_RUNS_MAX = 3


class Probe:
    """A C program's figures ("key value" pairs on its stdout) untraced and traced."""

    def __init__(self, name):
        self.name = name
        self.untraced = []
        self.traced = []
        self.failure = None


def parse_figures(stdout):
    text = stdout.decode(errors="replace")
    return {k: float(v) for k, v in re.findall(r"([a-z_]+) (-?[0-9.]+)", text)}


def run_probe(run_once, args, pair, tool, probe):
    """One untraced run of pair[0] and one run of pair[1] under tool, their figures added
    to probe."""
    base = run_once(args, pair[0], None)
    traced = run_once(args, pair[1], tool)
    if base.status != 0:
        probe.failure = "fails untraced (exit %s)" % base.status
    elif traced.status != 0:
        probe.failure = ("timed out" if traced.status is None
                         else "crashed (exit %d)" % traced.status)
    else:
        probe.untraced.append(parse_figures(base.stdout))
        probe.traced.append(parse_figures(traced.stdout))


def live_blocks_bytes(probe):
    """Median over pairs of (traced growth - untraced growth) / blocks, in bytes."""
    def growth_kb(f):
        return f["after_kb"] - f["before_kb"]

    per_block = [(growth_kb(t) - growth_kb(u)) * 1024 / LIVE_BLOCKS
                 for u, t in zip(probe.untraced, probe.traced)]
    return statistics.median(per_block) if per_block else None


def snapshot_figures(probe):
    if not probe.traced:
        return None
    t = probe.traced
    return {"worst_stall_ms": max(f["snapshot_max_ms"] for f in t),
            "median_worst_stall_ms": statistics.median(f["snapshot_max_ms"] for f in t),
            "untraced_worst_stall_ms": max(f["snapshot_max_ms"] for f in probe.untraced),
            "quiet_worst_stall_ms": max(f["quiet_max_ms"] for f in t),
            "snapshot_ms": statistics.median(f["snapshot_ms"] for f in t),
            "gathered_after_ms": statistics.median(f["gathered_after_ms"] for f in t),
            "written": all(f["written"] == 1 for f in t)}


def snapshot_tool(tool, report_path):
    env = dict(tool.env, LEAKSHIM_OUTPUT=report_path, LEAKSHIM_FORMAT="json")
    return tools.Tool(tool.name, env=env, is_leakshim=True)


def measure(run_once, workload_class, args, leakshim_tools):
    """{mode name: {"metadata_bytes_per_block": ..., "snapshot": {...}, ...}}."""
    n_runs = min(args.runs, PROBE_RUNS_MAX)
    report_path = os.path.join(args.workdir, "out.snapshot.json")
    lb = workload_class("live_blocks", [args.live_blocks, str(LIVE_BLOCKS)], os.devnull, "")
    # Untraced, snapshot_stall sends no signal (SIGUSR2 would end it) and waits for no file.
    stall = [workload_class("snapshot_stall", [args.snapshot_stall, str(LIVE_BLOCKS), path],
                            os.devnull, "") for path in ("-", report_path)]
    results = {}
    for tool in leakshim_tools:
        meta, snap = Probe("live_blocks"), Probe("snapshot_stall")
        for _ in range(n_runs):
            if meta.failure is None:
                run_probe(run_once, args, (lb, lb), tool, meta)
            if snap.failure is None:
                run_probe(run_once, args, stall, snapshot_tool(tool, report_path), snap)
        results[tool.name] = {
            "metadata_bytes_per_block": live_blocks_bytes(meta),
            "metadata_failure": meta.failure,
            "snapshot": snapshot_figures(snap), "snapshot_failure": snap.failure,
            "live_blocks_runs": {"untraced": meta.untraced, "traced": meta.traced},
            "snapshot_runs": {"untraced": snap.untraced, "traced": snap.traced}}
    return results
