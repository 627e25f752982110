"""check_python3 - Debian's python3 runs py_workload.py (objects, dicts, lists, a json
round trip, sorting) untraced, under leakshim and under valgrind; leakshim's counts must
equal valgrind's (see oracle.py).

The flags and environment make the run repeat itself exactly:
- PYTHONMALLOC=malloc: every object is a malloc call both tools see (pymalloc would hand
  out small objects from its own arenas);
- PYTHONHASHSEED=0: the same string hashes, so the same dict and set layouts and output;
- -S: no site module, so no .pth files: the run does not depend on installed packages;
- -s: no user site directory; -P: the workload's folder is not searched for modules;
- -B: no .pyc is written, so a first run and later runs read the same files.
Not -I or -E: they ignore PYTHONMALLOC and PYTHONHASHSEED. Python leaves some objects
allocated at exit, so this check also compares the live blocks stack by stack.
"""

import os

import oracle

EXPECTED = "341255 [('26', 52969), ('35', 51909), ('17', 51672)] 829 2999 6010\n"


def main():
    ctx = oracle.context()
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "py_workload.py")
    w = oracle.Workload("python3", [ctx.program, "-S", "-s", "-P", "-B", script],
                        expect_stdout=EXPECTED,
                        env={"PYTHONMALLOC": "malloc", "PYTHONHASHSEED": "0"})
    oracle.check(ctx, w)


main()
