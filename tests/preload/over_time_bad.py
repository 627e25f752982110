"""Bad values for the new settings: one `leakshim:` line each, the default kept, and the
program's status, output and reports otherwise unchanged. A timeline that cannot be
written is said once and the run goes on."""

import os

import lsharness as h

ctx = h.context()
prog = ctx.prog("over_time")
CASES = [
    ({"LEAKSHIM_FORMAT": "xml"},
     'leakshim: LEAKSHIM_FORMAT="xml" is not a comma list of text, json, pprof, folded; '
     "using the default"),
    ({"LEAKSHIM_FORMAT": "json,"},
     'leakshim: LEAKSHIM_FORMAT="json," is not a comma list of text, json, pprof, folded; '
     "using the default"),
    ({"LEAKSHIM_INTERVAL": "fast"},
     'leakshim: LEAKSHIM_INTERVAL="fast" is not a duration from 10ms to 168h (e.g. 500ms, '
     '30s, 5m); using the default'),
    ({"LEAKSHIM_INTERVAL": "5ms"},
     'leakshim: LEAKSHIM_INTERVAL="5ms" is not a duration from 10ms to 168h (e.g. 500ms, '
     '30s, 5m); using the default'),
    ({"LEAKSHIM_TIMELINE_PERIOD": "1.5s"},
     'leakshim: LEAKSHIM_TIMELINE_PERIOD="1.5s" is not a duration from 10ms to 168h (e.g. '
     '100ms, 1s); using the default'),
]
for env, warning in CASES:
    r = h.run(ctx, [prog, "exit"], fmt="text", env=env)
    what = " ".join("%s=%s" % kv for kv in env.items())
    h.eq((r.returncode, r.stdout, r.stderr), (0, "", warning + "\n"), what)
    h.ok(r.texts and r.texts[sorted(r.texts)[0]].startswith("leakshim: exit report"), what + ": text report")

missing = os.path.join(ctx.tmp, "no-such-dir", "tl.%p.tsv")
r = h.run(ctx, [prog, "steady", "200"], fmt="json", env={"LEAKSHIM_TIMELINE": missing})
want = "leakshim: cannot write timeline %s: No such file or directory; the timeline stops\n" % (
    missing.replace("%p", str(r.pid)))
h.eq((r.returncode, r.stdout, r.stderr), (0, "", want), "unwritable timeline: said once")
h.eq([x["reason"] for x in r.reports], ["exit"], "unwritable timeline: the report as usual")
h.done()
