"""The report's default destination is stderr, and it is written after the program's
atexit handlers. gnulib's close_stdout (in every coreutils program: ls, cat, ...) closes
stderr in such a handler. The report must still reach the stderr the program was started
with, for atk_closeout (which does the same) and for the real `cat /dev/null`; it must
not vanish without a word."""

import shutil

import lsharness as h
import atk_util as a

ctx = h.context()
r = a.run_bounded(ctx, [ctx.prog("atk_closeout")], "stderr closed in atexit", 30,
                  fmt="text", output="-")
h.eq((a.status_text(r.returncode), r.stdout), ("exit 0", "line\n"), "status, stdout")
summary = [l for l in r.stderr.splitlines() if l.startswith("SUMMARY:")]
h.eq(len(summary), 1, "SUMMARY lines on the original stderr (stderr: %r)" % r.stderr[-300:])
h.ok(summary[0].startswith("SUMMARY: leaked 21 bytes in 1 block"), "summary: %r" % summary[0])

cat = shutil.which("cat")
r = a.run_bounded(ctx, [cat, "/dev/null"], "cat /dev/null", 30, fmt="text", output="-")
h.eq((a.status_text(r.returncode), r.stdout), ("exit 0", ""), "cat: status, stdout")
h.eq(len([l for l in r.stderr.splitlines() if l.startswith("SUMMARY: leaked ")]), 1,
     "cat: SUMMARY lines on stderr (stderr: %r)" % r.stderr[-300:])
h.done()
