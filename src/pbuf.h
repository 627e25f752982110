/* SPDX-License-Identifier: MIT
 *
 * pbuf.h - the protocol buffers wire format, encoding only, into a fixed buffer: the
 * varint and length-delimited fields pprof's profile.proto is made of.
 */
#ifndef LS_PBUF_H
#define LS_PBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes a varint takes at most (64 bits, 7 per byte). */
#define LS_PBUF_VARINT_MAX 10
/* Bytes a tag and a length take at most: what ls_pbuf_len_header() writes. */
#define LS_PBUF_HEADER_MAX (2 * LS_PBUF_VARINT_MAX)

/* One message being encoded, in memory the caller owns (no allocation here). */
struct ls_pbuf {
    uint8_t *buf;
    size_t len, cap;
    bool is_full; /* a write did not fit and was dropped: the message is incomplete */
};

/* Starts an empty message in mem (cap bytes). */
void ls_pbuf_init(struct ls_pbuf *b, void *mem, size_t cap);

/* Appends v as a bare varint, as the elements of a packed repeated field are. */
void ls_pbuf_varint(struct ls_pbuf *b, uint64_t v);

/*
 * Appends field as a varint field (wire type 0): uint64, int64 (a negative one as its
 * two's complement, ten bytes) and bool all encode so. Nothing is written for 0, which a
 * proto3 reader takes as the default; repeated fields use ls_pbuf_varint.
 */
void ls_pbuf_uint(struct ls_pbuf *b, uint32_t field, uint64_t v);

/* Appends the tag and length of a length-delimited field (wire type 2) whose len bytes
 * the caller writes next, wherever they go. */
void ls_pbuf_len_header(struct ls_pbuf *b, uint32_t field, size_t len);

/* Appends a length-delimited field: a string, bytes, an embedded message or the elements
 * of a packed repeated field. Written even when len is 0 (an empty repeated string). */
void ls_pbuf_bytes(struct ls_pbuf *b, uint32_t field, const void *data, size_t len);

/* Appends the message inner as field; an incomplete inner makes b incomplete too. */
void ls_pbuf_message(struct ls_pbuf *b, uint32_t field, const struct ls_pbuf *inner);

#endif
