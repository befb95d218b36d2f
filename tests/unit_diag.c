/* Unit tests: diagnostics (src/diag.c) as docs/errors.md describes them: the line on the sink
 * with its control characters shown escaped ("Messages"), and the record of nine fields with the
 * id and EXPECTED and FOUND cut where the program's own words put them ("Diagnostic records"). */
#include "diag.h"
#include "escape.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The record line of one message and the line on the sink, made by fn through a fresh diag. */
typedef struct made {
    char rec[4096], sink[4096];
} made;

static FILE *open_mem(char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    return open_memstream(buf, len);
}

static void collect(made *m, diag *d, FILE *sf, FILE *rf, char **sb, char **rb)
{
    fclose(sf);
    fclose(rf);
    diag_free(d);
    snprintf(m->sink, sizeof m->sink, "%s", *sb ? *sb : "");
    snprintf(m->rec, sizeof m->rec, "%s", *rb ? *rb : "");
    free(*sb);
    free(*rb);
    size_t n = strlen(m->rec);
    if (n && m->rec[n - 1] == '\n')
        m->rec[n - 1] = '\0';
}

void test_diag(void)
{
    /* 1-6: EXPECTED and FOUND cut by the words of the format, never by searching the values */
#define ROW(n, fmt, a, b, want_e, want_f)                                                                       \
    do {                                                                                                        \
        char *sb, *rb;                                                                                          \
        size_t sl, rl;                                                                                          \
        FILE *sf = open_mem(&sb, &sl), *rf = open_mem(&rb, &rl);                                                \
        diag *d = diag_new(sf);                                                                                 \
        diag_set_records(d, rf);                                                                                \
        diag_loc loc = { "l.ini", 7, "title", "size" };                                                         \
        diag_error(d, "layout-bad-length", loc, fmt, a, b);                                                     \
        made m;                                                                                                 \
        collect(&m, d, sf, rf, &sb, &rb);                                                                       \
        diag_record r;                                                                                          \
        char line[4096], name[200], detail[4200];                                                               \
        snprintf(line, sizeof line, "%s", m.rec);                                                               \
        bool parsed = diag_record_parse(line, &r);                                                              \
        snprintf(name, sizeof name, "diag: row %d: EXPECTED \"%s\", FOUND \"%s\" (docs/errors.md, records)", n, \
                 want_e, want_f);                                                                               \
        snprintf(detail, sizeof detail, "record [%s]", m.rec);                                                  \
        check(parsed &&strcmp(r.expected, want_e) == 0 && strcmp(r.found, want_f) == 0, name, detail);          \
    } while (0)
    /* the plain form, with the advice after "; " left out of FOUND */
    ROW(1, "expected %s, found \"%s\"; write it again", "a length with a unit", "12", "a length with a unit", "\"12\"");
    /* values holding ", found " and "; ": they stay where the format put them */
    ROW(2, "expected %s, found \"%s\"", "x, found y", "p; q, found r", "x, found y", "\"p; q, found r\"");
    /* a name before ": expected " (data.c's column) */
    ROW(3, "%s: expected %s, found an empty one", "column 3", "a column name", "a column name", "an empty one");
    /* another form: both empty */
    ROW(4, "character %s has no glyph in font %s", "U+4E2D", "Liberation Sans", "", "");
    /* a sentence made elsewhere and passed on whole: both empty, even though it reads as one */
    ROW(5, "%s%s", "expected a regular file, found x", ", a FIFO", "", "");
    /* "expected" without ", found" after it: both empty */
    ROW(6, "expected %s and %s", "one", "two", "", "");
#undef ROW

    /* 7: the nine fields, in order, and the line on the sink as before (the id not on it) */
    {
        char *sb, *rb;
        size_t sl, rl;
        FILE *sf = open_mem(&sb, &sl), *rf = open_mem(&rb, &rl);
        diag *d = diag_new(sf);
        diag_set_records(d, rf);
        diag_loc loc = { "layouts/a.ini", 27, "title", "size" };
        diag_warn(d, "text-small-type", loc, "expected %s, found \"%s\"", "a size", "5pt");
        check(strcmp(diag_last_id(d), "text-small-type") == 0, "diag: the last message's id is kept (diag_last_id)",
              diag_last_id(d));
        made m;
        collect(&m, d, sf, rf, &sb, &rb);
        check(strcmp(m.rec,
                     "warning\ttext-small-type\tlayouts/a.ini\t27\ttitle\tsize\ta size\t\"5pt\"\texpected a size, "
                     "found \"5pt\"") == 0,
              "diag: a record is LEVEL ID FILE LINE SECTION KEY EXPECTED FOUND TEXT", m.rec);
        check(strcmp(m.sink, "handout: warning: layouts/a.ini:27: [title] size: expected a size, found \"5pt\"\n") == 0,
              "diag: the line on the sink is as it was, without the id", m.sink);
    }

    /* 8-9: control characters: escaped on the sink, kept in the record (read back as they were) */
    {
        char *sb, *rb;
        size_t sl, rl;
        FILE *sf = open_mem(&sb, &sl), *rf = open_mem(&rb, &rl);
        diag *d = diag_new(sf);
        diag_set_records(d, rf);
        const char *value = "\x1b[2J\xc2\x9b"
                            "31m\x7f\t\n\xe2\x80\xae"
                            "evil \xff\\x é";
        diag_error(d, "layout-unknown-type", diag_at("a\x1b.ini", 3), "found \"%s\"", value);
        made m;
        collect(&m, d, sf, rf, &sb, &rb);
        check(strcmp(m.sink,
                     "handout: error: a\\x1B.ini:3: found \"\\x1B[2J\\u009B31m\\x7F\\x09\\x0A\\u202Eevil \\xFF\\x "
                     "é\"\n") == 0,
              "diag: ESC, C1, DEL, tab, newline, a bidi override and a bad byte are shown escaped on the sink; "
              "a backslash and UTF-8 letters as they are",
              m.sink);
        diag_record r;
        char line[4096];
        snprintf(line, sizeof line, "%s", m.rec);
        char want[256];
        snprintf(want, sizeof want, "found \"%s\"", value);
        check(!strchr(m.rec, '\n') && diag_record_parse(line, &r) && strcmp(r.text, want) == 0 &&
                  strcmp(r.file, "a\x1b.ini") == 0,
              "diag: the record keeps the text and the file as they were (escaped the record's way)", m.rec);
    }

    /* 10: the escaped form never grows past the buffer, and cuts before a whole escape */
    {
        char out[8];
        size_t n = escape_shown("ab\x1b"
                                "cd",
                                false, out, sizeof out);
        check(n == 7 && strcmp(out, "ab\\x1Bc") == 0, "escape_shown: cut before what does not fit whole", out);
        n = escape_shown("a\\b", true, out, sizeof out);
        check(n == 4 && strcmp(out, "a\\\\b") == 0, "escape_shown: with backslash, '\\' is doubled (list's form)", out);
    }

    /* 11: a record line of another form is refused (the six fields of before, an unknown level) */
    {
        char old[] = "error\tl.ini\t3\ts\tk\ttext";
        char bad[] = "fatal\tx\tl.ini\t3\ts\tk\te\tf\ttext";
        diag_record r;
        check(!diag_record_parse(old, &r) && !diag_record_parse(bad, &r),
              "diag: a line of six fields, or of an unknown level, is not a record", NULL);
    }
}
