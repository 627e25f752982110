"""check_sqlite3 - Debian's sqlite3 shell runs sql_workload.py's script (5,000 inserts
into an indexed table, updates, deletes, group-bys) untraced, under leakshim and under
valgrind; leakshim's counts must equal valgrind's (see oracle.py).

The shell closes its database before exiting, so nothing is live at exit: the check pins
that every one of the ~130k allocations, reallocs included, was matched with its free.
"""

import os

import oracle
import sql_workload

ROWS = 5000


def expected_stdout():
    """The answers to the script's three SELECTs, recorded from Debian 12's sqlite3: a
    line per group (50), then "4286|50|..." (5000 rows less the 714 with id % 7 == 0, in
    50 groups), then five names of group 7."""
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "sqlite3_expected.txt")) as f:
        return f.read()


def main():
    ctx = oracle.context()
    script = os.path.join(ctx.tmp, "workload.sql")
    with open(script, "w") as f:
        f.write(sql_workload.script(ROWS))

    w = oracle.Workload("sqlite3", [ctx.program, "-batch", "-bail", "-init", os.devnull,
                                    "oracle.db"],
                        expect_stdout=expected_stdout(), stdin_path=script)
    oracle.check(ctx, w)


main()
