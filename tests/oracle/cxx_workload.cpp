// SPDX-License-Identifier: MIT
//
// cxx_workload.cpp - a small deterministic C++ program for the oracle test (check_cxx.py):
// standard containers, some of them leaked, some still held by globals at exit, so that
// every leak kind memcheck knows turns up in a known place.
//
// At exit, and under valgrind memcheck the same:
// - definitely lost (with indirect contents): the vector, map, list and unordered_map
//   that leak_*() make with `new` and then forget, each the head of its own clique; and
//   the first of two shared objects that point at each other (the second is indirect);
// - possibly lost: a long string's characters, held by a global only from their middle;
//   the string object that owned them is definitely lost;
// - still reachable: the containers the g_* globals point to, with everything in them,
//   including one object reached only through its second base class and one new[] array
//   reached only past its element count (memcheck's multipleinheritance and newarray
//   heuristics).
// Every string put in a container is longer than 15 characters, so its characters live
// in a block of their own rather than inside the string object.
//
// It prints one line computed from the data and exits 0.

#include <cstdio>
#include <cstring>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace
{

// Globals still holding containers at exit: never deleted, so reachable.
std::map<std::string, int> *g_index;
std::unordered_map<int, std::string> *g_names;
std::vector<std::shared_ptr<std::string>> *g_shared;
std::list<std::vector<int>> *g_batches;

struct Named {
    virtual ~Named() = default;
    virtual long id() const
    {
        return 1;
    }
    long name_len = 0;
};

struct Counted {
    virtual ~Counted() = default;
    virtual long count() const
    {
        return 2;
    }
    long hits = 0;
};

struct Both : Named, Counted {
    long id() const override
    {
        return 3;
    }
    long count() const override
    {
        return 4;
    }
};

Counted *g_second_base; // points 16 bytes into a Both
std::string *g_labels;  // new[] of strings: points 8 bytes in, past the count
const char *g_middle;   // the middle of a string's characters

// Two objects that own each other: neither is freed, and nothing else points to them.
struct Peer {
    std::shared_ptr<Peer> other;
    std::string label;
};

// Unsigned arithmetic so that every line of the workload is the same on every run.
unsigned long lcg(unsigned long *state)
{
    *state = (*state * 1103515245u + 12345u) % 2147483648u;
    return *state;
}

std::string long_name(const char *what, unsigned long n)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s-%06lu-padding-to-be-long", what, n);
    return buf;
}

// What the leak_* functions return: a checksum, never the pointer they leak.
__attribute__((noinline)) unsigned long leak_vector(unsigned long *seed)
{
    auto *v = new std::vector<std::string>;
    for (int i = 0; i < 20; i++)
        v->push_back(long_name("vec", lcg(seed) % 1000));
    return v->size() + v->back().size();
}

__attribute__((noinline)) unsigned long leak_map(unsigned long *seed)
{
    auto *m = new std::map<std::string, std::list<int>>;
    for (int i = 0; i < 12; i++)
        (*m)[long_name("map", lcg(seed) % 50)].push_back(i);
    return m->size();
}

__attribute__((noinline)) unsigned long leak_unordered(unsigned long *seed)
{
    auto *u = new std::unordered_map<std::string, std::string>;
    for (int i = 0; i < 9; i++)
        (*u)[long_name("key", lcg(seed) % 100)] = long_name("value", (unsigned long)i);
    return u->size();
}

__attribute__((noinline)) unsigned long leak_peers(void)
{
    auto a = std::make_shared<Peer>();
    auto b = std::make_shared<Peer>();
    a->label = long_name("peer", 1);
    b->label = long_name("peer", 2);
    a->other = b;
    b->other = a;
    return a->label.size() + b->label.size();
}

__attribute__((noinline)) unsigned long leak_string_keep_middle(void)
{
    auto *s = new std::string(long_name("middle", 7));
    g_middle = s->c_str() + 10;
    return s->size();
}

__attribute__((noinline)) void fill_globals(unsigned long *seed)
{
    g_index = new std::map<std::string, int>;
    g_names = new std::unordered_map<int, std::string>;
    g_shared = new std::vector<std::shared_ptr<std::string>>;
    g_batches = new std::list<std::vector<int>>;
    for (int i = 0; i < 30; i++) {
        unsigned long r = lcg(seed);
        (*g_index)[long_name("index", r % 40)] += i;
        (*g_names)[(int)(r % 64)] = long_name("name", r % 1000);
        if (i % 3 == 0)
            g_shared->push_back(std::make_shared<std::string>(long_name("shared", r % 90)));
        if (i % 5 == 0)
            g_batches->emplace_back(static_cast<size_t>(i + 1), i);
    }
    g_second_base = new Both;
    g_labels = new std::string[4];
    for (int i = 0; i < 4; i++)
        g_labels[i] = long_name("label", (unsigned long)i);
}

// Short-lived work: everything here is freed before main returns.
__attribute__((noinline)) unsigned long churn(unsigned long *seed)
{
    std::map<int, std::vector<std::string>> groups;
    unsigned long sum = 0;

    for (int i = 0; i < 400; i++)
        groups[(int)(lcg(seed) % 17)].push_back(long_name("tmp", (unsigned long)i));
    for (const auto &g : groups)
        sum += (unsigned long)g.first * g.second.size();
    return sum;
}

} // namespace

int main()
{
    unsigned long seed = 42;
    unsigned long sum = churn(&seed);

    fill_globals(&seed);
    sum += leak_vector(&seed);
    sum += leak_map(&seed);
    sum += leak_unordered(&seed);
    sum += leak_peers();
    sum += leak_string_keep_middle();

    unsigned long held = 0;
    for (const auto &kv : *g_index)
        held += kv.first.size() * (unsigned long)kv.second;
    for (const auto &b : *g_batches)
        held += b.size();
    held += g_names->size() + g_shared->size() + (unsigned long)g_second_base->count() +
            g_labels[3].size() + strlen(g_middle);
    printf("cxx_workload: %lu %lu\n", sum, held);
    return 0;
}
