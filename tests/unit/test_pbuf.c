/* SPDX-License-Identifier: MIT
 *
 * test_pbuf.c - the protobuf encoder, byte for byte against the wire format, and the
 * gzip stream (inflated back with zlib).
 */
#include <stdint.h>
#include <zlib.h>

#include "check.h"
#include "gzwriter.h"
#include "pbuf.h"

static void check_bytes(const struct ls_pbuf *b, const uint8_t *want, size_t n, int line)
{
    if (b->is_full || b->len != n || memcmp(b->buf, want, n) != 0) {
        fprintf(stderr, "%s:%d: encoded %zu bytes (full %d):", __FILE__, line, b->len, b->is_full);
        for (size_t i = 0; i < b->len; i++)
            fprintf(stderr, " %02x", b->buf[i]);
        fprintf(stderr, "\n");
        exit(1);
    }
}

#define CHECK_BYTES(b, ...)                               \
    do {                                                  \
        static const uint8_t want_[] = {__VA_ARGS__};     \
        check_bytes((b), want_, sizeof(want_), __LINE__); \
    } while (0)

static void check_varints(void)
{
    uint8_t mem[64];
    struct ls_pbuf b;

    ls_pbuf_init(&b, mem, sizeof(mem));
    ls_pbuf_varint(&b, 0);
    ls_pbuf_varint(&b, 127); // the largest one-byte varint
    ls_pbuf_varint(&b, 128); // the smallest two-byte one
    ls_pbuf_varint(&b, 300);
    CHECK_BYTES(&b, 0x00, 0x7f, 0x80, 0x01, 0xac, 0x02);

    ls_pbuf_init(&b, mem, sizeof(mem));
    ls_pbuf_varint(&b, UINT64_C(1) << 63); // ten bytes: 9 x 7 bits, then the top one
    CHECK_BYTES(&b, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01);

    ls_pbuf_init(&b, mem, sizeof(mem));
    ls_pbuf_varint(&b, UINT64_MAX);
    CHECK_BYTES(&b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
}

static void check_fields(void)
{
    uint8_t mem[64];
    struct ls_pbuf b;

    ls_pbuf_init(&b, mem, sizeof(mem));
    ls_pbuf_uint(&b, 1, 150);                   // key 0x08: field 1, wire type 0
    ls_pbuf_uint(&b, 2, 0);                     // proto3 default: nothing written
    ls_pbuf_uint(&b, 16, 1);                    // field 16: a two-byte key
    ls_pbuf_uint(&b, 3, (uint64_t)(int64_t)-1); // a negative int64: ten bytes
    ls_pbuf_bytes(&b, 6, "", 0);                // an empty string is still written
    ls_pbuf_bytes(&b, 6, "kind", 4);            // key 0x32: field 6, wire type 2
    CHECK_BYTES(&b, 0x08, 0x96, 0x01, 0x80, 0x01, 0x01, 0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                0xff, 0xff, 0xff, 0x01, 0x32, 0x00, 0x32, 0x04, 'k', 'i', 'n', 'd');
}

/* A pprof Location {id 1, mapping_id 2, line {function_id 3, line 42},
 * line {function_id 4, line 300}}, and a packed repeated field. */
static void check_nested(void)
{
    uint8_t mem[64], line_mem[16], packed_mem[16];
    struct ls_pbuf loc, line, packed;

    ls_pbuf_init(&loc, mem, sizeof(mem));
    ls_pbuf_uint(&loc, 1, 1);
    ls_pbuf_uint(&loc, 2, 2);
    ls_pbuf_init(&line, line_mem, sizeof(line_mem));
    ls_pbuf_uint(&line, 1, 3);
    ls_pbuf_uint(&line, 2, 42);
    ls_pbuf_message(&loc, 4, &line);
    ls_pbuf_init(&line, line_mem, sizeof(line_mem));
    ls_pbuf_uint(&line, 1, 4);
    ls_pbuf_uint(&line, 2, 300);
    ls_pbuf_message(&loc, 4, &line);
    CHECK_BYTES(&loc, 0x08, 0x01, 0x10, 0x02, 0x22, 0x04, 0x08, 0x03, 0x10, 0x2a, 0x22, 0x05, 0x08,
                0x04, 0x10, 0xac, 0x02);

    ls_pbuf_init(&packed, packed_mem, sizeof(packed_mem));
    ls_pbuf_varint(&packed, 3);
    ls_pbuf_varint(&packed, 270);
    ls_pbuf_varint(&packed, 0); // a value of 0 in a repeated field is kept
    ls_pbuf_init(&loc, mem, sizeof(mem));
    ls_pbuf_message(&loc, 2, &packed);
    CHECK_BYTES(&loc, 0x12, 0x04, 0x03, 0x8e, 0x02, 0x00);
}

/* A write that does not fit marks the message incomplete, and a message holding an
 * incomplete one is incomplete too. */
static void check_full(void)
{
    uint8_t small[3], mem[16];
    struct ls_pbuf b, outer;

    ls_pbuf_init(&b, small, sizeof(small));
    ls_pbuf_uint(&b, 1, 1);
    CHECK(!b.is_full);
    ls_pbuf_bytes(&b, 2, "xyz", 3);
    CHECK(b.is_full);
    ls_pbuf_init(&outer, mem, sizeof(mem));
    ls_pbuf_message(&outer, 1, &b);
    CHECK(outer.is_full);
}

/* Compresses data through an ls_writer into a temporary file and inflates it back. */
static void check_gzip(void)
{
    static char data[100000], back[200000], packed[200000];
    static struct ls_writer w;
    static struct ls_gzwriter gz;
    FILE *tmp = tmpfile();

    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (char)(i % 251 ^ i / 1000); // compressible, and past every buffer size
    ls_writer_init(&w, fileno(tmp));
    CHECK(ls_gzwriter_init(&gz, &w) == 0);
    ls_gzwriter_put(&gz, data, 3); // small puts and one bigger than the input buffer
    ls_gzwriter_put(&gz, data + 3, 40000);
    ls_gzwriter_put(&gz, data + 40003, sizeof(data) - 40003);
    CHECK(ls_gzwriter_fini(&gz) == 0);
    CHECK(ls_writer_flush(&w) == 0);
    rewind(tmp);
    size_t n = fread(packed, 1, sizeof(packed), tmp);
    fclose(tmp);
    CHECK(n > 18 && n < sizeof(data) / 2);
    CHECK_EQ_U((unsigned char)packed[0], 0x1f); // the gzip magic, not a zlib header
    CHECK_EQ_U((unsigned char)packed[1], 0x8b);

    uLongf back_len = sizeof(back);
    z_stream z = {0};
    CHECK(inflateInit2(&z, 15 + 16) == Z_OK);
    z.next_in = (Bytef *)packed;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)back;
    z.avail_out = (uInt)back_len;
    CHECK(inflate(&z, Z_FINISH) == Z_STREAM_END); // the trailer's CRC and length check out
    CHECK_EQ_U(z.total_out, sizeof(data));
    CHECK(memcmp(back, data, sizeof(data)) == 0);
    inflateEnd(&z);
}

int main(void)
{
    check_varints();
    check_fields();
    check_nested();
    check_full();
    check_gzip();
    PASS();
}
