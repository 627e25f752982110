/* SPDX-License-Identifier: MIT
 *
 * test_bootstrap.c - the static arena that serves dlsym before the real allocator is
 * known: alignment, remembered sizes, ownership and exhaustion.
 */
#include <stdint.h>

#include "bootstrap.h"
#include "check.h"

int main(void)
{
    char on_stack;

    void *a = ls_bootstrap_alloc(10, 16);
    void *b = ls_bootstrap_alloc(100, 64);
    void *c = ls_bootstrap_alloc(1, 4096);
    CHECK(a != NULL && b != NULL && c != NULL);
    CHECK_EQ_U((uintptr_t)a % 16, 0);
    CHECK_EQ_U((uintptr_t)b % 64, 0);
    CHECK_EQ_U((uintptr_t)c % 4096, 0);
    CHECK_EQ_U(ls_bootstrap_size(a), 10);
    CHECK_EQ_U(ls_bootstrap_size(b), 100);
    CHECK(ls_bootstrap_owns(a) && ls_bootstrap_owns(b) && ls_bootstrap_owns(c));
    CHECK(!ls_bootstrap_owns(&on_stack));
    CHECK((char *)b >= (char *)a + 10); // blocks never overlap

    memset(b, 0xab, 100);                           // usable in full
    CHECK(ls_bootstrap_alloc(1 << 20, 16) == NULL); // larger than the whole arena
    while (ls_bootstrap_alloc(1000, 16) != NULL)
        ; // exhaust it: it must say so, not overrun
    CHECK(ls_bootstrap_alloc(1, 16) == NULL);
    CHECK_EQ_U(ls_bootstrap_size(a), 10); // earlier blocks are intact
    PASS();
}
