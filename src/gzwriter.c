/* SPDX-License-Identifier: MIT
 *
 * gzwriter.c - gzip compression with zlib into an ls_writer.
 *
 * Runs in the report path inside the traced process: zlib allocates through the arena
 * (never the program's heap, which may be mid-malloc in a stopped thread), no stdio.
 */
#include "gzwriter.h"

#include <string.h>

#include "arena.h"

/* zfree gets no size, and ls_arena_free needs one: each block starts with its size,
 * padded to 16 bytes so zlib's memory stays as aligned as the arena's. */
#define SIZE_HEADER 16

static voidpf arena_zalloc(voidpf opaque, uInt items, uInt size)
{
    size_t bytes = (size_t)items * size + SIZE_HEADER; // two 32-bit factors: no overflow
    unsigned char *p = ls_arena_alloc(bytes);

    (void)opaque;
    if (p == NULL)
        return Z_NULL;
    memcpy(p, &bytes, sizeof(bytes));
    return p + SIZE_HEADER;
}

static void arena_zfree(voidpf opaque, voidpf addr)
{
    unsigned char *p = (unsigned char *)addr - SIZE_HEADER;
    size_t bytes;

    (void)opaque;
    memcpy(&bytes, p, sizeof(bytes));
    ls_arena_free(p, bytes);
}

int ls_gzwriter_init(struct ls_gzwriter *gz, struct ls_writer *out)
{
    gz->out = out;
    gz->in_len = 0;
    memset(&gz->z, 0, sizeof(gz->z)); // a failed init then leaves no state to free
    gz->z.zalloc = arena_zalloc;
    gz->z.zfree = arena_zfree;
    // 15 + 16: the largest window, with a gzip header and trailer instead of zlib's.
    // The fastest level: the report holds up a thread of the program, and a profile is
    // small next to what level 9 would save.
    int rc = deflateInit2(&gz->z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    gz->error = rc == Z_OK ? 0 : rc;
    return rc == Z_OK ? 0 : -1;
}

/* Deflates len bytes of data with flush and hands all the output to the writer. With
 * Z_NO_FLUSH it stops once deflate has taken the input and has room left over; with
 * Z_FINISH once the trailer is out. */
static void deflate_into_writer(struct ls_gzwriter *gz, const Bytef *data, size_t len, int flush)
{
    int rc;

    gz->z.next_in = (Bytef *)data; // zlib's API is not const; it only reads
    gz->z.avail_in = (uInt)len;    // at most sizeof(gz->in)
    do {
        gz->z.next_out = gz->out_buf;
        gz->z.avail_out = sizeof(gz->out_buf);
        rc = deflate(&gz->z, flush);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
            gz->error = rc;
            return;
        }
        ls_writer_put(gz->out, (const char *)gz->out_buf, sizeof(gz->out_buf) - gz->z.avail_out);
    } while (gz->z.avail_out == 0 || (flush == Z_FINISH && rc == Z_OK));
}

void ls_gzwriter_put(struct ls_gzwriter *gz, const void *data, size_t len)
{
    const Bytef *p = data;

    while (len > 0 && gz->error == 0) {
        if (gz->in_len == sizeof(gz->in)) {
            deflate_into_writer(gz, gz->in, gz->in_len, Z_NO_FLUSH);
            gz->in_len = 0;
        }
        size_t n = sizeof(gz->in) - gz->in_len;
        n = len < n ? len : n;
        memcpy(gz->in + gz->in_len, p, n);
        gz->in_len += n;
        p += n;
        len -= n;
    }
}

int ls_gzwriter_fini(struct ls_gzwriter *gz)
{
    if (gz->error == 0)
        deflate_into_writer(gz, gz->in, gz->in_len, Z_FINISH);
    gz->in_len = 0;
    deflateEnd(&gz->z); // frees zlib's memory whatever state the stream is in
    return gz->error == 0 ? 0 : -1;
}
