/* SPDX-License-Identifier: MIT
 *
 * test_config.c - every LEAKSHIM_* value: accepted forms, and one warning plus the
 * default for everything else.
 */
#include <signal.h>
#include <unistd.h>

#include "check.h"
#include "config.h"

static const char *fake_name, *fake_value;

static const char *fake_getenv(const char *name)
{
    return fake_name != NULL && strcmp(name, fake_name) == 0 ? fake_value : NULL;
}

/* Parses one variable with stderr captured; returns how many lines were written. */
static int parse_one(struct ls_config *cfg, const char *name, const char *value, char *err,
                     size_t err_len)
{
    FILE *tmp = tmpfile();
    int saved = dup(STDERR_FILENO);

    fake_name = name;
    fake_value = value;
    dup2(fileno(tmp), STDERR_FILENO);
    ls_config_parse(cfg, fake_getenv);
    dup2(saved, STDERR_FILENO);
    close(saved);

    rewind(tmp);
    size_t n = fread(err, 1, err_len - 1, tmp);
    err[n] = '\0';
    fclose(tmp);
    int lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += err[i] == '\n';
    return lines;
}

static void check_rejected(const char *name, const char *value)
{
    struct ls_config cfg, def;
    char err[2048];

    fake_name = NULL; // the defaults, for comparison
    ls_config_parse(&def, fake_getenv);
    CHECK_EQ_U(parse_one(&cfg, name, value, err, sizeof(err)), 1);
    CHECK(strncmp(err, "leakshim: ", 10) == 0);
    CHECK(strstr(err, name) != NULL);
    CHECK(memcmp(&cfg, &def, sizeof(cfg)) == 0); // the default stays
}

/* A bad LEAKSHIM_EXITCODE keeps the gate on with status 1, and says so. */
static void check_exit_code_fallback(const char *value)
{
    struct ls_config cfg;
    char err[2048], want[512];

    CHECK_EQ_U(parse_one(&cfg, "LEAKSHIM_EXITCODE", value, err, sizeof(err)), 1);
    snprintf(want, sizeof(want),
             "leakshim: LEAKSHIM_EXITCODE=\"%s\" is not a whole number from 0 to 255; using 1\n",
             value);
    CHECK_EQ_S(err, want);
    CHECK_EQ_U(cfg.exit_code, 1);
}

static void check_defaults(void)
{
    struct ls_config cfg;
    char err[256];

    CHECK_EQ_U(parse_one(&cfg, "UNRELATED", "x", err, sizeof(err)), 0);
    CHECK_EQ_S(cfg.output_path, "");
    CHECK_EQ_U(cfg.formats, LS_FORMAT_BIT(LS_FORMAT_TEXT));
    CHECK(cfg.exit_code == -1);
    CHECK_EQ_U(cfg.interval_ms, 0);
    CHECK_EQ_S(cfg.timeline_path, "");
    CHECK_EQ_U(cfg.timeline_ms, 1000);
    CHECK_EQ_U(cfg.snapshot_signal, SIGUSR2);
    CHECK_EQ_U(cfg.max_depth, LS_DEFAULT_DEPTH);
}

static void check_accepted(void)
{
    struct ls_config cfg;
    char err[256];

    CHECK_EQ_U(parse_one(&cfg, "LEAKSHIM_FORMAT", "json", err, sizeof(err)), 0);
    CHECK_EQ_U(cfg.formats, LS_FORMAT_BIT(LS_FORMAT_JSON));
    CHECK_EQ_U(parse_one(&cfg, "LEAKSHIM_FORMAT", "json,pprof,folded,json", err, sizeof(err)), 0);
    CHECK_EQ_U(cfg.formats, LS_FORMAT_BIT(LS_FORMAT_JSON) | LS_FORMAT_BIT(LS_FORMAT_PPROF) |
                                LS_FORMAT_BIT(LS_FORMAT_FOLDED));
    CHECK_EQ_U(parse_one(&cfg, "LEAKSHIM_INTERVAL", "300ms", err, sizeof(err)), 0);
    CHECK_EQ_U(cfg.interval_ms, 300);
    CHECK_EQ_U(cfg.timeline_ms, 30); // a tenth of the interval
    CHECK_EQ_S(cfg.timeline_path, "leakshim.%p.timeline.tsv");
    CHECK_EQ_U(parse_one(&cfg, "LEAKSHIM_EXITCODE", "23", err, sizeof(err)), 0);
    CHECK_EQ_U(cfg.exit_code, 23);
    CHECK_EQ_U(parse_one(&cfg, "LEAKSHIM_EXITCODE", "0", err, sizeof(err)), 0);
    CHECK_EQ_U(cfg.exit_code, 0);
    CHECK_EQ_U(parse_one(&cfg, "LEAKSHIM_DEPTH", "256", err, sizeof(err)), 0);
    CHECK_EQ_U(cfg.max_depth, 256);
    CHECK_EQ_U(parse_one(&cfg, "LEAKSHIM_OUTPUT", "/tmp/r.%p.%n", err, sizeof(err)), 0);
    CHECK_EQ_S(cfg.output_path, "/tmp/r.%p.%n");
    CHECK_EQ_U(parse_one(&cfg, "LEAKSHIM_SIGNAL", "none", err, sizeof(err)), 0);
    CHECK_EQ_U(cfg.snapshot_signal, 0);
}

static void check_durations(void)
{
    CHECK(ls_config_parse_duration("10ms") == 10);
    CHECK(ls_config_parse_duration("2") == 2000);
    CHECK(ls_config_parse_duration("2s") == 2000);
    CHECK(ls_config_parse_duration("5m") == 300000);
    CHECK(ls_config_parse_duration("168h") == 604800000);
    CHECK(ls_config_parse_duration("169h") == -1);
    CHECK(ls_config_parse_duration("9ms") == -1);
    CHECK(ls_config_parse_duration("0") == -1);
    CHECK(ls_config_parse_duration("1.5s") == -1);
    CHECK(ls_config_parse_duration("-1s") == -1);
    CHECK(ls_config_parse_duration("5 s") == -1);
    CHECK(ls_config_parse_duration("") == -1);
    CHECK(ls_config_parse_formats("pprof") == (int)LS_FORMAT_BIT(LS_FORMAT_PPROF));
    CHECK(ls_config_parse_formats("json,") == -1);
    CHECK(ls_config_parse_formats("") == -1);
    CHECK(ls_config_parse_formats("xml") == -1);
}

static void check_signal_names(void)
{
    CHECK_EQ_U(ls_config_parse_signal("USR1"), SIGUSR1);
    CHECK_EQ_U(ls_config_parse_signal("SIGUSR2"), SIGUSR2);
    CHECK_EQ_U(ls_config_parse_signal("sigprof"), SIGPROF);
    CHECK_EQ_U(ls_config_parse_signal("12"), 12);
    CHECK_EQ_U(ls_config_parse_signal("0"), 0);
    CHECK_EQ_U(ls_config_parse_signal("RTMIN+3"), SIGRTMIN + 3);
    CHECK_EQ_U(ls_config_parse_signal("RTMAX"), SIGRTMAX);
    CHECK(ls_config_parse_signal("KILL") == -1);
    CHECK(ls_config_parse_signal("9") == -1);
    CHECK(ls_config_parse_signal("SIGFOO") == -1);
    CHECK(ls_config_parse_signal("RTMIN+99") == -1);
    CHECK(ls_config_parse_signal("") == -1);
}

int main(void)
{
    check_defaults();
    check_durations();
    check_accepted();
    check_signal_names();
    check_rejected("LEAKSHIM_FORMAT", "xml");
    check_rejected("LEAKSHIM_FORMAT", "");
    check_exit_code_fallback("abc");
    check_exit_code_fallback("256");
    check_exit_code_fallback("-1");
    check_exit_code_fallback("3x");
    check_exit_code_fallback("");
    check_rejected("LEAKSHIM_DEPTH", "0");
    check_rejected("LEAKSHIM_DEPTH", "999");
    check_rejected("LEAKSHIM_DEPTH", "deep");
    check_rejected("LEAKSHIM_DEPTH", "+5");
    check_rejected("LEAKSHIM_SIGNAL", "SIGFOO");
    check_rejected("LEAKSHIM_SIGNAL", "KILL");
    check_rejected("LEAKSHIM_OUTPUT", "");
    check_rejected("LEAKSHIM_VERBOSE", "yes");
    PASS();
}
