// SPDX-License-Identifier: MIT
//
// reach_cxx.cpp - C++ layouts that point into a block's middle, and containers kept or
// leaked.
//
// - new Elem[5] of a class with a destructor (make_array): the block starts with the
//   element count and the pointer kept in a global points past it, at start + 8. The
//   newarray heuristic makes it still reachable.
// - new Both, a class with two polymorphic bases, kept only as a Right* (make_both):
//   the pointer is at start + 16, where a vtable address sits as it does at the start.
//   The multipleinheritance heuristic makes it still reachable.
// - a std::string of 40 chars, a std::vector<int> of 10 and a std::map<int, int> of 3,
//   built in a global that is never destroyed (keep_containers): all still reachable;
//   the same, built in a new'd struct whose pointer is dropped (leak_containers): the
//   struct definitely lost, its containers' blocks indirectly lost.
#include <map>
#include <new>
#include <string>
#include <vector>

#include "reach_common.h"

struct Elem {
    long v = 0;
    ~Elem();
};

struct Left {
    virtual ~Left();
    long l = 1;
};

struct Right {
    virtual ~Right();
    long r = 2;
};

struct Both : Left, Right {
    long b = 3;
};

struct Containers {
    std::string s;
    std::vector<int> v;
    std::map<int, int> m;
};

static_assert(sizeof(Elem) == 8, "Elem size");
static_assert(sizeof(Both) == 40, "Both size");

__attribute__((noinline)) Elem::~Elem()
{
    v = -1;
}

__attribute__((noinline)) Left::~Left() = default;
__attribute__((noinline)) Right::~Right() = default;

Elem *volatile array_kept;
Right *volatile right_kept;
// Storage for containers that are never destroyed: a global std::map would be destroyed
// by exit() before the report, and its nodes freed.
alignas(Containers) unsigned char containers_kept[sizeof(Containers)];

__attribute__((noinline)) static void make_array()
{
    array_kept = new Elem[5];
}

__attribute__((noinline)) static void make_both()
{
    right_kept = new Both;
}

__attribute__((noinline)) static void fill(Containers *c)
{
    c->s.assign(40, 'x');
    c->v.assign(10, 7);
    for (int i = 0; i < 3; i++)
        c->m[i] = i;
}

__attribute__((noinline)) static void keep_containers()
{
    fill(new (containers_kept) Containers);
}

__attribute__((noinline)) static void leak_containers()
{
    Containers *c = new Containers;

    fill(c);
    __asm__ volatile("" : : "r"(c) : "memory");
}

int main()
{
    make_array();
    make_both();
    keep_containers();
    leak_containers();
    reach_scrub_stack();
    return 0;
}
