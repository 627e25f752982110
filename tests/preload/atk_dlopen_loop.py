"""The same leaking library is loaded, called and unloaded 1000 times from one call site,
leaking 100 * i bytes on load i (1..1000). The process must exit 0 and the report hold one
stack of exactly 1000 blocks and 100 * 1000 * 1001 / 2 bytes, frame #0 twin_leak in
atk_twin_a.so, and nothing else live."""

import lsharness as h
import atk_util as a

ctx = h.context()
lib = ctx.prog("atk_twin_a.so")
r = a.run_bounded(ctx, [ctx.prog("atk_dlopen_twin")] + [lib] * 1000, "1000 dlopen/dlclose", 60)
h.eq(a.status_text(r.returncode), "exit 0", "status")
rep = r.exit_report()
s = h.stack_by_function(rep, "twin_leak")
h.eq((s["bytes"], s["blocks"]), (100 * 1000 * 1001 // 2, 1000), "bytes, blocks of twin_leak")
h.eq((s["frames"][0]["function"], a.module_base(s["frames"][0])), ("twin_leak", "atk_twin_a.so"),
     "frame #0")
h.eq(rep["summary"]["live_blocks"], 1000, "live blocks at exit")
h.done()
