/* SPDX-License-Identifier: MIT
 *
 * stackdb.c - the stack store: uthash tables keyed by stack hash, split over stripes,
 * and a directory from id to stack for the report.
 *
 * Runs inside malloc: memory from the arena only. Module lookup (which takes the loader's
 * lock) happens before any stripe lock is taken.
 */
#include "stackdb.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#include "arena.h"
#include "config.h"
#include "module.h"
#include "stack.h"

#define uthash_malloc(sz)                    ls_arena_alloc(sz)
#define uthash_free(p, sz)                   ls_arena_free((p), (sz))
#define HASH_NONFATAL_OOM                    1
/* The key is already a good 64-bit hash: use its low bits as the bucket hash. */
#define HASH_FUNCTION(keyptr, keylen, hashv) ((hashv) = (unsigned)*(const uint64_t *)(keyptr))
#include <uthash.h>

#define LS_STACK_STRIPES 64
#define LS_DIR_SHIFT     16
#define LS_DIR_CHUNK     (1u << LS_DIR_SHIFT)
#define LS_DIR_CHUNKS    1024 // 64 M distinct stacks

struct entry {
    struct ls_stack stack; /* first: a stack's address is its entry's */
    atomic_uint epoch;     /* the module epoch its module ids were last found right in */
    /* Every allocation ever made from this stack. TODO: one shared counter pair per stack
     * bounces between cores when threads allocate from the same stack; per-thread counts
     * summed at report time would not. */
    atomic_uint_fast64_t alloc_blocks, alloc_bytes;
    struct entry *same_hash; /* another entry with this hash: a collision, or the same
                              * addresses in other modules (a library loaded where an
                              * unloaded one was) */
    UT_hash_handle hh;
};

struct stripe {
    pthread_mutex_t lock;
    struct entry *map;
} __attribute__((aligned(64)));

/* Static zero bytes are a valid, unlocked mutex in glibc (PTHREAD_MUTEX_INITIALIZER). */
static struct stripe stripes[LS_STACK_STRIPES];
static _Atomic(const struct ls_stack **) dir[LS_DIR_CHUNKS];
static atomic_uint next_id = 1;

static bool same_frames(const struct ls_stack *s, const uintptr_t *ips, int n)
{
    return s->n_frames == (uint32_t)n && memcmp(s->ips, ips, (size_t)n * sizeof(*ips)) == 0;
}

/* Called with the stripe lock held. */
static bool same_modules(const struct ls_stack *s, const uint32_t *module_ids)
{
    return memcmp(s->module_ids, module_ids, s->n_frames * sizeof(*module_ids)) == 0;
}

/* The entry for these frames, if its modules are known right for this epoch (or, with
 * module_ids, if they are exactly those). Called with the stripe lock held. */
static struct entry *find(struct stripe *st, uint64_t hash, const uintptr_t *ips, int n,
                          unsigned epoch, const uint32_t *module_ids)
{
    struct entry *e;

    HASH_FIND(hh, st->map, &hash, sizeof(hash), e);
    for (; e != NULL; e = e->same_hash) {
        if (!same_frames(&e->stack, ips, n))
            continue;
        if (module_ids != NULL ? same_modules(&e->stack, module_ids)
                               : atomic_load(&e->epoch) == epoch)
            return e;
    }
    return NULL;
}

/* A new, unpublished entry with its frames' modules resolved; no lock held. */
/* A new, unpublished entry; called with the stripe lock held (the arena nests inside). */
static struct entry *make_entry(uint64_t hash, const uintptr_t *ips, int n,
                                const uint32_t *module_ids, unsigned epoch)
{
    size_t frames_bytes = (size_t)n * (sizeof(uintptr_t) + sizeof(uint32_t));
    struct entry *e = ls_arena_alloc(sizeof(*e) + frames_bytes);

    if (e == NULL)
        return NULL;
    memset(e, 0, sizeof(*e));
    e->stack.hash = hash;
    e->stack.n_frames = (uint32_t)n;
    e->stack.ips = (uintptr_t *)(e + 1);
    e->stack.module_ids = (uint32_t *)(e->stack.ips + n);
    memcpy(e->stack.ips, ips, (size_t)n * sizeof(*ips));
    memcpy(e->stack.module_ids, module_ids, (size_t)n * sizeof(*module_ids));
    atomic_init(&e->epoch, epoch);
    return e;
}

static size_t entry_bytes(const struct entry *e)
{
    return sizeof(*e) + e->stack.n_frames * (sizeof(uintptr_t) + sizeof(uint32_t));
}

/* Gives e an id and makes it visible to ls_stackdb_get(); called with the stripe lock. */
static bool publish(struct entry *e)
{
    uint32_t id = atomic_fetch_add(&next_id, 1);
    uint32_t chunk = id >> LS_DIR_SHIFT;

    if (chunk >= LS_DIR_CHUNKS)
        return false;
    const struct ls_stack **slots = atomic_load(&dir[chunk]);
    if (slots == NULL) {
        const struct ls_stack **fresh = ls_arena_alloc(LS_DIR_CHUNK * sizeof(*fresh));
        if (fresh == NULL)
            return false;
        memset(fresh, 0, LS_DIR_CHUNK * sizeof(*fresh));
        // Two stripes may race to create a chunk; the loser gives its copy back.
        if (!atomic_compare_exchange_strong(&dir[chunk], &slots, fresh))
            ls_arena_free(fresh, LS_DIR_CHUNK * sizeof(*fresh));
        else
            slots = fresh;
    }
    e->stack.id = id;
    __atomic_store_n(&slots[id & (LS_DIR_CHUNK - 1)], &e->stack, __ATOMIC_RELEASE);
    return true;
}

static void insert(struct stripe *st, struct entry *e)
{
    struct entry *head;

    HASH_FIND(hh, st->map, &e->stack.hash, sizeof(e->stack.hash), head);
    if (head != NULL) {
        e->same_hash = head->same_hash; // a true 64-bit collision: chain behind the first
        head->same_hash = e;
        return;
    }
    HASH_ADD(hh, st->map, stack.hash, sizeof(e->stack.hash), e);
}

/* Each thread's recent stacks, by hash: a program allocates from a few call sites over
 * and over, and a hit here costs no lock and no shared cache line. Entries are never
 * freed, so a cached pointer stays valid (in a fork child too). */
#define LS_TCACHE_SLOTS 64
struct tcache_slot {
    uint64_t hash;
    struct entry *e;
};
static __thread struct tcache_slot tcache[LS_TCACHE_SLOTS]
    __attribute__((tls_model("initial-exec")));

static struct tcache_slot *tcache_slot(uint64_t hash)
{
    return &tcache[(hash >> 20) % LS_TCACHE_SLOTS];
}

static struct entry *tcache_find(uint64_t hash, const uintptr_t *ips, int n, unsigned epoch)
{
    const struct tcache_slot *t = tcache_slot(hash);

    if (t->hash != hash || t->e == NULL || !same_frames(&t->e->stack, ips, n) ||
        atomic_load_explicit(&t->e->epoch, memory_order_relaxed) != epoch)
        return NULL;
    return t->e;
}

static uint32_t tcache_keep(uint64_t hash, struct entry *e)
{
    *tcache_slot(hash) = (struct tcache_slot){hash, e};
    return e->stack.id;
}

uint32_t ls_stackdb_intern(const uintptr_t *ips, int n)
{
    uint64_t hash = ls_stack_hash(ips, n);
    // The stripe from the hash's high half: uthash buckets by its low half, and a stripe
    // whose entries all shared their low bits would use a fraction of its buckets.
    struct stripe *st = &stripes[(hash >> 32) % LS_STACK_STRIPES];
    unsigned epoch = ls_module_epoch();
    uint32_t module_ids[LS_MAX_DEPTH];

    struct entry *e = tcache_find(hash, ips, n, epoch);
    if (e != NULL)
        return e->stack.id;
    pthread_mutex_lock(&st->lock);
    e = find(st, hash, ips, n, epoch, NULL);
    pthread_mutex_unlock(&st->lock);
    if (e != NULL)
        return tcache_keep(hash, e);

    // New, or seen before a dlclose: which modules hold these addresses now? Asked
    // without the stripe lock, since it takes the loader's lock.
    for (int i = 0; i < n; i++)
        module_ids[i] = ls_module_find(ips[i]);

    pthread_mutex_lock(&st->lock);
    e = find(st, hash, ips, n, epoch, module_ids);
    if (e != NULL) {
        atomic_store(&e->epoch, epoch); // still right: the next lookup is quick again
    } else {
        e = make_entry(hash, ips, n, module_ids, epoch);
        if (e != NULL && publish(e)) {
            insert(st, e);
        } else if (e != NULL) {
            ls_arena_free(e, entry_bytes(e)); // no id left for it
            e = NULL;
        }
    }
    uint32_t id = e != NULL ? e->stack.id : LS_STACK_NONE;
    pthread_mutex_unlock(&st->lock);
    return id;
}

const struct ls_stack *ls_stackdb_get(uint32_t id)
{
    if (id == LS_STACK_NONE || (id >> LS_DIR_SHIFT) >= LS_DIR_CHUNKS)
        return NULL;

    const struct ls_stack **slots = atomic_load(&dir[id >> LS_DIR_SHIFT]);
    if (slots == NULL)
        return NULL;
    return __atomic_load_n(&slots[id & (LS_DIR_CHUNK - 1)], __ATOMIC_ACQUIRE);
}

/* The entry of a stored stack: the stack is its first member. */
static struct entry *entry_of(uint32_t id)
{
    return (struct entry *)ls_stackdb_get(id);
}

void ls_stackdb_note_alloc(uint32_t id, uint64_t bytes, uint64_t blocks)
{
    struct entry *e = entry_of(id);

    if (e == NULL)
        return;
    atomic_fetch_add_explicit(&e->alloc_blocks, blocks, memory_order_relaxed);
    atomic_fetch_add_explicit(&e->alloc_bytes, bytes, memory_order_relaxed);
}

void ls_stackdb_allocs(uint32_t id, uint64_t *blocks, uint64_t *bytes)
{
    struct entry *e = entry_of(id);

    *blocks = e != NULL ? atomic_load_explicit(&e->alloc_blocks, memory_order_relaxed) : 0;
    *bytes = e != NULL ? atomic_load_explicit(&e->alloc_bytes, memory_order_relaxed) : 0;
}

uint32_t ls_stackdb_count(void)
{
    return atomic_load(&next_id);
}

void ls_stackdb_lock_all(void)
{
    for (int i = 0; i < LS_STACK_STRIPES; i++)
        pthread_mutex_lock(&stripes[i].lock);
}

void ls_stackdb_unlock_all(void)
{
    for (int i = LS_STACK_STRIPES; i-- > 0;)
        pthread_mutex_unlock(&stripes[i].lock);
}

void ls_stackdb_reset_after_fork(void)
{
    for (int i = 0; i < LS_STACK_STRIPES; i++)
        pthread_mutex_init(&stripes[i].lock, NULL);
}
