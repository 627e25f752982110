/* SPDX-License-Identifier: MIT
 *
 * fn_realloc_edges.c - realloc's edge cases, one per run, named by argv[1]. Each case
 * checks glibc 2.36's behaviour itself and exits 1 on a mismatch; its check script then
 * checks what the report recorded. No stdio.
 *
 *   null    realloc(NULL, 70) acts as malloc(70)
 *   zero    realloc(malloc(40), 0) frees the block and returns NULL, errno untouched
 *   grow    malloc(100), then realloc to 5000 in grow_block
 *   shrink  malloc(5000), then realloc to 10 in shrink_block
 *   fail    malloc(32), then realloc to an impossible size: NULL, ENOMEM, block kept
 */
#include <errno.h>

#include "fn_check.h"

char *first_alloc(size_t n)
{
    char *p = malloc(n); /* fn-mark: first_alloc */

    fn_expect(p != NULL, "malloc returned NULL");
    memset(p, 'r', n);
    return p;
}

void realloc_from_null(void)
{
    fn_kept[0] = realloc(NULL, 70); /* fn-mark: realloc_null */
    fn_expect(fn_kept[0] != NULL, "realloc(NULL, 70) returned NULL");
}

void realloc_to_zero(void)
{
    char *p = first_alloc(40);

    errno = 0;
    fn_expect(realloc(p, 0) == NULL, "realloc(p, 0) did not return NULL");
    fn_expect(errno == 0, "realloc(p, 0) changed errno");
}

void grow_block(void)
{
    char *p = first_alloc(100);
    char *q = realloc(p, 5000); /* fn-mark: grow */

    fn_expect(q != NULL, "realloc(p, 5000) returned NULL");
    fn_expect(q[0] == 'r' && q[99] == 'r', "growing realloc lost the contents");
    fn_kept[0] = q;
}

void shrink_block(void)
{
    char *p = first_alloc(5000);
    char *q = realloc(p, 10); /* fn-mark: shrink */

    fn_expect(q != NULL, "realloc(p, 10) returned NULL");
    fn_expect(q[0] == 'r' && q[9] == 'r', "shrinking realloc lost the contents");
    fn_kept[0] = q;
}

void realloc_too_big(void)
{
    // Kept in fn_kept and read back from there: GCC cannot see that the call failed and
    // may warn that p is used after realloc.
    fn_kept[0] = first_alloc(32);

    errno = 0;
    fn_expect(realloc(fn_kept[0], fn_opaque(SIZE_MAX - 4096)) == NULL,
              "realloc to SIZE_MAX - 4096 succeeded");
    fn_expect(errno == ENOMEM, "failed realloc did not set ENOMEM");
    fn_expect(((char *)fn_kept[0])[0] == 'r' && ((char *)fn_kept[0])[31] == 'r',
              "failed realloc damaged the block");
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*run)(void);
    } cases[] = {
        {"null", realloc_from_null}, {"zero", realloc_to_zero}, {"grow", grow_block},
        {"shrink", shrink_block},    {"fail", realloc_too_big},
    };

    for (size_t i = 0; argc == 2 && i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (strcmp(argv[1], cases[i].name) == 0) {
            cases[i].run();
            return 0;
        }
    }
    fn_expect(0, "usage: fn_realloc_edges null|zero|grow|shrink|fail");
    return 2;
}
