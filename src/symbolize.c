/* SPDX-License-Identifier: MIT
 *
 * symbolize.c - libdw lookups of function names (from .symtab, so static functions too),
 * DWARF line tables and inlined calls, one Dwfl session per module file, cached across
 * reports.
 *
 * Runs only while a report is written, with the guard held: libdw's allocations are the
 * shim's own. What this file keeps lives in arena memory. Never inside malloc of the
 * program.
 */
#include "symbolize.h"

#include <dlfcn.h>
#include <dwarf.h>
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
    uint32_t n_frames;
    const struct ls_symbol *frames; /* innermost first; the last one is not inlined */
    UT_hash_handle hh;
};

static struct dwfl_slot *dwfls;
static struct name_slot *names;

/* Cached strings are never given back: they are packed into arena blocks of one size
 * class (64 KiB) instead of each taking a rounded-up block of its own. */
#define POOL_BYTES    (64 * 1024)
/* Scopes (functions, inlined calls, blocks) nested at one address that are looked at. */
#define LS_MAX_SCOPES 64
static char *pool_pos, *pool_end;

/* A copy of s in arena memory kept for the life of the process; NULL for NULL or when
 * the arena is exhausted. */
static char *keep_string(const char *s)
{
    size_t len = s != NULL ? strlen(s) + 1 : 0;
    char *p;

    if (s == NULL)
        return NULL;
    if (len > POOL_BYTES / 4) { // a long C++ name: a block of its own
        p = ls_arena_alloc(len);
    } else {
        if (pool_pos == NULL || (size_t)(pool_end - pool_pos) < len) {
            pool_pos = ls_arena_alloc(POOL_BYTES);
            pool_end = pool_pos != NULL ? pool_pos + POOL_BYTES : NULL;
        }
        p = pool_pos;
        pool_pos = p != NULL ? p + len : NULL;
    }
    return p != NULL ? memcpy(p, s, len) : NULL;
}

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

// TODO: libdw inflates compressed debug info whole (libc6-dbg's: about 18 MB of peak RSS at
// the exit report) and loads its debuginfod client even with DEBUGINFOD_URLS unset.
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

    slot = ls_arena_alloc(sizeof(*slot));
    if (slot == NULL)
        return NULL;
    memset(slot, 0, sizeof(*slot)); // arena memory is not zeroed on reuse
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

/* C++ names read better demangled; libstdc++'s demangler is used when it is loaded. The
 * result is arena memory. */
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
    char *kept = status == 0 ? keep_string(out) : NULL;
    free(out); // the C library's, allocated under the guard
    return kept;
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

/* The line table's file:line for addr (relative to the unit's bias). */
static void look_up_line(Dwarf_Die *cu, Dwarf_Addr addr, struct ls_symbol *sym)
{
    Dwarf_Line *line = dwarf_getsrc_die(cu, addr);
    const char *file = line != NULL ? dwarf_linesrc(line, NULL, NULL) : NULL;
    int lineno = 0;

    if (file == NULL || dwarf_lineno(line, &lineno) != 0 || lineno <= 0)
        return;
    sym->file = keep_string(file);
    sym->line = sym->file != NULL ? lineno : 0;
}

/* A string attribute of die or of the DIEs it stands for (DW_AT_abstract_origin,
 * DW_AT_specification): an inlined call carries none of its callee's names itself. */
static const char *string_attr(Dwarf_Die *die, unsigned name)
{
    Dwarf_Attribute attr;

    return dwarf_formstring(dwarf_attr_integrate(die, name, &attr));
}

/* The name of the function an inlined call stands for: its demangled linkage name, as
 * the symbol table would give it (valgrind and LeakSanitizer print that too), else its
 * source name (C, or C++ without libstdc++ loaded to demangle). */
static const char *inlined_name(Dwarf_Die *die)
{
    const char *linkage = string_attr(die, DW_AT_linkage_name);

    if (linkage == NULL)
        linkage = string_attr(die, DW_AT_MIPS_linkage_name); // older GCC
    const char *pretty = demangle(linkage);
    if (pretty != NULL)
        return pretty;
    const char *name = string_attr(die, DW_AT_name);
    return keep_string(name != NULL ? name : linkage);
}

/* Where the inlined call die was made from: its DW_AT_call_file (an index into the line
 * table's files of its own unit) and DW_AT_call_line. Left unknown when either is
 * missing. */
static void look_up_call_site(Dwarf_Die *die, struct ls_symbol *out)
{
    Dwarf_Attribute attr;
    Dwarf_Word file_index, line;
    Dwarf_Die cu;
    Dwarf_Files *files;
    size_t n_files;

    out->file = NULL;
    out->line = 0;
    if (dwarf_formudata(dwarf_attr(die, DW_AT_call_file, &attr), &file_index) != 0 ||
        dwarf_formudata(dwarf_attr(die, DW_AT_call_line, &attr), &line) != 0 || line == 0 ||
        line > INT32_MAX)
        return;
    if (dwarf_diecu(die, &cu, NULL, NULL) == NULL ||
        dwarf_getsrcfiles(&cu, &files, &n_files) != 0 || file_index >= n_files)
        return;
    out->file = keep_string(dwarf_filesrc(files, file_index, NULL, NULL));
    out->line = out->file != NULL ? (int)line : 0;
}

/* DIEs with address ranges that can hold the code at an address. */
static bool is_code_scope(int tag)
{
    return tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine ||
           tag == DW_TAG_lexical_block || tag == DW_TAG_try_block || tag == DW_TAG_catch_block;
}

/*
 * Below parent, the chain of scopes whose ranges hold addr into path[depth..], outermost
 * first; returns the depth reached. Only a child holding addr is entered, and namespaces
 * (Rust nests its functions in them), so most of the unit is skipped by DW_AT_sibling.
 * dwarf_getscopes() would walk the whole unit once more to find the abstract definition
 * of the innermost inlined call, and dwarf_getscopes_die() once more to get its nesting
 * (that is how eu-addr2line -i does it): twice the time of a first report, measured.
 */
static int descend(Dwarf_Die *parent, Dwarf_Addr addr, Dwarf_Die *path, int depth)
{
    Dwarf_Die child;

    if (depth >= LS_MAX_SCOPES || dwarf_child(parent, &child) != 0)
        return depth;
    do {
        int tag = dwarf_tag(&child);
        if (tag == DW_TAG_namespace) {
            int reached = descend(&child, addr, path, depth);
            if (reached > depth)
                return reached;
        } else if (is_code_scope(tag) && dwarf_haspc(&child, addr) > 0) {
            path[depth] = child;
            return descend(&child, addr, path, depth + 1);
        }
    } while (dwarf_siblingof(&child, &child) == 0);
    return depth;
}

/*
 * Fills frames[0..n-1] with the calls inlined at addr, innermost first, and the call
 * site of each into the frame after it (so frames[n], the function itself, gets the
 * place of the outermost call). A chain deeper than LS_MAX_INLINE - 1 keeps its
 * innermost calls; the function still gets the outermost call's line. Returns n.
 */
static uint32_t look_up_inlined(Dwarf_Die *cu, Dwarf_Addr addr, struct ls_symbol *frames)
{
    static Dwarf_Die path[LS_MAX_SCOPES]; // reports are serialized; a thread's stack is small
    uint32_t n = 0;

    for (int i = descend(cu, addr, path, 0) - 1; i >= 0; i--) {
        int tag = dwarf_tag(&path[i]);
        if (tag == DW_TAG_subprogram)
            break; // the function the code belongs to: what is further out is not a call
        if (tag != DW_TAG_inlined_subroutine)
            continue; // a lexical block
        if (n < LS_MAX_INLINE - 1) {
            frames[n].function = inlined_name(&path[i]);
            frames[n++].is_inlined = true;
        }
        look_up_call_site(&path[i], &frames[n]);
    }
    return n;
}

/* The function name from the symbol table, demangled, without its symbol version. */
static const char *symtab_name(Dwfl_Module *mod, Dwarf_Addr addr)
{
    GElf_Sym elf_sym;
    GElf_Off sym_off;
    const char *name = dwfl_module_addrinfo(mod, addr, &sym_off, &elf_sym, NULL, NULL, NULL);
    char *pretty = demangle(name);
    char *kept = pretty != NULL ? pretty : keep_string(name);
    char *version = kept != NULL ? strchr(kept, '@') : NULL;

    if (version != NULL)
        *version = '\0'; // "__libc_start_main@@GLIBC_2.34": the version is noise here
    return kept;
}

/* The logical frames at addr into frames (LS_MAX_INLINE of them, zeroed); returns how
 * many. Without debug information: one, the symbol table's function. */
static uint32_t look_up(struct dwfl_slot *slot, Dwarf_Addr addr, struct ls_symbol *frames)
{
    Dwarf_Addr bias = 0;
    Dwarf_Die *cu = find_cu(slot->mod, addr, &bias);
    uint32_t n = 0;

    if (cu != NULL) {
        look_up_line(cu, addr - bias, &frames[0]);
        n = look_up_inlined(cu, addr - bias, frames);
    }
    frames[n].function = symtab_name(slot->mod, addr);
    return n + 1;
}

static const struct ls_symbol unknown; // the one frame of an address nothing is known of

/* Symbolizes offset into a new cache entry's frames; an entry the arena cannot hold
 * gets one unknown frame. */
static void fill_slot(struct name_slot *n, uint32_t module_id, uintptr_t offset)
{
    static struct ls_symbol frames[LS_MAX_INLINE]; // reports are serialized
    struct dwfl_slot *slot = open_module(module_id);
    uint32_t count = 1;

    memset(frames, 0, sizeof(frames));
    if (slot != NULL && slot->mod != NULL)
        count = look_up(slot, offset, frames);
    struct ls_symbol *kept = ls_arena_alloc(count * sizeof(*kept));
    n->frames = kept != NULL ? memcpy(kept, frames, count * sizeof(*kept)) : &unknown;
    n->n_frames = kept != NULL ? count : 1;
}

uint32_t ls_symbolize(uint32_t module_id, uintptr_t offset, const struct ls_symbol **out)
{
    struct name_slot *n;
    struct name_slot probe;

    memset(&probe.key, 0, sizeof(probe.key));
    probe.key.module_id = module_id;
    probe.key.offset = offset;
    HASH_FIND(hh, names, &probe.key, sizeof(probe.key), n);
    if (n == NULL && (n = ls_arena_alloc(sizeof(*n))) != NULL) {
        memset(n, 0, sizeof(*n));
        n->key = probe.key;
        fill_slot(n, module_id, offset);
        HASH_ADD(hh, names, key, sizeof(n->key), n);
    }
    *out = n != NULL ? n->frames : &unknown;
    return n != NULL ? n->n_frames : 1;
}
