"""Four threads churn 200k malloc/calloc/realloc/free each; thread 2 leaks 7 x 333 bytes
from leak_in_worker. Counts must be exact, so the churn run is compared with a run that
starts the same four threads and churns nothing: the difference is the churn alone."""

import lsharness as h
import proc_util as u

ITERATIONS = 200000
THREADS = 4
REALLOC_EVERY = 8  # proc_threads.c: PROC_REALLOC_EVERY

ctx = h.context()
prog = ctx.prog("proc_threads")

base = h.run(ctx, [prog, "0", "noleak"])
h.eq(base.returncode, 0, "exit status of the run without churn")
u.expect_quiet(base, "run without churn")
b = u.expect_exit_report(base, u.pid_of(base), prog, 0, 0)
h.eq(b["threads_at_report"], 1, "threads_at_report after joining all threads")

churn = h.run(ctx, [prog, str(ITERATIONS), "leak"], timeout=110)
h.eq(churn.returncode, 0, "exit status of the churn run")
u.expect_quiet(churn, "churn run")
h.eq(len(churn.reports), 1, "reports of the churn run")
c = u.expect_exit_report(churn, u.pid_of(churn), prog, 7 * 333, 7)
h.eq(c["threads_at_report"], 1, "threads_at_report after joining all threads")

# One allocation per iteration, plus a realloc (one free and one allocation) on every
# REALLOC_EVERY-th; every iteration frees what it allocated.
per_thread = ITERATIONS + (ITERATIONS + REALLOC_EVERY - 1) // REALLOC_EVERY
bs, cs = b["summary"], c["summary"]
h.eq(cs["total_allocations"] - bs["total_allocations"], THREADS * per_thread + 7,
     "extra allocations of the churn run")
h.eq(cs["total_frees"] - bs["total_frees"], THREADS * per_thread,
     "extra frees of the churn run")
h.eq(cs["untracked_frees"], bs["untracked_frees"], "untracked_frees, churn vs no churn")
h.ok(cs["peak_live_bytes"] >= 7 * 333, "peak_live_bytes covers the leak")

s = u.expect_stack(c, "leak_in_worker", 7 * 333, 7)
h.eq(h.functions(s)[1], "worker_main", "caller of leak_in_worker")
u.expect_no_stack(b, "leak_in_worker")
h.done()
