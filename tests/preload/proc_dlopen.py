"""proc_dlopen loads proc_plugin.so, calls plugin_leak (4 x 100 bytes) and dlcloses the
plugin before exit (the program checks it is really unloaded). The exit report must
still name plugin_leak, the plugin's path and proc_plugin.c:line, although the code is
gone by then. Loader bookkeeping is factored out by a run that calls plugin_noop."""

import os
import subprocess

import lsharness as h
import proc_util as u

ctx = h.context()
prog = ctx.prog("proc_dlopen")
plugin = os.path.realpath(ctx.prog("proc_plugin.so"))
leak_line = u.source_line("proc_plugin.c", "proc-marker: plugin_leak malloc")


def symbol_range(module, name):
    """[start, end) of a function symbol, as offsets from the module's load base."""
    out = subprocess.run(["nm", "-S", "--defined-only", module], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) == 4 and f[3] == name:
            return int(f[0], 16), int(f[0], 16) + int(f[1], 16)
    h.fail("no symbol %s in %s" % (name, module))


noop = h.run(ctx, [prog, plugin, "plugin_noop"])
h.eq(noop.returncode, 0, "exit status with plugin_noop (3: plugin not unloaded)\n"
     + noop.stderr)
u.expect_quiet(noop, "plugin_noop run")
base = u.expect_exit_report(noop, u.pid_of(noop), prog, 0, 0)

r = h.run(ctx, [prog, plugin, "plugin_leak"])
h.eq(r.returncode, 0, "exit status with plugin_leak (3: plugin not unloaded)\n" + r.stderr)
u.expect_quiet(r, "plugin_leak run")
rep = u.expect_exit_report(r, u.pid_of(r), prog, 400, 4)
h.eq(rep["summary"]["total_allocations"] - base["summary"]["total_allocations"], 4,
     "allocations beyond the plugin_noop run")

s = u.expect_stack(rep, "plugin_leak", 400, 4)
f = s["frames"][0]
h.eq(f["module"], plugin, "module of plugin_leak")
h.ok(f["file"] is not None and f["file"].endswith("/tests/preload/proc_plugin.c"),
     "file of plugin_leak: %r" % f["file"])
h.eq(f["line"], leak_line, "line of the malloc call in plugin_leak")
start, end = symbol_range(plugin, "plugin_leak")
h.ok(start < int(f["offset"], 16) <= end, "offset %s of plugin_leak within [%#x, %#x]"
     % (f["offset"], start, end))
caller = s["frames"][1]
h.eq((caller["function"], caller["module"]), ("load_and_call", os.path.realpath(prog)),
     "caller of plugin_leak")

# The text report says the same: "#0 plugin_leak /abs/proc_plugin.c:N (plugin+0x...)".
t = h.run(ctx, [prog, plugin, "plugin_leak"], fmt="txt",
          env={"LEAKSHIM_FORMAT": "text"})
h.eq(t.returncode, 0, "exit status of the text run")
text = list(t.texts.values())
h.eq(len(text), 1, "text reports")
want = "#0 plugin_leak %s:%d (%s+0x" % (f["file"], leak_line, plugin)
h.ok(any(line.strip().startswith(want) for line in text[0].splitlines()),
     "text report has a line starting %r:\n%s" % (want, text[0]))
h.done()
