/* SPDX-License-Identifier: MIT
 *
 * options.h - what the `leakshim` command and its subcommands share about their options.
 */
#ifndef LS_CLI_OPTIONS_H
#define LS_CLI_OPTIONS_H

#include <stddef.h>

/*
 * Words the option getopt_long just refused, as the user wrote it ("--name" without any
 * "=value", or "-x" even inside a cluster such as "-vx"): "option '-o' needs a value"
 * when c is ':' (the optstring must start with ':' or "+:"), else "unknown option
 * '--frobnicate'". Call it right after getopt_long returned c; writes into buf and
 * returns it.
 */
const char *ls_options_explain(char **argv, int c, char *buf, size_t len);

/*
 * Reads s as a whole decimal number from lo to hi and nothing else: digits only, no sign,
 * space or base prefix. Returns 0 and sets *n (unless n is NULL), or -1 (s is left to the
 * caller to word, since each option words its own range).
 */
int ls_options_parse_count(const char *s, unsigned long long lo, unsigned long long hi,
                           unsigned long long *n);

#endif
