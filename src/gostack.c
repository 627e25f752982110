/* SPDX-License-Identifier: MIT
 *
 * gostack.c - goroutine frames above a cgo call.
 *
 * cgo runs C code on the thread's own stack: runtime.asmcgocall saves the goroutine (g)
 * and how deep into its stack the call was, at fixed places of its frame, then calls the
 * C function. libunwind stops there. From that frame we find the goroutine's stack
 * pointer (g->stack.hi minus the saved depth), whose top word is the return address into
 * the Go caller, and follow Go's frame-pointer chain from the caller's frame pointer,
 * which the C code preserved (callee-saved) and libunwind recovers.
 *
 * Layout facts used (amd64, Go 1.17 and later, checked against Go 1.19's asm_amd64.s):
 * the saved depth at SP+40 and g at SP+48 in asmcgocall's frame; g->stack = {lo, hi} at
 * the start of g; a frame pointer points at the caller's saved frame pointer, with the
 * return address just above it.
 */
#define UNW_LOCAL_ONLY
#include "gostack.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <libunwind.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define LS_GO_SAVED_DEPTH 40
#define LS_GO_SAVED_G     48

static uintptr_t call_start, call_end; /* runtime.asmcgocall.abi0, 0 when not Go */

/* Copies len bytes at addr; -1 instead of a fault when addr is not readable. */
static int read_mem(uintptr_t addr, void *out, size_t len)
{
    struct iovec local = {out, len}, remote = {(void *)addr, len};

    return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -1;
}

static Elf_Scn *find_section(Elf *elf, size_t shstrndx, const char *name, Elf64_Word type)
{
    Elf_Scn *scn = NULL;
    GElf_Shdr sh;

    while ((scn = elf_nextscn(elf, scn)) != NULL) {
        const char *s =
            gelf_getshdr(scn, &sh) != NULL ? elf_strptr(elf, shstrndx, sh.sh_name) : NULL;
        if (s != NULL && strcmp(s, name) == 0 && (type == 0 || sh.sh_type == type))
            return scn;
    }
    return NULL;
}

static void find_asmcgocall(Elf *elf, Elf_Scn *symtab)
{
    GElf_Shdr sh;
    GElf_Sym sym;
    Elf_Data *data = elf_getdata(symtab, NULL);

    if (data == NULL || gelf_getshdr(symtab, &sh) == NULL || sh.sh_entsize == 0)
        return;
    for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
        if (gelf_getsym(data, (int)i, &sym) == NULL)
            continue;
        const char *name = elf_strptr(elf, sh.sh_link, sym.st_name);
        if (name != NULL && strcmp(name, "runtime.asmcgocall.abi0") == 0) {
            call_start = sym.st_value;
            call_end = sym.st_value + sym.st_size;
            return;
        }
    }
}

void ls_gostack_init(void)
{
    size_t shstrndx;
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return;
    elf_version(EV_CURRENT);
    Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
    // Go executables are not position-independent by default: symbol values are
    // addresses. A PIE Go binary (-buildmode=pie) keeps call_start 0 and is not extended.
    GElf_Ehdr eh;
    if (elf != NULL && gelf_getehdr(elf, &eh) != NULL && eh.e_type == ET_EXEC &&
        elf_getshdrstrndx(elf, &shstrndx) == 0 &&
        find_section(elf, shstrndx, ".go.buildinfo", 0) != NULL) {
        Elf_Scn *symtab = find_section(elf, shstrndx, ".symtab", SHT_SYMTAB);
        if (symtab != NULL)
            find_asmcgocall(elf, symtab);
    }
    if (elf != NULL)
        elf_end(elf);
    close(fd);
}

/* The stack pointer and frame pointer of the frame whose return address is ip. */
static int registers_at(uintptr_t ip, uintptr_t *sp, uintptr_t *bp)
{
    unw_context_t ctx;
    unw_cursor_t cur;
    unw_word_t reg;

    if (unw_getcontext(&ctx) != 0 || unw_init_local(&cur, &ctx) != 0)
        return -1;
    for (int i = 0; i < 512 && unw_step(&cur) > 0; i++) {
        if (unw_get_reg(&cur, UNW_REG_IP, &reg) != 0 || reg != ip)
            continue;
        unw_get_reg(&cur, UNW_REG_SP, &reg);
        *sp = reg;
        unw_get_reg(&cur, UNW_X86_64_RBP, &reg);
        *bp = reg;
        return 0;
    }
    return -1;
}

int ls_gostack_extend(uintptr_t *ips, int n, int max_depth)
{
    uintptr_t sp, bp, saved[2], stack[2], word[2];

    if (call_start == 0 || n == 0 || n >= max_depth || ips[n - 1] < call_start ||
        ips[n - 1] >= call_end)
        return n;
    if (registers_at(ips[n - 1], &sp, &bp) != 0 ||
        read_mem(sp + LS_GO_SAVED_DEPTH, saved, sizeof(saved)) != 0 ||
        read_mem(saved[1], stack, sizeof(stack)) != 0)
        return n;

    // saved = {depth, g}; stack = {lo, hi} of the goroutine.
    uintptr_t go_sp = stack[1] - saved[0];
    if (go_sp < stack[0] || go_sp >= stack[1] || read_mem(go_sp, word, sizeof(word[0])) != 0)
        return n;
    ips[n++] = word[0]; // the return address into asmcgocall's Go caller

    // Each frame pointer lies above the last and inside the goroutine's stack.
    while (n < max_depth && bp > go_sp && bp + sizeof(word) <= stack[1] &&
           read_mem(bp, word, sizeof(word)) == 0 && word[1] != 0) {
        ips[n++] = word[1];
        if (word[0] <= bp)
            break;
        bp = word[0];
    }
    return n;
}
