"""about - what a results file says about where and with what it was measured: the date,
the machine (CPUs, CPU model, RAM, kernel, load), the tools' versions and the commit."""

import os
import platform
import subprocess
import time


def first_line(argv):
    """The first non-empty line a command prints (stdout, else stderr), or None."""
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in (p.stdout + "\n" + p.stderr).splitlines():
        if line.strip():
            return line.strip()
    return None


def proc_field(path, key):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def machine():
    mem_kb = proc_field("/proc/meminfo", "MemTotal")
    return {"cpus": os.cpu_count(), "cpu_model": proc_field("/proc/cpuinfo", "model name"),
            "ram_gib": round(int(mem_kb.split()[0]) / 1048576, 1) if mem_kb else None,
            "kernel": platform.release(), "load_average": [round(x, 2) for x in os.getloadavg()]}


def versions(lib):
    leakshim = None
    lib_real = os.path.realpath(lib)
    if ".so." in os.path.basename(lib_real):  # libleakshim.so.0.1.0
        leakshim = os.path.basename(lib_real).split(".so.", 1)[1]
    return {"leakshim": leakshim, "gcc": first_line(["gcc", "-dumpfullversion"]),
            "heaptrack": first_line(["heaptrack", "--version"]),
            "valgrind": first_line(["valgrind", "--version"]),
            "python3": first_line(["/usr/bin/python3", "--version"]),
            "sqlite3": first_line(["/usr/bin/sqlite3", "--version"]),
            "jq": first_line(["jq", "--version"])}


def git_commit(repo):
    """HEAD's hash, with "+changes" when the working tree differs from it."""
    head = first_line(["git", "-C", repo, "rev-parse", "HEAD"])
    if head is None or len(head) != 40:
        return None
    dirty = subprocess.run(["git", "-C", repo, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return head + ("+changes" if dirty else "")


def describe(lib, repo):
    return {"date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "time_unix": int(time.time()),
            "machine": machine(), "versions": versions(lib), "commit": git_commit(repo)}
