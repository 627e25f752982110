// SPDX-License-Identifier: MIT
//
// fn_cxx.cpp - C++ allocation through operator new, one mode per run, named by argv[1]:
//
//   none   allocates nothing itself: the baseline the other modes are measured against
//   leak   leaks new int (4 bytes), new int[25] (100 bytes) and a Holder (56 bytes) whose
//          std::string holds 100 chars (101 bytes) and whose std::vector<int> holds 50
//          ints (200 bytes); creates and deletes the same kinds of objects once more
//   throw  throws and catches std::runtime_error("boom") 3 times; leaks nothing
//
// No iostreams and no stdio: libstdc++ and the shim see only these allocations (and
// libstdc++'s own emergency exception pool, present in every mode).
#include <stdexcept>
#include <string>
#include <vector>

#include "fn_check.h"

struct Holder {
    std::string text;
    std::vector<int> numbers;
};

int *leak_with_new()
{
    return new int(5); // fn-mark: new
}

int *leak_with_new_array()
{
    return new int[25]; // fn-mark: new_array
}

void fill_text(Holder *h)
{
    h->text.assign(100, 'x'); // fn-mark: string
}

void fill_numbers(Holder *h)
{
    h->numbers.resize(50); // fn-mark: vector
}

Holder *leak_holder()
{
    Holder *h = new Holder; // fn-mark: holder

    fill_text(h);
    fill_numbers(h);
    return h;
}

// The pointers pass through fn_kept before the deletes: GCC may drop a new/delete pair
// that nothing else sees, and then there would be nothing to count.
void delete_the_rest()
{
    fn_kept[8] = new int(1);
    fn_kept[9] = new char[300];
    fn_kept[10] = new Holder;

    Holder *h = static_cast<Holder *>(fn_kept[10]);
    h->text.assign(40, 'y');
    h->numbers.push_back(1);

    delete static_cast<int *>(fn_kept[8]);
    delete[] static_cast<char *>(fn_kept[9]);
    delete h;
}

void leak_mode()
{
    fn_kept[0] = leak_with_new();
    fn_kept[1] = leak_with_new_array();
    fn_kept[2] = leak_holder();
    fn_expect(sizeof(Holder) == 56, "sizeof(Holder) is not 56: the check script assumes it");
    delete_the_rest();
}

void throw_and_catch()
{
    for (int i = 0; i < 3; i++) {
        try {
            throw std::runtime_error("boom");
        } catch (const std::exception &e) {
            fn_expect(strcmp(e.what(), "boom") == 0, "caught the wrong exception");
        }
    }
}

int main(int argc, char **argv)
{
    std::string mode = argc == 2 ? argv[1] : "";

    if (mode == "leak")
        leak_mode();
    else if (mode == "throw")
        throw_and_catch();
    else if (mode != "none")
        fn_expect(false, "usage: fn_cxx none|leak|throw");
    return 0;
}
