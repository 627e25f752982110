/* SPDX-License-Identifier: MIT
 *
 * module.h - which loaded ELF file holds an address, remembered for the whole run.
 *
 * Stacks are resolved to (module, offset) when first seen, so a frame in a library that
 * is dlclose()d before the report still names its file and can be symbolized from disk.
 */
#ifndef LS_MODULE_H
#define LS_MODULE_H

#include <stdint.h>

#define LS_MODULE_NONE 0 /* id of "no known module" */

struct ls_module {
    const char *path; /* absolute path of the ELF file, or a pseudo name like linux-vdso */
    uintptr_t base;   /* load bias: address - base is the ELF virtual address */
};

/*
 * Finds the module holding ip and returns its id (> 0), or LS_MODULE_NONE. Re-reads the
 * loader's list when ip is in no known module or a dlclose happened since. Takes the
 * module lock and the loader's lock: never call it with a table or stack-store lock held.
 */
uint32_t ls_module_find(uintptr_t ip);

/* The module with this id, or NULL. Entries never change once made. */
const struct ls_module *ls_module_get(uint32_t id);

/* Called by the dlclose wrapper: the next lookup re-reads the loader's list, and the
 * module epoch moves on. */
void ls_module_note_unload(void);

/* Counts dlcloses: a (frame, module) pair found in one epoch may be wrong in a later
 * one, where another library can sit at the same address. */
unsigned ls_module_epoch(void);

/* The absolute path of the running executable, read at start-up. */
const char *ls_module_program_path(void);

/* Sets the executable's path; called once from the constructor and after exec. */
void ls_module_init(void);

void ls_module_lock(void);
void ls_module_unlock(void);
void ls_module_reset_after_fork(void);

#endif
