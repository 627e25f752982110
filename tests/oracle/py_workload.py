"""py_workload - a small, deterministic pure-Python workload for the python3 oracle test.

It builds dicts, lists and objects, round-trips them through json, sorts and groups
them, and prints one line of results. Only json is imported, so the run reads the
same few files every time; nothing here depends on time, addresses or the environment.
"""

import json


class Account:
    """A plain class with a few attributes and methods, so instances get __dict__s."""

    def __init__(self, number, owner, balance):
        self.number = number
        self.owner = owner
        self.balance = balance
        self.history = []

    def deposit(self, amount):
        self.balance += amount
        self.history.append(("deposit", amount))

    def as_dict(self):
        return {"number": self.number, "owner": self.owner,
                "balance": self.balance, "history": [list(h) for h in self.history]}


def lcg(seed):
    """A fixed pseudo-random sequence (no random module: it seeds from the OS)."""
    state = seed
    while True:
        state = (state * 1103515245 + 12345) % 2147483648
        yield state


def make_accounts(n):
    numbers = lcg(7)
    accounts = []
    for i in range(n):
        owner = "owner-%d-%s" % (i % 37, "x" * (next(numbers) % 23))
        acct = Account(i, owner, next(numbers) % 1000)
        for _ in range(next(numbers) % 5):
            acct.deposit(next(numbers) % 100)
        accounts.append(acct)
    return accounts


def group_balances(accounts):
    totals = {}
    for acct in accounts:
        key = acct.owner.split("-")[1]
        totals[key] = totals.get(key, 0) + acct.balance
    return totals


def main():
    accounts = make_accounts(3000)
    text = json.dumps([a.as_dict() for a in accounts], sort_keys=True)
    back = json.loads(text)
    assert len(back) == len(accounts)

    totals = group_balances(accounts)
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    words = sorted({a.owner for a in accounts}, key=len)
    index = {a.number: a for a in accounts}
    del index[17]

    print(len(text), ranked[:3], len(words), len(index),
          sum(len(a["history"]) for a in back))


main()
