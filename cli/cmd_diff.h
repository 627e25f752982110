/* SPDX-License-Identifier: MIT
 *
 * cmd_diff.h - the `leakshim diff` subcommand.
 */
#ifndef LS_CMD_DIFF_H
#define LS_CMD_DIFF_H

/*
 * `leakshim diff [-f text|json|pprof] [-o FILE] [-n N] OLD NEW`, with argv[0] the word
 * "diff". Matches the stacks of two snapshots (JSON reports or pprof profiles, gzipped or
 * not) and writes what grew and what shrank, to stdout or FILE (atomically). Returns the
 * exit status: 0, or 2 after one `leakshim:` line (bad usage, unreadable or invalid
 * input, write error).
 */
int ls_cli_diff(int argc, char **argv);

#endif
