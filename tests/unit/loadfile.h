/* SPDX-License-Identifier: MIT
 *
 * loadfile.h - for tests of the shim's file loaders (suppressions, baseline): a scratch
 * file to write, and a load with stderr captured, so every warning line can be compared.
 * Set LOADFILE_LOADER to the loader before including this header.
 */
#ifndef LS_LOADFILE_H
#define LS_LOADFILE_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static char dir[] = "/tmp/leakshim-unit-XXXXXX";
static char path[600];
static char err[8192];

/* Writes text (len bytes, so it may hold NULs) to the scratch file. */
static void write_file(const char *text, size_t len)
{
    FILE *f = fopen(path, "w");

    CHECK(f != NULL);
    CHECK(fwrite(text, 1, len, f) == len);
    CHECK(fclose(f) == 0);
}

/* Loads p with stderr captured into err; returns what the loader returned. */
static int load_captured(const char *p)
{
    FILE *tmp = tmpfile();
    int saved = dup(STDERR_FILENO);

    dup2(fileno(tmp), STDERR_FILENO);
    int n = LOADFILE_LOADER(p);
    dup2(saved, STDERR_FILENO);
    close(saved);

    rewind(tmp);
    size_t got = fread(err, 1, sizeof(err) - 1, tmp);
    err[got] = '\0';
    fclose(tmp);
    return n;
}

static int load_text(const char *text)
{
    write_file(text, strlen(text));
    return load_captured(path);
}

#endif
