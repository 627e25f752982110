/* SPDX-License-Identifier: MIT
 *
 * suppress.c - suppression rules: loaded once from LEAKSHIM_SUPPRESSIONS, matched against
 * the frames of each reported stack.
 *
 * Loading runs in the shim's constructor and matching while a report is written: no
 * malloc and no stdio in either; rules live in arena memory.
 */
#include "suppress.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "arena.h"
#include "log.h"
#include "textfile.h"

/* A rule and its pattern split for matching: "^foo*bar$" is the body "foo*bar" anchored
 * at both ends. The body points into the pattern, which points into the file's buffer. */
struct rule {
    struct ls_suppression pub;
    const char *body;
    size_t body_len;
    bool is_anchored_start, is_anchored_end;
};

static struct ls_textfile file;
static struct rule *rules;
static size_t n_rules, rules_bytes;

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_ident_char(char c, bool is_first)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (!is_first && c >= '0' && c <= '9');
}

/* Length of a "type:" prefix at s (an identifier and one ':', not "::"), or 0. */
static size_t type_prefix_len(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len && is_ident_char(s[i], i == 0))
        i++;
    if (i == 0 || i >= len || s[i] != ':' || (i + 1 < len && s[i + 1] == ':'))
        return 0;
    return i + 1;
}

/* Cuts the blanks off both ends of [*b, *e). */
static void trim(char **b, char **e)
{
    while (*b < *e && is_blank(**b))
        (*b)++;
    while (*e > *b && is_blank((*e)[-1]))
        (*e)--;
}

static void ignore_line(const char *path, int number, const char *why)
{
    ls_log(LS_LOG_WARN, "%.700s:%d: %s; line ignored", path, number, why);
}

/* Turns pattern [b, e) into a rule at the end of the list; logs and returns -1 if it
 * cannot be one. */
static int add_rule(const char *path, int number, char *b, char *e)
{
    size_t prefix = type_prefix_len(b, (size_t)(e - b));
    struct rule *r;

    if (prefix != 0 && !(prefix == 5 && memcmp(b, "leak:", 5) == 0)) {
        ls_log(LS_LOG_WARN,
               "%.700s:%d: unknown suppression type \"%.*s\" (only \"leak:\" is read); "
               "line ignored",
               path, number, (int)(prefix < 64 ? prefix - 1 : 64), b);
        return -1;
    }
    b += prefix;
    trim(&b, &e);
    if (b == e) {
        ignore_line(path, number, "empty pattern");
        return -1;
    }
    if (memchr(b, '\0', (size_t)(e - b)) != NULL) {
        ignore_line(path, number, "NUL byte in the pattern");
        return -1;
    }
    if (e - b > LS_SUPPRESS_MAX_PATTERN) {
        ls_log(LS_LOG_WARN, "%.700s:%d: pattern longer than %d bytes; line ignored", path, number,
               LS_SUPPRESS_MAX_PATTERN);
        return -1;
    }

    *e = '\0'; // inside the line: the line's own end is a NUL too
    r = &rules[n_rules++];
    *r = (struct rule){.pub = {.pattern = b, .line = number}, .body = b};
    r->is_anchored_start = *b == '^';
    r->body += r->is_anchored_start;
    r->body_len = (size_t)(e - r->body);
    r->is_anchored_end = r->body_len > 0 && r->body[r->body_len - 1] == '$';
    r->body_len -= r->is_anchored_end;
    return 0;
}

static void parse_line(const char *path, int number, char *line, size_t len)
{
    char *b = line, *e = line + len;

    trim(&b, &e);
    if (b == e || *b == '#')
        return;
    add_rule(path, number, b, e);
}

/* Forgets every rule and gives their memory back. */
static void clear(void)
{
    if (rules != NULL)
        ls_arena_free(rules, rules_bytes);
    rules = NULL;
    n_rules = rules_bytes = 0;
    ls_textfile_free(&file);
}

/* Room for one rule a line: comments and blanks make it a little too much. */
static int make_room(size_t lines)
{
    rules_bytes = lines * sizeof(struct rule);
    rules = ls_arena_alloc(rules_bytes);
    return rules != NULL ? 0 : -ENOMEM;
}

int ls_suppress_load(const char *path)
{
    clear();
    int err = ls_textfile_load(path, &file, make_room, parse_line);
    if (err != 0) {
        ls_log(LS_LOG_WARN, "cannot read suppressions file %.700s: %s; nothing is suppressed", path,
               strerror(-err));
        clear();
        return -1;
    }
    return (int)n_rules;
}

/*
 * Does s match p[0, n), where '*' stands for any run of bytes? is_loose_start and
 * is_loose_end allow any bytes before and after (an unanchored pattern). On a mismatch,
 * the last '*' seen (or the loose start) takes one byte more and matching resumes after
 * it: enough for a pattern whose only wildcard is '*'.
 */
static bool glob_match(const char *p, size_t n, const char *s, bool is_loose_start,
                       bool is_loose_end)
{
    size_t i = 0, star_i = 0;
    const char *star_s = is_loose_start ? s : NULL;

    while (*s != '\0') {
        if (i < n && p[i] == '*') {
            star_i = ++i;
            star_s = s;
        } else if (i < n && p[i] == *s) {
            i++;
            s++;
        } else if (i == n && is_loose_end) {
            return true;
        } else if (star_s != NULL) {
            i = star_i;
            s = ++star_s;
        } else {
            return false;
        }
    }
    while (i < n && p[i] == '*')
        i++;
    return i == n;
}

static bool rule_matches(const struct rule *r, const char *s)
{
    return s != NULL && *s != '\0' &&
           glob_match(r->body, r->body_len, s, !r->is_anchored_start, !r->is_anchored_end);
}

static bool rule_matches_frame(const struct rule *r, const struct ls_frame *f)
{
    return rule_matches(r, f->function) || rule_matches(r, f->module) || rule_matches(r, f->file);
}

int ls_suppress_match(const struct ls_frame *frames, uint32_t n_frames)
{
    for (size_t i = 0; i < n_rules; i++) {
        for (uint32_t k = 0; k < n_frames; k++) {
            if (rule_matches_frame(&rules[i], &frames[k]))
                return (int)i;
        }
    }
    return -1;
}

size_t ls_suppress_count(void)
{
    return n_rules;
}

struct ls_suppression *ls_suppress_get(size_t i)
{
    return i < n_rules ? &rules[i].pub : NULL;
}

void ls_suppress_reset_counts(void)
{
    for (size_t i = 0; i < n_rules; i++)
        rules[i].pub.blocks = rules[i].pub.bytes = rules[i].pub.stacks = 0;
}
