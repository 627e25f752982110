/* SPDX-License-Identifier: MIT
 *
 * cmd_baseline.h - the `leakshim baseline` subcommand.
 */
#ifndef LS_CMD_BASELINE_H
#define LS_CMD_BASELINE_H

/*
 * `leakshim baseline [-o FILE] REPORT.json`, with argv[0] the word "baseline". Writes the
 * report's leaks as a baseline file (stdout, or FILE atomically). Returns the exit status:
 * 0, or 2 after one `leakshim:` line (bad usage, unreadable or invalid report, write error).
 */
int ls_cli_baseline(int argc, char **argv);

#endif
