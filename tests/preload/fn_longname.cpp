// SPDX-License-Identifier: MIT
//
// fn_longname.cpp - leaks one std::tuple from a member function of a class template whose
// name, spelled out, runs to about 30 KiB: the text report must print it whole.
#include <map>
#include <string>
#include <tuple>

void *volatile fn_dropped;

template <class A, class B, class C> struct Deep {
    __attribute__((noinline)) static void *make()
    {
        return new std::tuple<A, B, C>(); // fn-mark: longname
    }
};

using Inner = std::map<std::string, std::tuple<std::string, std::string, std::string>>;
using Map = std::map<std::string, std::map<std::string, Inner>>;

int main()
{
    fn_dropped = Deep<Map, std::map<int, Map>, std::map<long, std::map<int, Map>>>::make();
    fn_dropped = nullptr;
    return 0;
}
