/* SPDX-License-Identifier: MIT
 *
 * stack.c - libunwind's unw_backtrace, trimmed to the program's frames.
 *
 * unw_backtrace walks with libunwind's cached fast path and falls back to full DWARF
 * unwinding per frame, so stacks through glibc (built without frame pointers) are
 * complete. Runs inside malloc with the guard held.
 */
#define UNW_LOCAL_ONLY
#include "stack.h"

#include <libunwind.h>
#include <link.h>
#include <string.h>

#include "config.h"
#include "gostack.h"

#define LS_SHIM_FRAMES 8

/* The shim's executable segment; frames inside it are dropped. */
static uintptr_t self_start, self_end;

static int find_self(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    uintptr_t probe = (uintptr_t)data;

    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && probe >= start && probe < start + ph->p_memsz) {
            self_start = start;
            self_end = start + ph->p_memsz;
            return 1;
        }
    }
    return 0;
}

void ls_stack_init(void)
{
    dl_iterate_phdr(find_self, (void *)(uintptr_t)&ls_stack_capture);
}

// TODO: every call unwinds the whole stack again (37% of a Python run's time): reusing the
// outer frames already walked for the same call site needs a sound check that they still hold.
int ls_stack_capture(uintptr_t *ips, int max_depth)
{
    // Room for the shim's own frames on top (malloc, ls_track_alloc, this function: 3 to
    // 5); every frame asked for beyond the program's costs an unwind step.
    void *raw[LS_MAX_DEPTH + LS_SHIM_FRAMES];
    int want = max_depth + LS_SHIM_FRAMES;

    if (self_end == 0)
        ls_stack_init(); // the first allocations come before the shim's constructor
    int n = unw_backtrace(raw, want);
    int skip = 0;

    while (skip < n && (uintptr_t)raw[skip] >= self_start && (uintptr_t)raw[skip] < self_end)
        skip++;

    int kept = n - skip < max_depth ? n - skip : max_depth;
    if (kept < 0)
        kept = 0;
    memcpy(ips, raw + skip, (size_t)kept * sizeof(*ips));
    return ls_gostack_extend(ips, kept, max_depth); // libunwind stops at cgo's switch
}

static uint64_t mix_round(uint64_t h, uint64_t v)
{
    h ^= v;
    h *= 0xff51afd7ed558ccdull; // a multiply-xorshift round per frame
    return h ^ (h >> 32);
}

/* Four lanes take every fourth frame, so four multiplies are in flight at once instead
 * of one chain as long as the stack (the hash ran on every allocation at 4% of a
 * Python run's time). */
uint64_t ls_stack_hash(const uintptr_t *ips, int n)
{
    uint64_t lane[4] = {0x9e3779b97f4a7c15ull ^ (uint64_t)n, 0xc2b2ae3d27d4eb4full,
                        0x165667b19e3779f9ull, 0x27d4eb2f165667c5ull};
    int i = 0;

    for (; i + 4 <= n; i += 4)
        for (int k = 0; k < 4; k++)
            lane[k] = mix_round(lane[k], ips[i + k]);
    for (; i < n; i++)
        lane[0] = mix_round(lane[0], ips[i]);
    uint64_t h = mix_round(mix_round(mix_round(lane[0], lane[1]), lane[2]), lane[3]);
    return h != 0 ? h : 1;
}
