"""Each `leakshim` option becomes its LEAKSHIM_* variable (short and long forms), the
library goes in front of an existing LD_PRELOAD, and the command finds the library from
its own real path: through a symlink, and in a bin/ + lib/ tree elsewhere."""

import os
import shutil

import cli_common as c
import lsharness as h

ctx = h.context()
prog = c.example(ctx, "leaky_c")
real_lib = os.path.realpath(ctx.lib)
ENV = "/usr/bin/env"


def env_of(argv, env=None, statuses=(0,)):
    """The environment `env` printed when run by the command with argv's options; env's
    exit status must be one of statuses."""
    p = c.run(argv + ["--", ENV], env=env)
    h.ok(p.returncode in statuses, "%s: status %d (stderr: %s)" % (argv[1:], p.returncode,
                                                                    p.stderr))
    return dict(line.split("=", 1) for line in p.stdout.splitlines() if "=" in line)


def preload_of(e):
    return [os.path.realpath(x) for x in e["LD_PRELOAD"].replace(" ", ":").split(":") if x]


out = os.path.join(ctx.tmp, "env.%p.%n.json")
timeline = os.path.join(ctx.tmp, "tl.%p.tsv")
expect = {"LEAKSHIM_OUTPUT": out, "LEAKSHIM_FORMAT": "json,folded", "LEAKSHIM_EXITCODE": "4",
          "LEAKSHIM_SIGNAL": "USR1", "LEAKSHIM_DEPTH": "7", "LEAKSHIM_VERBOSE": "1",
          "LEAKSHIM_INTERVAL": "5s", "LEAKSHIM_TIMELINE": timeline}
# env may exit 4: that is --exit-code at work, should the shim find a leak in env.
short = env_of([ctx.cli, "-o", out, "-f", "json,folded", "-e", "4", "-s", "USR1", "-d", "7",
                "-v", "-i", "5s", "--timeline", timeline], statuses=(0, 4))
long_ = env_of([ctx.cli, "--output", out, "--format=json,folded", "--exit-code", "4",
                "--signal=USR1", "--depth", "7", "--verbose", "--interval=5s",
                "--timeline=" + timeline], statuses=(0, 4))
for name, e in ("short", short), ("long", long_):
    got = {k: v for k, v in e.items() if k.startswith("LEAKSHIM_")}
    h.eq(got, expect, "%s options: LEAKSHIM_* variables" % name)
    h.eq(preload_of(e), [real_lib], "%s options: LD_PRELOAD" % name)

# With no options, only the inherited LEAKSHIM_OUTPUT reaches the program.
e = env_of([ctx.cli], env={"LEAKSHIM_OUTPUT": out})
h.eq({k: v for k, v in e.items() if k.startswith("LEAKSHIM_")}, {"LEAKSHIM_OUTPUT": out},
     "no options: LEAKSHIM_* variables")

# An existing LD_PRELOAD keeps its entries, after the library.
libm = "/lib/x86_64-linux-gnu/libm.so.6"
e = env_of([ctx.cli, "-o", out], env={"LD_PRELOAD": libm})
h.eq(preload_of(e), [real_lib, os.path.realpath(libm)], "LD_PRELOAD after prepending")

# The shim takes the values: -d 1 keeps one frame per stack.
r = c.run_cli_json(ctx, ["-d", "1"], [prog])
rep = r.exit_report()
h.eq(rep["max_depth"], 1, "-d 1: max_depth")
h.eq([(st["kind"], len(st["frames"])) for st in rep["stacks"]],
     [("definite", 1), ("definite", 1)], "-d 1: kinds and frames of the stacks listed")
# -v prints debug lines, each prefixed.
r = c.run_cli_json(ctx, ["--verbose"], [prog])
h.eq(r.returncode, 0, "-v: status")
h.ok(r.stderr and all(line.startswith("leakshim: ") for line in r.stderr.splitlines()),
     "-v: stderr lines %r" % r.stderr)

# Found through a symlink to the command: the real path's ../lib is used.
link_dir = os.path.join(ctx.tmp, "links")
os.mkdir(link_dir)
os.symlink(ctx.cli, os.path.join(link_dir, "leakshim"))
e = env_of([os.path.join(link_dir, "leakshim"), "-o", out])
h.eq(preload_of(e), [real_lib], "through a symlink: LD_PRELOAD")

# A copy in another bin/ + lib/ tree uses that tree's library, or none.
tree = os.path.join(ctx.tmp, "tree")
os.makedirs(os.path.join(tree, "bin"))
shutil.copy(ctx.cli, os.path.join(tree, "bin", "leakshim"))
p = c.run([os.path.join(tree, "bin", "leakshim"), "-o", out, ENV])
h.eq((p.returncode, p.stdout), (127, ""), "tree without lib/: status, stdout")
h.ok(p.stderr.startswith("leakshim: ") and "libleakshim.so" in p.stderr,
     "tree without lib/: stderr %r" % p.stderr)
os.makedirs(os.path.join(tree, "lib"))
os.symlink(real_lib, os.path.join(tree, "lib", "libleakshim.so"))
e = env_of([os.path.join(tree, "bin", "leakshim"), "-o", out])
h.eq(e["LD_PRELOAD"], os.path.join(os.path.realpath(tree), "lib", "libleakshim.so"),
     "tree: LD_PRELOAD")
h.done()
