/* SPDX-License-Identifier: MIT
 *
 * test_baseline.c - baseline keys (function names only, `??` for unknown ones) and the
 * baseline file: sums of duplicate keys, the exact warning for each malformed line, and
 * lookups.
 */
#include <stdint.h>
#include <unistd.h>

#include "baseline.h"
#include "check.h"

#define LOADFILE_LOADER ls_baseline_load
#include "loadfile.h"

static void check_keys(void)
{
    const struct ls_frame frames[] = {
        {.function = "__strdup", .module = "/lib/x86_64-linux-gnu/libc.so.6", .address = 0x1234},
        {.function = NULL, .module = "/opt/libfoo.so", .offset = 0x99},
        {.function = "operator new(unsigned long)", .file = "/src/a.cc", .line = 3},
        {.function = ""},
        {.function = "odd\tname\nwith\rbreaks"},
    };
    char buf[256];

    CHECK_EQ_U(ls_baseline_key(frames, 5, buf, sizeof(buf)), 63);
    CHECK_EQ_S(buf, "__strdup\t??\toperator new(unsigned long)\t??\todd name with breaks");
    CHECK_EQ_U(ls_baseline_key(frames, 1, buf, sizeof(buf)), 8);
    CHECK_EQ_S(buf, "__strdup");
    CHECK_EQ_U(ls_baseline_key(frames + 1, 1, buf, sizeof(buf)), 2);
    CHECK_EQ_S(buf, "??");
    CHECK_EQ_U(ls_baseline_key(frames, 0, buf, sizeof(buf)), 0); // blocks from before capture
    CHECK_EQ_S(buf, "");

    // Cut to fit, always NUL-terminated, and the full length still returned.
    memset(buf, 'X', sizeof(buf));
    CHECK_EQ_U(ls_baseline_key(frames, 2, buf, 10), 11);
    CHECK_EQ_S(buf, "__strdup\t");
    CHECK_EQ_U(buf[10], 'X');
    CHECK_EQ_U(ls_baseline_key(frames, 2, buf, 1), 11);
    CHECK_EQ_S(buf, "");
    CHECK_EQ_U(ls_baseline_key(frames, 2, NULL, 0), 11);
}

static void check_load(void)
{
    CHECK_EQ_U(load_text("# leakshim baseline: /work/bin/leaky_c, pid 42\n"
                         "512\t2\tread_request\thandle_request\tmain\n"
                         "448\t7\tcache_insert\tcache_get\thandle_request\tmain\n"
                         "\n"
                         "18\t1\t__strdup\tload_config\tmain\r\n"
                         "100\t1\t??\t??\n"
                         "12\t3\tread_request\thandle_request\tmain\n" // a duplicate: summed
                         "7\t1\t\n"                                    // an empty stack
                         "#512\t2\tcommented_out\n"
                         "0\t0\tread_request"), // no '\n' at the end: another key
               6);
    CHECK_EQ_S(err, "");
    CHECK_EQ_U(ls_baseline_count(), 6);

    const struct {
        const char *key;
        uint64_t bytes, blocks;
    } want[] = {
        {"read_request\thandle_request\tmain", 524, 5},
        {"cache_insert\tcache_get\thandle_request\tmain", 448, 7},
        {"__strdup\tload_config\tmain", 18, 1},
        {"??\t??", 100, 1},
        {"", 7, 1},
        {"read_request", 0, 0},
    };
    for (size_t i = 0; i < 6; i++) {
        struct ls_baseline_entry *e = ls_baseline_get(i);
        CHECK_EQ_S(e->key, want[i].key);
        CHECK_EQ_U(e->bytes, want[i].bytes);
        CHECK_EQ_U(e->blocks, want[i].blocks);
        CHECK_EQ_U(e->seen_bytes + e->seen_blocks, 0);
        CHECK(ls_baseline_find(want[i].key) == e);
    }
    CHECK(ls_baseline_get(6) == NULL);
    CHECK(ls_baseline_find("read_request\thandle_request") == NULL); // a prefix is not a key
    CHECK(ls_baseline_find("commented_out") == NULL);
    CHECK(ls_baseline_find("main") == NULL);
    CHECK(ls_baseline_find(NULL) == NULL);

    struct ls_baseline_entry *e = ls_baseline_find("??\t??");
    e->seen_bytes = 100;
    e->seen_blocks = 1;
    ls_baseline_reset_counts();
    CHECK_EQ_U(e->seen_bytes + e->seen_blocks, 0);
}

static void check_malformed(void)
{
    char want[8192];

    CHECK_EQ_U(load_text("abc\t1\tfoo\n"                  // 1
                         "1\tx\tfoo\n"                    // 2
                         "1\t2\n"                         // 3: no key field
                         "1 2 foo\n"                      // 4: spaces, not tabs
                         "-1\t1\tfoo\n"                   // 5
                         "+1\t1\tfoo\n"                   // 6
                         "18446744073709551616\t1\tfoo\n" // 7: 2^64
                         "18446744073709551615\t1\tmax\n" // 8: UINT64_MAX, kept
                         "18446744073709551615\t1\tmax\n" // 9: the sum saturates
                         " 5\t1\tfoo\n"                   // 10
                         "5\t1\tfoo\n"),                  // 11
               2);
    snprintf(want, sizeof(want),
             "leakshim: %s:1: expected <bytes> TAB <blocks> TAB <functions>: bad bytes; line "
             "ignored\n"
             "leakshim: %s:2: expected <bytes> TAB <blocks> TAB <functions>: bad blocks; line "
             "ignored\n"
             "leakshim: %s:3: expected <bytes> TAB <blocks> TAB <functions>: bad blocks; line "
             "ignored\n"
             "leakshim: %s:4: expected <bytes> TAB <blocks> TAB <functions>: bad bytes; line "
             "ignored\n"
             "leakshim: %s:5: expected <bytes> TAB <blocks> TAB <functions>: bad bytes; line "
             "ignored\n"
             "leakshim: %s:6: expected <bytes> TAB <blocks> TAB <functions>: bad bytes; line "
             "ignored\n"
             "leakshim: %s:7: expected <bytes> TAB <blocks> TAB <functions>: bad bytes; line "
             "ignored\n"
             "leakshim: %s:10: expected <bytes> TAB <blocks> TAB <functions>: bad bytes; line "
             "ignored\n",
             path, path, path, path, path, path, path, path);
    CHECK_EQ_S(err, want);
    CHECK_EQ_U(ls_baseline_find("max")->bytes, UINT64_MAX);
    CHECK_EQ_U(ls_baseline_find("max")->blocks, 2);
    CHECK_EQ_U(ls_baseline_find("foo")->bytes, 5);

    write_file("1\t1\ta\0b\n2\t1\tok\n", 15);
    CHECK_EQ_U(load_captured(path), 1);
    snprintf(want, sizeof(want), "leakshim: %s:1: NUL byte in the line; line ignored\n", path);
    CHECK_EQ_S(err, want);
    CHECK(ls_baseline_find("a") == NULL);
    CHECK_EQ_U(ls_baseline_find("ok")->bytes, 2);
}

static void check_unreadable(void)
{
    char missing[700], want[1024];

    CHECK_EQ_U(load_text("1\t1\ta\n"), 1);
    snprintf(missing, sizeof(missing), "%s/missing", dir);
    CHECK(load_captured(missing) == -1);
    snprintf(want, sizeof(want),
             "leakshim: cannot read baseline file %s: No such file or directory; no baseline "
             "loaded\n",
             missing);
    CHECK_EQ_S(err, want);
    CHECK_EQ_U(ls_baseline_count(), 0);
    CHECK(ls_baseline_find("a") == NULL);
    CHECK(ls_baseline_get(0) == NULL);

    CHECK_EQ_U(load_text(""), 0);
    CHECK_EQ_S(err, "");
    CHECK(ls_baseline_find("") == NULL);
}

/* Enough keys that the index wraps and probes: every one still found, none invented. */
static void check_many(void)
{
    static char text[1 << 20];
    size_t len = 0;
    char key[64];

    for (int i = 0; i < 5000; i++)
        len +=
            (size_t)snprintf(text + len, sizeof(text) - len, "%d\t1\tfn_%d\tmain\n", i, i % 4000);
    CHECK_EQ_U(load_text(text), 4000);
    CHECK_EQ_S(err, "");
    for (int i = 0; i < 4000; i++) {
        snprintf(key, sizeof(key), "fn_%d\tmain", i);
        struct ls_baseline_entry *e = ls_baseline_find(key);
        CHECK(e != NULL);
        CHECK_EQ_U(e->bytes, i < 1000 ? i + i + 4000 : i);
        CHECK_EQ_U(e->blocks, i < 1000 ? 2 : 1);
        CHECK(e == ls_baseline_get((size_t)i));
    }
    CHECK(ls_baseline_find("fn_4000\tmain") == NULL);
}

int main(void)
{
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/baseline.txt", dir);

    check_keys();
    check_load();
    check_malformed();
    check_unreadable();
    check_many();

    unlink(path);
    rmdir(dir);
    PASS();
}
