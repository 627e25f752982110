#!/usr/bin/env bash
# Installs what leakshim needs to build, test and benchmark on Debian 12, as root.
# Build: compiler, CMake, libunwind, elfutils' libdw, uthash, jansson (the CLI reads JSON
# reports with it). libc6-dbg gives glibc's frames file:line in reports (and valgrind
# needs it). Tests and bench: Python 3, Go (the cgo example), sqlite3 and valgrind (the
# oracle), heaptrack (a bench peer), clang-format and cppcheck (CI's style checks).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
    build-essential cmake pkg-config ca-certificates \
    libunwind-dev libdw-dev libelf-dev uthash-dev zlib1g-dev libjansson-dev \
    libc6-dbg python3 golang-go sqlite3 valgrind heaptrack clang-format cppcheck time \
    >/dev/null
echo "leakshim: build and test dependencies installed"
