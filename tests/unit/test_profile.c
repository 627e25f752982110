/* SPDX-License-Identifier: MIT
 *
 * test_profile.c - the CLI's snapshot reader (cli/profile.h): a Go-style pprof profile
 * built here with src/pbuf.c, gzipped and not; every cut-short prefix of it refused
 * without a crash (the sanitizer build runs this); stack keys; timeline files.
 */
#include <stdint.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "pbuf.h"
#include "profile.h"

static char dir[] = "/tmp/leakshim-test-profile-XXXXXX";

static const char *write_file(const char *name, const void *data, size_t len)
{
    static char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    CHECK(f != NULL && fwrite(data, 1, len, f) == len && fclose(f) == 0);
    return path;
}

/* A message of varint fields (field, value pairs, 0-terminated) appended as field. */
static void put_message(struct ls_pbuf *b, uint32_t field, const uint64_t *pairs)
{
    uint8_t mem[256];
    struct ls_pbuf m;

    ls_pbuf_init(&m, mem, sizeof(mem));
    for (; pairs[0] != 0; pairs += 2)
        ls_pbuf_uint(&m, (uint32_t)pairs[0], pairs[1]);
    ls_pbuf_message(b, field, &m);
}

static const char *const strings[] = {"",         "alloc_objects", "count",       "alloc_space",
                                      "bytes",    "inuse_objects", "inuse_space", "main.leak",
                                      "main.go",  "main.main",     "/bin/app",    "kind",
                                      "definite", "pid=42",        "sequence=7",  "other comment"};

/* A profile as Go writes one (alloc_* before inuse_*), one sample: main.leak inlined into
 * main.main at one address, then an address with no lines; kind=definite; comments. */
static size_t build_profile(uint8_t *mem, size_t cap)
{
    struct ls_pbuf b, s;
    uint8_t smem[128];
    const int64_t values[] = {10, 10240, 3, 3072};

    ls_pbuf_init(&b, mem, cap);
    put_message(&b, 1, (const uint64_t[]){1, 1, 2, 2, 0}); // alloc_objects, count
    put_message(&b, 1, (const uint64_t[]){1, 3, 2, 4, 0}); // alloc_space, bytes
    put_message(&b, 1, (const uint64_t[]){1, 5, 2, 2, 0}); // inuse_objects, count
    put_message(&b, 1, (const uint64_t[]){1, 6, 2, 4, 0}); // inuse_space, bytes
    ls_pbuf_init(&s, smem, sizeof(smem));
    ls_pbuf_bytes(&s, 1, "\x01\x02", 2); // location ids, packed
    for (int i = 0; i < 4; i++)
        ls_pbuf_uint(&s, 2, (uint64_t)values[i]); // values, not packed
    put_message(&s, 3, (const uint64_t[]){1, 11, 2, 12, 0});
    ls_pbuf_message(&b, 2, &s);
    put_message(&b, 3, (const uint64_t[]){1, 1, 2, 0x400000, 3, 0x500000, 4, 0x10, 5, 10, 0});
    {
        uint8_t lmem[128];
        struct ls_pbuf loc;
        ls_pbuf_init(&loc, lmem, sizeof(lmem));
        ls_pbuf_uint(&loc, 1, 1);
        ls_pbuf_uint(&loc, 2, 1);
        ls_pbuf_uint(&loc, 3, 0x401234);
        put_message(&loc, 4, (const uint64_t[]){1, 1, 2, 12, 0});
        put_message(&loc, 4, (const uint64_t[]){1, 2, 2, 30, 0});
        ls_pbuf_message(&b, 4, &loc);
    }
    put_message(&b, 4, (const uint64_t[]){1, 2, 2, 1, 3, 0x402000, 0});
    put_message(&b, 5, (const uint64_t[]){1, 1, 2, 7, 4, 8, 0});
    put_message(&b, 5, (const uint64_t[]){1, 2, 2, 9, 4, 8, 0});
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        ls_pbuf_bytes(&b, 6, strings[i], strlen(strings[i]));
    ls_pbuf_uint(&b, 9, 1796371200123000000ULL);
    for (uint64_t c = 13; c <= 15; c++)
        ls_pbuf_uint(&b, 13, c);
    CHECK(!b.is_full);
    return b.len;
}

static void check_profile(const struct lsp_profile *p)
{
    const struct lsp_stack *s = &p->stacks[0];

    CHECK_EQ_S(p->input_format, "pprof");
    CHECK_EQ_U(p->pid, 42);
    CHECK_EQ_U(p->sequence, 7);
    CHECK(p->program == NULL && p->reason == NULL);
    CHECK_EQ_U(p->time_unix_ms, 1796371200123ULL);
    CHECK_EQ_U(p->n_stacks, 1);
    CHECK_EQ_U(p->live_bytes, 3072);
    CHECK_EQ_U(p->live_blocks, 3);
    CHECK(s->bytes == 3072 && s->blocks == 3 && s->has_alloc && !s->has_new);
    CHECK(s->alloc_bytes == 10240 && s->alloc_blocks == 10);
    CHECK_EQ_S(s->kind, "definite");
    CHECK_EQ_U(s->n_frames, 3);
    CHECK_EQ_S(s->frames[0].function, "main.leak");
    CHECK(s->frames[0].is_inlined && s->frames[0].line == 12);
    CHECK_EQ_S(s->frames[1].function, "main.main");
    CHECK(!s->frames[1].is_inlined && s->frames[1].line == 30);
    CHECK_EQ_S(s->frames[1].file, "main.go");
    CHECK_EQ_S(s->frames[1].module, "/bin/app");
    CHECK_EQ_U(s->frames[1].offset, 0x1234 + 0x10); // address - start + file offset
    CHECK(s->frames[2].function == NULL && s->frames[2].address == 0x402000);
}

static void test_pprof(void)
{
    static uint8_t raw[4096], gz[4096];
    size_t len = build_profile(raw, sizeof(raw));
    uLongf gz_len = sizeof(gz);
    struct lsp_profile p;
    char err[256];
    z_stream zs = {0};

    CHECK(lsp_load(write_file("go.pb", raw, len), &p, err, sizeof(err)) == 0);
    check_profile(&p);
    lsp_free(&p);

    CHECK(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    zs.next_in = raw;
    zs.avail_in = (uInt)len;
    zs.next_out = gz;
    zs.avail_out = (uInt)gz_len;
    CHECK(deflate(&zs, Z_FINISH) == Z_STREAM_END);
    gz_len = zs.total_out;
    deflateEnd(&zs);
    CHECK(lsp_load(write_file("go.pb.gz", gz, gz_len), &p, err, sizeof(err)) == 0);
    check_profile(&p);
    lsp_free(&p);

    // Every prefix is refused, or (when it ends between fields) read: never a crash.
    for (size_t cut = 0; cut < len; cut++) {
        if (lsp_load(write_file("cut.pb", raw, cut), &p, err, sizeof(err)) == 0)
            lsp_free(&p);
        else
            CHECK(strstr(err, "cut.pb") != NULL);
    }
    for (size_t cut = 0; cut < gz_len; cut++) {
        CHECK(lsp_load(write_file("cut.pb.gz", gz, cut), &p, err, sizeof(err)) != 0);
        CHECK(cut < 2 || strstr(err, "gzip data is corrupt or cut short") != NULL);
    }
}

static char *key_of(const char *fn1, const char *file1, const char *fn2, const char *module2,
                    uint64_t address)
{
    struct lsp_frame frames[2] = {
        {.function = (char *)fn1, .file = (char *)file1, .line = 3, .address = address},
        {.function = (char *)fn2, .module = (char *)module2, .offset = 0x10, .address = address},
    };
    struct lsp_stack s = {.frames = frames, .n_frames = 2};

    return lsp_stack_key(&s);
}

/* Keys leave addresses out, keep module+offset for unnamed frames, and no two different
 * stacks share one, however their names are cut. */
static void test_stack_key(void)
{
    char *a = key_of("f", "a.c", "g", NULL, 0x1000);
    char *b = key_of("f", "a.c", "g", NULL, 0x2000);
    char *c = key_of("f", "a.c", NULL, "/lib/x.so", 0x2000);
    char *d = key_of("f", "a.c", NULL, "/lib/y.so", 0x2000);
    char *e = key_of("fa", ".c", "g", NULL, 0x1000);
    char *f = key_of("f;", "a.c", "g", NULL, 0x1000);

    CHECK(a && b && c && d && e && f);
    CHECK(strcmp(a, b) == 0);
    CHECK(strcmp(a, c) != 0 && strcmp(c, d) != 0 && strcmp(a, e) != 0 && strcmp(a, f) != 0);
    free(a), free(b), free(c), free(d), free(e), free(f);
}

static void test_timeline(void)
{
    static const char good[] = "# leakshim timeline 1 pid=1 program=/bin/x\n"
                               "time_unix_ms\tlive_bytes\tlive_blocks\tallocations\tfrees\n"
                               "1000\t1024\t3\t10\t7\n"
                               "1030\t2048\t4\t11\t7\textra\n"
                               "1060\t20"; // being written: skipped
    static const char bad[] = "# leakshim timeline 1\n1000\t1\t1\t1\t1\n\n1030\t1\tx\t1\t1\n";
    struct lsp_timeline t;
    char err[256];

    CHECK(lsp_timeline_load(write_file("tl.tsv", good, strlen(good)), &t, err, sizeof(err)) == 0);
    CHECK_EQ_U(t.n, 2);
    CHECK(t.samples[0].time_unix_ms == 1000 && t.samples[0].live_bytes == 1024);
    CHECK(t.samples[0].live_blocks == 3 && t.samples[0].allocations == 10);
    CHECK(t.samples[0].frees == 7 && t.samples[1].live_bytes == 2048);
    lsp_timeline_free(&t);

    CHECK(lsp_timeline_load(write_file("bad.tsv", bad, strlen(bad)), &t, err, sizeof(err)) != 0);
    CHECK(strstr(err, "bad.tsv:4: not a timeline line") != NULL);
    CHECK(lsp_timeline_load("/nonexistent/tl.tsv", &t, err, sizeof(err)) != 0);
    CHECK(strstr(err, "cannot read /nonexistent/tl.tsv") != NULL);
}

static void remove_files(void)
{
    static const char *const names[] = {"go.pb",     "go.pb.gz", "cut.pb",
                                        "cut.pb.gz", "tl.tsv",   "bad.tsv"};
    char path[256];

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

int main(void)
{
    CHECK(mkdtemp(dir) != NULL);
    test_pprof();
    test_stack_key();
    test_timeline();
    remove_files();
    PASS();
}
