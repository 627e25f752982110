"""exit() where little stack is left (exitatk_stack.c): from a thread with a 64 KiB stack,
and from a signal handler on a 64 KiB sigaltstack. The report used to run on that stack
and overflow it (libdw reading a line table takes about 150 KiB): SIGSEGV, status 139, no
report. Expected, as valgrind says: definitely lost 33 bytes in 1 block (leak_lost),
still reachable 77 bytes (leak_kept) and, for altstack, the 65536-byte sigaltstack block;
the thread's DTV is possibly lost (its size depends on the TLS modules loaded).
"check": leakshim_check() and leakshim_report_now() from a thread with a 64 KiB stack
return 1 (33 bytes definite, 77 reachable) and 0; the request report is written."""

import lsharness as h
import reach_common as rc

ctx = h.context()

rep = rc.run(ctx, "exitatk_stack", ["thread"], env={"LEAKSHIM_EXITCODE": "23"})
rc.check_groups(rep, "leak_lost", [("definite", 33, 1)])
rc.check_groups(rep, "leak_kept", [("reachable", 77, 1)])
dtv = rc.groups(rep, "_dl_allocate_tls")
h.eq([(k, n) for k, _, n in dtv], [("possible", 1)], "thread: the DTV's kind and blocks")
rc.check_totals(rep, definite=(33, 1), possible=(dtv[0][1], 1), reachable=(77, 1))
rc.check_status(rep, 23)

rep = rc.run(ctx, "exitatk_stack", ["altstack"])
rc.check_groups(rep, "leak_lost", [("definite", 33, 1)])
rc.check_groups(rep, "leak_kept", [("reachable", 77, 1)])
rc.check_totals(rep, definite=(33, 1), reachable=(77 + 65536, 2))
rc.check_status(rep, 6)

r = h.run(ctx, [ctx.prog("exitatk_stack"), "check"], scan=True)
h.eq((r.returncode, r.stderr), (0, ""), "check: status and stderr")
h.eq(r.stdout, "check=1 definite=33/1 reachable=77/1\nreport_now=0\n", "check: stdout")
h.eq([x["reason"] for x in r.reports], ["request", "exit"], "check: reports")
h.done()
