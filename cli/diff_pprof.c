/* SPDX-License-Identifier: MIT
 *
 * diff_pprof.c - `leakshim diff -f pprof`: a gzipped profile.proto of NEW minus OLD, so
 * `go tool pprof -top diff.pb.gz` ranks as `go tool pprof -top -base OLD NEW` does.
 *
 * Two steps: the tables (strings, functions, mappings, locations, samples) are built
 * with every entry interned once, then encoded with the shim's src/pbuf.c into a buffer
 * that doubles until the profile fits, and deflated.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>
#include <zlib.h>

#include "diff.h"
#include "pbuf.h"
#include "profile_proto.h"
#include "vec.h"

/* A key (a string, or a function, mapping or location spelled out) and its id. */
struct interned {
    char *key;
    uint64_t id;
    UT_hash_handle hh;
};

struct function {
    uint64_t name, file; /* string indexes */
};

struct mapping {
    uint64_t start, limit, file;
};

struct location {
    uint64_t mapping_id, address;
    size_t first_line, n_lines;
};

struct line {
    uint64_t function_id;
    int64_t line;
};

struct sample {
    size_t first_location, n_locations;
    int64_t blocks, bytes;
};

/* The profile before encoding; every id is its index in the vector plus 1 (strings: the
 * index itself, "" being 0). */
struct tables {
    struct interned *string_ids, *function_ids, *mapping_ids, *location_ids;
    LS_VEC(const char *) strings; /* the keys of string_ids */
    LS_VEC(struct function) functions;
    LS_VEC(struct mapping) mappings;
    LS_VEC(struct location) locations;
    LS_VEC(struct line) lines;
    LS_VEC(struct sample) samples;
    LS_VEC(uint64_t) sample_locations;
    size_t max_locations, max_lines; /* per sample, per location: the scratch size */
};

/* The id of key in *table; a new key gets next_id and *is_new. Returns 0 or -1 (memory). */
static int intern(struct interned **table, const char *key, uint64_t next_id, uint64_t *id,
                  bool *is_new)
{
    struct interned *e;

    HASH_FIND_STR(*table, key, e);
    *is_new = e == NULL;
    if (e == NULL) {
        e = calloc(1, sizeof(*e));
        if (e == NULL || (e->key = strdup(key)) == NULL) {
            free(e);
            return -1;
        }
        e->id = next_id;
        HASH_ADD_KEYPTR(hh, *table, e->key, strlen(e->key), e);
    }
    *id = e->id;
    return 0;
}

static void free_interned(struct interned **table)
{
    struct interned *e, *tmp;

    HASH_ITER(hh, *table, e, tmp)
    {
        HASH_DEL(*table, e);
        free(e->key);
        free(e);
    }
}

/* The string table index of s (NULL: ""). Returns 0 or -1. */
static int string_id(struct tables *t, const char *s, uint64_t *id)
{
    struct interned *e;
    bool is_new;

    if (intern(&t->string_ids, s != NULL ? s : "", t->strings.n, id, &is_new) != 0)
        return -1;
    if (!is_new)
        return 0;
    HASH_FIND_STR(t->string_ids, s != NULL ? s : "", e);
    return LS_VEC_PUSH(t->strings, e->key);
}

/* A key made of parts no separator can be confused with: "<len>:<text>" each. */
static char *spell(const char *a, const char *b, uint64_t x, uint64_t y)
{
    char *key = NULL;

    a = a != NULL ? a : "";
    b = b != NULL ? b : "";
    if (asprintf(&key, "%zu:%s%zu:%s%" PRIx64 ":%" PRIx64, strlen(a), a, strlen(b), b, x, y) < 0)
        return NULL;
    return key;
}

/* The id of the function named name in file. Returns 0 or -1. */
static int function_id(struct tables *t, const char *name, const char *file, uint64_t *id)
{
    struct function fn;
    char *key = spell(name, file, 0, 0);
    bool is_new;
    int rc = key != NULL ? intern(&t->function_ids, key, t->functions.n + 1, id, &is_new) : -1;

    free(key);
    if (rc != 0 || !is_new)
        return rc;
    if (string_id(t, name, &fn.name) != 0 || string_id(t, file, &fn.file) != 0)
        return -1;
    return LS_VEC_PUSH(t->functions, fn);
}

/* The id of the mapping of fr's module at fr's load base; 0 when the module is unknown. */
static int mapping_id(struct tables *t, const struct lsp_frame *fr, uint64_t *id)
{
    uint64_t base = fr->address - fr->offset;
    struct mapping m = {base, fr->address + 1, 0};
    char *key;
    bool is_new;
    int rc;

    *id = 0;
    if (fr->module == NULL)
        return 0;
    key = spell(fr->module, NULL, base, 0);
    rc = key != NULL ? intern(&t->mapping_ids, key, t->mappings.n + 1, id, &is_new) : -1;
    free(key);
    if (rc != 0)
        return -1;
    if (!is_new) {
        struct mapping *old = &t->mappings.v[*id - 1];
        old->limit = fr->address + 1 > old->limit ? fr->address + 1 : old->limit;
        return 0;
    }
    return string_id(t, fr->module, &m.file) == 0 ? LS_VEC_PUSH(t->mappings, m) : -1;
}

/* The lines of frames[0..n) (inlined calls, then the function they are in): one per
 * named frame. Returns the count, or -1. */
static long add_lines(struct tables *t, const struct lsp_frame *frames, size_t n)
{
    long count = 0;

    for (size_t i = 0; i < n; i++) {
        struct line ln = {0, frames[i].line};
        if (frames[i].function == NULL)
            continue; // an address alone: pprof shows it in hex
        if (function_id(t, frames[i].function, frames[i].file, &ln.function_id) != 0 ||
            LS_VEC_PUSH(t->lines, ln) != 0)
            return -1;
        count++;
    }
    return count;
}

/* The key of a location: its mapping, address and lines. */
static char *location_key(const struct tables *t, const struct location *loc)
{
    char *key = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&key, &len);

    if (f == NULL)
        return NULL;
    fprintf(f, "m%" PRIu64 "a%" PRIx64, loc->mapping_id, loc->address);
    for (size_t i = 0; i < loc->n_lines; i++) {
        const struct line *ln = &t->lines.v[loc->first_line + i];
        fprintf(f, "f%" PRIu64 "l%" PRId64, ln->function_id, ln->line);
    }
    if (fclose(f) != 0) {
        free(key);
        return NULL;
    }
    return key;
}

/* The id of the location of frames[0..n): the last is the function the others were
 * inlined into, and gives the address. Returns 0 or -1. */
static int location_id(struct tables *t, const struct lsp_frame *frames, size_t n, uint64_t *id)
{
    struct location loc = {.address = frames[n - 1].address, .first_line = t->lines.n};
    long n_lines = add_lines(t, frames, n);
    char *key;
    bool is_new;
    int rc;

    if (n_lines < 0 || mapping_id(t, &frames[n - 1], &loc.mapping_id) != 0)
        return -1;
    loc.n_lines = (size_t)n_lines;
    key = location_key(t, &loc);
    rc = key != NULL ? intern(&t->location_ids, key, t->locations.n + 1, id, &is_new) : -1;
    free(key);
    if (rc != 0)
        return -1;
    if (!is_new) {
        t->lines.n = loc.first_line; // the location has them already
        return 0;
    }
    if ((size_t)n_lines > t->max_lines)
        t->max_lines = (size_t)n_lines;
    return LS_VEC_PUSH(t->locations, loc);
}

/* A sample for one changed stack: its locations, leaf first, and the growth. */
static int add_sample(struct tables *t, const struct ls_diff_stack *s)
{
    const struct lsp_stack *st = s->stack;
    struct sample smp = {t->sample_locations.n, 0, s->blocks, s->bytes};
    size_t first = 0;

    for (size_t i = 0; i < st->n_frames; i++) {
        uint64_t id;
        if (st->frames[i].is_inlined && i + 1 < st->n_frames)
            continue; // one location holds a function and the calls inlined into it
        if (location_id(t, &st->frames[first], i + 1 - first, &id) != 0 ||
            LS_VEC_PUSH(t->sample_locations, id) != 0)
            return -1;
        first = i + 1;
    }
    smp.n_locations = t->sample_locations.n - smp.first_location;
    if (smp.n_locations > t->max_locations)
        t->max_locations = smp.n_locations;
    return LS_VEC_PUSH(t->samples, smp);
}

/* The strings the encoder names by index, interned before any other. */
struct fixed_strings {
    uint64_t inuse_objects, count, inuse_space, bytes, comment;
};

/* Room for the biggest sample or location message; strings go straight to the profile. */
struct scratch {
    uint8_t *a, *b;
    size_t size;
};

static void put_value_type(struct ls_pbuf *b, uint64_t type, uint64_t unit)
{
    uint8_t mem[2 * (1 + LS_PBUF_VARINT_MAX)];
    struct ls_pbuf vt;

    ls_pbuf_init(&vt, mem, sizeof(mem));
    ls_pbuf_uint(&vt, VALUE_TYPE_TYPE, type);
    ls_pbuf_uint(&vt, VALUE_TYPE_UNIT, unit);
    ls_pbuf_message(b, PROFILE_SAMPLE_TYPE, &vt);
}

static void put_samples(struct ls_pbuf *b, const struct tables *t, const struct scratch *s)
{
    for (size_t i = 0; i < t->samples.n; i++) {
        const struct sample *smp = &t->samples.v[i];
        struct ls_pbuf ids, msg;
        ls_pbuf_init(&ids, s->a, s->size);
        for (size_t k = 0; k < smp->n_locations; k++)
            ls_pbuf_varint(&ids, t->sample_locations.v[smp->first_location + k]);
        ls_pbuf_init(&msg, s->b, s->size);
        ls_pbuf_message(&msg, SAMPLE_LOCATION_ID, &ids);
        ls_pbuf_init(&ids, s->a, s->size); // values in the order of the sample types
        ls_pbuf_varint(&ids, (uint64_t)smp->blocks);
        ls_pbuf_varint(&ids, (uint64_t)smp->bytes);
        ls_pbuf_message(&msg, SAMPLE_VALUE, &ids);
        ls_pbuf_message(b, PROFILE_SAMPLE, &msg);
    }
}

static void put_mappings(struct ls_pbuf *b, const struct tables *t, const struct scratch *s)
{
    for (size_t i = 0; i < t->mappings.n; i++) {
        const struct mapping *m = &t->mappings.v[i];
        struct ls_pbuf msg;
        ls_pbuf_init(&msg, s->a, s->size);
        ls_pbuf_uint(&msg, MAPPING_ID, i + 1);
        ls_pbuf_uint(&msg, MAPPING_MEMORY_START, m->start);
        ls_pbuf_uint(&msg, MAPPING_MEMORY_LIMIT, m->limit);
        ls_pbuf_uint(&msg, MAPPING_FILENAME, m->file);
        for (uint32_t field = MAPPING_HAS_FUNCTIONS; field <= MAPPING_HAS_INLINE_FRAMES; field++)
            ls_pbuf_uint(&msg, field, 1);
        ls_pbuf_message(b, PROFILE_MAPPING, &msg);
    }
}

static void put_locations(struct ls_pbuf *b, const struct tables *t, const struct scratch *s)
{
    for (size_t i = 0; i < t->locations.n; i++) {
        const struct location *loc = &t->locations.v[i];
        struct ls_pbuf msg, ln;
        ls_pbuf_init(&msg, s->a, s->size);
        ls_pbuf_uint(&msg, LOCATION_ID, i + 1);
        ls_pbuf_uint(&msg, LOCATION_MAPPING_ID, loc->mapping_id);
        ls_pbuf_uint(&msg, LOCATION_ADDRESS, loc->address);
        for (size_t k = 0; k < loc->n_lines; k++) {
            ls_pbuf_init(&ln, s->b, s->size);
            ls_pbuf_uint(&ln, LINE_FUNCTION_ID, t->lines.v[loc->first_line + k].function_id);
            ls_pbuf_uint(&ln, LINE_LINE, (uint64_t)t->lines.v[loc->first_line + k].line);
            ls_pbuf_message(&msg, LOCATION_LINE, &ln);
        }
        ls_pbuf_message(b, PROFILE_LOCATION, &msg);
    }
}

static void put_functions(struct ls_pbuf *b, const struct tables *t, const struct scratch *s)
{
    for (size_t i = 0; i < t->functions.n; i++) {
        struct ls_pbuf msg;
        ls_pbuf_init(&msg, s->a, s->size);
        ls_pbuf_uint(&msg, FUNCTION_ID, i + 1);
        ls_pbuf_uint(&msg, FUNCTION_NAME, t->functions.v[i].name);
        ls_pbuf_uint(&msg, FUNCTION_SYSTEM_NAME, t->functions.v[i].name); // we know no other
        ls_pbuf_uint(&msg, FUNCTION_FILENAME, t->functions.v[i].file);
        ls_pbuf_message(b, PROFILE_FUNCTION, &msg);
    }
}

/* The whole profile into b; b->is_full when it did not fit. */
static void encode(struct ls_pbuf *b, const struct tables *t, const struct fixed_strings *fs,
                   const struct ls_diff *d, const struct scratch *s)
{
    uint64_t old_ms = d->old->time_unix_ms, new_ms = d->new->time_unix_ms;

    put_value_type(b, fs->inuse_objects, fs->count);
    put_value_type(b, fs->inuse_space, fs->bytes);
    put_samples(b, t, s);
    put_mappings(b, t, s);
    put_locations(b, t, s);
    put_functions(b, t, s);
    for (size_t i = 0; i < t->strings.n; i++)
        ls_pbuf_bytes(b, PROFILE_STRING_TABLE, t->strings.v[i], strlen(t->strings.v[i]));
    ls_pbuf_uint(b, PROFILE_TIME_NANOS, new_ms * 1000000);
    if (old_ms != 0 && new_ms > old_ms)
        ls_pbuf_uint(b, PROFILE_DURATION_NANOS, (new_ms - old_ms) * 1000000);
    ls_pbuf_uint(b, PROFILE_COMMENT, fs->comment);
    ls_pbuf_uint(b, PROFILE_DEFAULT_SAMPLE_TYPE, fs->inuse_space);
    // As in the inputs: 1 when every block was counted, the rate of a sampled snapshot.
    uint64_t rate = d->new->sample_rate != 0 ? d->new->sample_rate : d->old->sample_rate;
    ls_pbuf_uint(b, PROFILE_PERIOD, rate != 0 ? rate : 1);
}

static void free_tables(struct tables *t)
{
    free_interned(&t->string_ids);
    free_interned(&t->function_ids);
    free_interned(&t->mapping_ids);
    free_interned(&t->location_ids);
    free(t->strings.v);
    free(t->functions.v);
    free(t->mappings.v);
    free(t->locations.v);
    free(t->lines.v);
    free(t->samples.v);
    free(t->sample_locations.v);
}

/* The tables of d's changed stacks (an unchanged one would be a sample of zeros). */
static int build(struct tables *t, struct fixed_strings *fs, const struct ls_diff *d)
{
    char *comment = NULL;
    uint64_t empty;
    int rc;

    if (asprintf(&comment, "leakshim diff: %s minus %s", d->new->path, d->old->path) < 0)
        return -1;
    rc = string_id(t, "", &empty) | string_id(t, "inuse_objects", &fs->inuse_objects) |
         string_id(t, "count", &fs->count) | string_id(t, "inuse_space", &fs->inuse_space) |
         string_id(t, "bytes", &fs->bytes) | string_id(t, comment, &fs->comment);
    free(comment);
    for (size_t i = 0; rc == 0 && i < d->n; i++) {
        if (d->stacks[i].status != LS_DIFF_UNCHANGED)
            rc = add_sample(t, &d->stacks[i]);
    }
    return rc;
}

/* Deflates buf[0..len) as one gzip member onto f. Returns 0 or -1. */
static int gzip_to(FILE *f, const uint8_t *buf, size_t len)
{
    z_stream zs = {.next_in = (Bytef *)buf, .avail_in = (uInt)len};
    Bytef out[65536] = {0};
    int rc;

    if (len > UINT_MAX ||
        deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
            Z_OK) // 16: a gzip header and trailer, as pprof reads them
        return -1;
    do {
        zs.next_out = out;
        zs.avail_out = sizeof(out);
        rc = deflate(&zs, Z_FINISH);
        if (fwrite(out, 1, sizeof(out) - zs.avail_out, f) != sizeof(out) - zs.avail_out)
            rc = Z_ERRNO;
    } while (rc == Z_OK);
    deflateEnd(&zs);
    return rc == Z_STREAM_END ? 0 : -1;
}

/* Encodes into a buffer that doubles (with the scratch) until everything fits. */
static int encode_and_write(FILE *f, const struct tables *t, const struct fixed_strings *fs,
                            const struct ls_diff *d)
{
    size_t cap = 65536 + 64 * (t->sample_locations.n + t->lines.n + t->strings.n);
    struct scratch s = {.size = 128 + 11 * t->max_locations + 32 * t->max_lines};
    struct ls_pbuf b = {.is_full = true};
    uint8_t *mem = NULL;
    int rc = -1;

    for (; b.is_full && cap <= ((size_t)1 << 31); cap *= 2, s.size *= 2) {
        free(mem);
        free(s.a);
        free(s.b);
        mem = malloc(cap);
        s.a = malloc(s.size);
        s.b = malloc(s.size);
        if (mem == NULL || s.a == NULL || s.b == NULL)
            break;
        ls_pbuf_init(&b, mem, cap);
        encode(&b, t, fs, d, &s);
    }
    if (mem != NULL && s.a != NULL && s.b != NULL && !b.is_full)
        rc = gzip_to(f, b.buf, b.len);
    free(mem);
    free(s.a);
    free(s.b);
    return rc;
}

int ls_diff_write_pprof(FILE *f, const struct ls_diff *d)
{
    struct tables t = {0};
    struct fixed_strings fs;
    int rc = build(&t, &fs, d);

    if (rc == 0)
        rc = encode_and_write(f, &t, &fs, d);
    free_tables(&t);
    return rc;
}
