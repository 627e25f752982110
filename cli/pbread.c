/* SPDX-License-Identifier: MIT
 *
 * pbread.c - protocol buffer wire format, read field by field.
 *
 * Input is untrusted (any file handed to `leakshim diff`): every read is bounded by the
 * message's end, and nothing here allocates.
 */
#include "pbread.h"

/* A base-128 varint holds at most 64 bits, so 10 bytes. */
#define LS_PB_MAX_VARINT 10

struct ls_pbread ls_pbread_init(const void *buf, size_t len)
{
    const uint8_t *p = buf;

    return (struct ls_pbread){p, p + len};
}

/* Reads a varint at *p, below end. Returns 0, or -1 when it is cut short or too long. */
static int read_varint(const uint8_t **p, const uint8_t *end, uint64_t *out)
{
    uint64_t v = 0;

    for (int i = 0; i < LS_PB_MAX_VARINT && *p < end; i++) {
        uint8_t byte = *(*p)++;
        v |= (uint64_t)(byte & 0x7f) << (7 * i);
        if ((byte & 0x80) == 0) {
            *out = v;
            return 0;
        }
    }
    return -1;
}

/* Reads n little-endian bytes. */
static int read_fixed(struct ls_pbread *r, int n, uint64_t *out)
{
    uint64_t v = 0;

    if (r->end - r->p < n)
        return -1;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)r->p[i] << (8 * i);
    r->p += n;
    *out = v;
    return 0;
}

/* The value of a field whose tag was just read. */
static int read_value(struct ls_pbread *r, struct ls_pbread_field *f)
{
    switch (f->wire) {
    case LS_PB_VARINT:
        return read_varint(&r->p, r->end, &f->value);
    case LS_PB_FIXED64:
        return read_fixed(r, 8, &f->value);
    case LS_PB_FIXED32:
        return read_fixed(r, 4, &f->value);
    case LS_PB_BYTES:
        if (read_varint(&r->p, r->end, &f->value) != 0 || f->value > (uint64_t)(r->end - r->p))
            return -1;
        f->bytes = r->p;
        f->len = (size_t)f->value;
        r->p += f->len;
        return 0;
    }
    return -1;
}

int ls_pbread_next(struct ls_pbread *r, struct ls_pbread_field *f)
{
    uint64_t tag;

    if (r->p == r->end)
        return 0;
    if (read_varint(&r->p, r->end, &tag) != 0)
        return -1;

    f->number = (uint32_t)(tag >> 3);
    f->wire = (enum ls_pbread_wire)(tag & 7);
    f->bytes = NULL;
    f->len = 0;
    if ((tag >> 3) == 0 || (tag >> 3) > UINT32_MAX)
        return -1;
    return read_value(r, f) == 0 ? 1 : -1;
}

int ls_pbread_each_varint(const struct ls_pbread_field *f, int (*add)(uint64_t value, void *arg),
                          void *arg)
{
    const uint8_t *p = f->bytes, *end = f->bytes + f->len;
    uint64_t v;

    if (f->wire == LS_PB_VARINT)
        return add(f->value, arg) == 0 ? 0 : -1;
    if (f->wire != LS_PB_BYTES)
        return -1;
    while (p < end) {
        if (read_varint(&p, end, &v) != 0 || add(v, arg) != 0)
            return -1;
    }
    return 0;
}
