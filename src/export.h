/* SPDX-License-Identifier: MIT
 *
 * export.h - the one way a symbol leaves libleakshim.so (everything else is hidden).
 */
#ifndef LS_EXPORT_H
#define LS_EXPORT_H

#define LS_EXPORT __attribute__((visibility("default")))

#include <stddef.h>

struct leakshim_counts;

/* The public API; include/leakshim.h reaches it through dlsym so that programs never link
 * against it. Contracts are in that header. */
LS_EXPORT int leakshim_write_report(void);
LS_EXPORT int leakshim_leak_check(struct leakshim_counts *out, size_t out_size);
LS_EXPORT int leakshim_ignore_object(const void *block);
LS_EXPORT void leakshim_disable_thread(void);
LS_EXPORT void leakshim_enable_thread(void);

#endif
