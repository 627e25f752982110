/* SPDX-License-Identifier: MIT
 *
 * diff.c - matches two snapshots' stacks by key and ranks what changed.
 *
 * A stack's key leaves out addresses and kinds, so the same code path in another run, or
 * in two kinds of one snapshot, is one line of the diff.
 */
#include "diff.h"

#include <stdlib.h>
#include <string.h>

/* One key of one snapshot, before matching. */
struct keyed {
    char *key;
    const struct lsp_stack *stack;
    uint64_t bytes, blocks;
};

static int compare_keyed(const void *a, const void *b)
{
    return strcmp(((const struct keyed *)a)->key, ((const struct keyed *)b)->key);
}

static uint64_t add_saturating(uint64_t a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

/* The profile's stacks by key, sorted, those with one key summed into one. Returns the
 * count, *out malloc'ed (each key too), or -1 when out of memory. */
static long group(const struct lsp_profile *p, struct keyed **out)
{
    struct keyed *v = calloc(p->n_stacks + 1, sizeof(*v));
    size_t n = 0;

    for (size_t i = 0; v != NULL && i < p->n_stacks; i++) {
        v[i] = (struct keyed){lsp_stack_key(&p->stacks[i]), &p->stacks[i], p->stacks[i].bytes,
                              p->stacks[i].blocks};
        if (v[i].key == NULL) {
            while (i-- > 0)
                free(v[i].key);
            free(v);
            v = NULL;
        }
    }
    if (v == NULL)
        return -1;
    qsort(v, p->n_stacks, sizeof(*v), compare_keyed);
    for (size_t i = 0; i < p->n_stacks; i++) {
        if (n > 0 && strcmp(v[n - 1].key, v[i].key) == 0) {
            v[n - 1].bytes = add_saturating(v[n - 1].bytes, v[i].bytes);
            v[n - 1].blocks = add_saturating(v[n - 1].blocks, v[i].blocks);
            free(v[i].key);
        } else {
            v[n++] = v[i];
        }
    }
    *out = v;
    return (long)n;
}

static int64_t difference(uint64_t new_count, uint64_t old_count)
{
    // Counts are far below 2^63 in any real snapshot; clamp rather than wrap if not.
    if (new_count >= old_count)
        return new_count - old_count > INT64_MAX ? INT64_MAX : (int64_t)(new_count - old_count);
    return old_count - new_count > INT64_MAX ? -INT64_MAX : -(int64_t)(old_count - new_count);
}

static enum ls_diff_status status_of(const struct ls_diff_stack *s)
{
    bool in_old = s->old_bytes > 0 || s->old_blocks > 0;
    bool in_new = s->new_bytes > 0 || s->new_blocks > 0;

    if (s->bytes == 0 && s->blocks == 0)
        return LS_DIFF_UNCHANGED;
    if (!in_old)
        return LS_DIFF_NEW;
    if (!in_new)
        return LS_DIFF_GONE;
    return s->bytes > 0 || (s->bytes == 0 && s->blocks > 0) ? LS_DIFF_GROWN : LS_DIFF_SHRUNK;
}

/* One line of the diff from the old entry o and the new entry n (either NULL). Takes
 * the key of one of them; frees the other's. */
static struct ls_diff_stack match(struct keyed *o, struct keyed *n)
{
    struct ls_diff_stack s = {0};

    if (o != NULL) {
        s.key = o->key;
        s.stack = o->stack;
        s.old_bytes = o->bytes;
        s.old_blocks = o->blocks;
    }
    if (n != NULL) {
        free(s.key);
        s.key = n->key;
        s.stack = n->stack;
        s.new_bytes = n->bytes;
        s.new_blocks = n->blocks;
    }
    s.bytes = difference(s.new_bytes, s.old_bytes);
    s.blocks = difference(s.new_blocks, s.old_blocks);
    s.status = status_of(&s);
    return s;
}

/* 0 for growing stacks, 1 for shrinking ones, 2 for unchanged: the order of the list. */
static int section(const struct ls_diff_stack *s)
{
    switch (s->status) {
    case LS_DIFF_NEW:
    case LS_DIFF_GROWN:
        return 0;
    case LS_DIFF_SHRUNK:
    case LS_DIFF_GONE:
        return 1;
    case LS_DIFF_UNCHANGED:
        break;
    }
    return 2;
}

static int compare_signed(int64_t x, int64_t y)
{
    return x < y ? -1 : x > y;
}

/* Biggest change first within a section (growth for growing stacks, shrinkage for
 * shrinking ones), bytes before blocks; the key makes the order total. */
static int compare_ranked(const void *a, const void *b)
{
    const struct ls_diff_stack *x = a, *y = b;
    int sx = section(x), sy = section(y);
    int by_size;

    if (sx != sy)
        return sx - sy;
    by_size = compare_signed(y->bytes, x->bytes);
    if (by_size == 0)
        by_size = compare_signed(y->blocks, x->blocks);
    if (sx == 1)
        by_size = -by_size;
    return by_size != 0 ? by_size : strcmp(x->key, y->key);
}

/* Counts and sums per section, once the list is ranked. */
static void tally(struct ls_diff *d)
{
    for (size_t i = 0; i < d->n; i++) {
        const struct ls_diff_stack *s = &d->stacks[i];
        if (section(s) == 0) {
            d->n_growing++;
            d->n_new += s->status == LS_DIFF_NEW;
            d->grown_bytes += s->bytes;
            d->grown_blocks += s->blocks;
        } else if (section(s) == 1) {
            d->n_shrinking++;
            d->n_gone += s->status == LS_DIFF_GONE;
            d->shrunk_bytes += s->bytes;
            d->shrunk_blocks += s->blocks;
        }
    }
}

/* Walks the two sorted key lists side by side into d->stacks. A stack live in neither
 * (Go lists every stack that ever allocated, most with nothing live) is left out. */
static void merge(struct keyed *o, size_t n_old, struct keyed *n, size_t n_new, struct ls_diff *d)
{
    size_t i = 0, k = 0;

    while (i < n_old || k < n_new) {
        int c = i == n_old ? 1 : k == n_new ? -1 : strcmp(o[i].key, n[k].key);
        struct ls_diff_stack s = c < 0   ? match(&o[i++], NULL)
                                 : c > 0 ? match(NULL, &n[k++])
                                         : match(&o[i++], &n[k++]);
        if (s.old_bytes == 0 && s.old_blocks == 0 && s.new_bytes == 0 && s.new_blocks == 0)
            free(s.key);
        else
            d->stacks[d->n++] = s;
    }
}

int ls_diff_compute(const struct lsp_profile *old, const struct lsp_profile *new, struct ls_diff *d)
{
    struct keyed *o = NULL, *n = NULL;
    long n_old, n_new = -1;

    memset(d, 0, sizeof(*d));
    d->old = old;
    d->new = new;
    n_old = group(old, &o);
    if (n_old >= 0)
        n_new = group(new, &n);
    if (n_new >= 0)
        d->stacks = calloc((size_t)n_old + (size_t)n_new + 1, sizeof(*d->stacks));
    if (d->stacks == NULL) {
        for (long i = 0; i < n_old; i++)
            free(o[i].key);
        for (long i = 0; i < n_new; i++)
            free(n[i].key);
        free(o);
        free(n);
        return -1;
    }

    merge(o, (size_t)n_old, n, (size_t)n_new, d);
    free(o);
    free(n);
    qsort(d->stacks, d->n, sizeof(*d->stacks), compare_ranked);
    tally(d);
    return 0;
}

void ls_diff_free(struct ls_diff *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->stacks[i].key);
    free(d->stacks);
    memset(d, 0, sizeof(*d));
}

const char *ls_diff_status_name(enum ls_diff_status s)
{
    static const char *const names[] = {"new", "grown", "shrunk", "gone", "unchanged"};

    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

int64_t ls_diff_live_bytes(const struct ls_diff *d)
{
    return difference(d->new->live_bytes, d->old->live_bytes);
}

int64_t ls_diff_live_blocks(const struct ls_diff *d)
{
    return difference(d->new->live_blocks, d->old->live_blocks);
}
