"""py_workload - the python3 benchmark workload: `python3 py_workload.py ROUNDS`.

Pure Python, run with PYTHONMALLOC=malloc so that every object goes through malloc: each
round builds a few thousand small records (dicts, lists, tuples, strings, instances),
round-trips them through json.dumps and json.loads, churns a dict of counters and a list
(insertions, deletions, sorts), scans what it holds (lookups and small-integer sums,
which allocate little), and folds what it saw into a running digest. About a quarter of
its time goes to the scans: a program that does nothing but allocate would be a second
alloc_heavy. It prints the digest: the same ROUNDS gives the same line on every run (the
bench sets PYTHONHASHSEED=0 too, so the allocations are the same as well).
"""

import hashlib
import json
import sys

RECORDS_PER_ROUND = 2000
SCANS_PER_ROUND = 40
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
         "india", "juliet", "kilo", "lima", "mike", "november", "oscar", "papa"]


class Item:
    """A plain class, so each instance has a dict of its own to allocate."""

    def __init__(self, ident, name, price):
        self.ident = ident
        self.name = name
        self.price = price

    def as_dict(self):
        return {"id": self.ident, "name": self.name, "price": self.price}


def lcg(seed):
    state = seed
    while True:
        state = (state * 1103515245 + 12345) % 2147483648
        yield state


def make_records(numbers, base):
    records = []
    for i in range(RECORDS_PER_ROUND):
        n = next(numbers)
        words = [WORDS[(n >> k) % len(WORDS)] for k in range(0, 12, 3)]
        items = [Item(base + i * 10 + k, "-".join(words[: k + 1]), (n >> k) % 1000 / 10)
                 for k in range(n % 4 + 1)]
        records.append({"id": base + i, "tags": words, "group": n % 37,
                        "items": [it.as_dict() for it in items],
                        "meta": {"even": n % 2 == 0, "label": "r%d/%s" % (i, words[0])}})
    return records


def round_trip(records):
    """json text and back, twice, in slices as a service would serialise its responses."""
    out = []
    for start in range(0, len(records), 100):
        text = json.dumps(records[start:start + 100], sort_keys=True)
        out.extend(json.loads(json.dumps(json.loads(text))))
    return out


def churn(records, counters, window):
    for r in records:
        for tag in r["tags"]:
            counters[tag] = counters.get(tag, 0) + 1
        key = (r["group"], r["meta"]["label"])
        counters[key] = sum(it["price"] for it in r["items"])
        window.append(key)
        if len(window) > 5000:
            old = window.pop(0)
            counters.pop(old, None)
    by_group = {}
    for r in records:
        by_group.setdefault(r["group"], []).append(r["id"])
    return sorted(by_group.items(), key=lambda kv: (len(kv[1]), kv[0]))[-3:]


def scan(records, counters):
    """Reads without building: dict and list lookups, comparisons, small-int sums."""
    hits = 0
    for _ in range(SCANS_PER_ROUND):
        for r in records:
            for tag in r["tags"]:
                if tag in counters and counters[tag] & 1:
                    hits += 1
            if r["group"] < 18 and r["meta"]["even"]:
                hits += len(r["items"])
        hits &= 0xff
    return hits


def main():
    rounds = int(sys.argv[1])
    numbers = lcg(7)
    digest = hashlib.sha256()
    counters, window = {}, []
    for rnd in range(rounds):
        records = round_trip(make_records(numbers, rnd * RECORDS_PER_ROUND))
        top = churn(records, counters, window)
        top.append(scan(records, counters))
        names = sorted({it["name"] for r in records for it in r["items"]})
        digest.update(repr((top, len(names), names[:3], len(counters))).encode())
    tags = sorted((k, v) for k, v in counters.items() if isinstance(k, str))
    print("py_workload: %d rounds, %d counters, %s, digest %s"
          % (rounds, len(counters), tags[:2], digest.hexdigest()[:16]))


if __name__ == "__main__":
    main()
