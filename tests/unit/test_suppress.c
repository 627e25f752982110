/* SPDX-License-Identifier: MIT
 *
 * test_suppress.c - the suppressions file: what a line may hold, the exact warning for
 * each malformed one, and LSan's pattern semantics against functions, modules and files.
 */
#include <stdint.h>
#include <unistd.h>

#include "check.h"
#include "suppress.h"

#define LOADFILE_LOADER ls_suppress_load
#include "loadfile.h"

/* Does the one-rule file `pattern` suppress a frame whose function is fn? */
static int matches_function(const char *pattern, const char *fn)
{
    struct ls_frame f = {.function = fn};
    char text[1200];

    snprintf(text, sizeof(text), "%s\n", pattern);
    CHECK_EQ_U(load_text(text), 1);
    CHECK_EQ_S(err, "");
    return ls_suppress_match(&f, 1) == 0;
}

static const struct {
    const char *pattern, *function;
    int is_match;
} table[] = {
    {"foo", "foo", 1},
    {"foo", "xfooy", 1}, // a substring is enough
    {"foo", "fo", 0},
    {"Foo", "foo", 0}, // case matters
    {"^foo", "foobar", 1},
    {"^foo", "xfoo", 0},
    {"foo$", "xfoo", 1},
    {"foo$", "foox", 0},
    {"^foo$", "foo", 1},
    {"^foo$", "foox", 0},
    {"^foo$", "xfoo", 0},
    {"f*o", "fxyzo", 1},
    {"f*o", "f", 0},
    {"foo*", "foo", 1}, // '*' matches nothing too
    {"*", "anything", 1},
    {"^*foo", "xfoo", 1},
    {"^a*b$", "abab", 1}, // the '*' must give back the first "b"
    {"^a*b$", "abax", 0},
    {"a*b*c", "xxaxxbxxcxx", 1},
    {"a*b*c", "xxaxxcxxbxx", 0},
    {"^a**c$", "ac", 1},
    {"fo^o", "fo^o", 1}, // '^' and '$' inside a pattern are plain bytes
    {"a$b", "a$b", 1},
    {"^", "x", 1},
    {"$", "x", 1},
    {"^$", "x", 0},
    {"operator new", "operator new(unsigned long)", 1},
    {"^operator new(unsigned long)$", "operator new(unsigned long)", 1},
    {"^operator new(unsigned long)$", "operator new[](unsigned long)", 0},
    {"std::vector<*>::_M_realloc_insert",
     "void std::vector<int, std::allocator<int> >::_M_realloc_insert<int const&>()", 1},
    {"ns::Parser::parse(char const*)", "ns::Parser::parse(char const*)", 1},
    {"ns::Parser::parse(char const*)", "ns::Parser::parse(int)", 0},
    {"leak:^load_config$", "load_config", 1},
    {"leak:load_config", "leak:load_config", 1}, // the prefix is not part of the pattern
    {"leak:leak:x", "leak:x", 1},                // only the first prefix is
    {"  leak:  ^main$  ", "main", 1},
    {"leak::foo", "leak::foo", 1}, // "leak::" is a C++ namespace, not a prefix
    {"std::string", "std::string::_M_create", 1},
    {"x", "", 0}, // an empty name never matches
    {"*", "", 0},
};

static void check_patterns(void)
{
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        if (matches_function(table[i].pattern, table[i].function) != table[i].is_match) {
            fprintf(stderr, "pattern \"%s\" against \"%s\": expected %s\n", table[i].pattern,
                    table[i].function, table[i].is_match ? "a match" : "no match");
            exit(1);
        }
    }
}

static void check_rules_kept(void)
{
    CHECK_EQ_U(load_text("# suppressions for the tests\n"
                         "\n"
                         "   \t\r\n"
                         "  # an indented comment\n"
                         "leak:read_request\n"
                         "\t^cache_*$ \r\n"
                         "leak: libfoo.so\n"
                         "examples/leaky.c$\n"
                         "std::map<*>::operator[]"), // no '\n' at the end
               5);
    CHECK_EQ_S(err, "");
    CHECK_EQ_U(ls_suppress_count(), 5);
    const char *patterns[] = {"read_request", "^cache_*$", "libfoo.so", "examples/leaky.c$",
                              "std::map<*>::operator[]"};
    const int lines[] = {5, 6, 7, 8, 9};
    for (size_t i = 0; i < 5; i++) {
        CHECK_EQ_S(ls_suppress_get(i)->pattern, patterns[i]);
        CHECK_EQ_U(ls_suppress_get(i)->line, lines[i]);
        CHECK_EQ_U(ls_suppress_get(i)->blocks + ls_suppress_get(i)->bytes, 0);
    }
    CHECK(ls_suppress_get(5) == NULL);
}

static void check_malformed(void)
{
    char text[4096], want[8192];
    char long_pattern[1026];

    memset(long_pattern, 'x', 1025);
    long_pattern[1025] = '\0';
    snprintf(text, sizeof(text),
             "race:foo\n"                 // 1: another tool's type
             "leak:\n"                    // 2: empty
             "leak:   \t\n"               // 3: empty after the blanks
             "called_from_lib:libfoo\n"   // 4: another type
             "ok_one\n"                   // 5
             "%s\n"                       // 6: 1025 bytes
             "%.1024s\n"                  // 7: 1024 bytes: kept
             "interceptor_via_fun:x::y\n" // 8: a type, even with "::" later
             "LEAK:foo\n"                 // 9: types are case-sensitive, like LSan's
             "std::x\n",                  // 10
             long_pattern, long_pattern);
    CHECK_EQ_U(load_text(text), 3);
    snprintf(want, sizeof(want),
             "leakshim: %s:1: unknown suppression type \"race\" (only \"leak:\" is read); line "
             "ignored\n"
             "leakshim: %s:2: empty pattern; line ignored\n"
             "leakshim: %s:3: empty pattern; line ignored\n"
             "leakshim: %s:4: unknown suppression type \"called_from_lib\" (only \"leak:\" is "
             "read); line ignored\n"
             "leakshim: %s:6: pattern longer than 1024 bytes; line ignored\n"
             "leakshim: %s:8: unknown suppression type \"interceptor_via_fun\" (only \"leak:\" "
             "is read); line ignored\n"
             "leakshim: %s:9: unknown suppression type \"LEAK\" (only \"leak:\" is read); line "
             "ignored\n",
             path, path, path, path, path, path, path);
    CHECK_EQ_S(err, want);
    CHECK_EQ_S(ls_suppress_get(0)->pattern, "ok_one");
    CHECK_EQ_U(ls_suppress_get(1)->line, 7);
    CHECK_EQ_U(strlen(ls_suppress_get(1)->pattern), 1024);
    CHECK_EQ_S(ls_suppress_get(2)->pattern, "std::x");
    CHECK_EQ_U(ls_suppress_get(2)->line, 10);

    // A NUL byte inside a pattern: the line is dropped, not cut short.
    write_file("a\0b\n# c\0d\nok\n", 13);
    CHECK_EQ_U(load_captured(path), 1);
    snprintf(want, sizeof(want), "leakshim: %s:1: NUL byte in the pattern; line ignored\n", path);
    CHECK_EQ_S(err, want);
    CHECK_EQ_S(ls_suppress_get(0)->pattern, "ok");
    CHECK_EQ_U(ls_suppress_get(0)->line, 3);
}

static void check_unreadable(void)
{
    char missing[700], want[1024];

    CHECK_EQ_U(load_text("a\nb\n"), 2);
    snprintf(missing, sizeof(missing), "%s/missing", dir);
    CHECK(load_captured(missing) == -1); // replaces what was loaded with nothing
    snprintf(want, sizeof(want),
             "leakshim: cannot read suppressions file %s: No such file or directory; nothing "
             "is suppressed\n",
             missing);
    CHECK_EQ_S(err, want);
    CHECK_EQ_U(ls_suppress_count(), 0);
    CHECK(ls_suppress_get(0) == NULL);

    CHECK(load_captured(dir) == -1);
    snprintf(want, sizeof(want),
             "leakshim: cannot read suppressions file %s: Is a directory; nothing is "
             "suppressed\n",
             dir);
    CHECK_EQ_S(err, want);

    CHECK_EQ_U(load_text(""), 0);
    CHECK_EQ_S(err, "");
    CHECK_EQ_U(load_text("# only comments\n\n"), 0);
    CHECK_EQ_S(err, "");
}

/* Modules and files are matched as well as functions; NULL fields never match; the first
 * rule in file order wins, whichever frame it matches. */
static void check_frames(void)
{
    struct ls_frame frames[] = {
        {.function = "__strdup", .module = "/lib/x86_64-linux-gnu/libc.so.6"},
        {.function = NULL, .module = "/opt/lib/libfoo.so.1", .file = NULL},
        {.function = "load_config", .module = "/work/bin/leaky_c", .file = "/src/leaky.c"},
        {0},
    };

    CHECK_EQ_U(load_text("no_such_function\n"
                         "^/src/leaky.c$\n"
                         "libfoo.so\n"
                         "__strdup\n"),
               4);
    CHECK_EQ_U(ls_suppress_match(frames, 4), 1);   // rule 1 matches frame 2's file
    CHECK_EQ_U(ls_suppress_match(frames, 2), 2);   // rule 2: frame 1's module
    CHECK_EQ_U(ls_suppress_match(frames, 1), 3);   // rule 3: frame 0's function
    CHECK(ls_suppress_match(&frames[3], 1) == -1); // all NULL: nothing matches
    CHECK(ls_suppress_match(NULL, 0) == -1);       // no frames at all
    CHECK_EQ_U(load_text("leaky_c$\n"), 1);        // a module path, anchored at its end
    CHECK_EQ_U(ls_suppress_match(frames, 4), 0);
    CHECK(ls_suppress_match(frames, 2) == -1);
    CHECK_EQ_U(load_text("^load_config\n"), 1);
    CHECK(ls_suppress_match(frames, 2) == -1); // only the first two frames are looked at
}

/* How the report counts: one match per stack, rules that match nothing stay at 0 (dead
 * rules), and a new report starts from 0. */
static void check_counts(void)
{
    struct ls_frame stacks[][2] = {
        {{.function = "read_request"}, {.function = "main"}},
        {{.function = "cache_insert"}, {.function = "cache_get"}},
        {{.function = "cache_insert"}, {.function = "main"}},
        {{.function = "unrelated"}, {.function = "main2"}},
    };
    const uint64_t bytes[] = {512, 448, 70, 10};

    CHECK_EQ_U(load_text("leak:cache_\n"
                         "leak:never_called\n"
                         "read_request\n"),
               3);
    for (int i = 0; i < 4; i++) {
        int r = ls_suppress_match(stacks[i], 2);
        if (r < 0)
            continue;
        ls_suppress_get((size_t)r)->stacks++;
        ls_suppress_get((size_t)r)->blocks += 1;
        ls_suppress_get((size_t)r)->bytes += bytes[i];
    }
    CHECK_EQ_U(ls_suppress_get(0)->bytes, 518);
    CHECK_EQ_U(ls_suppress_get(0)->stacks, 2);
    CHECK_EQ_U(ls_suppress_get(1)->bytes, 0); // dead
    CHECK_EQ_U(ls_suppress_get(1)->stacks, 0);
    CHECK_EQ_U(ls_suppress_get(2)->bytes, 512);
    CHECK_EQ_U(ls_suppress_get(2)->blocks, 1);
    ls_suppress_reset_counts();
    for (size_t i = 0; i < ls_suppress_count(); i++) {
        struct ls_suppression *s = ls_suppress_get(i);
        CHECK_EQ_U(s->blocks + s->bytes + s->stacks, 0);
    }
}

int main(void)
{
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/supp.txt", dir);

    check_patterns();
    check_rules_kept();
    check_malformed();
    check_unreadable();
    check_frames();
    check_counts();

    unlink(path);
    rmdir(dir);
    PASS();
}
