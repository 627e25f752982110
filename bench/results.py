"""results - what the bench prints (markdown tables) and writes (the JSON results file).

The first table has one row per workload and tool: the untraced seconds and the median
wall, CPU and peak-RSS ratios. The second puts leakshim's figures (one column per mode)
beside issue 5's targets; a missed target is marked, never fatal.
"""

import statistics

import about

# Issue 5's targets for leakshim's exact mode: wall ratio per workload, and the rest.
WALL_TARGETS = {"alloc_heavy": 3.0, "python3": 2.5, "sqlite3": 2.0, "jq": 1.3}
# Sampling mode (LEAKSHIM_SAMPLE): one target for every workload.
SAMPLED_WALL_TARGET = 1.05
RSS_TARGET = 1.5
SCALING_TARGET = 1.1
METADATA_TARGET = 32
STALL_TARGET_MS = 10


def row_cells(r):
    if r.failure is not None:
        return ["%.2f" % r.untraced_s(), r.failure, r.failure, r.failure]
    return ["%.2f" % r.untraced_s()] + ["%.2fx" % r.ratio(f)
                                        for f in ("wall_s", "cpu_s", "rss_kb")]


def ordered(rows):
    """By workload (in the order workloads.py lists them), then tool."""
    order = {}
    for r in rows:
        order.setdefault(r.workload.name, len(order))
    return sorted(rows, key=lambda r: order[r.workload.name])


def print_table(rows, tools, args, missing):
    print("| workload | input | tool | untraced s | wall ratio | CPU ratio | peak RSS ratio |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    for r in ordered(rows):
        print("| %s | %s | %s | %s |" % (r.workload.name, r.workload.input_desc, r.tool.name,
                                         " | ".join(row_cells(r))))
    print()
    print("Medians of %d untraced/traced pairs per row (%s); CPU is user + system time of "
          "the process tree. The slow tools run a smaller input, compared with untraced "
          "runs of that input%s." % (args.runs, "quick run" if args.quick else "full run",
                                      ", one pair each in a quick run" if args.quick else ""))
    m = about.machine()
    print("Machine: %d CPUs (%s), %s GiB; load average now %.2f (1 min), %.2f (15 min): "
          "other work on the machine shows in every ratio." % (
              m["cpus"], m["cpu_model"], m["ram_gib"], m["load_average"][0],
              m["load_average"][2]))
    for tool in tools:
        print("- %s: %s" % (tool.name, tool.note))
    if missing:
        print("Not installed, so not compared: %s." % ", ".join(missing))


def find_row(rows, workload, tool):
    for r in rows:
        if r.workload.name == workload and r.tool is tool:
            return r
    return None


def ratio_or_none(r, field):
    return None if r is None or r.failure is not None else r.ratio(field)


def scaling(rows, tool, field):
    """The slowdown on 2 threads over the slowdown on 1, or None."""
    one = ratio_or_none(find_row(rows, "alloc_heavy", tool), field)
    two = ratio_or_none(find_row(rows, "alloc_heavy 2 threads", tool), field)
    return two / one if one and two else None


def context_switches(rows, tool):
    """Median voluntary context switches of the 2-thread run, (untraced, traced)."""
    r = find_row(rows, "alloc_heavy 2 threads", tool)
    if r is None or not r.traced:
        return None
    return (statistics.median(s.nvcsw for s in r.untraced),
            statistics.median(s.nvcsw for s in r.traced))


def per_allocation(r):
    """(allocations in a run, extra CPU ns per allocation: median traced CPU time minus
    median untraced, over the allocations), or None when the reports gave no count."""
    counts = [s.allocations for s in r.traced if s.allocations]
    if not counts:
        return None
    n = statistics.median(counts)
    extra_s = (statistics.median(s.cpu_s for s in r.traced)
               - statistics.median(s.cpu_s for s in r.untraced))
    return n, extra_s * 1e9 / n


def wall_targets(tool):
    """The wall-ratio target per workload for one leakshim mode."""
    if "LEAKSHIM_SAMPLE" in tool.env:
        return {name: SAMPLED_WALL_TARGET for name in WALL_TARGETS}
    return WALL_TARGETS


def leakshim_lines(rows, figures, tool):
    """(figure, value text, target text, missed) for one leakshim mode."""
    out = []
    for name, target in wall_targets(tool).items():
        r = find_row(rows, name, tool)
        if r is None:
            continue
        if r.failure is not None:
            out.append(("%s: wall, CPU, RSS" % name, r.failure, "", True))
            continue
        wall, cpu, rss = (r.ratio(f) for f in ("wall_s", "cpu_s", "rss_kb"))
        out.append(("%s: wall, CPU, peak RSS ratio" % name,
                    "%.2fx, %.2fx, %.2fx" % (wall, cpu, rss),
                    "<= %gx, -, <= %gx" % (target, RSS_TARGET),
                    wall > target or rss > RSS_TARGET))
        cost = per_allocation(r)
        if cost:
            out.append(("%s: allocations, CPU ns added per allocation" % name,
                        "%.2f M, %.0f ns" % (cost[0] / 1e6, cost[1]), "", False))
    for field, label in (("wall_s", "wall"), ("cpu_s", "CPU")):
        s = scaling(rows, tool, field)
        out.append(("2 threads: slowdown / 1-thread slowdown (%s)" % label,
                    "%.2f" % s if s else "-", "<= %g" % SCALING_TARGET if label == "wall" else "",
                    s is not None and label == "wall" and s > SCALING_TARGET))
    cs = context_switches(rows, tool)
    if cs:
        out.append(("2 threads: voluntary context switches, untraced -> traced",
                    "%d -> %d" % cs, "", False))
    f = figures.get(tool.name, {})
    meta = f.get("metadata_bytes_per_block")
    out.append(("metadata bytes per live block (1M blocks of 32 B)",
                "%.1f" % meta if meta is not None else f.get("metadata_failure") or "-",
                "<= %d" % METADATA_TARGET, meta is not None and meta > METADATA_TARGET))
    snap = f.get("snapshot")
    if snap:
        out.append(("SIGUSR2 snapshot, 1M live blocks: worst malloc/free stall ms (untraced)",
                    "%.1f (%.1f)" % (snap["worst_stall_ms"], snap["untraced_worst_stall_ms"]),
                    "<= %d" % STALL_TARGET_MS, snap["worst_stall_ms"] > STALL_TARGET_MS))
        out.append(("SIGUSR2 snapshot: signal to report file ms (to time_unix_ms)",
                    "%.0f (%.0f)" % (snap["snapshot_ms"], snap["gathered_after_ms"]), "",
                    not snap["written"]))
    else:
        out.append(("SIGUSR2 snapshot, 1M live blocks", f.get("snapshot_failure") or "-",
                    "", True))
    return out


def print_leakshim(rows, figures, leakshim_tools):
    for tool in leakshim_tools:
        print("\n| %s figure | measured | issue 5 target |" % tool.name)
        print("| --- | ---: | ---: |")
        missed = []
        for label, value, target, is_missed in leakshim_lines(rows, figures, tool):
            print("| %s | %s | %s |" % (label, value + (" (missed)" if is_missed else ""),
                                        target))
            if is_missed:
                missed.append(label.split(":")[0])
        print("\n%s: %d row%s with a missed target (printed only; the bench never fails "
              "on them)." % (tool.name, len(missed), "" if len(missed) == 1 else "s"))


def leakshim_json(rows, figures, tool):
    out = dict(figures.get(tool.name, {}))
    out["two_thread_scaling_wall"] = scaling(rows, tool, "wall_s")
    out["two_thread_scaling_cpu"] = scaling(rows, tool, "cpu_s")
    cs = context_switches(rows, tool)
    out["two_thread_voluntary_context_switches"] = (
        {"untraced": cs[0], "traced": cs[1]} if cs else None)
    return out


def rounded(x):
    return round(x, 4) if isinstance(x, float) else x


def results_json(rows, figures, args, missing):
    out = {"format": "leakshim-bench", "version": 2, "quick": args.quick, "runs": args.runs,
           "lib": args.lib, "not_installed": missing, "results": []}
    out.update(about.describe(args.lib, args.repo))
    for r in ordered(rows):
        entry = {"workload": r.workload.name, "input": r.workload.input_desc,
                 "tool": r.tool.name, "note": r.tool.note, "env": r.tool.env,
                 "status": "ok" if r.failure is None else r.failure}
        for key, field in (("s", "wall_s"), ("cpu_s", "cpu_s"), ("rss_kb", "rss_kb"),
                           ("voluntary_cs", "nvcsw"), ("allocations", "allocations")):
            for side in ("untraced", "traced"):
                samples = getattr(r, side)
                entry["%s_%s" % (side, key)] = [rounded(getattr(s, field)) for s in samples]
        entry["traced_exit"] = [s.status for s in r.traced]
        if r.failure is None:
            for key, field in (("wall_ratio", "wall_s"), ("cpu_ratio", "cpu_s"),
                               ("rss_ratio", "rss_kb")):
                entry[key] = round(r.ratio(field), 4)
        out["results"].append(entry)
    out["leakshim"] = {t.name: leakshim_json(rows, figures, t)
                       for t in {r.tool for r in rows if r.tool.is_leakshim}}
    return out
