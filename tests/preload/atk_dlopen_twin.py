"""atk_twin_a.so is loaded, leaks 100 bytes, is unloaded; then atk_twin_b.so (the same
code in another file) is loaded at the same address and leaks 200 bytes through the same
call sites. The two stacks have identical addresses but run through different files: the
report must show two stacks, 200 bytes in atk_twin_b.so and 100 bytes in atk_twin_a.so,
not one 300-byte stack that names atk_twin_a.so for both."""

import lsharness as h
import atk_util as a

ctx = h.context()
prog = ctx.prog("atk_dlopen_twin")
libs = [ctx.prog("atk_twin_a.so"), ctx.prog("atk_twin_b.so")]
r = a.run_bounded(ctx, [prog, "-base"] + libs, "twin libraries", 30)
h.eq(a.status_text(r.returncode), "exit 0", "status")
h.eq(r.stdout, "same_base=1\n", "precondition: the second library landed at the first's base")

rep = r.exit_report()
found = sorted((s["bytes"], s["blocks"], a.module_base(s["frames"][0]))
               for s in h.stacks_by_function(rep, "twin_leak"))
h.eq(found, [(100, 1, "atk_twin_a.so"), (200, 1, "atk_twin_b.so")],
     "(bytes, blocks, module of frame #0) of the stacks through twin_leak")
h.done()
