/* SPDX-License-Identifier: MIT
 *
 * proc_util.c - small helpers shared by the proc_* preload test programs.
 *
 * Must never allocate (see proc_util.h): only write(2), nanosleep(2) and access(2).
 */
#define _GNU_SOURCE
#include "proc_util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PROC_KEEP_MAX 4096

static void *volatile kept[PROC_KEEP_MAX];
static volatile int n_kept;

void proc_write_str(int fd, const char *s)
{
    size_t left = strlen(s);

    while (left > 0) {
        ssize_t n = write(fd, s, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        s += n;
        left -= (size_t)n;
    }
}

char *proc_format_long(char *buf, long value)
{
    char tmp[24];
    int n = 0;
    unsigned long v = value < 0 ? -(unsigned long)value : (unsigned long)value;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);

    char *out = buf;
    if (value < 0)
        *out++ = '-';
    while (n > 0)
        *out++ = tmp[--n];
    *out = '\0';
    return buf;
}

void proc_write_kv(int fd, const char *key, long value)
{
    char line[96];
    char num[24];
    size_t klen = strlen(key);

    if (klen > sizeof(line) - 30)
        klen = sizeof(line) - 30;
    memcpy(line, key, klen);
    line[klen] = '=';
    strcpy(line + klen + 1, proc_format_long(num, value));
    strcat(line, "\n");
    proc_write_str(fd, line); // one write, so lines from several processes never mix
}

long proc_parse_long(const char *s)
{
    char *end;

    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0')
        proc_die(64, "bad number argument");
    return v;
}

void proc_expand_path(char *out, size_t len, const char *pattern, long pid, int seq)
{
    size_t o = 0;
    char num[24];

    for (const char *c = pattern; *c != '\0' && o + 1 < len; c++) {
        const char *piece = NULL;
        if (c[0] == '%' && c[1] == 'p')
            piece = proc_format_long(num, pid);
        else if (c[0] == '%' && c[1] == 'n')
            piece = proc_format_long(num, seq);
        else if (c[0] == '%' && c[1] == '%')
            piece = "%";
        if (piece == NULL) {
            out[o++] = *c;
            continue;
        }
        c++;
        for (; *piece != '\0' && o + 1 < len; piece++)
            out[o++] = *piece;
    }
    out[o] = '\0';
}

void proc_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

int proc_wait_for_file(const char *path, long timeout_ms)
{
    for (long waited = 0; waited <= timeout_ms; waited += 10) {
        if (access(path, F_OK) == 0)
            return 0;
        proc_sleep_ms(10);
    }
    return -1;
}

void proc_keep(void *p)
{
    if (n_kept < PROC_KEEP_MAX)
        kept[n_kept++] = p;
}

int proc_opaque(int n)
{
    return n;
}

void proc_die(int status, const char *why)
{
    proc_write_str(2, "proc: ");
    proc_write_str(2, why);
    proc_write_str(2, "\n");
    _exit(status);
}
