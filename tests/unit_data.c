/* Unit tests for data (CSV records): each fixture is written into a temporary folder, loaded, and
 * its values, line numbers or exact messages are checked. Every message goes to a memory stream so
 * that a test can see all of them, not only the last. */
#include "unit.h"
#include "data.h"
#include "diag.h"
#include "readfile.h"

#include <errno.h>
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char data_dir[] = "/tmp/handout-data-XXXXXX";

static const char *data_fixture(const char *name, const char *text, size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", data_dir, name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(text, 1, len, f);
        fclose(f);
    }
    return path;
}

static double data_load_ms; /* how long the last data_try took to load, not to write */

/* Loads text as NAME and keeps every message in *msgs (caller frees). */
static data_table *data_try(const char *name, const char *text, size_t len, int *errors, char **msgs)
{
    size_t msglen = 0;
    FILE *sink = open_memstream(msgs, &msglen);
    diag *d = diag_new(sink);
    const char *path = data_fixture(name, text, len);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    data_table *t = data_load(path, d);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    data_load_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    *errors = diag_errors(d);
    diag_free(d);
    if (sink)
        fclose(sink);
    else
        *msgs = strdup("");
    return t;
}

static int str_is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Checks that text fails to load with `errors` errors and that `needle` is among the messages. */
static void data_bad(const char *name, const char *text, size_t len, int errors, const char *needle)
{
    int n = 0;
    char *msgs = NULL;
    data_table *t = data_try("bad.csv", text, len, &n, &msgs);
    check(!t && n == errors && msgs && strstr(msgs, needle), name, msgs);
    data_free(t);
    free(msgs);
}

#define BAD(name, text, errors, needle) data_bad(name, text, sizeof text - 1, errors, needle)

static void data_test_good(void)
{
    int n;
    char *msgs;
    static const char plain[] = "code,name,phone\nA1,Alice,555-0100\nB2,Bob,555-0101\n";
    data_table *t = data_try("plain.csv", plain, sizeof plain - 1, &n, &msgs);
    check(t && n == 0, "data plain file loads", msgs);
    if (t) {
        check(data_rows(t) == 2 && data_columns(t) == 3, "data plain: 2 records, 3 columns", NULL);
        check(str_is(data_column_name(t, 2), "phone") && data_column_index(t, "name") == 1,
              "data plain: column names and index", NULL);
        check(data_column_index(t, "email") == -1 && data_column_index(t, "Name") == -1,
              "data missing column has index -1", NULL);
        check(str_is(data_value(t, 0, 1), "Alice") && str_is(data_value(t, 1, 2), "555-0101"),
              "data plain: values", NULL);
        check(data_row_line(t, 0) == 2 && data_row_line(t, 1) == 3, "data plain: record lines", NULL);
        check(str_is(data_value(t, 2, 0), "") && str_is(data_value(t, 0, 3), "") && data_row_line(t, 2) == 0,
              "data out of range gives \"\" and line 0", NULL);
        char *list = data_column_list(t);
        check(str_is(list, "code, name, phone"), "data column list", list);
        free(list);
        check(strstr(data_path(t), "plain.csv") != NULL, "data keeps its path", data_path(t));
    }
    data_free(t);
    free(msgs);

    static const char quotes[] = "code,note\n"
                                 "1,\"a, b\"\n"
                                 "2,\"say \"\"hi\"\"\"\n"
                                 "3,\"two\nlines\"\n"
                                 "4,  after  \n"
                                 "5,\"  kept  \"\n";
    t = data_try("quotes.csv", quotes, sizeof quotes - 1, &n, &msgs);
    check(t && n == 0, "data quoted values load", msgs);
    if (t) {
        check(data_rows(t) == 5, "data quotes: 5 records", NULL);
        check(str_is(data_value(t, 0, 1), "a, b"), "data quoted comma", data_value(t, 0, 1));
        check(str_is(data_value(t, 1, 1), "say \"hi\""), "data doubled quotes", data_value(t, 1, 1));
        check(str_is(data_value(t, 2, 1), "two\nlines"), "data newline inside quotes", data_value(t, 2, 1));
        check(data_row_line(t, 2) == 4 && data_row_line(t, 3) == 6 && data_row_line(t, 4) == 7,
              "data record after a two-line value starts two lines later", NULL);
        check(str_is(data_value(t, 3, 1), "after"), "data unquoted value is trimmed", data_value(t, 3, 1));
        check(str_is(data_value(t, 4, 1), "  kept  "), "data quoted value keeps its spaces", data_value(t, 4, 1));
    }
    data_free(t);
    free(msgs);

    static const char bom[] = "\xEF\xBB\xBF" "code,name\n1,\xC3\xA9t\xC3\xA9\n";
    t = data_try("bom.csv", bom, sizeof bom - 1, &n, &msgs);
    check(t && n == 0 && str_is(data_column_name(t, 0), "code") && str_is(data_value(t, 0, 1), "\xC3\xA9t\xC3\xA9"),
          "data byte-order mark is skipped, UTF-8 kept", msgs);
    data_free(t);
    free(msgs);

    static const char crlf[] = " Code , NAME\r\n1,\"a\r\nb\"\r\n2,c\r\n\r\n";
    t = data_try("crlf.csv", crlf, sizeof crlf - 1, &n, &msgs);
    check(t && n == 0, "data CRLF file loads", msgs);
    if (t) {
        check(str_is(data_column_name(t, 0), "code") && str_is(data_column_name(t, 1), "name"),
              "data names trimmed and lower-cased", data_column_name(t, 0));
        check(str_is(data_value(t, 0, 1), "a\nb") && str_is(data_value(t, 1, 1), "c"),
              "data CRLF: no CR in values, CR LF inside quotes read as LF", data_value(t, 0, 1));
        check(data_rows(t) == 2 && data_row_line(t, 1) == 4, "data CRLF: record lines", NULL);
    }
    data_free(t);
    free(msgs);

    static const char empty[] = "a,b,c\n1,,3\n,\"\",\n";
    t = data_try("empty.csv", empty, sizeof empty - 1, &n, &msgs);
    check(t && n == 0 && str_is(data_value(t, 0, 1), "") && str_is(data_value(t, 1, 0), "") &&
              str_is(data_value(t, 1, 1), "") && str_is(data_value(t, 1, 2), "") &&
              str_is(data_value(t, 0, 2), "3"),
          "data empty fields are \"\", no error", msgs);
    data_free(t);
    free(msgs);

    static const char tail[] = "a,b\n1,2\n\n  \n\r\n";
    t = data_try("tail.csv", tail, sizeof tail - 1, &n, &msgs);
    check(t && n == 0 && data_rows(t) == 1, "data blank lines at the end are ignored", msgs);
    data_free(t);
    free(msgs);

    static const char noeol[] = "a,b\n1,2\n3,\"x\"";
    t = data_try("noeol.csv", noeol, sizeof noeol - 1, &n, &msgs);
    check(t && n == 0 && data_rows(t) == 2 && str_is(data_value(t, 1, 1), "x") && data_row_line(t, 1) == 3,
          "data last record without a line end", msgs);
    data_free(t);
    free(msgs);

    static const char one[] = "only\nx\n";
    t = data_try("one.csv", one, sizeof one - 1, &n, &msgs);
    check(t && n == 0 && data_columns(t) == 1 && str_is(data_value(t, 0, 0), "x"), "data one column", msgs);
    data_free(t);
    free(msgs);
}

static void data_test_bad(void)
{
    BAD("data ragged row: error names its line, expected and found",
        "a,b\n1,2\n3\n4,5,6\n", 2, "bad.csv:3: expected 2 fields as in the header, found 1\n");
    BAD("data ragged row with too many fields hints at quotes", "a,b\n1,2\n4,5,6\n", 1,
        "bad.csv:3: expected 2 fields as in the header, found 3 (a value holding a comma must be in double quotes)");
    BAD("data duplicate column name", "code,Name,CODE\n1,2,3\n", 1,
        "bad.csv:1: column 3: expected each column name once, found \"code\" again (also column 1)");
    BAD("data invalid column name, with a suggestion", "code,Phone Number\n1,2\n", 1,
        "bad.csv:1: column 2: expected a name of letters a-z, digits and _ (it is used as a {placeholder}), "
        "found \"Phone Number\"; write phone_number instead");
    BAD("data column name with a line end is shown on one line", "code,\"a\nb\"\n1,2\n", 1,
        "found \"a?b\"; write a_b instead");
    BAD("data non-ASCII column name, no suggestion", "code,t\xC3\xA9l\n1,2\n", 1,
        "found \"t\xC3\xA9l\"\n");
    BAD("data empty column name", "code,,name, \n1,2,3,4\n", 2,
        "bad.csv:1: column 2: expected a column name, found an empty one");
    BAD("data every header problem is reported", "a,a,b c,\n1,2,3,4\n", 3, "column 4: expected a column name");
    BAD("data invalid UTF-8 names line and column", "code,phone\n1,2\n3,\"x\xFF\"\n", 1,
        "bad.csv:3: column \"phone\": expected UTF-8 text, found the invalid byte 0xFF; save the file as UTF-8");
    BAD("data invalid UTF-8 on the second line of a value", "code,note\n1,\"ok\nbad \xC3(\"\n", 1,
        "bad.csv:3: column \"note\": expected UTF-8 text, found the invalid byte 0xC3");
    BAD("data NUL byte in a value", "code,note\n1,a\0b\n", 1,
        "bad.csv:2: column \"note\": expected text, found a NUL byte");
    BAD("data invalid UTF-8 in the header", "code,\xE9t\xE9\n1,2\n", 1,
        "bad.csv:1: column 2: expected UTF-8 text, found the invalid byte 0xE9");
    BAD("data header only", "code,name\n\n", 1,
        "bad.csv: expected at least one record after the header line, found only the header");
    BAD("data empty file", "", 1, "bad.csv: expected a header line of column names, found an empty file");
    BAD("data BOM only is an empty file", "\xEF\xBB\xBF", 1, "found an empty file");
    BAD("data blank lines only", "\n \n", 1, "found only blank lines");
    BAD("data unterminated quote at the end of the file", "a,b\n1,2\n3,\"open\n4,5\n", 1,
        "bad.csv:3: column \"b\": expected a closing double quote for the value that starts here, found "
        "the end of the file");
    BAD("data stray quote in an unquoted value", "a,b\n1,ab\"c\n", 1,
        "bad.csv:2: column \"b\": expected double quotes only around a whole value (with \"\" for a quote "
        "inside it), found a stray double quote");
    BAD("data text after a closing quote", "a,b\n\"x\"y,2\n", 1,
        "bad.csv:2: column \"a\": expected a comma or the end of the line after the closing double quote, "
        "found 'y'");
    BAD("data blank line between records", "a,b\n1,2\n\n3,4\n", 1,
        "bad.csv:3: expected a record, found a blank line (blank lines are allowed only at the end of the file)");
    BAD("data blank line before the header", "\na,b\n1,2\n", 1,
        "bad.csv:1: expected the header line of column names, found a blank line");
    BAD("data CR-only line ends", "a,b\r1,2\r", 1, "bad.csv:1: expected lines ending in LF or CR LF");

    int n;
    char *msgs;
    size_t msglen = 0;
    FILE *sink = open_memstream(&msgs, &msglen);
    diag *d = diag_new(sink);
    char path[300];
    snprintf(path, sizeof path, "%s/no-such.csv", data_dir);
    data_table *t = data_load(path, d);
    fclose(sink);
    check(!t && diag_errors(d) == 1 && strstr(msgs, "no-such.csv: expected a CSV file, found nothing at that path (No such file or directory)"),
          "data missing file", msgs);
    diag_free(d);
    free(msgs);

    /* the limits: 1,001 columns; many ragged rows stop after 20 errors */
    size_t cap = 8000, len = 0;
    char *big = malloc(cap);
    if (big) {
        for (int c = 0; c <= 1000; c++)
            len += (size_t)snprintf(big + len, cap - len, "%sc%d", c ? "," : "", c);
        len += (size_t)snprintf(big + len, cap - len, "\n1\n");
        t = data_try("wide.csv", big, len, &n, &msgs);
        check(!t && n == 1 && strstr(msgs, "wide.csv:1: expected at most 1000 columns, found more"),
              "data more than 1,000 columns is an error", msgs);
        data_free(t);
        free(msgs);
        len = (size_t)snprintf(big, cap, "a,b\n");
        for (int r = 0; r < 100; r++)
            len += (size_t)snprintf(big + len, cap - len, "1\n");
        t = data_try("ragged.csv", big, len, &n, &msgs);
        check(!t && n == 21 && strstr(msgs, "stopped reading after 20 errors"), "data stops after 20 errors",
              msgs);
        data_free(t);
        free(msgs);
        free(big);
    }
    /* 1,000,001 records of one short line each: the last one, on line 1,000,002, is refused */
    enum { MAX_ROWS = 1000000 };
    len = 2 + (size_t)(MAX_ROWS + 1) * 2;
    big = malloc(len);
    if (big) {
        memcpy(big, "a\n", 2);
        for (size_t i = 2; i < len; i += 2)
            big[i] = '1', big[i + 1] = '\n';
        t = data_try("long.csv", big, len, &n, &msgs);
        check(!t && n == 1 && strstr(msgs, "long.csv:1000002: expected at most 1000000 records, found more"),
              "data more than 1,000,000 records is an error", msgs);
        data_free(t);
        free(msgs);
        free(big);
    }
}

static void data_test_many(void)
{
    enum { ROWS = 10000 };
    size_t cap = (size_t)ROWS * 64, len = 0;
    char *text = malloc(cap);
    int *lines = malloc(ROWS * sizeof *lines);
    if (!text || !lines) {
        check(0, "data 10,000 rows: out of memory", NULL);
        free(text);
        free(lines);
        return;
    }
    len += (size_t)snprintf(text, cap, "id,name,note\n");
    int line = 2;
    for (int r = 0; r < ROWS; r++) {
        lines[r] = line;
        if (r % 7 == 3) { /* a value over two lines, with a comma and a quote */
            len += (size_t)snprintf(text + len, cap - len, "%d,Name %d,\"a, \"\"q\"\"\nb %d\"\n", r, r, r);
            line += 2;
        } else {
            len += (size_t)snprintf(text + len, cap - len, "%d,Name %d,n%d\n", r, r, r);
            line += 1;
        }
    }
    int n;
    char *msgs;
    data_table *t = data_try("many.csv", text, len, &n, &msgs);
    check(t && n == 0 && data_rows(t) == ROWS, "data 10,000 rows load", msgs);
    if (t) {
        int ok = 1;
        char detail[128] = "";
        static const int spots[] = { 0, 1, 3, 9, 10, 4999, 5000, 9997, 9998, 9999 };
        for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++) {
            int r = spots[i];
            char id[16], name[32], note[32];
            snprintf(id, sizeof id, "%d", r);
            snprintf(name, sizeof name, "Name %d", r);
            if (r % 7 == 3)
                snprintf(note, sizeof note, "a, \"q\"\nb %d", r);
            else
                snprintf(note, sizeof note, "n%d", r);
            if (!str_is(data_value(t, (size_t)r, 0), id) || !str_is(data_value(t, (size_t)r, 1), name) ||
                !str_is(data_value(t, (size_t)r, 2), note) || data_row_line(t, (size_t)r) != lines[r]) {
                snprintf(detail, sizeof detail, "record %d: line %d, expected %d", r, data_row_line(t, (size_t)r),
                         lines[r]);
                ok = 0;
                break;
            }
        }
        check(ok, "data 10,000 rows: values and lines spot-checked", detail);
        /* 9999 % 7 == 3: the last record spans the last two lines of the file */
        check(data_row_line(t, ROWS - 1) == line - 2, "data 10,000 rows: line of the last record", NULL);
    }
    printf("# data: %d records (%zu bytes) loaded in %.1f ms (not asserted)\n", ROWS, len, data_load_ms);
    data_free(t);
    free(msgs);
    free(text);
    free(lines);
}

/* readfile_as: one sentence "expected X, found Y" for every way a read fails (issue 18 leftover:
 * data.c and content.c read "expected ... found an error: expected a regular file ..."), with
 * the file named when asked and only then, and the errno that picks the diagnostic id. */
static void data_test_readfile_as(void)
{
    char path[300], fifo[300], why[512];
    size_t len;
    struct {
        const char *name, *path, *shown, *id, *want;
        size_t max;
    } cases[] = {
        { "a FIFO", fifo, NULL, "input-not-regular", "expected a CSV file, found a named pipe (FIFO)", 100 },
        { "a FIFO, named", fifo, "x.csv", "input-not-regular", "expected a CSV file, found x.csv, a named pipe (FIFO)",
          100 },
        { "a folder", data_dir, NULL, "input-not-regular", "expected a CSV file, found a folder", 100 },
        { "a device", "/dev/null", "/dev/null", "input-not-regular",
          "expected a CSV file, found /dev/null, a character device", 100 },
        { "too large", path, NULL, "input-too-large",
          "expected a CSV file of at most 0 MiB (10 bytes), found 11 bytes", 10 },
        { "too large, named", path, "big.csv", "input-too-large",
          "expected a CSV file of at most 0 MiB (10 bytes), found big.csv of 11 bytes", 10 },
        { "missing", "/nonexistent/x.csv", NULL, "input-unreadable",
          "expected a CSV file, found nothing at that path (No such file or directory)", 100 },
        { "missing, named", "/nonexistent/x.csv", "x.csv", "input-unreadable",
          "expected a CSV file, found nothing at x.csv (No such file or directory)", 100 },
        { "a link to itself", fifo, "loop.csv", "input-unreadable",
          "expected a CSV file, found loop.csv, which cannot be opened (Too many levels of symbolic links)", 100 },
    };
    snprintf(path, sizeof path, "%s", data_fixture("eleven.csv", "a,b\n1,2,3\n", 11));
    snprintf(fifo, sizeof fifo, "%s/fifo.csv", data_dir);
    if (mkfifo(fifo, 0600) != 0) {
        check(0, "readfile_as: cannot make a FIFO", fifo);
        return;
    }
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (strcmp(cases[i].name, "a link to itself") == 0) {
            unlink(fifo);
            if (symlink("fifo.csv", fifo) != 0)
                check(0, "readfile_as: cannot make a link", fifo);
        }
        why[0] = '\0';
        errno = 0;
        char *buf = readfile_as(cases[i].path, "a CSV file", cases[i].shown, cases[i].max, &len, why, sizeof why);
        const char *id = readfile_error_id(errno);
        char name[120], detail[700];
        snprintf(name, sizeof name, "readfile_as: %s", cases[i].name);
        snprintf(detail, sizeof detail, "got \"%s\" (%s), expected \"%s\" (%s)", why, id, cases[i].want, cases[i].id);
        check(!buf && strcmp(why, cases[i].want) == 0 && strcmp(id, cases[i].id) == 0, name, detail);
        free(buf);
    }
    unlink(fifo);
    char *buf = readfile_as(path, "a CSV file", NULL, 100, &len, why, sizeof why);
    check(buf && len == 11 && memcmp(buf, "a,b\n1,2,3\n", 11) == 0, "readfile_as: a file within the limit is read", why);
    free(buf);
}

void test_data(void)
{
    if (!mkdtemp(data_dir)) {
        check(0, "data: cannot make a temporary folder", data_dir);
        return;
    }
    data_test_good();
    data_test_bad();
    data_test_many();
    data_test_readfile_as();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", data_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", data_dir);
}
