/* SPDX-License-Identifier: MIT
 *
 * cmd_report.h - the `leakshim report` subcommand.
 */
#ifndef LS_CMD_REPORT_H
#define LS_CMD_REPORT_H

/*
 * `leakshim report [-o FILE.html] [--timeline FILE] [--top N] SNAPSHOT...`, with argv[0]
 * the word "report". Reads the snapshots (leakshim JSON reports or pprof profiles, put in
 * time order when all carry a time) and the timeline, and writes one HTML page that needs nothing
 * else to open: live bytes over time, the top stacks by live bytes and by growth, and a flame
 * graph. Returns the exit status: 0, or 2 after one `leakshim:` line.
 */
int ls_cli_report(int argc, char **argv);

#endif
