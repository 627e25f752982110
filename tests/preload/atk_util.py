"""atk_util - helpers shared by the atk_* check scripts (adversarial tests).

They build on lsharness and add what a test of a misbehaving shim needs: a run that turns
a hang into a failure message instead of a Python traceback, and the exit status of a
process that died of a signal spelt out.
"""

import os
import subprocess

import lsharness as h


def status_text(returncode):
    """'exit 4' or 'signal 13' for a subprocess returncode."""
    if returncode is None:
        return "still running"
    if returncode < 0:
        return "signal %d" % -returncode
    return "exit %d" % returncode


def run_bounded(ctx, argv, what, timeout, **kw):
    """h.run, but a run still going after timeout seconds fails the test with `what`."""
    try:
        return h.run(ctx, argv, timeout=timeout, **kw)
    except subprocess.TimeoutExpired as e:
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else e.stderr
        h.fail("%s: still running after %d s (hang); stderr tail: %r"
               % (what, timeout, (err or "")[-600:]))


def env_for(ctx, output, fmt="json", extra=None):
    """The environment h.run would build, for tests that start processes themselves."""
    e = dict(os.environ)
    for k in list(e):
        if k.startswith("LEAKSHIM_"):
            del e[k]
    e["LD_PRELOAD"] = ctx.lib
    e["LEAKSHIM_FORMAT"] = fmt
    e["LEAKSHIM_SCAN"] = "none"  # as h.run does: these tests are about tracking
    e["LEAKSHIM_OUTPUT"] = output
    for k, v in (extra or {}).items():
        if v is None:
            e.pop(k, None)
        else:
            e[k] = v
    return e


def module_base(frame):
    return os.path.basename(frame["module"] or "")
