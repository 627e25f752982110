/* SPDX-License-Identifier: MIT
 *
 * check.h - the unit tests' assertions: print what differed, where, and exit 1.
 */
#ifndef LS_CHECK_H
#define LS_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            exit(1);                                                                 \
        }                                                                            \
    } while (0)

#define CHECK_EQ_U(actual, expected)                                                               \
    do {                                                                                           \
        unsigned long long a_ = (unsigned long long)(actual);                                      \
        unsigned long long e_ = (unsigned long long)(expected);                                    \
        if (a_ != e_) {                                                                            \
            fprintf(stderr, "%s:%d: %s is %llu, expected %llu\n", __FILE__, __LINE__, #actual, a_, \
                    e_);                                                                           \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

#define CHECK_EQ_S(actual, expected)                                                               \
    do {                                                                                           \
        const char *a_ = (actual), *e_ = (expected);                                               \
        if (a_ == NULL || strcmp(a_, e_) != 0) {                                                   \
            fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #actual, \
                    a_ ? a_ : "(null)", e_);                                                       \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

#define PASS()                            \
    do {                                  \
        printf("%s: passed\n", __FILE__); \
        return 0;                         \
    } while (0)

#endif
