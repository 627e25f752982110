/* SPDX-License-Identifier: MIT
 *
 * module.c - address ranges of loaded ELF files, from dl_iterate_phdr.
 *
 * Called when a new stack is stored, outside every other shim lock: dl_iterate_phdr takes
 * the loader's lock, and a thread inside dlopen holds that lock while it allocates.
 */
#include "module.h"

#include <link.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"

#define LS_MAX_MODULES 4096
#define LS_MAX_RANGES  8192

struct range {
    uintptr_t start, end;
    uint32_t module_id;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct ls_module modules[LS_MAX_MODULES]; /* index 0 unused: LS_MODULE_NONE */
static atomic_uint n_modules = 1;
static struct range ranges[LS_MAX_RANGES];
static size_t n_ranges;
static atomic_bool is_stale = true;
static char program_path[4096];

void ls_module_init(void)
{
    ssize_t n = readlink("/proc/self/exe", program_path, sizeof(program_path) - 1);

    program_path[n > 0 ? n : 0] = '\0';
}

const char *ls_module_program_path(void)
{
    return program_path;
}

static char *copy_string(const char *s)
{
    size_t len = strlen(s) + 1;
    char *copy = ls_arena_alloc(len);

    if (copy != NULL)
        memcpy(copy, s, len);
    return copy;
}

/* Same file at the same base keeps its id across re-reads; called with the lock held. */
static uint32_t module_id_for(const char *path, uintptr_t base)
{
    if (path == program_path && program_path[0] == '\0')
        ls_module_init(); // called before the shim's constructor: read it now
    uint32_t n = atomic_load(&n_modules);

    for (uint32_t i = n; i-- > 1;) {
        if (modules[i].base == base && strcmp(modules[i].path, path) == 0)
            return i;
    }
    if (n >= LS_MAX_MODULES)
        return LS_MODULE_NONE;

    const char *copy = copy_string(path);
    if (copy == NULL)
        return LS_MODULE_NONE;
    modules[n] = (struct ls_module){.path = copy, .base = base};
    atomic_store_explicit(&n_modules, n + 1, memory_order_release);
    return n;
}

static int add_ranges(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (void)data;
    const char *path = info->dlpi_name[0] != '\0' ? info->dlpi_name : program_path;
    uint32_t id = module_id_for(path, info->dlpi_addr);

    for (int i = 0; i < info->dlpi_phnum && n_ranges < LS_MAX_RANGES; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
            continue;
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        ranges[n_ranges++] = (struct range){start, start + ph->p_memsz, id};
    }
    return 0;
}

static uint32_t search(uintptr_t ip)
{
    for (size_t i = 0; i < n_ranges; i++) {
        if (ip >= ranges[i].start && ip < ranges[i].end)
            return ranges[i].module_id;
    }
    return LS_MODULE_NONE;
}

uint32_t ls_module_find(uintptr_t ip)
{
    pthread_mutex_lock(&lock);
    uint32_t id = atomic_exchange(&is_stale, false) ? LS_MODULE_NONE : search(ip);
    if (id == LS_MODULE_NONE) {
        n_ranges = 0;
        dl_iterate_phdr(add_ranges, NULL);
        id = search(ip);
    }
    pthread_mutex_unlock(&lock);
    return id;
}

const struct ls_module *ls_module_get(uint32_t id)
{
    if (id == LS_MODULE_NONE || id >= atomic_load_explicit(&n_modules, memory_order_acquire))
        return NULL;
    return &modules[id];
}

static atomic_uint epoch;

void ls_module_note_unload(void)
{
    atomic_fetch_add(&epoch, 1);
    atomic_store(&is_stale, true);
}

unsigned ls_module_epoch(void)
{
    return atomic_load(&epoch);
}

void ls_module_lock(void)
{
    pthread_mutex_lock(&lock);
}

void ls_module_unlock(void)
{
    pthread_mutex_unlock(&lock);
}

void ls_module_reset_after_fork(void)
{
    pthread_mutex_init(&lock, NULL);
}
