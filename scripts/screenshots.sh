#!/usr/bin/env bash
# Remakes the pictures of docs/walkthrough-cgo.md in docs/img/: the page `leakshim report`
# writes for examples/cgo, and go tool pprof's web UI (graph and flame graph) on the same
# run's profile. Runs what the walkthrough tells a user to run.
#
#   bash scripts/screenshots.sh [BUILD_DIR]     (default: build)
#
# Needs a build with leaky_cgo (go installed), go tool pprof and graphviz's dot, and the
# browser test's set-up: Chromium and `npm ci --prefix tests/html` (install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
port=${LEAKSHIM_PPROF_PORT:-8089}
work=$(mktemp -d)
pprof_pid=

cleanup() {
    if [ -n "$pprof_pid" ]; then
        kill "$pprof_pid" 2>/dev/null || true
        wait "$pprof_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

for need in "$build/bin/leakshim" "$build/bin/leaky_cgo"; do
    [ -x "$need" ] || { echo "screenshots: no $need; build first (leaky_cgo needs go)" >&2; exit 1; }
done
command -v dot >/dev/null || { echo "screenshots: no dot (apt-get install graphviz)" >&2; exit 1; }

# The walkthrough's run, in a folder of its own: the exit report as text, JSON and pprof,
# a timeline row every 10 ms.
LEAKSHIM_TIMELINE_PERIOD=10ms "$build/bin/leakshim" -f text,json,pprof \
    -o "$work/leaks.%n.%e" --timeline "$work/timeline.tsv" "$build/bin/leaky_cgo"
"$build/bin/leakshim" report -o "$work/leaky_cgo.html" --timeline "$work/timeline.tsv" \
    "$work/leaks.0.json"

# pprof's web UI on loopback only; -no_browser: nothing to open here.
go tool pprof -http="127.0.0.1:$port" -no_browser "$work/leaks.0.pb.gz" >"$work/pprof.log" 2>&1 &
pprof_pid=$!

mkdir -p docs/img
node scripts/screenshots.mjs --page "$work/leaky_cgo.html" --pprof "http://127.0.0.1:$port" \
    --out docs/img
