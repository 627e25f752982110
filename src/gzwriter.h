/* SPDX-License-Identifier: MIT
 *
 * gzwriter.h - a gzip stream (zlib's deflate) in front of an ls_writer, for report
 * formats that must be compressed on disk (pprof's profile.proto).
 */
#ifndef LS_GZWRITER_H
#define LS_GZWRITER_H

#include <stddef.h>
#include <zlib.h>

#include "writer.h"

struct ls_gzwriter {
    struct ls_writer *out;
    z_stream z;
    int error;       /* 0, or the zlib status that stopped the stream */
    size_t in_len;   /* bytes waiting in in[] */
    Bytef in[16384]; /* small puts gather here: deflate() costs too much per few bytes */
    Bytef out_buf[16384];
};

/*
 * Starts a gzip member written to out (not owned). zlib's memory comes from the arena
 * (freed by ls_gzwriter_fini), so gz can live in arena memory and run in the report
 * path. Returns 0, or -1 when zlib could not start (gz->error says why; puts are then
 * ignored and fini returns -1).
 */
int ls_gzwriter_init(struct ls_gzwriter *gz, struct ls_writer *out);

/* Compresses len bytes of data into the stream. */
void ls_gzwriter_put(struct ls_gzwriter *gz, const void *data, size_t len);

/* Ends the member (gzip trailer: CRC and length) and frees zlib's memory. Returns 0, or
 * -1 when compression failed anywhere. out is left unflushed. */
int ls_gzwriter_fini(struct ls_gzwriter *gz);

#endif
