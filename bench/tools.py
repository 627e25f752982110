"""tools - the tools bench/runner.py compares, and how each one runs a program.

A Tool is a command prefix and environment additions. leakshim gets one row per entry of
LEAKSHIM_MODES: a mode is its row name, the LEAKSHIM_* variables it sets (passed to the
traced program as they are) and a note, so a new mode is one more line there. Slow tools
(valgrind memcheck, LeakSanitizer with DWARF unwinding) run the workloads' smaller inputs.
"""

import os
import shutil
import subprocess

# heaptrack 1.4's heaptrack_interpret grows without bound on alloc_heavy (it throws
# bad_alloc at about 19 GB on a 24 GB machine); a cap on its address space makes it fail
# in seconds instead of pushing the machine into swap. Its normal runs stay far below.
HEAPTRACK_AS_LIMIT = 4 << 30

# leakshim's rows: (row name, LEAKSHIM_* settings, note). Add a mode with one line, e.g.
#   ("leakshim fp", {"LEAKSHIM_UNWIND": "fp"}, "frame-pointer unwinding"),
LEAKSHIM_MODES = [
    ("leakshim", {}, "exact mode (every block, DWARF stacks); text report to a file"),
    ("leakshim sampled", {"LEAKSHIM_SAMPLE": "524288"},
     "LEAKSHIM_SAMPLE=524288: Poisson sampling by bytes at Go's default rate"),
]


class Tool:
    """How to run a program under one tool: a command prefix, environment additions, and
    an optional address-space cap. Paths may use {out}, a per-run output prefix."""

    def __init__(self, name, prefix=(), env=None, as_limit=None, small_input=False, note="",
                 adds_stdout=False, is_leakshim=False):
        self.name = name
        self.adds_stdout = adds_stdout  # prints its own lines around the program's output
        self.prefix = list(prefix)
        self.env = env or {}
        self.as_limit = as_limit
        self.small_input = small_input
        self.note = note
        self.is_leakshim = is_leakshim


def lsan_library():
    """GCC's standalone LeakSanitizer runtime, or None when gcc or the library is missing."""
    try:
        path = subprocess.run(["gcc", "-print-file-name=liblsan.so"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return os.path.realpath(path) if os.path.isabs(path) and os.path.exists(path) else None


def leakshim_tools(lib, out):
    return [Tool(name, env=dict({"LD_PRELOAD": lib, "LEAKSHIM_OUTPUT": out + ".leakshim.%p.txt"},
                                **settings),
                 note=note, is_leakshim=True)
            for name, settings, note in LEAKSHIM_MODES]


def lsan_tools(lsan, out):
    """Both of LeakSanitizer's unwinders. exitcode=0: a leak found at exit (python3 has
    some) is reported to a file, as leakshim's are, and does not count as a crash."""
    common = "detect_leaks=1:exitcode=0:log_path=" + out + ".lsan"
    return [Tool("LSan (fp)", env={"LD_PRELOAD": lsan,
                                   "LSAN_OPTIONS": common + ":fast_unwind_on_malloc=1"},
                 note="gcc's liblsan preloaded, frame-pointer unwinding (its default)"),
            Tool("LSan (DWARF)", env={"LD_PRELOAD": lsan,
                                      "LSAN_OPTIONS": common + ":fast_unwind_on_malloc=0"},
                 small_input=True,
                 note="gcc's liblsan preloaded, fast_unwind_on_malloc=0 (full unwinding), "
                 "smaller input")]


def find_tools(lib, workdir):
    """The tools to compare, and the names of those that are not installed."""
    out = os.path.join(workdir, "out")
    tools = leakshim_tools(lib, out)
    missing = []
    if shutil.which("heaptrack"):
        tools.append(Tool("heaptrack", ["heaptrack", "-o", out + ".heaptrack"],
                          as_limit=HEAPTRACK_AS_LIMIT, adds_stdout=True,
                          note="heaptrack -o: records and compresses, no analysis; "
                          "address space capped at 4 GiB (see bench/tools.py)"))
    else:
        missing.append("heaptrack")
    lsan = lsan_library()
    if lsan:
        tools += lsan_tools(lsan, out)
    else:
        missing.append("LSan (gcc's liblsan.so)")
    if shutil.which("valgrind"):
        tools.append(Tool("valgrind", ["valgrind", "--tool=memcheck", "--leak-check=full",
                                       "--log-file=" + out + ".valgrind.%p"],
                          small_input=True, note="memcheck, smaller input"))
    else:
        missing.append("valgrind")
    return tools, missing
