"""cli_common - helpers for the checks of the `leakshim` command and the examples.

The examples (leaky_c, leaky_cpp, leaky_cgo) are built into bin/ beside the command, so
they are found next to --cli. Each run starts from an environment with no LEAKSHIM_*
variables and no LD_PRELOAD: only what the command sets reaches the program.
"""

import os
import subprocess
import tempfile

import lsharness as h

SRC_DIR = os.path.dirname(os.path.abspath(__file__))
EXAMPLES_DIR = os.path.normpath(os.path.join(SRC_DIR, "..", "..", "examples"))


def example(ctx, name):
    """Absolute path of an example program; fails when it was not built."""
    h.ok(ctx.cli is not None, "no --cli given")
    path = os.path.join(os.path.dirname(ctx.cli), name)
    h.ok(os.access(path, os.X_OK), "example %s was not built" % path)
    return path


def clean_env(extra=None):
    """The inherited environment without leakshim's variables, plus extra (None
    values remove a variable)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LEAKSHIM_") and k != "LD_PRELOAD"}
    for k, v in (extra or {}).items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


def run(argv, env=None, cwd=None, timeout=60):
    """Runs argv (no shim unless argv starts the command) and returns the
    CompletedProcess, text mode."""
    return subprocess.run(argv, env=clean_env(env), cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=timeout)


def run_cli_json(ctx, args, program_argv, env=None, timeout=60, dashdash=True):
    """Runs `leakshim -f json -o DIR/r.%p.%n.json ARGS -- PROGRAM...` (without the `--`
    when dashdash is false) and returns an lsharness Result holding the JSON reports
    written to DIR."""
    outdir = tempfile.mkdtemp(dir=ctx.tmp)
    argv = [ctx.cli, "-f", "json", "-o", os.path.join(outdir, "r.%p.%n.json")]
    argv += list(args) + (["--"] if dashdash else []) + list(program_argv)
    return h.Result(run(argv, env=env, timeout=timeout), outdir)


def line_of(source, needle):
    """The 1-based line of the one line in examples/SOURCE that contains needle."""
    return h.line_holding(os.path.join(EXAMPLES_DIR, source), needle)


def program_frames(stack, program):
    """The frames of stack that lie in the program's own executable, up to main (the
    C runtime's _start lies there too)."""
    real = os.path.realpath(program)
    own = [f for f in stack["frames"] if f["module"] == real]
    names = [f["function"] for f in own]
    return own[:names.index("main") + 1] if "main" in names else own


def check_frame(frame, function, source, needle, what):
    """frame calls from `function` at the line of examples/SOURCE containing needle."""
    h.eq(frame["function"], function, "%s: function" % what)
    h.ok(frame["file"] is not None and frame["file"].endswith("/examples/" + source),
         "%s: file %r is not examples/%s" % (what, frame["file"], source))
    h.eq(frame["line"], line_of(source, needle), "%s: line" % what)


def check_quiet_success(r, stdout, what):
    """The program ran to the end with its own output and status, and the shim said
    nothing on stderr."""
    h.eq(r.returncode, 0, "%s: exit status (stderr: %s)" % (what, r.stderr))
    h.eq(r.stdout, stdout, "%s: stdout" % what)
    h.eq(r.stderr, "", "%s: stderr" % what)


KINDS = ("definite", "indirect", "possible", "reachable")
ZERO_NOT_COUNTED = {"suppressed": (0, 0), "ignored": (0, 0), "below_threshold": (0, 0)}


def kind_totals(rep):
    """{kind: (bytes, blocks)} from the summary, for the four kinds of a scanned report."""
    s = rep["summary"]
    return {k: (s[k + "_bytes"], s[k + "_blocks"]) for k in KINDS}


def not_counted(rep):
    """{what: (bytes, blocks)} for the blocks the summary leaves out of leaked_*."""
    s = rep["summary"]
    return {k: (s[k + "_bytes"], s[k + "_blocks"]) for k in ZERO_NOT_COUNTED}


def listed(rep):
    """[(kind, bytes, blocks)] of the stacks listed, in report order."""
    return [(st["kind"], st["bytes"], st["blocks"]) for st in rep["stacks"]]


def check_counts(rep):
    """Summary fields that must agree with the stacks and with each other. In a scanned
    report the four kinds (plus ignored blocks) make up every live block, and leaked_*
    is exactly what the listed stacks of the leak kinds hold; an unscanned one lists every
    live block as "unscanned" and counts it all as leaked."""
    s = rep["summary"]
    h.eq(s["stacks"], len(rep["stacks"]), "summary.stacks vs stacks listed")
    h.eq(s["total_allocations"] - s["total_frees"], s["live_blocks"],
         "allocations - frees vs live blocks")
    if not rep["scanned"]:
        h.eq({st["kind"] for st in rep["stacks"]} - {"unscanned"}, set(), "unscanned kinds")
        h.eq(sum(st["bytes"] for st in rep["stacks"]), s["live_bytes"], "sum of stack bytes")
        h.eq(sum(st["blocks"] for st in rep["stacks"]), s["live_blocks"],
             "sum of stack blocks")
        h.eq(s["leaked_bytes"], s["live_bytes"] - s["suppressed_bytes"], "leaked bytes")
        h.eq(s["leaked_blocks"], s["live_blocks"] - s["suppressed_blocks"], "leaked blocks")
        return
    totals = kind_totals(rep)
    h.eq((sum(b for b, _ in totals.values()) + s["ignored_bytes"],
          sum(n for _, n in totals.values()) + s["ignored_blocks"]),
         (s["live_bytes"], s["live_blocks"]), "kinds + ignored vs live bytes, blocks")
    for st in rep["stacks"]:
        h.ok(st["kind"] in KINDS, "kind of a stack in a scanned report: %r" % st["kind"])
    for k in KINDS:
        mine = [st for st in rep["stacks"] if st["kind"] == k]
        h.ok(sum(st["bytes"] for st in mine) <= totals[k][0] and
             sum(st["blocks"] for st in mine) <= totals[k][1],
             "stacks of kind %s hold more than its total %s" % (k, totals[k]))
    order = [(KINDS.index(st["kind"]), -st["bytes"]) for st in rep["stacks"]]
    h.eq(order, sorted(order), "stacks ordered by kind, then biggest first")
    leaking = [st for st in rep["stacks"] if st["kind"] in rep["leak_kinds"]]
    h.eq((sum(st["bytes"] for st in leaking), sum(st["blocks"] for st in leaking)),
         (s["leaked_bytes"], s["leaked_blocks"]), "leaked vs the stacks of the leak kinds")
