/* SPDX-License-Identifier: MIT
 *
 * pbread.h - a reader of protocol buffer wire format, enough for profile.proto: walks the
 * fields of one message in a buffer it never copies.
 */
#ifndef LS_CLI_PBREAD_H
#define LS_CLI_PBREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Wire types of the encoding; groups (3, 4) are obsolete and refused. */
enum ls_pbread_wire {
    LS_PB_VARINT = 0,
    LS_PB_FIXED64 = 1,
    LS_PB_BYTES = 2,
    LS_PB_FIXED32 = 5,
};

/* The unread part of one message. */
struct ls_pbread {
    const uint8_t *p, *end;
};

/* One field of a message: its number, wire type and value (for LS_PB_BYTES, the bytes,
 * which point into the message's buffer). */
struct ls_pbread_field {
    uint32_t number;
    enum ls_pbread_wire wire;
    uint64_t value;
    const uint8_t *bytes;
    size_t len;
};

/* A reader over buf[0..len). */
struct ls_pbread ls_pbread_init(const void *buf, size_t len);

/* Reads the next field into *f. Returns 1, 0 at the end of the message, or -1 when the
 * rest is not valid wire format (cut short, a varint over 10 bytes, an unknown wire type
 * or field number 0). */
int ls_pbread_next(struct ls_pbread *r, struct ls_pbread_field *f);

/*
 * Calls add(value, arg) for each integer a repeated integer field holds: one for a plain
 * varint field, each of a packed (LS_PB_BYTES) one. Returns 0, or -1 when the packed
 * bytes are not varints or add returns nonzero.
 */
int ls_pbread_each_varint(const struct ls_pbread_field *f, int (*add)(uint64_t value, void *arg),
                          void *arg);

#endif
