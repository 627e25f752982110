#!/usr/bin/env bash
# bench/run.sh - how much slower and bigger programs run under leakshim, beside heaptrack,
# valgrind memcheck and LeakSanitizer.
#
# Usage: bash bench/run.sh [--quick] [--lib PATH] [--out PATH] [--runs N]
#   --lib PATH  libleakshim.so to measure; default $LEAKSHIM_LIB, else
#               build/lib/libleakshim.so under the repository root. It is not built here.
#   --out PATH  where the machine-readable results (JSON) go; default a new temp file.
#   --runs N    untraced/traced pairs per row; default 5, or 2 with --quick.
#   --quick     fewer pairs and smaller inputs: under 2 minutes on 2 cores (the full run
#               takes under 10).
#
# Two workloads, built or generated in a temp dir (removed at the end):
#   alloc_heavy  bench/alloc_heavy.c, gcc -O2 -g: millions of malloc/calloc/realloc/free
#                at call depths 5-20 with about 100,000 blocks live;
#   sqlite3      Debian's sqlite3 running tests/oracle/sql_workload.py's script with
#                200,000 inserts (50,000 with --quick) in one transaction into an indexed
#                table, then updates, deletes and group-bys.
# Each runs untraced and under each tool that is installed (leakshim; heaptrack -o, which
# records only; LSan, gcc's liblsan.so preloaded with LSAN_OPTIONS=detect_leaks=1;
# valgrind memcheck, on a smaller input because it is ~10-50x slower), in pairs: untraced,
# traced, untraced, traced... (see bench/runner.py). stdout gets a markdown table of the
# median wall-time and peak-RSS ratios (traced / untraced) and the untraced seconds; a
# tool that crashes or fails shows as "crashed (exit N)". leakshim writes its text report
# to a temp file, so writing the report is part of its time.
set -euo pipefail

. "$(dirname "$0")/options.sh"
bench_options "$@" -- gcc /usr/bin/sqlite3

# Inputs: alloc_heavy's scale is millions of operations; valgrind gets the small ones.
if [ "$quick" = 1 ]; then
    runs=${runs:-2} scale=2 small_scale=1 rows=50000 small_rows=10000
else
    runs=${runs:-5} scale=4 small_scale=1 rows=200000 small_rows=20000
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -n "$out" ] || out=$(mktemp --suffix=.leakshim-bench.json)

gcc -O2 -g -o "$work/alloc_heavy" "$repo/bench/alloc_heavy.c"
"$python" "$repo/tests/oracle/sql_workload.py" "$rows" >"$work/workload.sql"
"$python" "$repo/tests/oracle/sql_workload.py" "$small_rows" >"$work/small.sql"

quick_flag=()
[ "$quick" = 1 ] && quick_flag=(--quick)
PYTHONDONTWRITEBYTECODE=1 "$python" "$repo/bench/runner.py" --lib "$lib" --workdir "$work" \
    --runs "$runs" --out "$out" --alloc-heavy "$work/alloc_heavy" --scale "$scale" \
    --small-scale "$small_scale" --sql "$work/workload.sql" --small-sql "$work/small.sql" \
    --rows "$rows" --small-rows "$small_rows" "${quick_flag[@]}"
