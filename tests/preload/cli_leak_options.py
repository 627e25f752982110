"""The leak check's options of the `leakshim` command become their LEAKSHIM_* variables,
short and long forms alike: -S/--suppressions and -b/--baseline (a readable file, passed
on as an absolute path), -m/--min-bytes (0 to 2^63), -k/--leak-kinds and --show-kinds (a
comma list of kinds, or all), --scan (exit, all, none). A bad value stops the command
with status 2 and one `leakshim:` line naming it, before the program runs."""

import os

import cli_common as c
import lsharness as h

ctx = h.context()
ENV = "/usr/bin/env"
supp = os.path.join(ctx.tmp, "app.supp")
base = os.path.join(ctx.tmp, "app.baseline")
for path in supp, base:
    with open(path, "w") as f:
        f.write("# empty\n")
out = os.path.join(ctx.tmp, "env.%p.%n.json")


def leak_env(args, cwd=None):
    """The LEAKSHIM_* variables `env` sees when run by the command with args."""
    p = c.run([ctx.cli, "-o", out] + args + ["--", ENV], cwd=cwd)
    h.eq((p.returncode, p.stderr), (0, ""), "%s: status, stderr" % args)
    pairs = dict(line.split("=", 1) for line in p.stdout.splitlines() if "=" in line)
    return {k: v for k, v in pairs.items() if k.startswith("LEAKSHIM_") and k != "LEAKSHIM_OUTPUT"}


expect = {"LEAKSHIM_SUPPRESSIONS": supp, "LEAKSHIM_BASELINE": base,
          "LEAKSHIM_MIN_BYTES": "4096", "LEAKSHIM_LEAK_KINDS": "definite,possible",
          "LEAKSHIM_SHOW_KINDS": "all", "LEAKSHIM_SCAN": "none"}
h.eq(leak_env(["-S", supp, "-b", base, "-m", "4096", "-k", "definite,possible",
               "--show-kinds", "all", "--scan", "none"]), expect, "short options")
h.eq(leak_env(["--suppressions", supp, "--baseline=" + base, "--min-bytes", "4096",
               "--leak-kinds=definite,possible", "--show-kinds=all", "--scan=none"]),
     expect, "long options")
h.eq(leak_env([]), {}, "no options: no leak check variables")

# Relative paths are made absolute: a child in another directory reads the same file.
h.eq(leak_env(["-S", "app.supp", "-b", "./app.baseline"], cwd=ctx.tmp),
     {"LEAKSHIM_SUPPRESSIONS": os.path.join(os.path.realpath(ctx.tmp), "app.supp"),
      "LEAKSHIM_BASELINE": os.path.join(os.path.realpath(ctx.tmp), "./app.baseline")},
     "relative paths")
# An absolute path is passed on as written (a symlink or /dev/fd/N stays itself).
link = os.path.join(ctx.tmp, "link.supp")
os.symlink(supp, link)
h.eq(leak_env(["-S", link]), {"LEAKSHIM_SUPPRESSIONS": link}, "a symlink")

# Every accepted form.
for value in ("0", "9223372036854775808", "18"):
    h.eq(leak_env(["-m", value]), {"LEAKSHIM_MIN_BYTES": value}, "-m %s" % value)
for value in ("all", "definite", "reachable,definite,indirect,possible", "all,definite",
              "indirect,indirect"):
    h.eq(leak_env(["-k", value, "--show-kinds", value]),
         {"LEAKSHIM_LEAK_KINDS": value, "LEAKSHIM_SHOW_KINDS": value}, "kinds %s" % value)
for value in ("exit", "all", "none"):
    h.eq(leak_env(["--scan", value]), {"LEAKSHIM_SCAN": value}, "--scan %s" % value)


def check_refused(args, needle, what, program=("--", ENV)):
    p = c.run([ctx.cli, "-o", out] + args + list(program))
    h.eq((p.returncode, p.stdout), (2, ""), "%s: status, stdout (env must not run)" % what)
    first = p.stderr.splitlines()[0] if p.stderr else ""
    h.ok(first.startswith("leakshim: ") and needle in first,
         "%s: first stderr line %r should start 'leakshim: ' and hold %r" % (what, first,
                                                                              needle))


missing = os.path.join(ctx.tmp, "missing.supp")
check_refused(["-S", missing], "--suppressions: cannot read '%s': No such file or directory"
              % missing, "missing suppressions")
check_refused(["--baseline", missing], "--baseline: cannot read '%s': No such file or "
              "directory" % missing, "missing baseline")
check_refused(["-S", ctx.tmp], "--suppressions: cannot read '%s': Is a directory" % ctx.tmp,
              "suppressions naming a directory")
check_refused(["-b", ""], "--baseline: cannot read ''", "empty baseline path")
if os.geteuid() != 0:  # root reads any file
    os.chmod(supp, 0)
    check_refused(["-S", supp], "Permission denied", "unreadable suppressions")
    os.chmod(supp, 0o644)
for value in ("-1", "+5", " 5", "5k", "", "9223372036854775809", "99999999999999999999"):
    check_refused(["-m", value], "--min-bytes must be a whole number from 0 to 2^63, not '%s'"
                  % value, "-m %r" % value)
for value in ("", "definite,", ",definite", "definite,,indirect", "Definite", "lost",
              "unscanned", "definite indirect"):
    check_refused(["-k", value], "--leak-kinds must be all or a comma list of definite, "
                  "indirect, possible, reachable, not '%s'" % value, "-k %r" % value)
    check_refused(["--show-kinds", value], "--show-kinds must be", "--show-kinds %r" % value)
for value in ("", "never", "EXIT", "exit,all"):
    check_refused(["--scan", value], "--scan must be exit, all or none, not '%s'" % value,
                  "--scan %r" % value)
check_refused(["--scan"], "option '--scan' needs a value", "--scan without a value", ())
check_refused(["-k"], "option '-k' needs a value", "-k without a value", ())

p = c.run([ctx.cli, "--help"])
for opt in ("--suppressions", "--baseline", "--min-bytes", "--leak-kinds", "--show-kinds",
            "--scan", "leakshim baseline [-o FILE] REPORT.json"):
    h.ok(opt in p.stdout, "--help does not mention %s" % opt)
h.done()
