/* SPDX-License-Identifier: MIT
 *
 * test_output.c - report paths: %p/%n expansion, mode 0600, atomic replacement, planted
 * symlinks replaced rather than followed, and the stderr fallback.
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

    CHECK(ls_output_expand("r.%p.%n.json", 42, 7, out, sizeof(out)) == 0);
    CHECK_EQ_S(out, "r.42.7.json");
    CHECK(ls_output_expand("100%%-%x-%", 1, 0, out, sizeof(out)) == 0);
    CHECK_EQ_S(out, "100%-%x-%");
    CHECK(ls_output_expand("%n%n", 1, 12, out, sizeof(out)) == 0);
    CHECK_EQ_S(out, "1212");
    CHECK(ls_output_expand("abcdefgh", 1, 0, out, 8) == -1); // no room for the NUL
    CHECK(ls_output_expand("r.%p", 123456, 0, out, 6) == -1);
}

static void write_report(const char *tmpl, unsigned seq, const char *body)
{
    struct ls_output o;

    ls_output_open(&o, tmpl, seq);
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
    char tmpl[512], path[512], victim[512];
    struct stat st;

    snprintf(tmpl, sizeof(tmpl), "%s/r.%%n", dir);
    write_report(tmpl, 3, "first");
    snprintf(path, sizeof(path), "%s/r.3", dir);
    CHECK_EQ_S(slurp(path), "first");
    CHECK(stat(path, &st) == 0);
    CHECK_EQ_U(st.st_mode & 0777, 0600);

    write_report(tmpl, 3, "second"); // the same path: replaced whole
    CHECK_EQ_S(slurp(path), "second");

    // A symlink planted at the target is replaced, and its target left alone.
    snprintf(victim, sizeof(victim), "%s/victim", dir);
    write_report(victim, 0, "precious");
    snprintf(path, sizeof(path), "%s/r.4", dir);
    CHECK(symlink(victim, path) == 0);
    write_report(tmpl, 4, "report");
    CHECK_EQ_S(slurp(victim), "precious");
    CHECK(lstat(path, &st) == 0 && S_ISREG(st.st_mode));
    CHECK_EQ_S(slurp(path), "report");
}

static void check_fallback(const char *dir)
{
    char tmpl[512];
    struct ls_output o;
    int saved = dup(STDERR_FILENO);
    FILE *tmp = tmpfile();

    snprintf(tmpl, sizeof(tmpl), "%s/no/such/dir/r", dir);
    dup2(fileno(tmp), STDERR_FILENO);
    ls_output_open(&o, tmpl, 0);
    dup2(saved, STDERR_FILENO);
    CHECK_EQ_U(o.fd, STDERR_FILENO);
    CHECK(ls_output_close(&o, 0) == 0);

    char err[512] = {0};
    rewind(tmp);
    CHECK(fread(err, 1, sizeof(err) - 1, tmp) > 0);
    CHECK(strncmp(err, "leakshim: cannot create ", 24) == 0);
    CHECK(strstr(err, "No such file or directory; writing the report to stderr\n") != NULL);
    fclose(tmp);
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
