/* diag: formats, shows and counts diagnostics. Format of one message:
 *   handout: error: FILE:LINE: [SECTION] KEY: text
 * and, with a context set, handout: error: CONTEXT: FILE:LINE: [SECTION] KEY: text
 * The line is shown with its control characters escaped (escape_shown); the record keeps the
 * text as it was made (escaped the record's way, which reads back). */
#include "diag.h"
#include "escape.h"
#include "strfmt.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DIAG_SEEN 256
#define DIAG_LINE 2048 /* a message as made, before it is shown escaped */

struct diag {
    FILE *sink;
    int errors;
    int warnings;
    char last[4 * DIAG_LINE];      /* the last message as shown: at most 4 bytes per byte made (\xHH) */
    const char *last_id;           /* its id: a string literal of the caller's, "" before the first */
    char context[512];             /* "" when none */
    FILE *records;                 /* diag_set_records: NULL when none */
    diag_record_fn on_record;      /* diag_set_callback: NULL when none */
    void *on_record_data;
    unsigned long seen[DIAG_SEEN]; /* hashes of printed messages: each is printed once */
    int nseen;
};

static unsigned long diag_hash(const char *s)
{
    unsigned long h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

diag *diag_new(FILE *sink)
{
    diag *d = calloc(1, sizeof *d);
    if (d) {
        d->sink = sink;
        d->last_id = "";
    }
    return d;
}

void diag_free(diag *d)
{
    free(d);
}

/* The length of what the first n bytes of fmt make of the arguments (n < 1024). A prefix of a
 * format makes a prefix of what the whole format makes: the conversions are read in order, and
 * the arguments the prefix does not use are left alone. */
__attribute__((format(printf, 1, 0))) static size_t diag_made_length(const char *fmt, size_t n, va_list ap)
{
    char part[1024];
    if (n >= sizeof part)
        return (size_t)-1;
    memcpy(part, fmt, n);
    part[n] = '\0';
    va_list aq;
    va_copy(aq, ap);
    /* part is a prefix of the caller's format, which the compiler checked at the call (diag.h) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    int w = vsnprintf(NULL, 0, part, aq);
#pragma GCC diagnostic pop
    va_end(aq);
    return w < 0 ? (size_t)-1 : (size_t)w;
}

/* Where fmt's own words put "expected A, found B" in text (made from fmt and ap): A is text[*a0,
 * *a1), B is text[*b0, *b1). False when fmt has no such words (docs/errors.md, the records). */
__attribute__((format(printf, 1, 0))) static bool diag_split(const char *fmt, va_list ap, size_t textlen, size_t *a0,
                                                             size_t *a1, size_t *b0, size_t *b1)
{
    const char *e = strncmp(fmt, "expected ", 9) == 0 ? fmt : strstr(fmt, ": expected ");
    if (!e)
        return false;
    if (e != fmt)
        e += 2; /* past ": " */
    const char *f = strstr(e + 9, ", found ");
    if (!f)
        return false;
    const char *end = strstr(f + 8, "; ");
    size_t at[4] = { (size_t)(e + 9 - fmt), (size_t)(f - fmt), (size_t)(f + 8 - fmt),
                     end ? (size_t)(end - fmt) : strlen(fmt) };
    size_t made[4];
    for (int k = 0; k < 4; k++) {
        made[k] = diag_made_length(fmt, at[k], ap);
        if (made[k] == (size_t)-1)
            return false;
        if (made[k] > textlen)
            made[k] = textlen; /* the text was cut: so are its parts */
    }
    *a0 = made[0], *a1 = made[1], *b0 = made[2], *b1 = made[3];
    return *a0 <= *a1 && *b0 <= *b1;
}

/* Writes the n bytes at s escaped (escape.h) to f. */
static void diag_put_field(const char *s, size_t n, FILE *f)
{
    char buf[DIAG_LINE];
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    escape_fputs(buf, f);
}

__attribute__((format(printf, 5, 0))) static void diag_emit(diag *d, const char *level, const char *id, diag_loc loc,
                                                            const char *fmt, va_list ap)
{
    char made[DIAG_LINE];
    size_t n = 0, cap = sizeof made;
    int w = snprintf(made, cap, "handout: %s: ", level);
    n = w > 0 ? (size_t)w : 0;
    if (d->context[0] && n < cap) {
        w = snprintf(made + n, cap - n, "%s: ", d->context);
        n += w > 0 ? (size_t)w : 0;
    }
    if (loc.file && n < cap) {
        if (loc.line > 0)
            w = snprintf(made + n, cap - n, "%s:%d: ", loc.file, loc.line);
        else
            w = snprintf(made + n, cap - n, "%s: ", loc.file);
        n += w > 0 ? (size_t)w : 0;
    }
    if (loc.section && n < cap) {
        w = snprintf(made + n, cap - n, "[%s] ", loc.section);
        n += w > 0 ? (size_t)w : 0;
    }
    if (loc.key && n < cap) {
        w = snprintf(made + n, cap - n, "%s: ", loc.key);
        n += w > 0 ? (size_t)w : 0;
    }
    size_t text_at = n < cap ? n : cap - 1;
    if (n < cap) {
        va_list aq;
        va_copy(aq, ap);
        vsnprintf(made + n, cap - n, fmt, aq);
        va_end(aq);
    }
    escape_shown(made, false, d->last, sizeof d->last);
    d->last_id = id;
    unsigned long h = diag_hash(d->last);
    for (int i = 0; i < d->nseen; i++)
        if (d->seen[i] == h)
            return; /* the same problem reached through a second path */
    if (d->nseen < DIAG_SEEN)
        d->seen[d->nseen++] = h;
    if (d->sink) {
        fputs(d->last, d->sink);
        fputc('\n', d->sink);
    }
    if (!d->records && !d->on_record)
        return;
    const char *text = made + text_at;
    size_t tl = strlen(text), a0 = 0, a1 = 0, b0 = 0, b1 = 0;
    if (!diag_split(fmt, ap, tl, &a0, &a1, &b0, &b1))
        a0 = a1 = b0 = b1 = 0;
    if (d->on_record) {
        char expected[DIAG_LINE], found[DIAG_LINE];
        snprintf(expected, sizeof expected, "%.*s", (int)(a1 - a0), text + a0);
        snprintf(found, sizeof found, "%.*s", (int)(b1 - b0), text + b0);
        diag_record r = { level, id, loc.file ? loc.file : "", loc.section ? loc.section : "",
                          loc.key ? loc.key : "", expected, found, text, loc.line > 0 ? loc.line : 0 };
        d->on_record(d->on_record_data, &r);
    }
    if (d->records) {
        fprintf(d->records, "%s\t", level);
        escape_fputs(id, d->records);
        fputc('\t', d->records);
        escape_fputs(loc.file ? loc.file : "", d->records);
        fprintf(d->records, "\t%d\t", loc.line > 0 ? loc.line : 0);
        escape_fputs(loc.section ? loc.section : "", d->records);
        fputc('\t', d->records);
        escape_fputs(loc.key ? loc.key : "", d->records);
        fputc('\t', d->records);
        diag_put_field(text + a0, a1 - a0, d->records);
        fputc('\t', d->records);
        diag_put_field(text + b0, b1 - b0, d->records);
        fputc('\t', d->records);
        escape_fputs(text, d->records);
        fputc('\n', d->records);
        fflush(d->records);
    }
}

void diag_set_records(diag *d, FILE *f)
{
    d->records = f;
}

void diag_set_callback(diag *d, diag_record_fn fn, void *data)
{
    d->on_record = fn;
    d->on_record_data = data;
}

char *diag_record_shown(const diag_record *r)
{
    char at[32] = "";
    if (r->line > 0)
        snprintf(at, sizeof at, ":%d", r->line);
    char *made = strfmt("%s%s%s%s%s%s%s%s%s", r->file, at, r->file[0] ? ": " : "", r->section[0] ? "[" : "",
                        r->section, r->section[0] ? "] " : "", r->key, r->key[0] ? ": " : "", r->text);
    size_t size = made ? 4 * strlen(made) + 1 : 0; /* at most \xHH per byte */
    char *out = made ? malloc(size) : NULL;
    if (out)
        escape_shown(made, false, out, size);
    free(made);
    return out;
}

#define DIAG_FIELDS 9

bool diag_record_parse(char *line, diag_record *r)
{
    char *f[DIAG_FIELDS];
    int n = 0;
    for (char *p = line; n < DIAG_FIELDS;) {
        f[n++] = p;
        char *t = strchr(p, '\t');
        if (!t)
            break;
        *t = '\0';
        p = t + 1;
    }
    if (n != DIAG_FIELDS || (strcmp(f[0], "error") != 0 && strcmp(f[0], "warning") != 0))
        return false;
    char *end = NULL;
    long ln = strtol(f[3], &end, 10);
    if (end == f[3] || *end || ln < 0 || ln > 1000000000L)
        return false;
    for (int i = 0; i < DIAG_FIELDS; i++)
        escape_undo(f[i]);
    r->level = f[0];
    r->id = f[1];
    r->file = f[2];
    r->line = (int)ln;
    r->section = f[4];
    r->key = f[5];
    r->expected = f[6];
    r->found = f[7];
    r->text = f[8];
    return true;
}

void diag_verror(diag *d, const char *id, diag_loc loc, const char *fmt, va_list ap)
{
    diag_emit(d, "error", id, loc, fmt, ap);
    d->errors++;
}

void (diag_error)(diag *d, const char *id, diag_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_emit(d, "error", id, loc, fmt, ap);
    va_end(ap);
    d->errors++;
}

void (diag_warn)(diag *d, const char *id, diag_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_emit(d, "warning", id, loc, fmt, ap);
    va_end(ap);
    d->warnings++;
}

int diag_errors(const diag *d)
{
    return d->errors;
}

int diag_warnings(const diag *d)
{
    return d->warnings;
}

void diag_set_context(diag *d, const char *ctx)
{
    snprintf(d->context, sizeof d->context, "%s", ctx ? ctx : "");
}

const char *diag_last(const diag *d)
{
    return d->last;
}

const char *diag_last_id(const diag *d)
{
    return d->last_id;
}
