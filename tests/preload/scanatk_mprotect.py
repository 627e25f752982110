"""Live blocks with pages made PROT_NONE (scanatk_mprotect.c). The scan skips what it
cannot read, like valgrind, and must never fault.

plain: big (1 MiB) reachable, seen (64, pointed to from a readable page of big)
reachable, hidden (48, pointed to only from big's PROT_NONE page) definite.
head: also big's first page (glibc's chunk header) unreadable: the scan crashed the
program here (SIGSEGV reading the header). big2 (1 MiB, header page unreadable, only an
interior pointer) possible; heap (12 KiB from glibc's heap, first page unreadable)
reachable; under (32, pointed to only from that page) definite."""

import lsharness as h
import reach_common as rc
import scanatk_util as u

ctx = h.context()
r, rep = u.run(ctx, "scanatk_mprotect", ["plain"])
rc.check_groups(rep, "make_big", [("reachable", 1 << 20, 1)])
rc.check_groups(rep, "make_seen", [("reachable", 64, 1)])
rc.check_groups(rep, "make_hidden", [("definite", 48, 1)])
rc.check_totals(rep, definite=(48, 1), reachable=((1 << 20) + 64, 2))

r, rep = u.run(ctx, "scanatk_mprotect", ["head"])
rc.check_groups(rep, "make_big", [("reachable", 1 << 20, 1)])
rc.check_groups(rep, "make_seen", [("reachable", 64, 1)])
rc.check_groups(rep, "make_hidden", [("definite", 48, 1)])
rc.check_groups(rep, "make_big2", [("possible", 1 << 20, 1)])
rc.check_groups(rep, "make_heap", [("reachable", 3 * 4096, 1)])
rc.check_groups(rep, "make_under", [("definite", 32, 1)])
rc.check_totals(rep, definite=(80, 2), possible=(1 << 20, 1),
                reachable=((1 << 20) + 64 + 3 * 4096, 3))
h.done()
