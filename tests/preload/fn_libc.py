"""The C library's own allocating functions (fn_libc_alloc.c): each leaks from its own
leak_with_<name> function, and the stack shows the libc function innermost with the
caller right after it. Frame names are the ones libdw gives for Debian 12's libc.so.6
(glibc 2.36, with libc6-dbg's debug info where installed).
"""

import os

import fn_common as fc
import lsharness as h

PROG, SRC = "fn_libc_alloc", "fn_libc_alloc.c"

# case -> (libc frames innermost first, then the caller; leaked bytes in stacks as
# [(bytes, blocks)], biggest first; exact summary fields). Sizes are glibc 2.36's: a
# FILE is 472 bytes, an open_memstream stream 504 plus an 8192-byte calloc'd buffer,
# getline's first buffer 120, asprintf builds in a 100-byte buffer and hands back an
# exact-size copy.
CASES = {
    "strdup": (["__strdup"], [(15, 1)],
               dict(total_allocations=1, total_frees=0, peak_live_bytes=15)),
    "strndup": (["__strndup"], [(5, 1)],
                dict(total_allocations=1, total_frees=0, peak_live_bytes=5)),
    "asprintf": (["__vasprintf_internal", "__asprintf"], [(6, 1)],
                 dict(total_allocations=2, total_frees=1, peak_live_bytes=106)),
    # stdin's 4096-byte buffer (stdin is a pipe) is allocated too, and freed when the
    # shim releases libc's buffers.
    "getline": (["__getdelim"], [(120, 1)],
                dict(total_allocations=2, total_frees=1, peak_live_bytes=120 + 4096)),
    # fopen tail-calls __fopen_internal, so fopen itself is no frame.
    "fopen": (["__fopen_internal"], [(472, 1)],
              dict(total_allocations=1, total_frees=0, peak_live_bytes=472)),
    "open_memstream": (["open_memstream"], [(8192, 1), (504, 1)],
                       dict(total_allocations=2, total_frees=0, peak_live_bytes=8696)),
    # realpath returns a strdup of its result: "/" is 2 bytes. glibc has two versions of
    # realpath; the name carries no "@@GLIBC_2.3" suffix. The strdup call is in
    # realpath_stk, which glibc inlines into realpath: a frame of its own (valgrind
    # shows the same three).
    "realpath": (["__strdup", "realpath_stk", "realpath"], [(2, 1)],
                 dict(total_allocations=1, total_frees=0, peak_live_bytes=2)),
}


def check_libc_frames(stack, libc_frames, caller):
    names = h.functions(stack)
    h.eq(names[:len(libc_frames) + 1], libc_frames + [caller], "innermost frames")
    for f in stack["frames"][:len(libc_frames)]:
        h.eq(os.path.basename(f["module"]), "libc.so.6", "module of %s" % f["function"])
        h.ok(os.path.isabs(f["module"]), "module of %s is not absolute" % f["function"])


def main():
    ctx = h.context()
    name = fc.case(CASES, prefix="fn_libc_")
    libc_frames, sizes, summary = CASES[name]
    caller = "leak_with_" + name

    _, rep = fc.run_ok(ctx, PROG, [name], stdin="ping\n")
    total = sum(b for b, _ in sizes)
    blocks = sum(n for _, n in sizes)
    fc.check_summary(rep, leaked_bytes=total, leaked_blocks=blocks, live_bytes=total,
                     live_blocks=blocks, stacks=len(sizes), **summary)

    stacks = h.stacks_by_function(rep, caller)
    h.eq([(s["bytes"], s["blocks"]) for s in stacks], sizes,
         "(bytes, blocks) of the stacks through %s" % caller)
    for s in stacks:
        h.eq(s["owner"], "program", "owner of a block handed to the program")
        check_libc_frames(s, libc_frames, caller)
        fc.check_frame(ctx, s, caller, PROG, SRC, name, depth=len(libc_frames))
    h.done()


main()
