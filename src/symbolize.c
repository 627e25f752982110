/* SPDX-License-Identifier: MIT
 *
 * symbolize.c - libdw lookups of function names (from .symtab, so static functions too)
 * and DWARF line tables, one Dwfl session per module file, cached across reports.
 *
 * Runs only while a report is written, with the guard held: its allocations are the
 * shim's own. Never inside malloc of the program.
 */
#include "symbolize.h"

#include <dlfcn.h>
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "module.h"

#define uthash_malloc(sz)  ls_arena_alloc(sz)
#define uthash_free(p, sz) ls_arena_free((p), (sz))
#include <uthash.h>

struct dwfl_slot {
    uint32_t module_id; /* key */
    Dwfl *dwfl;         /* NULL when the file could not be read */
    Dwfl_Module *mod;
    UT_hash_handle hh;
};

struct name_slot {
    struct {
        uint32_t module_id;
        uint32_t pad;
        uintptr_t offset;
    } key;
    struct ls_symbol sym;
    UT_hash_handle hh;
};

static struct dwfl_slot *dwfls;
static struct name_slot *names;

/* libdw opens debug files without O_CLOEXEC, and they stay open in the cache: mark them,
 * so an exec does not hand them to the next program. */
static int find_debuginfo(Dwfl_Module *mod, void **user, const char *name, Dwarf_Addr base,
                          const char *file, const char *debuglink, GElf_Word crc,
                          char **debuginfo_file)
{
    int fd =
        dwfl_standard_find_debuginfo(mod, user, name, base, file, debuglink, crc, debuginfo_file);

    if (fd >= 0)
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
}

static char *debuginfo_path; /* NULL: elfutils' default search (build-id, .debug dirs) */
static const Dwfl_Callbacks callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = find_debuginfo,
    .section_address = dwfl_offline_section_address,
    .debuginfo_path = &debuginfo_path,
};

/* Opens the module's file at base 0, so its addresses are ELF virtual addresses. */
static struct dwfl_slot *open_module(uint32_t module_id)
{
    struct dwfl_slot *slot;

    HASH_FIND(hh, dwfls, &module_id, sizeof(module_id), slot);
    if (slot != NULL)
        return slot;

    slot = calloc(1, sizeof(*slot));
    if (slot == NULL)
        return NULL;
    slot->module_id = module_id;
    const struct ls_module *m = ls_module_get(module_id);
    if (m != NULL && m->path[0] == '/' && (slot->dwfl = dwfl_begin(&callbacks)) != NULL) {
        dwfl_report_begin(slot->dwfl);
        // Our own descriptor, close-on-exec; libdw owns it from here on.
        int fd = open(m->path, O_RDONLY | O_CLOEXEC);
        slot->mod = fd < 0 ? NULL : dwfl_report_elf(slot->dwfl, m->path, m->path, fd, 0, false);
        if (fd >= 0 && slot->mod == NULL)
            close(fd);
        dwfl_report_end(slot->dwfl, NULL, NULL);
    }
    HASH_ADD(hh, dwfls, module_id, sizeof(module_id), slot);
    return slot;
}

/* C++ names read better demangled; libstdc++'s demangler is used when it is loaded. */
static char *demangle(const char *name)
{
    typedef char *(*demangle_fn)(const char *, char *, size_t *, int *);
    demangle_fn fn;
    int status = -1;

    if (name == NULL || strncmp(name, "_Z", 2) != 0)
        return NULL;
    *(void **)&fn = dlsym(RTLD_DEFAULT, "__cxa_demangle");
    if (fn == NULL)
        return NULL;
    char *out = fn(name, NULL, NULL, &status);
    return status == 0 ? out : NULL;
}

static bool cu_contains(Dwarf_Die *cu, Dwarf_Addr addr)
{
    Dwarf_Addr base, start, end;
    ptrdiff_t off = 0;

    while ((off = dwarf_ranges(cu, off, &base, &start, &end)) > 0) {
        if (addr >= start && addr < end)
            return true;
    }
    return false;
}

/* The compile unit whose ranges hold addr. libdw answers from .debug_aranges when it
 * exists, and that can list only some units (a Go binary lists its C parts only), so an
 * answer that does not hold addr is checked against every unit's own ranges. */
static Dwarf_Die *find_cu(Dwfl_Module *mod, Dwarf_Addr addr, Dwarf_Addr *bias)
{
    Dwarf_Die *cu = dwfl_module_addrdie(mod, addr, bias);

    if (cu != NULL && cu_contains(cu, addr - *bias))
        return cu;
    cu = NULL;
    while ((cu = dwfl_module_nextcu(mod, cu, bias)) != NULL) {
        if (cu_contains(cu, addr - *bias))
            return cu;
    }
    return NULL;
}

static void look_up_line(Dwfl_Module *mod, Dwarf_Addr addr, struct ls_symbol *sym)
{
    Dwarf_Addr bias;
    Dwarf_Die *cu = find_cu(mod, addr, &bias);
    Dwarf_Line *line = cu != NULL ? dwarf_getsrc_die(cu, addr - bias) : NULL;
    const char *file = line != NULL ? dwarf_linesrc(line, NULL, NULL) : NULL;
    int lineno = 0;

    if (file == NULL || dwarf_lineno(line, &lineno) != 0 || lineno <= 0)
        return;
    sym->file = strdup(file);
    sym->line = sym->file != NULL ? lineno : 0;
}

static void look_up(struct dwfl_slot *slot, uintptr_t offset, struct ls_symbol *sym)
{
    GElf_Sym elf_sym;
    GElf_Off sym_off;
    Dwarf_Addr addr = offset;

    const char *name = dwfl_module_addrinfo(slot->mod, addr, &sym_off, &elf_sym, NULL, NULL, NULL);
    char *pretty = demangle(name);
    sym->function = pretty != NULL ? pretty : (name != NULL ? strdup(name) : NULL);
    char *version = sym->function != NULL ? strchr(sym->function, '@') : NULL;
    if (version != NULL)
        *version = '\0'; // "__libc_start_main@@GLIBC_2.34": the version is noise here

    look_up_line(slot->mod, addr, sym);
}

void ls_symbolize(uint32_t module_id, uintptr_t offset, struct ls_symbol *out)
{
    struct name_slot *n;
    struct name_slot probe;

    memset(&probe.key, 0, sizeof(probe.key));
    probe.key.module_id = module_id;
    probe.key.offset = offset;
    HASH_FIND(hh, names, &probe.key, sizeof(probe.key), n);
    if (n == NULL && (n = calloc(1, sizeof(*n))) != NULL) {
        n->key = probe.key;
        struct dwfl_slot *slot = open_module(module_id);
        if (slot != NULL && slot->mod != NULL)
            look_up(slot, offset, &n->sym);
        HASH_ADD(hh, names, key, sizeof(n->key), n);
    }
    *out = n != NULL ? n->sym : (struct ls_symbol){0};
}
