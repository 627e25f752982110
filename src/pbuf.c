/* SPDX-License-Identifier: MIT
 *
 * pbuf.c - protocol buffers encoding into a caller's fixed buffer, written from the
 * wire-format specification: a field is a varint key (field number << 3 | wire type)
 * followed by a varint (type 0) or by a varint length and that many bytes (type 2).
 *
 * Runs in the report path inside the traced process: no allocation, no stdio.
 */
#include "pbuf.h"

#include <string.h>

enum wire_type { WIRE_VARINT = 0, WIRE_LEN = 2 };

void ls_pbuf_init(struct ls_pbuf *b, void *mem, size_t cap)
{
    b->buf = mem;
    b->len = 0;
    b->cap = cap;
    b->is_full = false;
}

/* Appends n bytes, or marks b incomplete when they do not fit: its writer then drops the
 * whole message rather than emit a truncated one. */
static void append(struct ls_pbuf *b, const void *data, size_t n)
{
    if (b->is_full || n > b->cap - b->len) {
        b->is_full = true;
        return;
    }
    if (n > 0)
        memcpy(b->buf + b->len, data, n);
    b->len += n;
}

void ls_pbuf_varint(struct ls_pbuf *b, uint64_t v)
{
    uint8_t out[LS_PBUF_VARINT_MAX];
    size_t n = 0;

    // Seven bits a byte, least significant group first; the top bit says "more follows".
    while (v >= 0x80) {
        out[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    out[n++] = (uint8_t)v;
    append(b, out, n);
}

static void put_tag(struct ls_pbuf *b, uint32_t field, enum wire_type wire)
{
    ls_pbuf_varint(b, (uint64_t)field << 3 | wire);
}

void ls_pbuf_uint(struct ls_pbuf *b, uint32_t field, uint64_t v)
{
    if (v == 0)
        return;
    put_tag(b, field, WIRE_VARINT);
    ls_pbuf_varint(b, v);
}

void ls_pbuf_len_header(struct ls_pbuf *b, uint32_t field, size_t len)
{
    put_tag(b, field, WIRE_LEN);
    ls_pbuf_varint(b, len);
}

void ls_pbuf_bytes(struct ls_pbuf *b, uint32_t field, const void *data, size_t len)
{
    ls_pbuf_len_header(b, field, len);
    append(b, data, len);
}

void ls_pbuf_message(struct ls_pbuf *b, uint32_t field, const struct ls_pbuf *inner)
{
    if (inner->is_full) {
        b->is_full = true;
        return;
    }
    ls_pbuf_bytes(b, field, inner->buf, inner->len);
}
