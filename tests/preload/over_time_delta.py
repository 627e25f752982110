"""Each written report carries what was allocated since the previous one of the process
and is still live. over_time snapshots: report 0 (request) after leak_small 3 x 100 and
leak_big 4096: no previous report, so everything live is new; report 1 (request) after
leak_small 3 x 100 more (from a second call site in main: a stack of its own) and
leak_more 2 x 256: previous is report 0, new is 300 in that stack and 512 in leak_more's; report 2 (exit) right after: nothing new.
alloc_* count everything ever allocated from a stack since start."""

import lsharness as h

ctx = h.context()
prog = ctx.prog("over_time")


def by_function(rep):
    return sorted((h.functions(s)[0], s["bytes"], s["blocks"], s["new_bytes"], s["new_blocks"],
                   s["alloc_bytes"], s["alloc_blocks"]) for s in rep["stacks"])


r = h.run(ctx, [prog, "snapshots"], env={"LEAKSHIM_SHOW_KINDS": "all"})
h.eq((r.returncode, r.stderr), (0, ""), "status, stderr")
reps = r.reports
h.eq([(x["reason"], x["sequence"]) for x in reps], [("request", 0), ("request", 1), ("exit", 2)],
     "three reports")
h.eq(reps[0]["previous"], None, "report 0: no previous report")
h.eq(by_function(reps[0]), [("leak_big", 4096, 1, 4096, 1, 4096, 1),
                            ("leak_small", 300, 3, 300, 3, 300, 3)], "report 0: stacks")
h.eq((reps[1]["previous"]["sequence"], reps[1]["previous"]["time_unix_ms"]),
     (0, reps[0]["time_unix_ms"]), "report 1: previous is report 0")
# main calls leak_small twice: two stacks, the second one all new.
h.eq(by_function(reps[1]), [("leak_big", 4096, 1, 0, 0, 4096, 1),
                            ("leak_more", 512, 2, 512, 2, 512, 2),
                            ("leak_small", 300, 3, 0, 0, 300, 3),
                            ("leak_small", 300, 3, 300, 3, 300, 3)], "report 1: stacks")
h.eq(reps[2]["previous"]["sequence"], 1, "exit report: previous is report 1")
h.eq([v[3:5] for v in by_function(reps[2])], [(0, 0)] * 4, "exit report: nothing new")

text = h.run(ctx, [prog, "snapshots"], fmt="text")
body = [b for p, b in sorted(text.texts.items()) if p.endswith(".1.text")]
h.eq(len(body), 1, "text: report 1 written")
lines = body[0].splitlines()
h.ok("300 bytes in 3 blocks live (stack 4 of 4), of which 300 bytes in 3 blocks new since "
     "report 0" in lines, "text: leak_small's header says what is new:\n" + body[0])
grew = [line for line in lines if line.startswith("since report 0 (")]
h.eq(len(grew), 1, "text: one growth line")
h.ok(grew[0].endswith("ms earlier): 812 bytes in 5 blocks allocated since then are still live "
                      "in the stacks above"), "text: growth line: " + grew[0])
h.done()
