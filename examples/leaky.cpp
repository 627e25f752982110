// SPDX-License-Identifier: MIT
//
// leaky.cpp - the C++ leaks leakshim sees through operator new: an object nobody deletes,
// and the std::string and std::vector storage owned by a heap object nobody deletes.
//
//     build/bin/leakshim build/bin/leaky_cpp
//
// It prints one line and exits 0. With libstdc++ on x86_64, 232 bytes in 4 blocks are
// live at exit, all leaked, and the exit report lists them by kind, biggest first, as
// valgrind memcheck classifies them (sizes are what operator new was asked for):
//
//    56 bytes in 1 block  definitely lost  operator new <- open_session <- main
//       the Session itself (a 32-byte std::string and a 24-byte std::vector), never
//       deleted: main's local `s` was its only pointer, gone once main returns.
//    16 bytes in 1 block  definitely lost  operator new <- make_counter <- main
//       a Counter created and forgotten (main's local `c`, gone likewise).
//   128 bytes in 1 block  indirectly lost  ... std::vector<long>::reserve <- open_session
//       the Session's event log: reserve(16) of 8-byte longs. Only the lost Session
//       points to it, so it is lost through it: indirect.
//    32 bytes in 1 block  indirectly lost  ... std::string::_M_mutate ... <- open_session
//       the Session's user name: 31 characters are too long for the string's inline
//       buffer (15), so it takes 31 + 1 bytes from the heap; indirect for the same reason.
//
// leaked = definite 72 bytes in 2 blocks + indirect 160 bytes in 2 blocks (valgrind:
// "216 (56 direct, 160 indirect) bytes in 1 blocks are definitely lost" for the Session).
//
// Functions are external and non-trivial so -O1 keeps them out of line and the report can
// name them; the library frames between operator new and them depend on GCC's inlining.
#include <cstdio>
#include <string>
#include <vector>

struct Counter {
    long hits;
    long misses;
};

struct Session {
    std::string user;
    std::vector<long> events;
};

static_assert(sizeof(Counter) == 16, "leaky.cpp documents a 16-byte Counter");
static_assert(sizeof(Session) == 56, "leaky.cpp documents a 56-byte Session");

Counter *make_counter(long hits)
{
    Counter *c = new Counter{hits, 0};
    return c;
}

Session *open_session(const char *user)
{
    Session *s = new Session;

    s->user = user;
    s->events.reserve(16);
    for (long i = 0; i < 10; i++)
        s->events.push_back(i * i);
    return s;
}

// A well-behaved allocation, freed: it must not show up in the report.
long sum_events(const Session &s)
{
    std::vector<long> copy(s.events);
    long sum = 0;

    for (long e : copy)
        sum += e;
    return sum;
}

int main()
{
    Session *s = open_session("oncall-operator@ops.example.org"); // 31 characters
    Counter *c = make_counter(static_cast<long>(s->events.size()));

    std::printf("session %s: %zu events, sum %ld, counter %ld\n", s->user.c_str(), s->events.size(),
                sum_events(*s), c->hits);
    return 0;
}
