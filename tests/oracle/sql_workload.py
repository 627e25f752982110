"""sql_workload - writes the deterministic SQL script the sqlite3 oracle test runs.

    python3 sql_workload.py ROWS > script.sql

ROWS inserts into an indexed table, then updates, deletes and group-bys over it, so
sqlite3 parses thousands of statements and grows and shrinks its B-trees and caches.
Values come from a fixed linear congruential sequence: the same ROWS gives the same script.
"""

import sys


def lcg(seed):
    state = seed
    while True:
        state = (state * 1103515245 + 12345) % 2147483648
        yield state


def script(rows):
    numbers = lcg(11)
    out = ["CREATE TABLE item(id INTEGER PRIMARY KEY, grp INTEGER, name TEXT, price REAL);",
           "CREATE INDEX item_grp_name ON item(grp, name);",
           "BEGIN;"]
    for i in range(1, rows + 1):
        grp = next(numbers) % 50
        name = "item-%d-%s" % (i, "abcdefghij"[: next(numbers) % 10] * 3)
        price = (next(numbers) % 100000) / 100.0
        out.append("INSERT INTO item VALUES(%d, %d, '%s', %.2f);" % (i, grp, name, price))
    out += ["COMMIT;",
            "UPDATE item SET price = price * 2 WHERE grp % 3 = 0;",
            "UPDATE item SET name = name || '-renamed' WHERE id % 11 = 0;",
            "DELETE FROM item WHERE id % 7 = 0;",
            "SELECT grp, count(*), printf('%.2f', sum(price)), max(name) FROM item"
            " GROUP BY grp ORDER BY grp;",
            "SELECT count(*), count(DISTINCT grp), length(group_concat(name)) FROM item;",
            "SELECT name FROM item WHERE grp = 7 ORDER BY name LIMIT 5;"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(script(int(sys.argv[1])))
