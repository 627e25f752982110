/* SPDX-License-Identifier: MIT
 *
 * export.h - the one way a symbol leaves libleakshim.so (everything else is hidden).
 */
#ifndef LS_EXPORT_H
#define LS_EXPORT_H

#define LS_EXPORT __attribute__((visibility("default")))

#endif
