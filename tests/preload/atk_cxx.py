"""C++ at volume: over-aligned new/delete, new[]/delete[] of objects with destructors,
200 exceptions through 50 frames, std::thread. Exactly two blocks stay live: 512 bytes
from leak_aligned() through operator new(unsigned long, std::align_val_t), and 77 bytes
from leak_in_thread() on a std::thread; exit status 0."""

import lsharness as h
import atk_util as a

ctx = h.context()
r = a.run_bounded(ctx, [ctx.prog("atk_cxx")], "C++ churn", 60)
h.eq(a.status_text(r.returncode), "exit 0", "status")
rep = r.exit_report()
s = rep["summary"]
h.eq((s["live_bytes"], s["live_blocks"], s["untracked_frees"]), (589, 2, 0),
     "live bytes, live blocks, untracked frees")
st = h.stack_by_function(rep, "leak_aligned()")
h.eq((st["bytes"], st["blocks"]), (512, 1), "bytes, blocks of leak_aligned()")
h.eq(h.functions(st)[:2], ["operator new(unsigned long, std::align_val_t)", "leak_aligned()"],
     "frames #0, #1 of leak_aligned()")
st = h.stack_by_function(rep, "leak_in_thread()")
h.eq((st["bytes"], st["blocks"]), (77, 1), "bytes, blocks of leak_in_thread()")
h.done()
