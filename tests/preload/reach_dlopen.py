"""Globals of loaded and unloaded libraries (reach_dlopen.c, reach_plugin.c), as valgrind
memcheck reports them: a library that stays loaded keeps 300 bytes in its global, still
reachable; a library unloaded with dlclose kept 400 bytes in its global, now definitely
lost. The loader's own blocks for the library still loaded (its name, its link map, its
version table) are still reachable too; their sizes depend on the library's path.

valgrind: definitely lost 400 bytes in 1 blocks; still reachable 1,761 bytes in 5
blocks: 300 (plugin_alloc), and 1,279 + 72 + 55 + 55 from _dl_open for a 54-character
path; the loader blocks of the unloaded library are freed by dlclose.
"""

import lsharness as h
import reach_common as rc

ctx = h.context()
plugins = [ctx.prog("reach_plugin_keep.so"), ctx.prog("reach_plugin_drop.so")]
rep = rc.run(ctx, "reach_dlopen", plugins, env={"LEAKSHIM_EXITCODE": "23"})
h.eq(rep["libc_released"], True, "libc_released")
rc.check_groups(rep, "load_dropped_plugin", [("definite", 400, 1)])
rc.check_groups(rep, "plugin_alloc", [("definite", 400, 1), ("reachable", 300, 1)])

kept = h.stacks_by_function(rep, "load_kept_plugin")
loader = [s for s in kept if "plugin_alloc" not in h.functions(s)]
h.ok(all("_dl_open" in h.functions(s) for s in loader),
     "every other block through load_kept_plugin is the loader's:\n%s" % rc.describe(rep))
h.eq(sorted(set(s["kind"] for s in kept)), ["reachable"], "kinds through load_kept_plugin")
h.eq(sum(s["blocks"] for s in loader), 4, "loader blocks of the library still loaded")
rc.check_totals(rep, definite=(400, 1), reachable=rc.sum_groups(kept))
rc.check_status(rep, 23)
h.done()
