/* SPDX-License-Identifier: MIT
 *
 * symbolize.h - module offset -> function, source file and line, with elfutils' libdw.
 */
#ifndef LS_SYMBOLIZE_H
#define LS_SYMBOLIZE_H

#include <stdint.h>

struct ls_symbol {
    const char *function; /* demangled when libstdc++ is loaded; NULL when unknown */
    const char *file;     /* NULL when the module has no line information */
    int line;             /* 0 when unknown */
};

/*
 * Describes the code at offset (an ELF virtual address) in the module with this id. The
 * strings stay valid for the life of the process (names are cached). Reads the module's file from
 * disk, so it works for modules already unloaded. Allocates through the C library: call it only
 * with the guard held and no shim lock held.
 */
void ls_symbolize(uint32_t module_id, uintptr_t offset, struct ls_symbol *out);

#endif
