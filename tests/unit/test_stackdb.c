/* SPDX-License-Identifier: MIT
 *
 * test_stackdb.c - each distinct stack is stored once; ids are stable and small; frames
 * get their module resolved when first stored.
 */
#include <pthread.h>
#include <stdint.h>

#include "check.h"
#include "module.h"
#include "stack.h"
#include "stackdb.h"

#define N_THREADS 4

static void check_intern(void)
{
    uintptr_t a[3] = {(uintptr_t)&check_intern, 2, 3};
    uintptr_t b[3] = {(uintptr_t)&check_intern, 2, 4};

    uint32_t id_a = ls_stackdb_intern(a, 3);
    uint32_t id_b = ls_stackdb_intern(b, 3);
    CHECK(id_a != LS_STACK_NONE && id_b != LS_STACK_NONE && id_a != id_b);
    CHECK_EQ_U(ls_stackdb_intern(a, 3), id_a);
    CHECK(ls_stackdb_intern(a, 2) != id_a); // a prefix is a different stack

    const struct ls_stack *s = ls_stackdb_get(id_a);
    CHECK(s != NULL);
    CHECK_EQ_U(s->id, id_a);
    CHECK_EQ_U(s->n_frames, 3);
    CHECK_EQ_U(s->ips[2], 3);
    CHECK(ls_stackdb_get(LS_STACK_NONE) == NULL);

    // The first frame is in this test program; 2 and 3 are in no module.
    const struct ls_module *m = ls_module_get(s->module_ids[0]);
    CHECK(m != NULL);
    CHECK_EQ_S(m->path, ls_module_program_path());
    CHECK_EQ_U(s->module_ids[1], LS_MODULE_NONE);
}

static void check_capture(void)
{
    uintptr_t ips[8];

    int n = ls_stack_capture(ips, 8);
    CHECK(n >= 2); // this function and main at least
    CHECK(ls_stack_hash(ips, n) != 0);
    CHECK(ls_stack_hash(ips, n) != ls_stack_hash(ips, n - 1));
    CHECK(ls_stack_capture(ips, 1) == 1); // the depth limit holds
}

/* All threads intern the same 100 stacks: each must get one id everywhere. */
static uint32_t seen[N_THREADS][100];

static void *intern_many(void *arg)
{
    uint32_t *out = arg;

    for (uintptr_t i = 0; i < 100; i++) {
        uintptr_t ips[2] = {0x1000 + i, 0x2000};
        out[i] = ls_stackdb_intern(ips, 2);
    }
    return NULL;
}

static void check_threads(void)
{
    pthread_t t[N_THREADS];
    uint32_t before = ls_stackdb_count();

    for (int i = 0; i < N_THREADS; i++)
        pthread_create(&t[i], NULL, intern_many, seen[i]);
    for (int i = 0; i < N_THREADS; i++)
        pthread_join(t[i], NULL);
    for (int i = 1; i < N_THREADS; i++)
        CHECK(memcmp(seen[0], seen[i], sizeof(seen[0])) == 0);
    CHECK_EQ_U(ls_stackdb_count() - before, 100);
}

int main(void)
{
    ls_module_init();
    ls_stack_init();
    check_intern();
    check_capture();
    check_threads();
    PASS();
}
