/* SPDX-License-Identifier: MIT
 *
 * export.h - the one way a symbol leaves libleakshim.so (everything else is hidden).
 */
#ifndef LS_EXPORT_H
#define LS_EXPORT_H

#define LS_EXPORT __attribute__((visibility("default")))

/* The public API's one entry point; include/leakshim.h reaches it through dlsym so that
 * programs never link against it. */
LS_EXPORT int leakshim_write_report(void);

#endif
