/* SPDX-License-Identifier: MIT
 *
 * baseline.c - the baseline file: known leaks by stack key, loaded once, looked up while
 * a report is written; and the key itself, shared with `leakshim baseline`.
 *
 * Loading runs in the shim's constructor and lookups while a report is written: no malloc
 * and no stdio in either. Entries and their index live in arena memory; keys point into
 * the file's buffer.
 */
#include "baseline.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "arena.h"
#include "log.h"
#include "textfile.h"

#define LS_UNKNOWN_FUNCTION "??"

static struct ls_textfile file;
static struct ls_baseline_entry *entries;
static size_t n_entries, entries_bytes;
/* Open addressing: slot = entry index + 1, 0 when empty; n_slots is a power of two, at
 * least twice the entries the file can hold, so probes stay short and always end. */
static uint32_t *slots;
static size_t n_slots;

/* Appends c at *len while it fits (leaving room for the NUL); always counts it. */
static void put_char(char *buf, size_t cap, size_t *len, char c)
{
    if (*len + 1 < cap)
        buf[*len] = c;
    (*len)++;
}

static void put_name(char *buf, size_t cap, size_t *len, const char *name)
{
    if (name == NULL || *name == '\0')
        name = LS_UNKNOWN_FUNCTION;
    for (; *name != '\0'; name++) {
        char c = *name;
        put_char(buf, cap, len, c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
    }
}

size_t ls_baseline_key(const struct ls_frame *frames, uint32_t n, char *buf, size_t cap)
{
    size_t len = 0;

    for (uint32_t i = 0; i < n; i++) {
        if (i > 0)
            put_char(buf, cap, &len, '\t');
        put_name(buf, cap, &len, frames[i].function);
    }
    if (cap > 0)
        buf[len < cap ? len : cap - 1] = '\0';
    return len;
}

/* FNV-1a: keys are short strings, and this needs no table. */
static uint64_t hash_key(const char *key)
{
    uint64_t h = 0xcbf29ce484222325u;

    for (; *key != '\0'; key++)
        h = (h ^ (unsigned char)*key) * 0x100000001b3u;
    return h;
}

/* The slot holding key, or the empty slot where it would go. */
static uint32_t *slot_of(const char *key)
{
    size_t i = (size_t)hash_key(key) & (n_slots - 1);

    while (slots[i] != 0 && strcmp(entries[slots[i] - 1].key, key) != 0)
        i = (i + 1) & (n_slots - 1);
    return &slots[i];
}

static uint64_t add_saturating(uint64_t a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

static void add_entry(const char *key, uint64_t bytes, uint64_t blocks)
{
    uint32_t *slot = slot_of(key);
    struct ls_baseline_entry *e;

    if (*slot != 0) {
        e = &entries[*slot - 1];
        e->bytes = add_saturating(e->bytes, bytes);
        e->blocks = add_saturating(e->blocks, blocks);
        return;
    }
    entries[n_entries] = (struct ls_baseline_entry){.key = key, .bytes = bytes, .blocks = blocks};
    *slot = (uint32_t)++n_entries;
}

/* Reads a whole decimal number at *p followed by a tab, and steps past both. */
static bool parse_field(char **p, uint64_t *out)
{
    char *s = *p;
    uint64_t v = 0;

    if (*s < '0' || *s > '9')
        return false;
    for (; *s >= '0' && *s <= '9'; s++) {
        unsigned digit = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - digit) / 10)
            return false;
        v = v * 10 + digit;
    }
    if (*s != '\t')
        return false;
    *out = v;
    *p = s + 1;
    return true;
}

static void ignore_line(const char *path, int number, const char *why)
{
    ls_log(LS_LOG_WARN, "%.700s:%d: %s; line ignored", path, number, why);
}

static void parse_line(const char *path, int number, char *line, size_t len)
{
    uint64_t bytes, blocks;
    char *p = line;

    if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0'; // written on Windows
    if (len == 0 || line[0] == '#')
        return;
    if (memchr(line, '\0', len) != NULL)
        ignore_line(path, number, "NUL byte in the line");
    else if (!parse_field(&p, &bytes))
        ignore_line(path, number, "expected <bytes> TAB <blocks> TAB <functions>: bad bytes");
    else if (!parse_field(&p, &blocks))
        ignore_line(path, number, "expected <bytes> TAB <blocks> TAB <functions>: bad blocks");
    else
        add_entry(p, bytes, blocks);
}

/* Forgets every entry and gives their memory back. */
static void clear(void)
{
    if (entries != NULL)
        ls_arena_free(entries, entries_bytes);
    if (slots != NULL)
        ls_arena_free(slots, n_slots * sizeof(*slots));
    entries = NULL;
    slots = NULL;
    n_entries = entries_bytes = n_slots = 0;
    ls_textfile_free(&file);
}

/* Sizes the entries and the index for the file's line count. Returns 0 or -ENOMEM. */
static int make_room(size_t lines)
{
    for (n_slots = 16; n_slots < 2 * lines;)
        n_slots *= 2;
    entries_bytes = lines * sizeof(*entries);
    entries = ls_arena_alloc(entries_bytes);
    slots = ls_arena_alloc(n_slots * sizeof(*slots));
    if (entries == NULL || slots == NULL)
        return -ENOMEM;
    memset(slots, 0, n_slots * sizeof(*slots)); // arena memory is not zeroed on reuse
    return 0;
}

int ls_baseline_load(const char *path)
{
    clear();
    int err = ls_textfile_load(path, &file, make_room, parse_line);
    if (err != 0) {
        ls_log(LS_LOG_WARN, "cannot read baseline file %.700s: %s; no baseline loaded", path,
               strerror(-err));
        clear();
        return -1;
    }
    return (int)n_entries;
}

struct ls_baseline_entry *ls_baseline_find(const char *key)
{
    uint32_t slot;

    if (key == NULL || n_slots == 0)
        return NULL;
    slot = *slot_of(key);
    return slot != 0 ? &entries[slot - 1] : NULL;
}

size_t ls_baseline_count(void)
{
    return n_entries;
}

struct ls_baseline_entry *ls_baseline_get(size_t i)
{
    return i < n_entries ? &entries[i] : NULL;
}

void ls_baseline_reset_counts(void)
{
    for (size_t i = 0; i < n_entries; i++)
        entries[i].seen_bytes = entries[i].seen_blocks = 0;
}
