/* SPDX-License-Identifier: MIT
 *
 * maps.c - parse /proc/self/maps by hand: it is read while other threads are stopped,
 * maybe inside malloc, so neither stdio nor malloc may be used.
 */
#include "maps.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void *remap(void *old, size_t old_size, size_t new_size)
{
    void *p = old != NULL ? mremap(old, old_size, new_size, MREMAP_MAYMOVE)
                          : mmap(NULL, new_size, PROT_READ | PROT_WRITE,
                                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p != MAP_FAILED ? p : NULL;
}

/* The whole file into m->text, NUL-terminated; the buffer doubles until it fits. */
static ssize_t read_all(struct ls_maps *m)
{
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    size_t len = 0;

    if (fd < 0)
        return -1;
    for (;;) {
        if (m->text_cap - len < 4096) {
            size_t cap = m->text_cap != 0 ? m->text_cap * 2 : 1 << 20;
            char *t = remap(m->text, m->text_cap, cap);
            if (t == NULL)
                break;
            m->text = t;
            m->text_cap = cap;
        }
        ssize_t n = read(fd, m->text + len, m->text_cap - len - 1);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    if (m->text == NULL)
        return -1;
    m->text[len] = '\0';
    return (ssize_t)len;
}

static uintptr_t hex(const char **p)
{
    uintptr_t v = 0;

    for (;; (*p)++) {
        char c = **p;
        if (c >= '0' && c <= '9')
            v = v * 16 + (uintptr_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v = v * 16 + (uintptr_t)(c - 'a' + 10);
        else
            return v;
    }
}

static const char *skip_field(const char *p)
{
    while (*p != ' ' && *p != '\n' && *p != '\0')
        p++;
    while (*p == ' ')
        p++;
    return p;
}

static unsigned kind_of(const char *path, uintptr_t inode)
{
    if (*path == '\n' || *path == '\0')
        return LS_MAP_ANON;
    if (strncmp(path, "[heap]", 6) == 0)
        return LS_MAP_HEAP;
    if (strncmp(path, "[stack]", 7) == 0)
        return LS_MAP_STACK;
    if (*path == '[')
        return strncmp(path, "[anon", 5) == 0 ? LS_MAP_ANON : LS_MAP_SPECIAL;
    // /dev/zero mappings are anonymous memory; /dev/shm holds ordinary files.
    if (strncmp(path, "/dev/", 5) == 0 && strncmp(path, "/dev/zero", 9) != 0 &&
        strncmp(path, "/dev/shm/", 9) != 0)
        return LS_MAP_DEVICE;
    return inode != 0 ? LS_MAP_FILE : LS_MAP_ANON;
}

/* One line: "start-end perms offset dev inode path". */
static void parse_line(const char *p, struct ls_region *out)
{
    out->start = hex(&p);
    p++; // '-'
    out->end = hex(&p);
    p++;
    out->flags = (p[0] == 'r' ? LS_REGION_READ : 0) | (p[1] == 'w' ? LS_REGION_WRITE : 0) |
                 (p[2] == 'x' ? LS_REGION_EXEC : 0);
    p = skip_field(p); // perms
    p = skip_field(p); // offset
    p = skip_field(p); // dev
    uintptr_t inode = 0;
    for (; *p >= '0' && *p <= '9'; p++)
        inode = inode * 10 + (uintptr_t)(*p - '0');
    while (*p == ' ')
        p++;
    out->kind = kind_of(p, inode);
    if (out->kind == LS_MAP_FILE)
        out->flags |= LS_REGION_FILE;
}

int ls_maps_read(struct ls_maps *m)
{
    ssize_t len = read_all(m);

    m->n = 0;
    if (len < 0)
        return -1;
    size_t lines = 0;
    for (ssize_t i = 0; i < len; i++)
        lines += m->text[i] == '\n';
    size_t need = (lines + 1) * sizeof(struct ls_region);
    if (need > m->maps_cap) {
        size_t cap = (need + 4095) & ~(size_t)4095;
        struct ls_region *t = remap(m->maps, m->maps_cap, cap);
        if (t == NULL)
            return -1;
        m->maps = t;
        m->maps_cap = cap;
    }
    for (const char *p = m->text; *p != '\0';) {
        parse_line(p, &m->maps[m->n++]);
        const char *nl = strchr(p, '\n');
        if (nl == NULL)
            break;
        p = nl + 1;
    }
    return 0;
}

const struct ls_region *ls_maps_find(const struct ls_maps *m, uintptr_t p)
{
    size_t lo = 0, hi = m->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->maps[mid].end <= p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->n && m->maps[lo].start <= p ? &m->maps[lo] : NULL;
}

void ls_maps_release(struct ls_maps *m)
{
    if (m->text != NULL)
        munmap(m->text, m->text_cap);
    if (m->maps != NULL)
        munmap(m->maps, m->maps_cap);
    memset(m, 0, sizeof(*m));
}
