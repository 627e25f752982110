/* SPDX-License-Identifier: MIT
 *
 * test_output.c - report paths: %p/%n expansion, mode 0600, atomic replacement, planted
 * symlinks neither followed nor replaced, devices written in place, and the stderr
 * fallback.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "output.h"

static void check_expand(void)
{
    char out[64];

    CHECK(ls_output_expand("r.%p.%n.json", 42, 7, "txt", out, sizeof(out)) == 0);
    CHECK_EQ_S(out, "r.42.7.json");
    CHECK(ls_output_expand("100%%-%x-%", 1, 0, "txt", out, sizeof(out)) == 0);
    CHECK_EQ_S(out, "100%-%x-%");
    CHECK(ls_output_expand("%n%n", 1, 12, "txt", out, sizeof(out)) == 0);
    CHECK_EQ_S(out, "1212");
    CHECK(ls_output_expand("r.%n.%e", 1, 3, "pb.gz", out, sizeof(out)) == 0);
    CHECK_EQ_S(out, "r.3.pb.gz");
    CHECK(ls_output_expand("r.%e", 1, 3, "pb.gz", out, 6) == -1);
    CHECK(ls_output_expand("abcdefgh", 1, 0, "txt", out, 8) == -1); // no room for the NUL
    CHECK(ls_output_expand("r.%p", 123456, 0, "txt", out, 6) == -1);
}

static void write_report(const char *tmpl, unsigned seq, const char *body)
{
    struct ls_output o;

    ls_output_open(&o, tmpl, seq, "txt", true);
    CHECK(o.fd != STDERR_FILENO);
    CHECK(write(o.fd, body, strlen(body)) == (ssize_t)strlen(body));
    CHECK(ls_output_close(&o, 0) == 0);
}

static const char *slurp(const char *path)
{
    static char buf[256];
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

    CHECK(n >= 0);
    buf[n] = '\0';
    close(fd);
    return buf;
}

static void check_files(const char *dir)
{
    char tmpl[512], path[512];
    struct stat st;

    snprintf(tmpl, sizeof(tmpl), "%s/r.%%n", dir);
    write_report(tmpl, 3, "first");
    snprintf(path, sizeof(path), "%s/r.3", dir);
    CHECK_EQ_S(slurp(path), "first");
    CHECK(stat(path, &st) == 0);
    CHECK_EQ_U(st.st_mode & 0777, 0600);

    write_report(tmpl, 3, "second"); // the same path: replaced whole
    CHECK_EQ_S(slurp(path), "second");

    // A device is written in place, never replaced by a file.
    write_report("/dev/null", 0, "discarded");
    CHECK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
}

/* Opens tmpl with stderr captured: returns the fd chosen and what was said. */
static int open_captured(const char *tmpl, char *err, size_t err_len)
{
    struct ls_output o;
    int saved = dup(STDERR_FILENO);
    FILE *tmp = tmpfile();

    dup2(fileno(tmp), STDERR_FILENO);
    ls_output_open(&o, tmpl, 0, "txt", true);
    dup2(saved, STDERR_FILENO);
    close(saved);
    int fd = o.fd;
    CHECK(ls_output_close(&o, 0) == 0);

    rewind(tmp);
    size_t n = fread(err, 1, err_len - 1, tmp);
    err[n] = '\0';
    fclose(tmp);
    return fd;
}

static void check_fallback(const char *dir)
{
    char tmpl[512], victim[512], err[512];
    struct stat st;

    snprintf(tmpl, sizeof(tmpl), "%s/no/such/dir/r", dir);
    CHECK_EQ_U(open_captured(tmpl, err, sizeof(err)), STDERR_FILENO);
    CHECK(strncmp(err, "leakshim: cannot write report ", 30) == 0);
    CHECK(strstr(err, "/no/such/dir/r: No such file or directory; writing it to stderr\n"));

    // A symlink planted at the target: not followed, not replaced, its target untouched.
    snprintf(victim, sizeof(victim), "%s/victim", dir);
    write_report(victim, 0, "precious");
    snprintf(tmpl, sizeof(tmpl), "%s/link", dir);
    CHECK(symlink(victim, tmpl) == 0);
    CHECK_EQ_U(open_captured(tmpl, err, sizeof(err)), STDERR_FILENO);
    CHECK(strstr(err, "symbolic link") != NULL);
    CHECK_EQ_S(slurp(victim), "precious");
    CHECK(lstat(tmpl, &st) == 0 && S_ISLNK(st.st_mode));

    CHECK_EQ_U(open_captured("-", err, sizeof(err)), STDERR_FILENO);
    CHECK_EQ_U(open_captured("/dev/stdout", err, sizeof(err)), STDOUT_FILENO);
    CHECK_EQ_S(err, "");
}

int main(void)
{
    char dir[] = "/tmp/leakshim-unit-XXXXXX";

    CHECK(mkdtemp(dir) != NULL);
    check_expand();
    check_files(dir);
    check_fallback(dir);

    char cmd[600];
    snprintf(cmd, sizeof(cmd), "test -z \"$(ls %s | grep tmp)\" && rm -rf %s", dir, dir);
    CHECK(system(cmd) == 0); // no temporary file was left behind
    PASS();
}
