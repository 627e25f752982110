# bench/options.sh - what every bench script does first, sourced by them: read the
# options --quick, --lib PATH, --out PATH, --runs N (and --help, which prints the
# calling script's header), check the library and the tools it needs.
#
# Sets repo, lib, out, quick, runs (runs empty unless given) and python.

repo=$(cd "$(dirname "$0")/.." && pwd)
lib=${LEAKSHIM_LIB:-$repo/build/lib/libleakshim.so}
out=""
quick=0
runs=""

bench_usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}

# bench_options "$@" [-- NEEDED_COMMAND...]: parses the options, then checks the library
# and that every needed command exists.
bench_options() {
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        case "$1" in
        --quick) quick=1 ;;
        --lib) lib=${2:?--lib needs a path}; shift ;;
        --out) out=${2:?--out needs a path}; shift ;;
        --runs) runs=${2:?--runs needs a number}; shift ;;
        -h | --help) bench_usage ;;
        *) echo "bench: unknown option $1" >&2; bench_usage ;;
        esac
        shift
    done
    [ $# -gt 0 ] && shift
    if [ ! -f "$lib" ]; then
        echo "bench: $lib does not exist; build leakshim first or pass --lib" >&2
        exit 2
    fi
    lib=$(realpath -s "$lib")
    for need in "$@"; do
        if ! command -v "$need" >/dev/null; then
            echo "bench: $need is missing (scripts/install-deps.sh installs it)" >&2
            exit 2
        fi
    done
    python=/usr/bin/python3
    [ -x "$python" ] || python=python3
}
