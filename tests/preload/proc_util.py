"""proc_util - helpers shared by the proc_* check scripts (process behaviour tests).

They build on lsharness and only add what several proc_* scripts need: reading
"key=value" lines a test program prints, the leakshim: lines on stderr, exact checks of
one stack, and the invariants every exit report must keep.
"""

import os

import lsharness as h

HERE = os.path.dirname(os.path.abspath(__file__))


def source_line(name, marker):
    """1-based line number of the one line of tests/preload/<name> holding marker."""
    return h.line_holding(os.path.join(HERE, name), marker)


def values(stdout, key):
    """The values of every "key=value" line in stdout, as ints, in order."""
    prefix = key + "="
    return [int(line[len(prefix):]) for line in stdout.splitlines()
            if line.startswith(prefix)]


def value(stdout, key):
    """The one "key=value" line's value; fails unless there is exactly one."""
    found = values(stdout, key)
    h.eq(len(found), 1, "%r lines in stdout %r" % (key, stdout))
    return found[0]


def leakshim_lines(stderr):
    return [line for line in stderr.splitlines() if line.startswith("leakshim:")]


def expect_one_warning(r, needle, what):
    """stderr is exactly one line, starting "leakshim:" and naming needle."""
    lines = r.stderr.splitlines()
    h.eq(len(lines), 1, "%s: stderr lines (stderr was %r)" % (what, r.stderr))
    h.ok(lines[0].startswith("leakshim:") and needle in lines[0],
         "%s: the stderr line should start 'leakshim:' and name %s: %r"
         % (what, needle, lines[0]))


def expect_quiet(r, what):
    h.eq(r.stderr, "", "%s: stderr of a run where nothing goes wrong" % what)


def expect_stack(rep, function, n_bytes, n_blocks, innermost=True):
    """The one stack through function has exactly n_bytes in n_blocks; with innermost,
    function is frame #0 (the caller of the allocating function)."""
    s = h.stack_by_function(rep, function)
    h.eq((s["bytes"], s["blocks"]), (n_bytes, n_blocks),
         "bytes, blocks of the stack through %s" % function)
    if innermost:
        h.eq(s["frames"][0]["function"], function, "frame #0 of the stack through %s"
             % function)
    return s


def expect_no_stack(rep, function):
    h.eq(len(h.stacks_by_function(rep, function)), 0,
         "stacks through %s in %s report of pid %s" % (function, rep["reason"], rep["pid"]))


def expect_consistent(rep, counters=True):
    """Invariants of a report: the stacks add up to the summary and are sorted; nothing is
    suppressed yet. With counters (a report taken while no other thread allocates), every
    tracked allocation added one live block and every tracked free removed one."""
    s = rep["summary"]
    what = "%s report %s" % (rep["reason"], rep["_path"])
    if counters:
        h.eq(s["live_blocks"], s["total_allocations"] - s["total_frees"],
             "%s: live_blocks == total_allocations - total_frees" % what)
    h.eq((s["leaked_bytes"], s["leaked_blocks"]), (s["live_bytes"], s["live_blocks"]),
         "%s: leaked == live while nothing is suppressed" % what)
    h.eq(s["stacks"], len(rep["stacks"]), "%s: summary.stacks" % what)
    h.eq(sum(x["bytes"] for x in rep["stacks"]), s["live_bytes"], "%s: sum of stack bytes"
         % what)
    h.eq(sum(x["blocks"] for x in rep["stacks"]), s["live_blocks"],
         "%s: sum of stack blocks" % what)
    h.ok(s["peak_live_bytes"] >= s["live_bytes"], "%s: peak_live_bytes >= live_bytes" % what)
    keys = [(-x["bytes"], -x["blocks"]) for x in rep["stacks"]]
    h.eq(keys, sorted(keys), "%s: stacks sorted by bytes, then blocks, descending" % what)


def expect_exit_report(r, pid, program, leaked_bytes, leaked_blocks):
    """The exit report of pid, written by program, leaking exactly this much, with the
    C library's buffers released (the program ends single-threaded)."""
    rep = r.exit_report(pid)
    h.eq(rep["program"], os.path.realpath(program), "program of pid %d" % pid)
    h.eq(rep["libc_released"], True, "libc_released of the exit report of pid %d" % pid)
    h.eq((rep["summary"]["leaked_bytes"], rep["summary"]["leaked_blocks"]),
         (leaked_bytes, leaked_blocks), "leaked bytes, blocks of pid %d" % pid)
    expect_consistent(rep)
    return rep


def files_in(r):
    return sorted(os.listdir(r.outdir))


class _NoProcess:
    returncode = None
    stdout = ""
    stderr = ""


def reports_in(directory):
    """The r.* reports in directory, parsed and checked as lsharness.run() does for its
    own output directory (for reports a program sent somewhere else)."""
    return h.Result(_NoProcess(), directory)


def pid_of(r):
    """The pid of the one process that wrote r's reports."""
    pids = sorted({rep["pid"] for rep in r.reports})
    h.eq(len(pids), 1, "processes with reports (stderr: %r)" % r.stderr[-1000:])
    return pids[0]
