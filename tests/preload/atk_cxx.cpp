// SPDX-License-Identifier: MIT
//
// atk_cxx.cpp - C++ allocation paths at volume: over-aligned new, arrays of objects
// with destructors, exceptions thrown through 50 frames, std::thread. Everything is
// freed except two blocks: one over-aligned Big (512 bytes) from leak_aligned and 77
// bytes from leak_in_thread on a std::thread. Exit status 0 unless a check fails.
#include <cstdint>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

struct alignas(256) Big {
    char c[300]; // sizeof(Big) == 512
};

struct Holder {
    int *p;
    Holder() : p(new int[4]) {}
    ~Holder() { delete[] p; }
};

void *atk_kept[2];

static int thrower(int depth)
{
    if (depth == 0)
        throw std::runtime_error(std::string(100, 'x'));
    return thrower(depth - 1) + 1;
}

static void leak_aligned()
{
    atk_kept[0] = new Big;
}

static void leak_in_thread()
{
    atk_kept[1] = new char[77];
}

static int churn()
{
    for (int i = 0; i < 100; i++) {
        Big *b = new Big;
        if (reinterpret_cast<std::uintptr_t>(b) % 256 != 0)
            return 5;
        delete b;
        delete[] new Holder[10];
    }
    for (int i = 0; i < 200; i++) {
        try {
            thrower(50);
        } catch (const std::exception &e) {
            if (e.what()[0] != 'x')
                return 6;
        }
    }
    void *p = ::operator new(1000, std::align_val_t(4096));
    if (reinterpret_cast<std::uintptr_t>(p) % 4096 != 0)
        return 7;
    ::operator delete(p, std::align_val_t(4096));
    return 0;
}

int main()
{
    int rc = churn();
    std::vector<std::thread> threads;

    for (int i = 0; i < 4; i++)
        threads.emplace_back([] { std::vector<std::string> v(1000, std::string(40, 'y')); });
    for (auto &t : threads)
        t.join();
    leak_aligned();
    std::thread(leak_in_thread).join();
    return rc;
}
