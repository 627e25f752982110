"""main() calls pthread_exit(); the worker joins it and is then the only thread running
(snapshots off, so leakshim starts no thread of its own; the kernel keeps the finished
main thread as a zombie until the process ends). The exit report runs on that last thread: it
must count one program thread, not the finished main thread, and so release the C
library's buffers as it does for any program that ends with one thread."""

import lsharness as h
import atk_util as a

ctx = h.context()
r = a.run_bounded(ctx, [ctx.prog("atk_pthread_exit")], "pthread_exit, no snapshot thread", 15,
                  env={"LEAKSHIM_SIGNAL": "none"})
h.eq(a.status_text(r.returncode), "exit 0", "status of the process")
rep = r.exit_report()
h.eq(rep["threads_at_report"], 1, "threads_at_report (only the worker still runs)")
h.eq(rep["libc_released"], True, "libc_released with one thread left")
s = h.stack_by_function(rep, "worker")
h.eq((s["bytes"], s["blocks"]), (77, 1), "bytes, blocks allocated by worker")
h.done()
