/* Unit tests: the command line (src/cli.c) and the order of exit statuses (src/status.h). Every
 * option of the table, for every command that takes it, is read alike as "--opt value" and
 * "--opt=value" (and "-o value", "-oVALUE"); given to another command it is a usage error; a list
 * of 300 arguments is kept whole; status_worst follows the one documented order. */
#include "cli.h"
#include "status.h"
#include "unit.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* cli_parse with its usage messages sent to /dev/null. */
static int parse_quietly(int argc, char **argv, cli_options *o)
{
    fflush(stderr);
    int saved = dup(2), null = open("/dev/null", O_WRONLY);
    if (saved >= 0 && null >= 0)
        dup2(null, 2);
    int st = cli_parse(argc, argv, o);
    fflush(stderr);
    if (saved >= 0) {
        dup2(saved, 2);
        close(saved);
    }
    if (null >= 0)
        close(null);
    return st;
}

/* Parses "handout COMMAND a [b [c]]" and says whether option id came out given with value want
 * (NULL: a flag); detail gets what was found. */
static bool reads(cli_command cmd, cli_opt id, const char *want, char *detail, size_t len, const char *a,
                  const char *b, const char *c)
{
    char *argv[6] = { "handout", (char *)cli_command_name(cmd), (char *)a, (char *)b, (char *)c, NULL };
    int argc = c ? 5 : b ? 4 : 3;
    cli_options o;
    int st = parse_quietly(argc, argv, &o);
    bool ok = st == -1 && o.command == cmd && o.given[id] && o.args.n == 0 &&
              (want ? o.value[id] && strcmp(o.value[id], want) == 0 && o.values[id].n == 1 : !o.value[id]);
    snprintf(detail, len, "status %d, given %d, value \"%s\", arguments %zu", st, o.given[id],
             o.value[id] ? o.value[id] : "(none)", o.args.n);
    cli_free(&o);
    return ok;
}

static void test_table(void)
{
    size_t n;
    const cli_option_def *t = cli_option_table(&n);
    bool rows = n == CLI_NOPTS;
    for (size_t k = 0; rows && k < n; k++)
        rows = t[k].id == (cli_opt)k && strncmp(t[k].name, "--", 2) == 0 &&
               (!t[k].brief || (t[k].brief[0] == '-' && t[k].brief[1] && !t[k].brief[2]));
    check(rows, "cli: the option table has one row per option, in order, each with a long name", NULL);
    for (size_t k = 0; k < n; k++) {
        for (int cmd = CMD_BUILD; cmd < CLI_NCOMMANDS; cmd++) {
            char name[160], detail[200], joined[64];
            if (!(t[k].commands & CMD_BIT(cmd)) || t[k].id == OPT_HELP || t[k].id == OPT_VERSION)
                continue;
            if (!t[k].value) {
                snprintf(name, sizeof name, "cli: %s %s is read as a flag", cli_command_name((cli_command)cmd), t[k].name);
                check(reads((cli_command)cmd, t[k].id, NULL, detail, sizeof detail, t[k].name, NULL, NULL), name, detail);
                continue;
            }
            snprintf(name, sizeof name, "cli: %s %s VALUE", cli_command_name((cli_command)cmd), t[k].name);
            check(reads((cli_command)cmd, t[k].id, "v-1", detail, sizeof detail, t[k].name, "v-1", NULL), name, detail);
            snprintf(joined, sizeof joined, "%s=v=2", t[k].name);
            snprintf(name, sizeof name, "cli: %s %s=VALUE", cli_command_name((cli_command)cmd), t[k].name);
            check(reads((cli_command)cmd, t[k].id, "v=2", detail, sizeof detail, joined, NULL, NULL), name, detail);
            if (t[k].brief) {
                snprintf(name, sizeof name, "cli: %s %s VALUE and %sVALUE", cli_command_name((cli_command)cmd),
                         t[k].brief, t[k].brief);
                snprintf(joined, sizeof joined, "%s7", t[k].brief);
                check(reads((cli_command)cmd, t[k].id, "-", detail, sizeof detail, t[k].brief, "-", NULL) &&
                          reads((cli_command)cmd, t[k].id, "7", detail, sizeof detail, joined, NULL, NULL),
                      name, detail);
            }
        }
    }
    /* every option given to a command that does not take it is a usage error */
    int wrong = 0, tried = 0;
    char first[160] = "";
    for (size_t k = 0; k < n; k++) {
        for (int cmd = CMD_BUILD; cmd < CLI_NCOMMANDS; cmd++) {
            if (t[k].commands & CMD_BIT(cmd))
                continue;
            char *argv[] = { "handout", (char *)cli_command_name((cli_command)cmd), (char *)t[k].name, "x", NULL };
            cli_options o;
            int st = parse_quietly(t[k].value ? 4 : 3, argv, &o);
            tried++;
            bool right = st == EXIT_USAGE && o.usage_id && strcmp(o.usage_id, "usage-option-not-taken") == 0;
            if (!right && !first[0])
                snprintf(first, sizeof first, "%s %s: status %d, id %s", argv[1], argv[2], st,
                         o.usage_id ? o.usage_id : "(none)");
            wrong += !right;
            cli_free(&o);
        }
    }
    char name[160];
    snprintf(
        name, sizeof name,
        "cli: each of %d options given to a command that does not take it is a usage error, usage-option-not-taken",
        tried);
    check(wrong == 0, name, first);
}

static void test_lists(void)
{
    /* 300 arguments and 300 --set values: the lists grow, nothing is dropped */
    enum { N = 300 };
    char **argv = calloc(2 + 3 * N + 1, sizeof *argv);
    char (*sets)[32] = calloc(N, sizeof *sets);
    if (!argv || !sets) {
        check(0, "cli: memory for 300 arguments", NULL);
        free(argv);
        free(sets);
        return;
    }
    int argc = 0;
    argv[argc++] = "handout";
    argv[argc++] = "check";
    for (int i = 0; i < N; i++) {
        snprintf(sets[i], sizeof sets[i], "k%d=%d", i, i);
        argv[argc++] = "layouts/flyer.ini";
        argv[argc++] = "--set";
        argv[argc++] = sets[i];
    }
    cli_options o;
    int st = parse_quietly(argc, argv, &o);
    bool order = st == -1 && o.args.n == N && o.values[OPT_SET].n == N;
    for (size_t i = 0; order && i < N; i++)
        order = strcmp(o.values[OPT_SET].items[i], sets[i]) == 0;
    char name[160], detail[120];
    snprintf(detail, sizeof detail, "status %d, %zu arguments, %zu --set values", st, o.args.n, o.values[OPT_SET].n);
    check(order, "cli: check with 300 files and 300 --set values keeps them all, in order", detail);
    cli_free(&o);
    free(argv);
    free(sets);

    /* the last of a single value counts; the command may come after options; --help stops reading */
    char *a2[] = { "handout", "-o", "a.pdf", "build", "L.ini", "C", "--output=b.pdf", NULL };
    st = parse_quietly(7, a2, &o);
    snprintf(detail, sizeof detail, "status %d, command %d, output %s", st, o.command, o.value[OPT_OUTPUT]);
    check(st == -1 && o.command == CMD_BUILD && o.args.n == 2 && strcmp(o.value[OPT_OUTPUT], "b.pdf") == 0 &&
              strcmp(o.spelled[OPT_OUTPUT], "--output") == 0,
          "cli: an option before the command is read; the last --output counts", detail);
    cli_free(&o);
    char *a3[] = { "handout", "serve", "--port=9999", "--help", "--bogus", NULL };
    st = parse_quietly(5, a3, &o);
    check(st == -1 && o.help && o.command == CMD_SERVE && o.given[OPT_PORT], "cli: --help stops reading (serve --port=9999 --help)", NULL);
    cli_free(&o);

    /* the status and the usage error's id (docs/errors.md, Diagnostic ids) */
    static const struct {
        const char *args[4];
        int status;
        const char *id;
    } rows[] = {
        { { "serve", "--port", NULL }, EXIT_USAGE, "usage-missing-value" },           /* a value missing at the end */
        { { "build", "--output=", NULL }, EXIT_USAGE, "usage-missing-value" },        /* an empty value */
        { { "build", "--strict=yes", NULL }, EXIT_USAGE, "usage-flag-with-value" },   /* a flag with a value */
        { { "batch", "-qv", NULL }, EXIT_USAGE, "usage-unknown-option" },             /* short flags are not bundled */
        { { "frobnicate", NULL }, EXIT_USAGE, "usage-unknown-command" },              /* an unknown command */
        { { "--frobnicate", NULL }, EXIT_USAGE, "usage-unknown-option" },             /* an unknown option */
        { { "-o", "x.pdf", NULL }, EXIT_USAGE, "usage-no-command" },                  /* no command */
        { { "serve", "--output", "x", NULL }, EXIT_USAGE, "usage-option-not-taken" }, /* another command's */
        { { "--dump", "-", "build", NULL }, -1, NULL },    /* "-" is a value, and the command follows */
        { { "--version", "frobnicate", NULL }, -1, NULL }, /* --version stops reading */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *argv3[6] = { "handout" };
        int c = 1;
        for (int k = 0; k < 4 && rows[i].args[k]; k++)
            argv3[c++] = (char *)rows[i].args[k];
        st = parse_quietly(c, argv3, &o);
        snprintf(name, sizeof name, "cli: row %zu (handout %s %s) gives %d%s%s", i + 1, rows[i].args[0],
                 rows[i].args[1] ? rows[i].args[1] : "", rows[i].status, rows[i].id ? ", " : "",
                 rows[i].id ? rows[i].id : "");
        snprintf(detail, sizeof detail, "%s:%d: status %d, id %s", __FILE__, __LINE__, st,
                 o.usage_id ? o.usage_id : "(none)");
        check(st == rows[i].status &&
                  (rows[i].id ? o.usage_id && strcmp(o.usage_id, rows[i].id) == 0 : o.usage_id == NULL),
              name, detail);
        cli_free(&o);
    }
}

static void test_status(void)
{
    /* status.h: internal 4 > output 3 > usage 2 > input 1 > success 0; anything else counts as 4 */
    static const int rows[][3] = {
        { 0, 0, 0 }, { 0, 1, 1 }, { 1, 0, 1 }, { 1, 2, 2 }, { 2, 1, 2 }, { 1, 3, 3 }, { 3, 2, 3 },
        { 4, 1, 4 }, { 1, 4, 4 }, { 3, 4, 4 }, { 4, 3, 4 }, { 2, 2, 2 }, { 0, 4, 4 }, { 137, 1, 4 },
        { 1, -1, 4 }, { 0, 99, 4 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char name[96], detail[96];
        int got = status_worst(rows[i][0], rows[i][1]);
        snprintf(name, sizeof name, "status_worst row %zu: %d and %d give %d", i + 1, rows[i][0], rows[i][1], rows[i][2]);
        snprintf(detail, sizeof detail, "%s:%d: found %d", __FILE__, __LINE__, got);
        check(got == rows[i][2], name, detail);
    }
}

void test_cli(void)
{
    test_table();
    test_lists();
    test_status();
}
