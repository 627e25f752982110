#!/usr/bin/env bash
# Installs what leakshim needs to build, test and benchmark on Debian 12, as root.
# Build: compiler, CMake, libunwind, elfutils' libdw, uthash, jansson (the CLI reads JSON
# reports with it). libc6-dbg gives glibc's frames file:line in reports (and valgrind
# needs it). Tests and bench: Python 3, Go (the cgo example), sqlite3 and valgrind (the
# oracle), heaptrack (a bench peer), jq (a bench workload), clang-format and cppcheck (CI's
# style checks).
# The page `leakshim report` writes is tested in Debian's Chromium, driven by node with
# playwright-core from the npm registry (tests/html); graphviz is for go tool pprof's
# graph view in scripts/screenshots.sh.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
    build-essential cmake pkg-config ca-certificates \
    libunwind-dev libdw-dev libelf-dev uthash-dev zlib1g-dev libjansson-dev \
    libc6-dbg python3 golang-go sqlite3 valgrind heaptrack jq clang-format cppcheck time \
    chromium fonts-dejavu-core graphviz \
    >/dev/null
# Node.js may already be there from elsewhere (its npm comes with it); Debian's otherwise.
if ! command -v npm >/dev/null; then
    apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
# The browser test's packages, pinned by tests/html/package-lock.json.
npm ci --prefix "$(dirname "$0")/../tests/html" --no-audit --no-fund >/dev/null
echo "leakshim: build and test dependencies installed"
