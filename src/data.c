/* data: CSV records through libcsv, the only file that includes csv.h. Quoting follows RFC 4180:
 * a value in double quotes may hold commas, line ends and doubled quotes (""); CSV_STRICT turns a
 * stray quote into an error and CSV_STRICT_FINI an unclosed one at the end of the file (without it
 * libcsv takes the rest of the file as the value). libcsv is fed one line at a time so that line
 * numbers are exact: only LF ends a record (CR is one of libcsv's "spaces", so CR LF works and
 * libcsv trims it), and blank lines are skipped here, before libcsv sees them. Every name and
 * value lives in one arena; the table keeps offsets into it. */
#include "data.h"
#include "inputs.h"
#include "readfile.h"
#include "utf8.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA_MAX_FILE ((size_t)256 << 20)
#define DATA_MAX_ROWS 1000000
#define DATA_MAX_COLUMNS 1000
#define DATA_MAX_ITEMS 1000000L /* as --count allows */
#define DATA_MAX_ERRORS 20 /* then stop: a broken file of a million rows is not a million messages */

struct data_table {
    char *path;
    char *arena; /* every name and value, NUL-terminated; arena[0] is the empty value */
    size_t alen, acap;
    uint32_t *cells; /* arena offsets: the column names, then each record's values, row by row */
    size_t ncells, ccap;
    int *lines; /* the line where each record starts */
    size_t nrows, rcap;
    size_t ncols;
    long *first; /* with a quantity column: the first item of each record, then the total (nrows + 1) */
};

/* What the libcsv callbacks need while a file is read. */
typedef struct data_parse {
    data_table *t;
    diag *d;
    const char *path;
    int line;        /* the line being fed to libcsv */
    int record_line; /* where the current record (or the header) starts */
    int field_line;  /* where the current field starts */
    size_t nfields;  /* fields seen so far in the current record */
    size_t records;  /* records started, the header excluded */
    bool in_record;  /* libcsv is inside a record (a quoted value may span lines) */
    bool header_done;
    bool stop;
    int errors;
} data_parse;

/* ---- the table ---- */

void data_free(data_table *t)
{
    if (!t)
        return;
    free(t->path);
    free(t->arena);
    free(t->cells);
    free(t->lines);
    free(t->first);
    free(t);
}

const char *data_path(const data_table *t)
{
    return t->path;
}

size_t data_rows(const data_table *t)
{
    return t->nrows;
}

size_t data_columns(const data_table *t)
{
    return t->ncols;
}

const char *data_column_name(const data_table *t, size_t col)
{
    return col < t->ncols ? t->arena + t->cells[col] : "";
}

long data_column_index(const data_table *t, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->arena + t->cells[c], name) == 0)
            return (long)c;
    return -1;
}

const char *data_value(const data_table *t, size_t row, size_t col)
{
    if (row >= t->nrows || col >= t->ncols)
        return "";
    return t->arena + t->cells[(row + 1) * t->ncols + col];
}

int data_row_line(const data_table *t, size_t row)
{
    return row < t->nrows ? t->lines[row] : 0;
}

/* ---- quantities ---- */

bool data_use_quantity(data_table *t, const char *name, bool required, diag *d)
{
    long col = data_column_index(t, name);
    if (col < 0) {
        if (required) {
            char *cols = data_column_list(t);
            diag_error(d, "data-no-quantity-column", diag_at(t->path, 1), "expected a column named \"%s\" for the quantities, found the columns %s",
                       name, cols ? cols : "?");
            free(cols);
        }
        return !required;
    }
    free(t->first);
    t->first = malloc((t->nrows + 1) * sizeof *t->first);
    if (!t->first) {
        diag_error(d, "internal-out-of-memory", diag_at(t->path, 0), "out of memory while reading the quantities");
        return false;
    }
    int before = diag_errors(d), shown = 0;
    long total = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        const char *v = data_value(t, r, (size_t)col);
        long q = 0;
        const char *p = v;
        bool neg = *p == '-';
        p += neg;
        for (; *p >= '0' && *p <= '9' && q <= DATA_MAX_ITEMS; p++)
            q = q * 10 + (*p - '0');
        bool digits = p > v + neg && *p == '\0';
        t->first[r] = total;
        if (*v && digits && !neg && q >= 1 && q <= DATA_MAX_ITEMS) {
            total += q;
            continue;
        }
        if (shown++ < DATA_MAX_ERRORS) {
            diag_error(d, "data-bad-quantity", diag_at(t->path, t->lines[r]),
                       "column \"%s\": expected a whole number of copies from 1 to %ld, found %s%s%s", name, DATA_MAX_ITEMS,
                       *v ? "\"" : "an empty field", *v ? v : "", *v ? "\"" : "");
        }
    }
    t->first[t->nrows] = total;
    if (diag_errors(d) > before) {
        free(t->first);
        t->first = NULL;
        return false;
    }
    if (total > DATA_MAX_ITEMS) {
        diag_error(d, "data-too-many-items", diag_at(t->path, 0),
                   "expected at most %ld items in all (the limit of --count), found quantities that add up to %ld; split the file",
                   DATA_MAX_ITEMS, total);
        free(t->first);
        t->first = NULL;
        return false;
    }
    return true;
}

bool data_has_quantities(const data_table *t)
{
    return t->first != NULL;
}

long data_items(const data_table *t)
{
    return t->first ? t->first[t->nrows] : (long)t->nrows;
}

long data_quantity(const data_table *t, size_t row)
{
    if (row >= t->nrows)
        return 0;
    return t->first ? t->first[row + 1] - t->first[row] : 1;
}

size_t data_item_record(const data_table *t, long item, long *within)
{
    if (!t->first || t->nrows == 0) {
        *within = 1;
        return (size_t)item;
    }
    size_t lo = 0, hi = t->nrows - 1; /* the last record whose first item is at most item */
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        if (t->first[mid] <= item)
            lo = mid;
        else
            hi = mid - 1;
    }
    *within = item - t->first[lo] + 1;
    return lo;
}

char *data_column_list(const data_table *t)
{
    size_t n = 1;
    for (size_t c = 0; c < t->ncols; c++)
        n += strlen(data_column_name(t, c)) + 2;
    char *s = malloc(n), *w = s;
    if (!s)
        return NULL;
    *w = '\0';
    for (size_t c = 0; c < t->ncols; c++) {
        const char *name = data_column_name(t, c);
        size_t l = strlen(name);
        if (c > 0)
            *w++ = ',', *w++ = ' ';
        memcpy(w, name, l + 1);
        w += l;
    }
    return s;
}

/* Copies n bytes into the arena, each CR LF as one LF; returns the offset, or 0 when out of memory
 * or beyond what a 32-bit offset can reach (both far beyond a 256 MB file). */
static uint32_t data_store(data_table *t, const char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (t->alen + n + 1 > t->acap) {
        size_t cap = t->acap;
        while (t->alen + n + 1 > cap)
            cap *= 2;
        if (cap > UINT32_MAX)
            return 0;
        char *a = realloc(t->arena, cap);
        if (!a)
            return 0;
        t->arena = a;
        t->acap = cap;
    }
    size_t at = t->alen;
    char *w = t->arena + at;
    if (memchr(s, '\r', n)) {
        for (size_t i = 0; i < n; i++)
            if (!(s[i] == '\r' && i + 1 < n && s[i + 1] == '\n'))
                *w++ = s[i];
    } else {
        memcpy(w, s, n);
        w += n;
    }
    *w++ = '\0';
    t->alen = (size_t)(w - t->arena);
    return (uint32_t)at;
}

bool data_set_column(data_table *t, size_t col, const char *value)
{
    size_t n = strlen(value);
    if (col >= t->ncols)
        return false;
    uint32_t off = data_store(t, value, n);
    if (n > 0 && off == 0)
        return false;
    for (size_t r = 0; r < t->nrows; r++)
        t->cells[(r + 1) * t->ncols + col] = off;
    return true;
}

static bool data_add_cell(data_table *t, uint32_t off)
{
    if (t->ncells == t->ccap) {
        size_t cap = t->ccap ? t->ccap * 2 : 256;
        uint32_t *c = realloc(t->cells, cap * sizeof *c);
        if (!c)
            return false;
        t->cells = c;
        t->ccap = cap;
    }
    t->cells[t->ncells++] = off;
    return true;
}

static bool data_add_line(data_table *t, int line)
{
    if (t->nrows == t->rcap) {
        size_t cap = t->rcap ? t->rcap * 2 : 256;
        int *l = realloc(t->lines, cap * sizeof *l);
        if (!l)
            return false;
        t->lines = l;
        t->rcap = cap;
    }
    t->lines[t->nrows++] = line;
    return true;
}

/* ---- reading ---- */

__attribute__((format(printf, 4, 5))) static void data_error(data_parse *p, const char *id, int line, const char *fmt,
                                                             ...)
{
    if (p->stop)
        return;
    va_list ap;
    va_start(ap, fmt);
    diag_verror(p->d, id, diag_at(p->path, line), fmt, ap);
    va_end(ap);
    if (++p->errors >= DATA_MAX_ERRORS) {
        diag_error(p->d, "data-too-many-errors", diag_at(p->path, 0),
                   "stopped reading after %d errors; fix these first", DATA_MAX_ERRORS);
        p->stop = true;
    }
}

static void data_out_of_memory(data_parse *p)
{
    data_error(p, "internal-out-of-memory", 0, "out of memory while reading the data file");
    p->stop = true;
}

/* "column 3" in the header, and "column \"phone\"" in a record once the header is known. */
static void data_describe_column(const data_parse *p, size_t col, char *buf, size_t size)
{
    const data_table *t = p->t;
    if (p->header_done && col < t->ncols && col < t->ncells && t->cells[col] != 0)
        snprintf(buf, size, "column \"%s\"", t->arena + t->cells[col]);
    else
        snprintf(buf, size, "column %zu", col + 1);
}

static void data_describe_byte(unsigned char c, char *buf, size_t size)
{
    if (c > 0x20 && c < 0x7F)
        snprintf(buf, size, "'%c'", c);
    else
        snprintf(buf, size, "the byte 0x%02X", c);
}

/* A name as written, for a message: control characters as '?', at most about 60 bytes, cut
 * between characters (the text is valid UTF-8 by then). */
static void data_describe_text(const char *s, size_t n, char *buf, size_t size)
{
    size_t max = size - 4 < 60 ? size - 4 : 60, w = 0;
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    for (size_t i = 0; i < n; i++)
        buf[w++] = (unsigned char)s[i] < 0x20 || s[i] == 0x7F ? '?' : s[i];
    if (n == max)
        buf[w++] = '.', buf[w++] = '.', buf[w++] = '.';
    buf[w] = '\0';
}

static int data_is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static int data_is_term(unsigned char c)
{
    return c == '\n';
}

static bool data_is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!data_is_space((unsigned char)s[i]) && s[i] != '\n')
            return false;
    return true;
}

static int data_line_of(const char *s, size_t off, int line)
{
    for (size_t i = 0; i < off; i++)
        line += s[i] == '\n';
    return line;
}

/* Text checks shared by names and values: no NUL byte, valid UTF-8. */
static bool data_check_text(data_parse *p, size_t col, const char *s, size_t n, int line)
{
    char where[96];
    const char *nul = memchr(s, '\0', n);
    if (nul) {
        data_describe_column(p, col, where, sizeof where);
        data_error(p, "data-nul-byte", data_line_of(s, (size_t)(nul - s), line),
                   "%s: expected text, found a NUL byte (is this a binary file?)", where);
        return false;
    }
    long bad = utf8_invalid_at(s, n);
    if (bad >= 0) {
        data_describe_column(p, col, where, sizeof where);
        data_error(p, "data-not-utf8", data_line_of(s, (size_t)bad, line),
                   "%s: expected UTF-8 text, found the invalid byte 0x%02X; save the file as UTF-8", where,
                   (unsigned char)s[bad]);
        return false;
    }
    return true;
}

/* One header field: a column name, trimmed, lower-cased, [a-z0-9_]+, not seen before. Each
 * column gets a cell, offset 0 for a name in error, so that the header stays aligned. */
static void data_header_field(data_parse *p, size_t col, const char *s, size_t n, int line)
{
    if (col == DATA_MAX_COLUMNS) {
        data_error(p, "data-too-many-columns", line, "expected at most %d columns, found more", DATA_MAX_COLUMNS);
        return;
    }
    if (col > DATA_MAX_COLUMNS)
        return;
    if (!data_add_cell(p->t, 0)) {
        data_out_of_memory(p);
        return;
    }
    if (!data_check_text(p, col, s, n, line))
        return;
    while (n > 0 && (data_is_space((unsigned char)*s) || *s == '\n'))
        s++, n--;
    while (n > 0 && (data_is_space((unsigned char)s[n - 1]) || s[n - 1] == '\n'))
        n--;
    if (n == 0) {
        data_error(p, "data-empty-column-name", line, "column %zu: expected a column name, found an empty one",
                   col + 1);
        return;
    }
    char name[256];
    if (n >= sizeof name) {
        data_error(p, "data-column-name-too-long", line,
                   "column %zu: expected a name of at most %zu characters, found %zu", col + 1, sizeof name - 1, n);
        return;
    }
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        name[i] = c;
    }
    if (!ok) {
        /* suggest the name with each run of other characters as one '_' (not for non-ASCII
         * letters, which that would mangle) */
        char hint[256];
        size_t h = 0;
        for (size_t i = 0; i < n && h + 1 < sizeof hint; i++) {
            if ((unsigned char)s[i] >= 0x80) {
                h = 0;
                break;
            }
            char c = s[i];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')
                hint[h++] = c;
            else if (h > 0 && hint[h - 1] != '_')
                hint[h++] = '_';
        }
        while (h > 0 && hint[h - 1] == '_')
            h--;
        hint[h] = '\0';
        char shown[80];
        data_describe_text(s, n, shown, sizeof shown);
        data_error(p, "data-bad-column-name", line,
                   "column %zu: expected a name of letters a-z, digits and _ (it is used as a "
                   "{placeholder}), found \"%s\"%s%s%s",
                   col + 1, shown, h ? "; write " : "", hint, h ? " instead" : "");
        return;
    }
    name[n] = '\0';
    data_table *t = p->t;
    for (size_t c = 0; c < col; c++)
        if (t->cells[c] != 0 && strcmp(t->arena + t->cells[c], name) == 0) {
            data_error(p, "data-duplicate-column", line,
                       "column %zu: expected each column name once, found \"%s\" again (also "
                       "column %zu)",
                       col + 1, name, c + 1);
            return;
        }
    uint32_t off = data_store(t, name, n);
    if (!off)
        data_out_of_memory(p);
    t->cells[col] = off;
}

/* libcsv's field callback: called at the comma or line end after each field. */
static void data_field(void *field, size_t n, void *arg)
{
    data_parse *p = arg;
    if (p->stop)
        return;
    const char *s = field ? field : "";
    size_t col = p->nfields++;
    int line = p->field_line;
    p->field_line = p->line; /* the next field starts after this comma, on this line */
    if (!p->header_done) {
        data_header_field(p, col, s, n, line);
        return;
    }
    if (!data_check_text(p, col, s, n, line) || p->errors || col >= p->t->ncols)
        return;
    uint32_t off = data_store(p->t, s, n);
    if ((n && !off) || !data_add_cell(p->t, off))
        data_out_of_memory(p);
}

/* libcsv's record callback: called at the line end after the last field. */
static void data_record(int c, void *arg)
{
    data_parse *p = arg;
    (void)c;
    p->in_record = false;
    if (p->stop)
        return;
    size_t nfields = p->nfields;
    p->nfields = 0;
    if (!p->header_done) {
        p->header_done = true;
        p->t->ncols = nfields;
        if (nfields > DATA_MAX_COLUMNS)
            p->stop = true; /* reported; the records cannot be checked against it */
        return;
    }
    if (nfields != p->t->ncols) {
        data_error(p, "data-field-count", p->record_line, "expected %zu field%s as in the header, found %zu%s",
                   p->t->ncols, p->t->ncols == 1 ? "" : "s", nfields,
                   nfields > p->t->ncols ? " (a value holding a comma must be in double quotes)" : "");
        return;
    }
    if (p->errors == 0 && !data_add_line(p->t, p->record_line))
        data_out_of_memory(p);
}

/* libcsv stopped at s[at] (CSV_STRICT): say what it found there. */
static void data_syntax_error(data_parse *p, const char *s, size_t at)
{
    char where[96], found[32];
    data_describe_column(p, p->nfields, where, sizeof where);
    if (s[at] == '"')
        data_error(p, "data-stray-quote", p->line,
                   "%s: expected double quotes only around a whole value (with \"\" for a quote "
                   "inside it), found a stray double quote",
                   where);
    else {
        data_describe_byte((unsigned char)s[at], found, sizeof found);
        data_error(p, "data-text-after-quote", p->line,
                   "%s: expected a comma or the end of the line after the closing double quote, "
                   "found %s",
                   where, found);
    }
    p->stop = true; /* libcsv cannot go on from here */
}

data_table *data_load(const char *path, diag *d)
{
    size_t len = 0;
    char why[512];
    inputs_note(path);
    /* one sentence for every failure (the file is named before it): a FIFO, a folder, a device,
     * over DATA_MAX_FILE (the limit and the size), missing, unreadable */
    char *buf = readfile_as(path, "a CSV file", NULL, DATA_MAX_FILE, &len, why, sizeof why);
    if (!buf) {
        diag_error(d, readfile_error_id(errno), diag_at(path, 0), "%s", why);
        return NULL;
    }
    data_table *t = calloc(1, sizeof *t);
    if (t) {
        t->path = strdup(path);
        t->acap = len + 2; /* each value is shorter than its field and delimiter: no growth */
        t->arena = malloc(t->acap);
    }
    if (!t || !t->path || !t->arena) {
        diag_error(d, "internal-out-of-memory", diag_at(path, 0), "out of memory while reading the data file");
        data_free(t);
        free(buf);
        return NULL;
    }
    t->arena[0] = '\0';
    t->alen = 1;

    data_parse p = { .t = t, .d = d, .path = t->path };
    const char *s = buf;
    size_t n = len;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) /* a byte-order mark, as spreadsheets write */
        s += 3, n -= 3;
    if (memchr(s, '\r', n) && !memchr(s, '\n', n)) {
        data_error(&p, "data-cr-line-ends", 1,
                   "expected lines ending in LF or CR LF, found CR alone (an old Mac "
                   "format); save the file with other line ends");
        n = 0;
    }

    struct csv_parser cp;
    csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI);
    csv_set_space_func(&cp, data_is_space);
    csv_set_term_func(&cp, data_is_term);
    csv_set_blk_size(&cp, 4096); /* libcsv grows its field buffer by this much, 128 by default */

    int blank = 0; /* the first of the blank lines seen since the last record */
    size_t pos = 0;
    while (pos < n && !p.stop) {
        p.line++;
        const char *seg = s + pos;
        const char *nl = memchr(seg, '\n', n - pos);
        size_t sn = nl ? (size_t)(nl - seg) + 1 : n - pos;
        pos += sn;
        if (!p.in_record) {
            if (data_is_blank(seg, sn)) {
                if (!blank)
                    blank = p.line;
                continue;
            }
            if (blank) {
                if (p.header_done)
                    data_error(&p, "data-blank-line", blank,
                               "expected a record, found a blank line (blank lines are "
                               "allowed only at the end of the file)");
                else
                    data_error(&p, "data-blank-line", blank,
                               "expected the header line of column names, found a blank line");
                blank = 0;
            }
            if (p.header_done && ++p.records > DATA_MAX_ROWS) {
                data_error(&p, "data-too-many-records", p.line,
                           "expected at most %d records, found more; split the file", DATA_MAX_ROWS);
                p.stop = true;
                break;
            }
            p.in_record = true;
            p.record_line = p.field_line = p.line;
        }
        size_t used = csv_parse(&cp, seg, sn, data_field, data_record, &p);
        if (used < sn && !p.stop) {
            if (csv_error(&cp) == CSV_EPARSE)
                data_syntax_error(&p, seg, used);
            else
                data_out_of_memory(&p);
        }
    }
    if (!p.stop && csv_fini(&cp, data_field, data_record, &p) != 0) {
        char where[96];
        data_describe_column(&p, p.nfields, where, sizeof where);
        data_error(&p, "data-unclosed-quote", p.field_line,
                   "%s: expected a closing double quote for the value that starts here, found the "
                   "end of the file",
                   where);
    }
    csv_free(&cp);
    free(buf);

    if (!p.stop && p.errors == 0) {
        if (!p.header_done)
            data_error(&p, "data-no-header", 0, "expected a header line of column names, found %s",
                       n == 0 ? "an empty file" : "only blank lines");
        else if (p.records == 0)
            data_error(&p, "data-no-records", 0,
                       "expected at least one record after the header line, found only the header");
    }
    if (p.errors) {
        data_free(t);
        return NULL;
    }
    return t;
}
