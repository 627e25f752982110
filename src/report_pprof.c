/* SPDX-License-Identifier: MIT
 *
 * report_pprof.c - the report as a pprof heap profile: profile.proto (github.com/google/
 * pprof, proto/profile.proto), gzipped, as `go tool pprof` reads it.
 *
 * One sample per listed group, its kind as a label. Each captured address is one Location
 * whose Lines are its logical frames, innermost first (pprof: the last Line is the
 * function the others were inlined into). A protobuf reader takes a message's fields in
 * any order and appends repeated ones as they come, so the profile is streamed: each
 * string, function and location is written when first needed, the mappings at the end,
 * once their extent is known.
 *
 * Runs in the report path with the guard held: memory from the arena, no stdio but
 * snprintf into buffers. Running out of arena memory costs deduplication (a repeated
 * entry gets a new id), never a wrong profile.
 */
#include <elfutils/libdwelf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "gzwriter.h"
#include "pbuf.h"
#include "profile_proto.h"
#include "report.h"

#define uthash_malloc(sz)  ls_arena_alloc(sz)
#define uthash_free(p, sz) ls_arena_free((p), (sz))
#define HASH_NONFATAL_OOM  1 /* an entry that could not be added is only not deduplicated */
#include <uthash.h>

#define N_VALUES     6 /* sample_type entries, the same count in every sample */
/* A sample's bytes at most: a location id per logical frame (fewer in fact: one per
 * captured address), its values and its label. */
#define SAMPLE_MAX   (LS_MAX_FRAMES * LS_PBUF_VARINT_MAX + 256)
/* A small message at most: a function, a mapping, a line, a value type, a label. */
#define SMALL_MAX    (12 * (LS_PBUF_VARINT_MAX + 1))
#define LOCATION_MAX (LS_MAX_INLINE * (SMALL_MAX + LS_PBUF_HEADER_MAX) + SMALL_MAX)
#define POOL_BYTES   (64 * 1024)

struct pool_chunk {
    struct pool_chunk *next;
    size_t size; /* for ls_arena_free; two words keep what follows 16-byte aligned */
};

struct string_entry {
    UT_hash_handle hh;
    int64_t index;
    char text[]; /* the key */
};

struct function_entry {
    struct {
        int64_t name, file; /* string indices */
    } key;
    uint64_t id;
    UT_hash_handle hh;
};

struct location_entry {
    struct {
        uintptr_t address;
        const char *module; /* module paths are never freed: the pointer tells them apart */
    } key;
    uint64_t id;
    UT_hash_handle hh;
};

struct mapping_entry {
    struct {
        uintptr_t base;
        const char *module;
    } key;
    uint64_t id;
    uintptr_t limit; /* past the highest address seen in it */
    UT_hash_handle hh;
};

struct stack_entry {
    uint32_t stack_id;
    UT_hash_handle hh;
};

struct pprof {
    struct ls_gzwriter gz;
    struct pool_chunk *chunks; /* everything below lives in these, freed together */
    char *pos, *end;
    struct string_entry *strings;
    int64_t n_strings;
    struct function_entry *functions;
    struct location_entry *locations;
    struct mapping_entry *mappings;
    struct stack_entry *stacks; /* the stacks that got a sample: alloc_* went on it */
    uint64_t n_functions, n_locations, n_mappings;
    int64_t kind_key;
    char name[PATH_MAX + 32]; /* a made-up function name: module path and offset */
    uint8_t ids_buf[SAMPLE_MAX], sample_buf[SAMPLE_MAX];
};

/* size bytes (16-byte aligned) that live until release(); NULL when the arena is out. */
static void *pool_alloc(struct pprof *p, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (p->pos == NULL || size > (size_t)(p->end - p->pos)) {
        size_t bytes = sizeof(struct pool_chunk) + size;
        bytes = bytes > POOL_BYTES ? bytes : POOL_BYTES;
        struct pool_chunk *c = ls_arena_alloc(bytes);
        if (c == NULL)
            return NULL;
        c->next = p->chunks;
        c->size = bytes;
        p->chunks = c;
        p->pos = (char *)(c + 1);
        p->end = (char *)c + bytes;
    }
    void *at = p->pos;
    p->pos += size;
    return at;
}

static void release(struct pprof *p)
{
    HASH_CLEAR(hh, p->strings); // the bucket arrays; the entries go with the chunks
    HASH_CLEAR(hh, p->functions);
    HASH_CLEAR(hh, p->locations);
    HASH_CLEAR(hh, p->mappings);
    HASH_CLEAR(hh, p->stacks);
    while (p->chunks != NULL) {
        struct pool_chunk *c = p->chunks;
        p->chunks = c->next;
        ls_arena_free(c, c->size);
    }
    ls_arena_free(p, sizeof(*p));
}

/* Writes a length-delimited field of the profile itself: its header, then data. */
static void put_field(struct pprof *p, uint32_t field, const void *data, size_t len)
{
    uint8_t mem[LS_PBUF_HEADER_MAX];
    struct ls_pbuf head;

    ls_pbuf_init(&head, mem, sizeof(mem));
    ls_pbuf_len_header(&head, field, len);
    ls_gzwriter_put(&p->gz, head.buf, head.len);
    ls_gzwriter_put(&p->gz, data, len);
}

/* Writes a message of the profile; every buffer is sized for its largest message, so an
 * incomplete one would be a bug here, and is left out rather than written cut. */
static void put_message(struct pprof *p, uint32_t field, const struct ls_pbuf *m)
{
    if (!m->is_full)
        put_field(p, field, m->buf, m->len);
}

static void put_varint_field(struct pprof *p, uint32_t field, uint64_t v)
{
    uint8_t mem[LS_PBUF_HEADER_MAX];
    struct ls_pbuf b;

    ls_pbuf_init(&b, mem, sizeof(mem));
    ls_pbuf_uint(&b, field, v);
    ls_gzwriter_put(&p->gz, b.buf, b.len);
}

/* The string table index of s (NULL: 0, the empty string), writing s to the table the
 * first time. */
static int64_t intern(struct pprof *p, const char *s)
{
    struct string_entry *e;
    size_t len = s != NULL ? strlen(s) : 0;

    if (len == 0)
        return 0; // written first, by put_header()
    HASH_FIND(hh, p->strings, s, len, e);
    if (e != NULL)
        return e->index;
    put_field(p, PROFILE_STRING_TABLE, s, len);
    int64_t index = p->n_strings++;
    if ((e = pool_alloc(p, sizeof(*e) + len + 1)) != NULL) {
        e->index = index;
        memcpy(e->text, s, len + 1);
        HASH_ADD_KEYPTR(hh, p->strings, e->text, len, e);
    }
    return index;
}

/* The frame's function name; one made up when unknown, so pprof shows where it is. */
static const char *function_name(struct pprof *p, const struct ls_frame *f)
{
    if (f->function != NULL)
        return f->function;
    if (f->module != NULL)
        snprintf(p->name, sizeof(p->name), "%s+0x%" PRIxPTR, f->module, f->offset);
    else
        snprintf(p->name, sizeof(p->name), "0x%" PRIxPTR, f->address);
    return p->name;
}

/* The Function of the frame, one per (name, file), written the first time. */
static uint64_t function_id(struct pprof *p, const struct ls_frame *f)
{
    struct function_entry *e, probe;
    uint8_t mem[SMALL_MAX];
    struct ls_pbuf m;

    memset(&probe.key, 0, sizeof(probe.key));
    probe.key.name = intern(p, function_name(p, f));
    probe.key.file = intern(p, f->file);
    HASH_FIND(hh, p->functions, &probe.key, sizeof(probe.key), e);
    if (e != NULL)
        return e->id;

    uint64_t id = ++p->n_functions;
    ls_pbuf_init(&m, mem, sizeof(mem));
    ls_pbuf_uint(&m, FUNCTION_ID, id);
    ls_pbuf_uint(&m, FUNCTION_NAME, (uint64_t)probe.key.name);
    ls_pbuf_uint(&m, FUNCTION_SYSTEM_NAME, (uint64_t)probe.key.name);
    ls_pbuf_uint(&m, FUNCTION_FILENAME, (uint64_t)probe.key.file);
    put_message(p, PROFILE_FUNCTION, &m);

    if ((e = pool_alloc(p, sizeof(*e))) != NULL) {
        *e = (struct function_entry){.key = probe.key, .id = id};
        HASH_ADD(hh, p->functions, key, sizeof(e->key), e);
    }
    return id;
}

/* The Mapping of the frame's module at its load base (0: none known); it is written at
 * the end, when the highest address it holds is known. */
static uint64_t mapping_id(struct pprof *p, const struct ls_frame *f)
{
    struct mapping_entry *e, probe;

    if (f->module == NULL)
        return 0;
    memset(&probe.key, 0, sizeof(probe.key));
    probe.key.base = f->address - f->offset;
    probe.key.module = f->module;
    HASH_FIND(hh, p->mappings, &probe.key, sizeof(probe.key), e);
    if (e == NULL) {
        if ((e = pool_alloc(p, sizeof(*e))) == NULL)
            return 0; // no room to remember it: the location goes without
        *e = (struct mapping_entry){.key = probe.key, .id = ++p->n_mappings};
        HASH_ADD(hh, p->mappings, key, sizeof(e->key), e);
    }
    if (e->limit <= f->address)
        e->limit = f->address + 1;
    return e->id;
}

/* The Location of one captured address, frames[0..n) its logical frames, innermost
 * first; written the first time the address is seen. */
static uint64_t location_id(struct pprof *p, const struct ls_frame *frames, uint32_t n)
{
    struct location_entry *e, probe;
    uint8_t mem[LOCATION_MAX], line_mem[SMALL_MAX];
    struct ls_pbuf m, line;

    memset(&probe.key, 0, sizeof(probe.key));
    probe.key.address = frames[0].address;
    probe.key.module = frames[0].module;
    HASH_FIND(hh, p->locations, &probe.key, sizeof(probe.key), e);
    if (e != NULL)
        return e->id;

    uint64_t id = ++p->n_locations;
    ls_pbuf_init(&m, mem, sizeof(mem));
    ls_pbuf_uint(&m, LOCATION_ID, id);
    ls_pbuf_uint(&m, LOCATION_MAPPING_ID, mapping_id(p, &frames[0]));
    ls_pbuf_uint(&m, LOCATION_ADDRESS, frames[0].address);
    for (uint32_t i = 0; i < n; i++) {
        ls_pbuf_init(&line, line_mem, sizeof(line_mem));
        ls_pbuf_uint(&line, LINE_FUNCTION_ID, function_id(p, &frames[i]));
        ls_pbuf_uint(&line, LINE_LINE, frames[i].line > 0 ? (uint64_t)frames[i].line : 0);
        ls_pbuf_message(&m, LOCATION_LINE, &line);
    }
    put_message(p, PROFILE_LOCATION, &m);

    if ((e = pool_alloc(p, sizeof(*e))) != NULL) {
        *e = (struct location_entry){.key = probe.key, .id = id};
        HASH_ADD(hh, p->locations, key, sizeof(e->key), e);
    }
    return id;
}

/* Appends to ids the location of each captured address of s, innermost first. */
static void add_locations(struct pprof *p, const struct ls_stack *s, struct ls_pbuf *ids)
{
    struct ls_frame_iter it;
    struct ls_frame frames[LS_MAX_INLINE];
    uint32_t n = 0;

    ls_report_frames_begin(&it, s);
    while (ls_report_frames_next(&it, &frames[n])) {
        // The frame that holds the address (not inlined) is the last of the address.
        bool is_last = !frames[n].is_inlined;
        if (is_last || ++n == LS_MAX_INLINE) {
            ls_pbuf_varint(ids, location_id(p, frames, is_last ? n + 1 : n));
            n = 0;
        }
    }
    if (n > 0) // cut short by LS_MAX_FRAMES inside an address's inlined calls
        ls_pbuf_varint(ids, location_id(p, frames, n));
}

/* True the first time stack_id is asked about. */
static bool is_first_sample_of(struct pprof *p, uint32_t stack_id)
{
    struct stack_entry *e;

    HASH_FIND(hh, p->stacks, &stack_id, sizeof(stack_id), e);
    if (e != NULL)
        return false;
    if ((e = pool_alloc(p, sizeof(*e))) != NULL) {
        memset(e, 0, sizeof(*e));
        e->stack_id = stack_id;
        HASH_ADD(hh, p->stacks, stack_id, sizeof(stack_id), e);
    }
    return true;
}

/* One sample: g's frames, values in sample_type order, and its kind as a label. */
static void put_sample(struct pprof *p, const struct ls_group *g)
{
    uint64_t alloc_blocks = 0, alloc_bytes = 0;
    uint8_t values_mem[SMALL_MAX], label_mem[SMALL_MAX];
    struct ls_pbuf ids, values, label, m;

    ls_pbuf_init(&ids, p->ids_buf, sizeof(p->ids_buf));
    add_locations(p, ls_report_stack(g), &ids);

    // A stack has a group per kind: its allocations since start go on the first one
    // only, so that pprof's sums over samples count them once.
    if (is_first_sample_of(p, g->stack_id))
        ls_report_stack_allocs(g->stack_id, &alloc_blocks, &alloc_bytes);
    const uint64_t v[N_VALUES] = {g->blocks,   g->bytes,      alloc_blocks,
                                  alloc_bytes, g->new_blocks, g->new_bytes};
    ls_pbuf_init(&values, values_mem, sizeof(values_mem));
    for (int i = 0; i < N_VALUES; i++)
        ls_pbuf_varint(&values, v[i]);

    ls_pbuf_init(&label, label_mem, sizeof(label_mem));
    ls_pbuf_uint(&label, LABEL_KEY, (uint64_t)p->kind_key);
    ls_pbuf_uint(&label, LABEL_STR, (uint64_t)intern(p, ls_config_kind_name(g->kind)));

    ls_pbuf_init(&m, p->sample_buf, sizeof(p->sample_buf));
    if (ids.len > 0)
        ls_pbuf_message(&m, SAMPLE_LOCATION_ID, &ids);
    ls_pbuf_message(&m, SAMPLE_VALUE, &values);
    ls_pbuf_message(&m, SAMPLE_LABEL, &label);
    put_message(p, PROFILE_SAMPLE, &m);
}

/* What the module's file says: where its loaded segments end (an ELF virtual address)
 * and its GNU build ID in hex; 0 and "" when it cannot be read. */
struct elf_facts {
    uintptr_t load_end;
    char build_id[2 * 64 + 1]; /* build IDs are 20 bytes (SHA-1) in practice */
};

static void read_facts(Elf *elf, struct elf_facts *out)
{
    static const char hex[] = "0123456789abcdef";
    size_t n_phdrs = 0;
    GElf_Phdr ph;
    const void *raw;

    if (elf_getphdrnum(elf, &n_phdrs) != 0)
        n_phdrs = 0;
    for (size_t i = 0; i < n_phdrs; i++) {
        if (gelf_getphdr(elf, (int)i, &ph) != NULL && ph.p_type == PT_LOAD &&
            ph.p_vaddr + ph.p_memsz > out->load_end)
            out->load_end = ph.p_vaddr + ph.p_memsz;
    }
    ssize_t len = dwelf_elf_gnu_build_id(elf, &raw);
    const unsigned char *id = raw;
    for (ssize_t i = 0; i < len && (size_t)i < sizeof(out->build_id) / 2; i++) {
        out->build_id[2 * i] = hex[id[i] >> 4];
        out->build_id[2 * i + 1] = hex[id[i] & 15];
        out->build_id[2 * i + 2] = '\0';
    }
}

static void read_elf_facts(const char *path, struct elf_facts *out)
{
    *out = (struct elf_facts){0};
    if (path[0] != '/')
        return; // a pseudo module such as linux-vdso.so.1: no file
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    elf_version(EV_CURRENT); // libelf refuses to work before it is called once
    Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
    if (elf != NULL) {
        read_facts(elf, out);
        elf_end(elf);
    }
    close(fd);
}

/* A mapping met, now that the highest address it holds is known. file_offset stays 0:
 * memory_start is the load base, where the file's start would be mapped. */
static void put_mapping(struct pprof *p, const struct mapping_entry *e)
{
    struct elf_facts facts;
    uint8_t mem[SMALL_MAX];
    struct ls_pbuf m;

    read_elf_facts(e->key.module, &facts);
    uintptr_t limit = e->key.base + facts.load_end;
    ls_pbuf_init(&m, mem, sizeof(mem));
    ls_pbuf_uint(&m, MAPPING_ID, e->id);
    ls_pbuf_uint(&m, MAPPING_MEMORY_START, e->key.base);
    ls_pbuf_uint(&m, MAPPING_MEMORY_LIMIT, limit > e->limit ? limit : e->limit);
    ls_pbuf_uint(&m, MAPPING_FILENAME, (uint64_t)intern(p, e->key.module));
    ls_pbuf_uint(&m, MAPPING_BUILD_ID, (uint64_t)intern(p, facts.build_id));
    // Names, files, lines and inlined calls are all resolved here: pprof must not look
    // them up again in files that may have changed since.
    ls_pbuf_uint(&m, MAPPING_HAS_FUNCTIONS, 1);
    ls_pbuf_uint(&m, MAPPING_HAS_FILENAMES, 1);
    ls_pbuf_uint(&m, MAPPING_HAS_LINE_NUMBERS, 1);
    ls_pbuf_uint(&m, MAPPING_HAS_INLINE_FRAMES, 1);
    put_message(p, PROFILE_MAPPING, &m);
}

/* Every mapping met, the program's first: pprof takes the first mapping of a profile
 * (not a legacy one) for the main binary and names the profile after it. */
static void put_mappings(struct pprof *p, const char *program)
{
    // uthash keeps the entries in a list in the order they were added.
    for (int is_program = 1; is_program >= 0; is_program--) {
        for (const struct mapping_entry *e = p->mappings; e != NULL; e = e->hh.next) {
            if ((program != NULL && strcmp(e->key.module, program) == 0) == is_program)
                put_mapping(p, e);
        }
    }
}

static void put_value_type(struct pprof *p, uint32_t field, const char *type, const char *unit)
{
    uint8_t mem[SMALL_MAX];
    struct ls_pbuf m;

    ls_pbuf_init(&m, mem, sizeof(mem));
    ls_pbuf_uint(&m, VALUE_TYPE_TYPE, (uint64_t)intern(p, type));
    ls_pbuf_uint(&m, VALUE_TYPE_UNIT, (uint64_t)intern(p, unit));
    put_message(p, field, &m);
}

/* A comment "key=value": a string of its own, not interned (nothing else repeats it). */
static void put_comment(struct pprof *p, const char *key, const char *value)
{
    size_t key_len = strlen(key), value_len = strlen(value);
    uint8_t mem[LS_PBUF_HEADER_MAX];
    struct ls_pbuf head;

    ls_pbuf_init(&head, mem, sizeof(mem));
    ls_pbuf_len_header(&head, PROFILE_STRING_TABLE, key_len + 1 + value_len);
    ls_gzwriter_put(&p->gz, head.buf, head.len);
    ls_gzwriter_put(&p->gz, key, key_len);
    ls_gzwriter_put(&p->gz, "=", 1);
    ls_gzwriter_put(&p->gz, value, value_len);
    put_varint_field(p, PROFILE_COMMENT, (uint64_t)p->n_strings++);
}

/* What `leakshim diff` reads back to tell snapshots apart and order them. */
static void put_comments(struct pprof *p, const struct ls_report *r)
{
    char number[24];

    snprintf(number, sizeof(number), "%d", r->pid);
    put_comment(p, "pid", number);
    put_comment(p, "program", r->program != NULL ? r->program : "");
    put_comment(p, "reason", ls_report_reason_name(r->reason));
    snprintf(number, sizeof(number), "%u", r->sequence);
    put_comment(p, "sequence", number);
}

static void put_header(struct pprof *p, const struct ls_report *r)
{
    static const char *const types[N_VALUES][2] = {
        {"inuse_objects", "count"}, {"inuse_space", "bytes"}, {"alloc_objects", "count"},
        {"alloc_space", "bytes"},   {"new_objects", "count"}, {"new_space", "bytes"},
    };

    put_field(p, PROFILE_STRING_TABLE, "", 0); // string_table[0] must be ""
    p->n_strings = 1;
    for (int i = 0; i < N_VALUES; i++)
        put_value_type(p, PROFILE_SAMPLE_TYPE, types[i][0], types[i][1]);
    put_varint_field(p, PROFILE_DEFAULT_SAMPLE_TYPE, (uint64_t)intern(p, "inuse_space"));
    put_value_type(p, PROFILE_PERIOD_TYPE, "space", "bytes");
    // As Go's heap profiles: the values are already scaled up, the period says the rate.
    put_varint_field(p, PROFILE_PERIOD, r->sample_rate != 0 ? r->sample_rate : 1);
    put_varint_field(p, PROFILE_TIME_NANOS, r->time_unix_ms * 1000000);
    put_comments(p, r);
    p->kind_key = intern(p, "kind");
}

/*
 * Only the listed groups become samples. A stack that allocated but has no listed group
 * (all its blocks freed, or filtered out) is left out, alloc_* included: a profile of
 * what is live, not a full allocation profile.
 */
void ls_report_write_pprof(struct ls_writer *w, const struct ls_report *r)
{
    struct pprof *p = ls_arena_alloc(sizeof(*p)); // far too big for a thread's stack

    if (p == NULL) {
        w->error = ENOMEM; // the report is dropped, and ls_output_close() says so
        return;
    }
    memset(p, 0, offsetof(struct pprof, name)); // the buffers need no clearing
    if (ls_gzwriter_init(&p->gz, w) == 0) {
        put_header(p, r);
        for (uint64_t i = 0; i < r->n_groups; i++)
            put_sample(p, &r->groups[i]);
        put_mappings(p, r->program);
    }
    if (ls_gzwriter_fini(&p->gz) != 0 && w->error == 0)
        w->error = p->gz.error == Z_MEM_ERROR ? ENOMEM : EIO;
    release(p);
}
