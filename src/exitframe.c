/* SPDX-License-Identifier: MIT
 *
 * exitframe.c - the exiting thread's roots start where the program called exit().
 *
 * Between that call and the exit report lie only the C library's frames: exit, its
 * handler loop, and whatever ran in the same stack space before (main's callees when main
 * returned, then every destructor). Their unwritten slots keep stale copies of pointers
 * the program dropped long ago, the words valgrind skips as undefined. Scanned, they would
 * make a leaked list still reachable, so the stack is a root only from exit()'s caller up,
 * with that caller's callee-saved registers as libunwind restores them.
 */
#include "exitframe.h"

#include <dlfcn.h>

#define UNW_LOCAL_ONLY
#include <libunwind.h>

#define MAX_FRAMES 32 // the report runs a few frames under exit(); never deeper

static const int saved_regs[] = {UNW_X86_64_RBX, UNW_X86_64_RBP, UNW_X86_64_R12,
                                 UNW_X86_64_R13, UNW_X86_64_R14, UNW_X86_64_R15};

/* True when ip lies in the shim itself (its exit() wrapper). */
static bool is_shim(unw_word_t ip)
{
    Dl_info self, at;

    return dladdr((void *)&is_shim, &self) != 0 && dladdr((void *)(ip - 1), &at) != 0 &&
           self.dli_fbase == at.dli_fbase;
}

/* One step up, then past the shim's own exit() wrapper if that is where exit came from. */
static bool step_past_shim(unw_cursor_t *c)
{
    unw_word_t ip;

    for (int i = 0; i < 2; i++) {
        if (unw_step(c) <= 0 || unw_get_reg(c, UNW_REG_IP, &ip) != 0)
            return false;
        if (!is_shim(ip))
            return true;
    }
    return false;
}

/* Steps the cursor to the frame that called libc's exit() or quick_exit() (libc's, also
 * when the program defines its own: main's return calls libc's); false when none. */
static bool step_past_exit(unw_cursor_t *c)
{
    uintptr_t exit_fn = (uintptr_t)dlsym(RTLD_NEXT, "exit");
    uintptr_t quick_fn = (uintptr_t)dlsym(RTLD_NEXT, "quick_exit");

    for (int i = 0; i < MAX_FRAMES && unw_step(c) > 0; i++) {
        unw_proc_info_t pi;
        if (unw_get_proc_info(c, &pi) != 0 || pi.start_ip == 0)
            continue;
        if (pi.start_ip == exit_fn || pi.start_ip == quick_fn)
            return step_past_shim(c);
    }
    return false;
}

int ls_exitframe_entry(struct ls_entry *e)
{
    unw_context_t uc;
    unw_cursor_t c;
    unw_word_t v;
    struct ls_entry found;

    if (unw_getcontext(&uc) != 0 || unw_init_local(&c, &uc) != 0 || !step_past_exit(&c) ||
        unw_get_reg(&c, UNW_REG_SP, &v) != 0)
        return -1;
    found.sp = v;
    for (size_t i = 0; i < sizeof(saved_regs) / sizeof(saved_regs[0]); i++) {
        if (unw_get_reg(&c, saved_regs[i], &v) != 0)
            return -1;
        found.regs[i] = v;
    }
    *e = found;
    return 0;
}
