"""jq_input - writes the JSON the jq benchmark workload reads: `python3 jq_input.py ORDERS`.

An array of ORDERS orders, each with a customer, a few tags and one to six line items,
from a fixed linear congruential sequence: the same ORDERS gives the same file. JQ_FILTER
is the filter the bench runs on it (jq -c): it parses every value, builds a new object per
order with string and array work, then groups and sums, so jq allocates and frees
millions of small values.
"""

import json
import sys

JQ_FILTER = (
    "[.[] | select(.status != \"void\") | {id, customer: (.customer.name | ascii_upcase),"
    " tags: [.tags[] | \"\\(.)-x\"], country: .customer.country,"
    " total: ([.items[] | .price * .qty] | add), skus: ([.items[].sku] | join(\",\"))}]"
    " | group_by(.country)"
    " | map({country: .[0].country, orders: length, total: (map(.total) | add | floor),"
    " tags: ([.[].tags[]] | unique | length), longest: (map(.skus | length) | max)})")

COUNTRIES = ["de", "fr", "it", "es", "nl", "se", "pl", "pt", "ie", "at", "be", "dk"]
TAGS = ["gift", "express", "fragile", "bulk", "return", "promo", "b2b", "priority"]


def lcg(seed):
    state = seed
    while True:
        state = (state * 1103515245 + 12345) % 2147483648
        yield state


def orders(n):
    numbers = lcg(3)
    for i in range(n):
        r = next(numbers) >> 8  # an LCG's low bits repeat with a short period
        items = [{"sku": "SKU-%05d" % (next(numbers) >> 8 & 0xffff), "qty": 1 + (r >> 3) % 5,
                  "price": (next(numbers) >> 8) % 20000 / 100} for _ in range(1 + r % 6)]
        yield {"id": i, "status": ["open", "paid", "shipped", "void"][r % 4],
               "customer": {"name": "customer %d" % (r % 9973),
                            "country": COUNTRIES[(r >> 8) % len(COUNTRIES)]},
               "tags": [TAGS[(r >> k) % len(TAGS)] for k in range(4, 4 + r % 4 * 3, 3)],
               "items": items}


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--filter":
        print(JQ_FILTER)
        return
    out = sys.stdout
    out.write("[")
    for i, o in enumerate(orders(int(sys.argv[1]))):
        out.write(("," if i else "") + json.dumps(o) + "\n")
    out.write("]\n")


if __name__ == "__main__":
    main()
