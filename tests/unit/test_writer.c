/* SPDX-License-Identifier: MIT
 *
 * test_writer.c - the report writer: JSON string escaping, buffering across the buffer
 * size, and write errors.
 */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "check.h"
#include "writer.h"

/* Runs fn into a pipe-free temp file and returns what was written. */
static const char *capture(void (*fn)(struct ls_writer *), int *error)
{
    static char out[100000];
    static struct ls_writer w;
    FILE *tmp = tmpfile();

    ls_writer_init(&w, fileno(tmp));
    fn(&w);
    ls_writer_flush(&w);
    *error = w.error;
    rewind(tmp);
    size_t n = fread(out, 1, sizeof(out) - 1, tmp);
    out[n] = '\0';
    fclose(tmp);
    return out;
}

static void escapes(struct ls_writer *w)
{
    ls_writer_json_string(w, "a\"b\\c\nd\x01/");
    ls_writer_puts(w, " ");
    ls_writer_json_string(w, NULL);
    ls_writer_printf(w, " %d ", 42);
    ls_writer_json_string(w,
                          "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80|\xff|\xc3|\xed\xa0\x80|\xe2\x82");
}

static void many(struct ls_writer *w)
{
    for (int i = 0; i < 10000; i++)
        ls_writer_printf(w, "%04d\n", i % 10000);
}

static void check_write_error(void)
{
    struct ls_writer w;
    int fds[2];

    CHECK(pipe(fds) == 0);
    close(fds[0]); // writing now fails with EPIPE (SIGPIPE is ignored below)
    ls_writer_init(&w, fds[1]);
    ls_writer_puts(&w, "x");
    CHECK(ls_writer_flush(&w) == -1);
    CHECK_EQ_U(w.error, EPIPE);
    close(fds[1]);
}

int main(void)
{
    int error;

    CHECK_EQ_S(capture(escapes, &error), "\"a\\\"b\\\\c\\nd\\u0001/\" null 42 "
                                         "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80|\\ufffd|\\ufffd|"
                                         "\\ufffd\\ufffd\\ufffd|\\ufffd\\ufffd\"");
    CHECK_EQ_U(error, 0);

    const char *text = capture(many, &error);
    CHECK_EQ_U(strlen(text), 50000);
    CHECK(strncmp(text + 5 * 9999, "9999\n", 5) == 0);

    signal(SIGPIPE, SIG_IGN);
    check_write_error();
    PASS();
}
