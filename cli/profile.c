/* SPDX-License-Identifier: MIT
 *
 * profile.c - reads a snapshot file whatever its format (gzip, JSON or profile.proto,
 * told apart by content, never by name) and a timeline file; names a stack across runs.
 *
 * The CLI's own code: malloc and stdio are fine. The input is untrusted, so sizes are
 * bounded and every error is one line naming the file.
 */
#include "profile.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "profile_read.h"

/* No snapshot is near this big; a larger gunzipped size is a broken or hostile file. */
#define LSP_MAX_INPUT ((size_t)1 << 30)

int lsp_fail(char *err, size_t err_len, const char *fmt, ...)
{
    va_list ap;

    if (err_len > 0) {
        va_start(ap, fmt);
        vsnprintf(err, err_len, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int lsp_reserve(void **v, size_t *cap, size_t need, size_t elem)
{
    size_t n = *cap != 0 ? *cap : 16;
    void *grown;

    if (need <= *cap)
        return 0;
    while (n < need)
        n *= 2;
    if (n > SIZE_MAX / elem)
        return -1;
    grown = realloc(*v, n * elem);
    if (grown == NULL)
        return -1;
    *v = grown;
    *cap = n;
    return 0;
}

char *lsp_strndup(const char *s, size_t len)
{
    char *copy = malloc(len + 1);

    if (copy != NULL) {
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

/* All of the file at path into *buf (malloc'ed). Returns 0 or an errno. */
static int read_file(const char *path, unsigned char **buf, size_t *len)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 0, n;
    int err = 0;

    *buf = NULL;
    *len = 0;
    if (f == NULL)
        return errno;
    do {
        if (*len >= LSP_MAX_INPUT) {
            err = EFBIG;
            break;
        }
        if (lsp_reserve((void **)buf, &cap, *len + 65536, 1) != 0) {
            err = ENOMEM;
            break;
        }
        n = fread(*buf + *len, 1, cap - *len, f);
        *len += n;
    } while (n > 0);
    if (err == 0 && ferror(f))
        err = errno != 0 ? errno : EIO;
    fclose(f);
    return err;
}

/* Inflates every gzip member of in[0..len) into *out. Returns 0, or -1 with err. */
static int gunzip(const char *path, const unsigned char *in, size_t len, unsigned char **out,
                  size_t *out_len, char *err, size_t err_len)
{
    z_stream zs = {.next_in = (unsigned char *)in, .avail_in = (uInt)len};
    size_t cap = 0;
    int rc = Z_OK;

    *out = NULL;
    *out_len = 0;
    if (len > UINT_MAX || inflateInit2(&zs, 15 + 32) != Z_OK) // 32: gzip header expected
        return lsp_fail(err, err_len, "%s: cannot start gunzip", path);
    while (rc == Z_OK || (rc == Z_STREAM_END && zs.avail_in > 0)) {
        if (rc == Z_STREAM_END && inflateReset(&zs) != Z_OK) // the next member
            break;
        if (*out_len >= LSP_MAX_INPUT ||
            lsp_reserve((void **)out, &cap, *out_len + 65536, 1) != 0) {
            rc = Z_MEM_ERROR;
            break;
        }
        zs.next_out = *out + *out_len;
        zs.avail_out = (uInt)(cap - *out_len);
        rc = inflate(&zs, Z_NO_FLUSH);
        *out_len = cap - zs.avail_out;
        if (rc == Z_BUF_ERROR && zs.avail_out > 0) // input ended inside the stream
            break;
        if (rc == Z_BUF_ERROR)
            rc = Z_OK;
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END)
        return lsp_fail(err, err_len, "%s: %s", path,
                        rc == Z_MEM_ERROR ? "gunzipped data too large or out of memory"
                                          : "gzip data is corrupt or cut short");
    return 0;
}

/* Whether buf is JSON text: '{' first, after any UTF-8 byte order mark and white space
 * (a report passed through an editor or a pretty-printer). */
static bool is_json(const unsigned char *buf, size_t len)
{
    size_t i = len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;

    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
        i++;
    return i < len && buf[i] == '{';
}

/* Parses buf, told apart by its start: '{' is JSON, anything else profile.proto. */
static int parse(const unsigned char *buf, size_t len, struct lsp_profile *out, char *err,
                 size_t err_len)
{
    if (len == 0)
        return lsp_fail(err, err_len, "%s is empty", out->path);
    if (len >= 10 && memcmp(buf, "leakshim: ", 10) == 0)
        return lsp_fail(err, err_len,
                        "%s is a text report; use a JSON (LEAKSHIM_FORMAT=json) or pprof one",
                        out->path);
    if (is_json(buf, len)) {
        if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) { // jansson takes no BOM
            buf += 3;
            len -= 3;
        }
        out->input_format = "json";
        return lsp_read_json((const char *)buf, len, out, err, err_len);
    }
    out->input_format = "pprof";
    return lsp_read_pprof(buf, len, out, err, err_len);
}

int lsp_load(const char *path, struct lsp_profile *out, char *err, size_t err_len)
{
    unsigned char *raw, *plain = NULL;
    size_t len, plain_len = 0;
    int e, rc = -1;

    memset(out, 0, sizeof(*out));
    out->path = strdup(path);
    if (out->path == NULL)
        return lsp_fail(err, err_len, "out of memory");
    e = read_file(path, &raw, &len);
    if (e != 0) {
        lsp_fail(err, err_len, "cannot read %s: %s", path, strerror(e));
    } else if (len >= 2 && raw[0] == 0x1f && raw[1] == 0x8b) {
        if (gunzip(path, raw, len, &plain, &plain_len, err, err_len) == 0)
            rc = parse(plain, plain_len, out, err, err_len);
    } else {
        rc = parse(raw, len, out, err, err_len);
    }
    free(raw);
    free(plain);
    if (rc != 0)
        lsp_free(out);
    return rc;
}

void lsp_free(struct lsp_profile *p)
{
    for (size_t i = 0; i < p->n_stacks; i++) {
        struct lsp_stack *s = &p->stacks[i];
        for (size_t k = 0; k < s->n_frames; k++) {
            free(s->frames[k].function);
            free(s->frames[k].file);
            free(s->frames[k].module);
        }
        free(s->frames);
        free(s->kind);
    }
    free(p->stacks);
    free(p->path);
    free(p->program);
    free(p->reason);
    memset(p, 0, sizeof(*p));
}

/* A string as "<length>:<bytes>": no byte of a name can then end it early. */
static void put_counted(FILE *f, const char *s)
{
    s = s != NULL ? s : "";
    fprintf(f, "%zu:%s", strlen(s), s);
}

char *lsp_stack_key(const struct lsp_stack *s)
{
    char *key = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&key, &len);

    if (f == NULL)
        return NULL;
    for (size_t i = 0; i < s->n_frames; i++) {
        const struct lsp_frame *fr = &s->frames[i];
        if (fr->function != NULL) {
            fputc('F', f);
            put_counted(f, fr->function);
            put_counted(f, fr->file);
            fprintf(f, "%d;", fr->line);
        } else { // unnamed: only where it lies in its module survives ASLR
            fputc('M', f);
            put_counted(f, fr->module);
            fprintf(f, "%" PRIx64 ";", fr->module != NULL ? fr->offset : fr->address);
        }
    }
    if (fclose(f) != 0) {
        free(key);
        return NULL;
    }
    return key;
}

/* One data line's first five tab-separated counts into *s (more columns are allowed, for
 * later versions). Returns 0, or -1 when the line is not five whole numbers. */
static int parse_sample(const char *line, struct lsp_sample *s)
{
    uint64_t *fields[] = {&s->time_unix_ms, &s->live_bytes, &s->live_blocks, &s->allocations,
                          &s->frees};
    const char *p = line;

    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        char *end;
        if (i > 0 && *p++ != '\t')
            return -1;
        if (*p < '0' || *p > '9')
            return -1;
        errno = 0;
        *fields[i] = strtoull(p, &end, 10);
        if (errno != 0)
            return -1;
        p = end;
    }
    return *p == '\0' || *p == '\t' ? 0 : -1;
}

/* Adds the line (its newline already cut) to t unless it is a comment, the column header or
 * empty. Returns 0, -1 when it is none of those and no sample either, -2 out of memory. */
static int add_line(const char *line, struct lsp_timeline *t, size_t *cap)
{
    struct lsp_sample s;

    if (line[0] == '#' || line[0] == '\0' || strncmp(line, "time_unix_ms\t", 13) == 0)
        return 0;
    if (parse_sample(line, &s) != 0)
        return -1;
    if (lsp_reserve((void **)&t->samples, cap, t->n + 1, sizeof(s)) != 0)
        return -2;
    t->samples[t->n++] = s;
    return 0;
}

int lsp_timeline_load(const char *path, struct lsp_timeline *out, char *err, size_t err_len)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t line_cap = 0, cap = 0, lineno = 0;
    ssize_t n;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    if (f == NULL)
        return lsp_fail(err, err_len, "cannot read %s: %s", path, strerror(errno));
    while (rc == 0 && (n = getline(&line, &line_cap, f)) > 0) {
        bool is_whole = line[n - 1] == '\n';
        int added;
        lineno++;
        line[n - (is_whole ? 1 : 0)] = '\0';
        added = add_line(line, out, &cap);
        if (added == -2)
            rc = lsp_fail(err, err_len, "%s: out of memory", path);
        // A last line without its newline may still be being written: skipped if cut short.
        else if (added != 0 && is_whole)
            rc = lsp_fail(err, err_len,
                          "%s:%zu: not a timeline line (five tab-separated "
                          "counts: time_unix_ms live_bytes live_blocks allocations frees)",
                          path, lineno);
    }
    if (rc == 0 && ferror(f))
        rc = lsp_fail(err, err_len, "cannot read %s: %s", path, strerror(errno));
    free(line);
    fclose(f);
    if (rc != 0)
        lsp_timeline_free(out);
    return rc;
}

void lsp_timeline_free(struct lsp_timeline *t)
{
    free(t->samples);
    t->samples = NULL;
    t->n = 0;
}
