/* SPDX-License-Identifier: MIT
 *
 * inline_chain.c - a leak through two levels of forced inlining, built with -O2
 * (inline.cmake): inline_make_buf allocates, inline_fill_buf calls it, and the out-of-line
 * inline_parse_header calls inline_fill_buf. Both inline functions exist only as inlined
 * code, so each must come back as a frame of its own. Lines are found by the `fn-mark:`
 * comments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline __attribute__((always_inline)) char *inline_make_buf(size_t n)
{
    return malloc(n); // fn-mark: inline_alloc
}

static inline __attribute__((always_inline)) char *inline_fill_buf(size_t n)
{
    char *p = inline_make_buf(n); // fn-mark: inline_middle_call

    if (p != NULL)
        memset(p, 'h', n); // uses the block, so the call to malloc is no tail call
    return p;
}

/* noclone: -O2 would otherwise specialize it for its one argument under another name. */
__attribute__((noinline, noclone)) char *inline_parse_header(size_t n)
{
    char *p = inline_fill_buf(n); // fn-mark: inline_outer_call

    if (p != NULL)
        p[n - 1] = '\0';
    return p;
}

int main(int argc, char **argv)
{
    (void)argv;
    char *header = inline_parse_header((size_t)argc * 64); // fn-mark: inline_main_call

    // Printed, then dropped: the block is lost.
    printf("header %zu\n", strlen(header));
    header = NULL;
    return 0;
}
