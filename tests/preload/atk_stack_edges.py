"""A block allocated 10000 frames deep is reported with exactly LEAKSHIM_DEPTH frames, all
in recurse, for depths 1, 32 (default) and 256; a thread with a PTHREAD_STACK_MIN stack
allocates 8 x 100 bytes without overflowing it (all reported, frame #0
small_stack_worker). Exit status 0 every time."""

import lsharness as h
import atk_util as a

ctx = h.context()
prog = ctx.prog("atk_stack_edges")
for depth in (1, None, 256):
    env = {"LEAKSHIM_DEPTH": str(depth)} if depth else {}
    want = depth or 32
    r = a.run_bounded(ctx, [prog], "depth %s" % depth, 30, env=env)
    h.eq(a.status_text(r.returncode), "exit 0", "depth %s: status" % depth)
    rep = r.exit_report()
    h.eq(rep["max_depth"], want, "max_depth")
    deep = [s for s in rep["stacks"] if s["bytes"] == 99]
    h.eq(len(deep), 1, "depth %s: stacks of 99 bytes" % depth)
    h.eq(h.functions(deep[0]), ["recurse"] * want, "depth %s: frames of the deep block" % depth)
    s = h.stack_by_function(rep, "small_stack_worker")
    h.eq((s["bytes"], s["blocks"], s["frames"][0]["function"]), (800, 8, "small_stack_worker"),
         "depth %s: small-stack thread's blocks" % depth)
h.done()
