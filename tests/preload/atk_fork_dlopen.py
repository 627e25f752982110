"""Fork while another thread loads and unloads a library without pause; each child
allocates once and _exits. Without leakshim no child ever blocks (the child takes none of
glibc's locks). Under leakshim the child's first malloc captures a stack, and that must
not wait on a loader lock the dlopen thread held at the moment of the fork: "hung=0"."""

import lsharness as h
import atk_util as a

ctx = h.context()
argv = [ctx.prog("atk_fork_dlopen"), ctx.prog("atk_twin_a.so")]
bare = h.run(ctx, argv, preload=False, timeout=60)
h.eq((bare.returncode, bare.stdout), (0, "hung=0 forks_ok=1\n"), "without leakshim")
r = a.run_bounded(ctx, argv, "fork during dlopen", 60)
h.eq((a.status_text(r.returncode), r.stdout), ("exit 0", "hung=0 forks_ok=1\n"),
     "status, children hung in their first malloc")
h.done()
