#!/usr/bin/env bash
# bench/run.sh - how much slower and bigger programs run under leakshim, beside heaptrack,
# LeakSanitizer and valgrind memcheck, and leakshim's own figures from issue 5.
#
# Usage: bash bench/run.sh [--quick] [--lib PATH] [--out PATH] [--runs N]
#   --lib PATH  libleakshim.so to measure; default $LEAKSHIM_LIB, else
#               build/lib/libleakshim.so under the repository root. It is not built here;
#               a Release build (-DCMAKE_BUILD_TYPE=Release) is the one to measure.
#   --out PATH  where the machine-readable results (JSON) go; default a new temp file.
#   --runs N    untraced/traced pairs per row; default 3, or 2 with --quick.
#   --quick     fewer pairs and smaller inputs: about 2 minutes on 2 cores (the full run
#               about 6; both stay under 3 and 10).
#
# Workloads (bench/workloads.py has their sizes), built or generated in a temp dir:
#   alloc_heavy            bench/alloc_heavy.c, gcc -O2 -g: millions of malloc/calloc/
#                          realloc/free at call depths 5-20, about 100,000 blocks live;
#   alloc_heavy 2 threads  the same work split over two threads;
#   python3                bench/py_workload.py with PYTHONMALLOC=malloc: records through
#                          json round trips, dict and list churn;
#   sqlite3                tests/oracle/sql_workload.py's script (200,000 inserts into an
#                          indexed table, updates, deletes, group-bys);
#   jq                     bench/jq_input.py's orders file through a grouping filter.
# Each runs untraced and under each tool that is installed (leakshim, one row per mode in
# bench/tools.py; heaptrack -o, which records only; LSan, gcc's liblsan.so preloaded, with
# frame-pointer and with DWARF unwinding; valgrind memcheck), in pairs: untraced, traced,
# untraced, traced... (see bench/runner.py). The slow tools (LSan with DWARF, valgrind) get
# smaller inputs. stdout gets a markdown table of the median wall-time, CPU-time and
# peak-RSS ratios (traced / untraced) and the untraced seconds; a tool that crashes or
# fails shows as "crashed (exit N)". leakshim writes its text report to a temp file, so
# writing the report is part of its time.
#
# Then leakshim's own figures, beside issue 5's targets (printed, never asserted): its
# metadata bytes per live block (bench/live_blocks.c, 1 million blocks of 32 bytes, VmRSS
# growth traced minus untraced), the two-thread scaling (slowdown on 2 threads over the
# slowdown on 1) and the worst malloc stall while a SIGUSR2 snapshot of 1 million live
# blocks is written (bench/snapshot_stall.c), with the snapshot's own time.
set -euo pipefail

. "$(dirname "$0")/options.sh"
bench_options "$@" -- gcc /usr/bin/sqlite3
if [ "$quick" = 1 ]; then
    runs=${runs:-2}
else
    runs=${runs:-3}
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -n "$out" ] || out=$(mktemp --suffix=.leakshim-bench.json)

gcc -O2 -g -pthread -o "$work/alloc_heavy" "$repo/bench/alloc_heavy.c"
gcc -O2 -g -o "$work/live_blocks" "$repo/bench/live_blocks.c"
gcc -O2 -g -pthread -o "$work/snapshot_stall" "$repo/bench/snapshot_stall.c"

quick_flag=()
[ "$quick" = 1 ] && quick_flag=(--quick)
PYTHONDONTWRITEBYTECODE=1 "$python" "$repo/bench/runner.py" --lib "$lib" --workdir "$work" \
    --runs "$runs" --out "$out" --repo "$repo" --alloc-heavy "$work/alloc_heavy" \
    --live-blocks "$work/live_blocks" --snapshot-stall "$work/snapshot_stall" \
    "${quick_flag[@]}"
