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


def check_counts(rep):
    """Summary fields that must agree with the stacks and with each other."""
    s = rep["summary"]
    h.eq(s["stacks"], len(rep["stacks"]), "summary.stacks vs stacks listed")
    h.eq(sum(st["bytes"] for st in rep["stacks"]), s["live_bytes"], "sum of stack bytes")
    h.eq(sum(st["blocks"] for st in rep["stacks"]), s["live_blocks"], "sum of stack blocks")
    h.eq(s["total_allocations"] - s["total_frees"], s["live_blocks"],
         "allocations - frees vs live blocks")
    h.eq(s["leaked_bytes"], s["live_bytes"] - s["suppressed_bytes"], "leaked bytes")
    h.eq(s["leaked_blocks"], s["live_blocks"] - s["suppressed_blocks"], "leaked blocks")
