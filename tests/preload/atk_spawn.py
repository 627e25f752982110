"""posix_spawn, vfork + exec and system(), 20 rounds each, under leakshim: every status as
without it (the program exits 0 only then), 20 exit reports from true and 20 from false
(dash's `exit 3` leaves with _exit, so no report from the shells), and the parent's
report holding exactly leak_spawner's 31 bytes."""

import collections
import os

import lsharness as h
import atk_util as a

ctx = h.context()
prog = ctx.prog("atk_spawn")
r = a.run_bounded(ctx, [prog], "spawning children", 60)
h.eq(a.status_text(r.returncode), "exit 0", "status (count of wrong child statuses)")
names = collections.Counter(os.path.basename(rep["program"]) for rep in r.reports
                            if rep["reason"] == "exit")
h.eq(names["true"], 20, "exit reports from true")
h.eq(names["false"], 20, "exit reports from false")
h.eq(names["atk_spawn"], 1, "exit reports from atk_spawn")
mine = [rep for rep in r.reports if rep["program"] == prog]
h.eq(len(mine), 1, "reports of atk_spawn")
s = h.stack_by_function(mine[0], "leak_spawner")
h.eq((s["bytes"], s["blocks"]), (31, 1), "bytes, blocks of leak_spawner")
h.eq(mine[0]["summary"]["live_blocks"], 1, "live blocks of atk_spawn")
h.done()
