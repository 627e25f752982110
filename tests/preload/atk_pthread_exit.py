"""main() calls pthread_exit() while a worker thread still runs. glibc ends the process
(exit status 0, exit handlers run) when the last thread ends. leakshim's own snapshot
thread must not count as that last thread: the process has to end, and the exit report
must hold the worker's 77-byte block."""

import lsharness as h
import atk_util as a

ctx = h.context()
r = a.run_bounded(ctx, [ctx.prog("atk_pthread_exit")], "main ending in pthread_exit", 15)
h.eq(a.status_text(r.returncode), "exit 0", "status of the process")
rep = r.exit_report()
s = h.stack_by_function(rep, "worker")
h.eq((s["bytes"], s["blocks"]), (77, 1), "bytes, blocks allocated by worker")
h.eq(s["frames"][0]["function"], "worker", "frame #0")
h.done()
