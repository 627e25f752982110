#!/bin/sh
# SPDX-License-Identifier: MIT
#
# run.sh - runs a browser test of tests/html with node, or exits 77 (CTest's skip) with
# the reason when something it needs is missing: node, the npm packages (installed by
# `npm ci --prefix tests/html`, which .ci/run does) or Chromium (Debian's chromium).
#   sh run.sh TEST.mjs ARGS...
here=$(cd "$(dirname "$0")" && pwd)
test=$1
shift

# Where the test must run (LEAKSHIM_HTML_REQUIRED=1: .ci/run), a missing piece fails it.
skip() {
    if [ "${LEAKSHIM_HTML_REQUIRED:-0}" = 1 ]; then
        echo "FAIL (LEAKSHIM_HTML_REQUIRED=1): $1"
        exit 1
    fi
    echo "SKIP: $1"
    exit 77
}

if ! command -v node >/dev/null 2>&1; then
    skip "node is not installed (apt-get install nodejs npm)"
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
    skip "playwright-core is not installed; run: npm ci --prefix $here"
fi
chromium=${LEAKSHIM_CHROMIUM:-$(command -v chromium || echo /usr/bin/chromium)}
if [ ! -x "$chromium" ]; then
    skip "no Chromium at $chromium (apt-get install chromium, or set LEAKSHIM_CHROMIUM)"
fi

exec node "$here/$test" --chromium "$chromium" "$@"
