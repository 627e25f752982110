/* SPDX-License-Identifier: MIT
 *
 * writer.c - a small buffered writer over write(2), so reports use no stdio (a FILE lock
 * held by an interrupted thread would otherwise block a snapshot).
 */
#include "writer.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void ls_writer_init(struct ls_writer *w, int fd)
{
    w->fd = fd;
    w->error = 0;
    w->len = 0;
}

int ls_writer_flush(struct ls_writer *w)
{
    size_t done = 0;

    while (w->error == 0 && done < w->len) {
        ssize_t n = write(w->fd, w->buf + done, w->len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            w->error = n < 0 ? errno : EIO;
        else
            done += (size_t)n;
    }
    w->len = 0;
    return w->error == 0 ? 0 : -1;
}

void ls_writer_put(struct ls_writer *w, const char *s, size_t len)
{
    while (len > 0) {
        if (w->len == sizeof(w->buf))
            ls_writer_flush(w);
        size_t room = sizeof(w->buf) - w->len;
        size_t n = len < room ? len : room;
        memcpy(w->buf + w->len, s, n);
        w->len += n;
        s += n;
        len -= n;
    }
}

void ls_writer_puts(struct ls_writer *w, const char *s)
{
    ls_writer_put(w, s, strlen(s));
}

void ls_writer_printf(struct ls_writer *w, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n > 0)
        ls_writer_put(w, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* Bytes in the well-formed UTF-8 sequence at s (lead byte >= 0x80), or 0 when there is
 * none: no overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t utf8_length(const unsigned char *s)
{
    size_t len = s[0] >= 0xc2 && s[0] <= 0xdf   ? 2
                 : s[0] >= 0xe0 && s[0] <= 0xef ? 3
                 : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4
                                                : 0;
    unsigned lo = 0x80, hi = 0xbf; // the allowed range of the second byte

    if (s[0] == 0xe0)
        lo = 0xa0;
    else if (s[0] == 0xed)
        hi = 0x9f;
    else if (s[0] == 0xf0)
        lo = 0x90;
    else if (s[0] == 0xf4)
        hi = 0x8f;
    for (size_t i = 1; i < len; i++) {
        if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xbf))
            return 0;
    }
    return len;
}

void ls_writer_json_string(struct ls_writer *w, const char *s)
{
    static const char hex[] = "0123456789abcdef";

    if (s == NULL) {
        ls_writer_puts(w, "null");
        return;
    }
    ls_writer_put(w, "\"", 1);
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        const char *short_form = c == '"'    ? "\\\""
                                 : c == '\\' ? "\\\\"
                                 : c == '\n' ? "\\n"
                                 : c == '\t' ? "\\t"
                                 : c == '\r' ? "\\r"
                                             : NULL;
        if (short_form != NULL) {
            ls_writer_put(w, short_form, 2);
        } else if (c < 0x20) {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            ls_writer_put(w, esc, 6);
        } else if (c < 0x80) {
            ls_writer_put(w, (const char *)&c, 1);
        } else {
            size_t len = utf8_length((const unsigned char *)s);
            // JSON must be UTF-8: a byte that starts no valid sequence (a path in
            // another encoding) becomes U+FFFD, the replacement character.
            ls_writer_put(w, len > 0 ? s : "\\ufffd", len > 0 ? len : 6);
            s += len > 0 ? len - 1 : 0;
        }
    }
    ls_writer_put(w, "\"", 1);
}
