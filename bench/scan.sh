#!/usr/bin/env bash
# bench/scan.sh - how long the leak check at exit takes in leakshim, LeakSanitizer and
# valgrind memcheck, on a heap of many small blocks and on a big one.
#
# Usage: bash bench/scan.sh [--quick] [--lib PATH] [--out PATH] [--runs N]
#   --lib PATH  libleakshim.so to measure; default $LEAKSHIM_LIB, else
#               build/lib/libleakshim.so under the repository root. It is not built here;
#               a Release build (-DCMAKE_BUILD_TYPE=Release) is the one to measure.
#   --out PATH  where the machine-readable results (JSON) go; default a new temp file.
#   --runs N    runs of each configuration; default 3.
#   --quick     a tenth of the blocks and 64 MiB instead of 1 GiB: under a minute on 2
#               cores (the full run takes about 2).
#
# bench/scan_heap.c, built twice (gcc -O2 -g, and with -fsanitize=leak for LSan), makes
# the heaps: 1,000,000 blocks of 16-64 bytes in a list a global points to plus 10,000
# leaked; 1024 blocks of 1 MiB a global array points to plus 4 leaked, filled with small
# integers; the same filled with pointers to the blocks. Each tool runs each heap with its
# check off and on (bench/scan_runner.py says how); stdout gets a markdown table of the
# median wall times, their difference (the check) and its ratio to leakshim's, and
# leakshim's own "scan_ms". A tool that is not installed is an error: the table compares
# all three.
set -euo pipefail

. "$(dirname "$0")/options.sh"
bench_options "$@" -- gcc valgrind
runs=${runs:-3}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -n "$out" ] || out=$(mktemp --suffix=.leakshim-scan-bench.json)

gcc -O2 -g -o "$work/scan_heap" "$repo/bench/scan_heap.c"
if ! gcc -O2 -g -fsanitize=leak -o "$work/scan_heap_lsan" "$repo/bench/scan_heap.c"; then
    echo "bench: gcc -fsanitize=leak fails: LeakSanitizer's runtime (liblsan0) is missing" >&2
    exit 2
fi

quick_flag=()
[ "$quick" = 1 ] && quick_flag=(--quick)
PYTHONDONTWRITEBYTECODE=1 "$python" "$repo/bench/scan_runner.py" --lib "$lib" \
    --workdir "$work" --runs "$runs" --out "$out" --plain "$work/scan_heap" \
    --lsan "$work/scan_heap_lsan" "${quick_flag[@]}"
