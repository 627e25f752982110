/* SPDX-License-Identifier: MIT
 *
 * fn_alloc_edges.c - edge cases of the malloc family other than realloc, one per run,
 * named by argv[1]. Each case checks glibc 2.36's behaviour itself and exits 1 on a
 * mismatch. Every case first leaks one 11-byte block from leak_sentinel, so the report
 * proves tracking was on and shows that nothing else was recorded. No stdio.
 *
 *   calloc_overflow       calloc(SIZE_MAX / 2, 3): NULL, ENOMEM
 *   malloc_huge           malloc(SIZE_MAX - 100) and malloc(PTRDIFF_MAX + 1): NULL, ENOMEM
 *   free_null             free(NULL) three times: nothing happens
 *   posix_memalign_einval alignments 0, 3, 4 and 24: EINVAL, *memptr and errno untouched
 *   aligned               aligned_alloc, memalign and posix_memalign results are aligned
 *   reallocarray_overflow reallocarray(p, SIZE_MAX / 2, 3): NULL, ENOMEM, p kept
 *   malloc_zero           malloc(0) gives unique non-NULL pointers: 2 kept, 1 freed
 *   free_errno            free() keeps errno (1234) for a real block and for NULL
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdint.h>

#include "fn_check.h"

void leak_sentinel(void)
{
    fn_kept[15] = malloc(11); /* fn-mark: sentinel */
    fn_expect(fn_kept[15] != NULL, "malloc(11) returned NULL");
}

void calloc_overflow(void)
{
    errno = 0;
    fn_expect(calloc(fn_opaque(SIZE_MAX / 2), 3) == NULL, "overflowing calloc succeeded");
    fn_expect(errno == ENOMEM, "overflowing calloc did not set ENOMEM");
}

void malloc_huge(void)
{
    errno = 0;
    fn_expect(malloc(fn_opaque(SIZE_MAX - 100)) == NULL, "malloc(SIZE_MAX - 100) succeeded");
    fn_expect(errno == ENOMEM, "malloc(SIZE_MAX - 100) did not set ENOMEM");

    errno = 0;
    fn_expect(malloc(fn_opaque((size_t)PTRDIFF_MAX + 1)) == NULL,
              "malloc(PTRDIFF_MAX + 1) succeeded");
    fn_expect(errno == ENOMEM, "malloc(PTRDIFF_MAX + 1) did not set ENOMEM");
}

void free_null(void)
{
    for (size_t i = 0; i < fn_opaque(3); i++)
        free(NULL);
}

void posix_memalign_einval(void)
{
    static const size_t bad[] = {0, 3, 4, 24}; // 4: not a multiple of sizeof(void *)
    char marker;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        void *p = &marker;

        errno = 4321;
        fn_expect(posix_memalign(&p, bad[i], 16) == EINVAL, "bad alignment did not give EINVAL");
        fn_expect(p == &marker, "failed posix_memalign wrote *memptr");
        fn_expect(errno == 4321, "failed posix_memalign changed errno");
    }
}

void aligned_results(void)
{
    void *a = aligned_alloc(64, 128);
    void *b = aligned_alloc(4096, 4096);
    void *c = memalign(256, 10);
    void *d = memalign(32, 1);
    void *e = NULL;

    fn_expect(posix_memalign(&e, 1024, 1) == 0, "posix_memalign(&e, 1024, 1) failed");
    fn_expect(a && b && c && d, "an aligned allocation returned NULL");
    fn_expect(fn_is_aligned(a, 64), "aligned_alloc(64, 128) not 64-aligned");
    fn_expect(fn_is_aligned(b, 4096), "aligned_alloc(4096, 4096) not 4096-aligned");
    fn_expect(fn_is_aligned(c, 256), "memalign(256, 10) not 256-aligned");
    fn_expect(fn_is_aligned(d, 32), "memalign(32, 1) not 32-aligned");
    fn_expect(fn_is_aligned(e, 1024), "posix_memalign(&e, 1024, 1) not 1024-aligned");

    free(a);
    free(b);
    free(c);
    free(d);
    free(e);
}

char *start_array(void)
{
    char *p = reallocarray(NULL, 3, 8); /* fn-mark: start_array */

    fn_expect(p != NULL, "reallocarray(NULL, 3, 8) returned NULL");
    memset(p, 'z', 24);
    return p;
}

void reallocarray_overflow(void)
{
    // Kept in fn_kept and read back from there: GCC cannot see that the call failed and
    // would warn that p is used after reallocarray.
    fn_kept[0] = start_array();

    errno = 0;
    fn_expect(reallocarray(fn_kept[0], fn_opaque(SIZE_MAX / 2), 3) == NULL,
              "overflowing reallocarray succeeded");
    fn_expect(errno == ENOMEM, "overflowing reallocarray did not set ENOMEM");
    fn_expect(((char *)fn_kept[0])[0] == 'z' && ((char *)fn_kept[0])[23] == 'z',
              "failed reallocarray damaged the block");
}

void leak_zero_blocks(void)
{
    for (size_t i = 0; i < fn_opaque(2); i++) {
        fn_kept[i] = malloc(0); /* fn-mark: zero */
        fn_expect(fn_kept[i] != NULL, "malloc(0) returned NULL");
    }
    fn_expect(fn_kept[0] != fn_kept[1], "two malloc(0) gave the same pointer");
}

void malloc_zero(void)
{
    void *p;

    leak_zero_blocks();
    p = malloc(0);
    fn_expect(p != NULL, "malloc(0) returned NULL");
    fn_expect(p != fn_kept[0] && p != fn_kept[1], "malloc(0) reused a live pointer");
    free(p);
}

void free_errno(void)
{
    void *p = malloc(20);

    fn_expect(p != NULL, "malloc(20) returned NULL");
    errno = 1234;
    free(p);
    fn_expect(errno == 1234, "free() changed errno");
    free(NULL);
    fn_expect(errno == 1234, "free(NULL) changed errno");
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*run)(void);
    } cases[] = {
        {"calloc_overflow", calloc_overflow},
        {"malloc_huge", malloc_huge},
        {"free_null", free_null},
        {"posix_memalign_einval", posix_memalign_einval},
        {"aligned", aligned_results},
        {"reallocarray_overflow", reallocarray_overflow},
        {"malloc_zero", malloc_zero},
        {"free_errno", free_errno},
    };

    leak_sentinel();
    for (size_t i = 0; argc == 2 && i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (strcmp(argv[1], cases[i].name) == 0) {
            cases[i].run();
            return 0;
        }
    }
    fn_expect(0, "usage: fn_alloc_edges CASE (see the file head)");
    return 2;
}
