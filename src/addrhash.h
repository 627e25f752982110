/* SPDX-License-Identifier: MIT
 *
 * addrhash.h - one hash of a block's address for the block table and the sampling filter.
 */
#ifndef LS_ADDRHASH_H
#define LS_ADDRHASH_H

#include <stdint.h>

/*
 * Every bit of the address reaches every bit of the result (a 64-bit finalizer: xor-shift,
 * multiply, twice). One multiply was not enough: the blocks glibc hands out back to back
 * for one size lie a fixed stride apart, and for strides like 976 or 2480 bytes the
 * product's middle bits repeated, piling blocks into long probe runs (an attack run
 * measured 200-440 ns a table operation where neighbouring strides took 30-130).
 */
static inline uint64_t ls_addr_hash(uintptr_t addr)
{
    uint64_t x = addr;

    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ (x >> 33);
}

#endif
