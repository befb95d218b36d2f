/* Unit tests: the INI pre-scan (src/ini.c) against what iniparser 4.1 reads. Each row is one
 * line under [s]; the expected value is what the line means to its author (docs/formats.md, "INI
 * syntax and its traps"), and NULL where iniparser would read something else (the load must then
 * fail with a message quoting the line). */
#include "diag.h"
#include "ini.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct ini_row {
    const char *line;
    const char *value; /* NULL: refused */
    const char *message; /* for a refused line: a part of the message */
} ini_row;

static const ini_row rows[] = {
    { "k = plain value", "plain value", NULL },
    { "k =   spaced   value  ", "spaced   value", NULL },
    { "k = \"#1a2b3c\"", "#1a2b3c", NULL },
    { "k = \"  inner  \"", "  inner  ", NULL },
    { "k = 'single'", "single", NULL },
    { "k = \"\"", "", NULL },
    { "k = ''", "", NULL },
    { "k =", "", NULL },
    { "k = a = b", "a = b", NULL },
    { "k = Say \"yes\" now", "Say \"yes\" now", NULL },
    { "k = It's here", "It's here", NULL },
    { "k = \"https://x.org/a#b;c\"", "https://x.org/a#b;c", NULL },
    { "k = #1a2b3c", NULL, "expected a value in double quotes because it holds '#'" },
    { "k = Call us # free", NULL, "expected a value in double quotes because it holds '#'" },
    { "k = Free help ; confidential", NULL, "holds ';'" },
    { "k = a;b", NULL, "holds ';'" },
    { "k = ;", NULL, "holds ';'" },
    { "k = \"Free\" help, 24/7", NULL, "found  help, 24/7 after the closing \"" },
    { "k = \"https://x.org/give\"?src=flyer7", NULL, "?src=flyer7 after the closing" },
    { "k = \"Free\" ; a comment", NULL, "after the closing" },
    { "k = 'It's here'", NULL, "s here' after the closing '" },
    { "k = \"unclosed", NULL, "expected a closing \"" },
    { "k = 'unclosed", NULL, "expected a closing '" },
    { "k = \"\" tail", NULL, "expected nothing after an empty quoted value" },
    { "k = Say \"yes\" # now", NULL, "expected no '#' in a value without quotes" },
};

/* Loads "[s]\nLINE\n" and returns the value of s:k, or NULL with the last message in msg. */
static char *load_line(const char *line, char *msg, size_t msglen)
{
    char path[] = "/tmp/handout-unit-ini-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    fprintf(f, "[s]\n%s\n", line);
    fclose(f);
    diag *d = diag_new(NULL);
    ini_file *ini = ini_load(path, d);
    char *v = NULL;
    if (ini) {
        const char *got = ini_get(ini, "s", "k");
        v = strdup(got ? got : "(no key)");
    }
    snprintf(msg, msglen, "%s", diag_last(d) ? diag_last(d) : "");
    ini_free(ini);
    diag_free(d);
    unlink(path);
    return v;
}

void test_initraps(void)
{
    char name[300], detail[1200], msg[1024];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const ini_row *r = &rows[i];
        char *v = load_line(r->line, msg, sizeof msg);
        snprintf(name, sizeof name, "ini: %s %s", r->line, r->value ? "reads as written" : "is refused");
        if (r->value) {
            snprintf(detail, sizeof detail, "expected \"%s\", found %s%s%s (%s)", r->value, v ? "\"" : "",
                     v ? v : "an error", v ? "\"" : "", msg);
            check(v && strcmp(v, r->value) == 0, name, detail);
        } else {
            snprintf(detail, sizeof detail, "expected an error with \"%s\" quoting the line, found %s%s",
                     r->message, v ? "the value " : "", v ? v : msg);
            check(!v && strstr(msg, r->message) && strstr(msg, r->line), name, detail);
        }
        free(v);
    }
    /* headers: a comment after one, a second ']', an empty name, a ':' */
    static const char *const headers[] = { "[s] ; description = English", "[s]]", "[]", "[a:b]" };
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        char path[] = "/tmp/handout-unit-ini-XXXXXX";
        int fd = mkstemp(path);
        if (fd < 0)
            continue;
        FILE *f = fdopen(fd, "w");
        fprintf(f, "[t]\nx = 1\n%s\nk = v\n", headers[i]);
        fclose(f);
        diag *d = diag_new(NULL);
        ini_file *ini = ini_load(path, d);
        snprintf(name, sizeof name, "ini: the header %s is refused", headers[i]);
        snprintf(detail, sizeof detail, "loaded: %s; message: %s", ini ? "yes" : "no",
                 diag_last(d) ? diag_last(d) : "(none)");
        check(!ini && diag_last(d) && strstr(diag_last(d), ":3:"), name, detail);
        ini_free(ini);
        diag_free(d);
        unlink(path);
    }
}
