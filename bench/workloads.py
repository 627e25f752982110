"""workloads - the programs bench/runner.py times, at three input sizes.

SIZES holds each workload's input for a full run, a quick run and the smaller input the
slow tools get (valgrind, LeakSanitizer with DWARF unwinding): about 2 s, 0.5 s and 0.2 s
untraced on the project's 2-core machine. write_inputs() generates the SQL and JSON files
once per run of the bench; workloads() builds the argument vectors.
"""

import os
import shutil
import subprocess
import sys

import jq_input

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

# workload: (full, quick, small for a full run, small for a quick run)
SIZES = {
    "alloc_heavy": (4, 2, 1, 1),  # millions of operations
    "python3": (25, 7, 2, 1),     # rounds of bench/py_workload.py
    "sqlite3": (200000, 50000, 20000, 10000),  # inserts
    "jq": (50000, 10000, 3000, 2000),           # orders
}


class Workload:
    """A program, its stdin, what its input is, and environment it always runs with
    (untraced or traced)."""

    def __init__(self, name, argv, stdin_path, input_desc, env=None):
        self.name = name
        self.argv = argv
        self.stdin_path = stdin_path
        self.input_desc = input_desc
        self.env = env or {}


def size_of(name, quick, small):
    full, quick_size, small_full, small_quick = SIZES[name]
    if small:
        return small_quick if quick else small_full
    return quick_size if quick else full


def needed_commands():
    """Workloads that need a command that is missing: {workload: command}."""
    return {name: cmd for name, cmd in (("sqlite3", "/usr/bin/sqlite3"), ("jq", "jq"))
            if shutil.which(cmd) is None}


def generate(script, arg, path):
    with open(path, "w") as f:
        subprocess.run([PYTHON, script, str(arg)], stdout=f, check=True)


def write_inputs(workdir, quick):
    """The SQL scripts and JSON files, for the normal and the small size."""
    for small in (False, True):
        tag = "small" if small else "normal"
        generate(os.path.join(REPO, "tests", "oracle", "sql_workload.py"),
                 size_of("sqlite3", quick, small), os.path.join(workdir, tag + ".sql"))
        if "jq" not in needed_commands():
            generate(os.path.join(HERE, "jq_input.py"), size_of("jq", quick, small),
                     os.path.join(workdir, tag + ".json"))


def workloads(args, small):
    """Every workload whose commands are installed, at the normal or the small size."""
    def size(name):
        return size_of(name, args.quick, small)

    tag = os.path.join(args.workdir, "small" if small else "normal")
    ah = size("alloc_heavy")
    out = [Workload("alloc_heavy", [args.alloc_heavy, str(ah)], os.devnull,
                    "%d million operations" % ah),
           Workload("alloc_heavy 2 threads", [args.alloc_heavy, str(ah), "2"], os.devnull,
                    "%d million operations" % ah),
           Workload("python3", [PYTHON, os.path.join(HERE, "py_workload.py"),
                                str(size("python3"))], os.devnull,
                    "%d rounds" % size("python3"),
                    env={"PYTHONMALLOC": "malloc", "PYTHONHASHSEED": "0",
                         "PYTHONDONTWRITEBYTECODE": "1"}),
           Workload("sqlite3", ["/usr/bin/sqlite3", "-batch", "-bail", "-init", os.devnull,
                                "bench.db"], tag + ".sql", "%d inserts" % size("sqlite3")),
           Workload("jq", ["jq", "-c", jq_input.JQ_FILTER, tag + ".json"], os.devnull,
                    "%d orders" % size("jq"))]
    missing = needed_commands()
    return [w for w in out if w.name not in missing]
