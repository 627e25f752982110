/* SPDX-License-Identifier: MIT
 *
 * vec.h - a growable array for the CLI's readers and writers: struct { T *v; n, cap; }.
 */
#ifndef LS_CLI_VEC_H
#define LS_CLI_VEC_H

#include "profile_read.h" /* lsp_reserve() */

#define LS_VEC(type)   \
    struct {           \
        type *v;       \
        size_t n, cap; \
    }

/* Appends value to vec (an LS_VEC); evaluates to 0, or -1 when out of memory (vec is
 * then unchanged). */
#define LS_VEC_PUSH(vec, value)                                                     \
    (lsp_reserve((void **)&(vec).v, &(vec).cap, (vec).n + 1, sizeof(*(vec).v)) == 0 \
         ? ((vec).v[(vec).n++] = (value), 0)                                        \
         : -1)

#endif
