/* SPDX-License-Identifier: MIT
 *
 * symbolize.h - module offset -> function, source file and line, with elfutils' libdw,
 * one logical frame per function inlined at the offset.
 */
#ifndef LS_SYMBOLIZE_H
#define LS_SYMBOLIZE_H

#include <stdbool.h>
#include <stdint.h>

/* Logical frames one address can yield at most: the function that holds the code and up
 * to LS_MAX_INLINE - 1 calls inlined into it (the innermost ones; deeper chains drop the
 * middle). */
#define LS_MAX_INLINE 16

struct ls_symbol {
    const char *function; /* demangled when libstdc++ is loaded; NULL when unknown */
    const char *file;     /* NULL when the module has no line information */
    int line;             /* 0 when unknown */
    bool is_inlined;      /* a call inlined into the next symbol, not a function of its own */
};

/*
 * Describes the code at offset (an ELF virtual address) in the module with this id, as
 * eu-addr2line -i does: *out gets the logical frames, innermost first, and the count is
 * returned (at least 1, at most LS_MAX_INLINE). Every frame but the last is a call the
 * compiler inlined (is_inlined): the first has the line table's file:line for offset,
 * each further one the place it made the inlined call from. The last names the function
 * that holds the code, from the symbol table. Without debug information there is exactly
 * one frame. The frames and their strings stay valid for the life of the process (they
 * are cached in arena memory). Reads the module's file from disk, so it works for
 * modules already unloaded. libdw allocates through the C library: call it only with the
 * guard held and no shim lock held.
 */
uint32_t ls_symbolize(uint32_t module_id, uintptr_t offset, const struct ls_symbol **out);

#endif
