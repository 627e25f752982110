"""A SIGALRM handler (every 100 us) frees one block of a pool while the main thread spends
its time in malloc and free. glibc never takes a lock on either side (see the program),
so the program must finish: "done", status 0, and an exit report holding exactly
leak_once's 33 bytes. leakshim's table and arena locks must not deadlock when a handler's
free lands on the thread that holds them."""

import lsharness as h
import atk_util as a

ctx = h.context()
r = a.run_bounded(ctx, [ctx.prog("atk_handler_free")], "free() in a SIGALRM handler", 30)
h.eq(a.status_text(r.returncode), "exit 0", "status")
h.eq(r.stdout, "done\n", "stdout")
rep = r.exit_report()
s = rep["summary"]
h.eq((s["live_bytes"], s["live_blocks"], s["untracked_frees"]), (33, 1, 0),
     "live bytes, live blocks, untracked frees at exit")
s = h.stack_by_function(rep, "leak_once")
h.eq((s["bytes"], s["blocks"]), (33, 1), "bytes, blocks of leak_once")
h.done()
