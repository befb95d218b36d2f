/* diag: formats and counts diagnostics. Format of one message:
 *   handout: error: FILE:LINE: [SECTION] KEY: text
 * and, with a context set, handout: error: CONTEXT: FILE:LINE: [SECTION] KEY: text */
#include "diag.h"
#include "escape.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DIAG_SEEN 256

struct diag {
    FILE *sink;
    int errors;
    int warnings;
    char last[2048];
    char context[512]; /* "" when none */
    FILE *records;     /* diag_set_records: NULL when none */
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
    if (d)
        d->sink = sink;
    return d;
}

void diag_free(diag *d)
{
    free(d);
}

__attribute__((format(printf, 4, 0))) static void diag_emit(diag *d, const char *level, diag_loc loc,
                                                          const char *fmt, va_list ap)
{
    size_t n = 0, cap = sizeof d->last;
    int w = snprintf(d->last, cap, "handout: %s: ", level);
    n = w > 0 ? (size_t)w : 0;
    if (d->context[0] && n < cap) {
        w = snprintf(d->last + n, cap - n, "%s: ", d->context);
        n += w > 0 ? (size_t)w : 0;
    }
    if (loc.file && n < cap) {
        if (loc.line > 0)
            w = snprintf(d->last + n, cap - n, "%s:%d: ", loc.file, loc.line);
        else
            w = snprintf(d->last + n, cap - n, "%s: ", loc.file);
        n += w > 0 ? (size_t)w : 0;
    }
    if (loc.section && n < cap) {
        w = snprintf(d->last + n, cap - n, "[%s] ", loc.section);
        n += w > 0 ? (size_t)w : 0;
    }
    if (loc.key && n < cap) {
        w = snprintf(d->last + n, cap - n, "%s: ", loc.key);
        n += w > 0 ? (size_t)w : 0;
    }
    size_t text_at = n < cap ? n : cap - 1;
    if (n < cap)
        vsnprintf(d->last + n, cap - n, fmt, ap);
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
    if (d->records) {
        fprintf(d->records, "%s\t", level);
        escape_fputs(loc.file ? loc.file : "", d->records);
        fprintf(d->records, "\t%d\t", loc.line > 0 ? loc.line : 0);
        escape_fputs(loc.section ? loc.section : "", d->records);
        fputc('\t', d->records);
        escape_fputs(loc.key ? loc.key : "", d->records);
        fputc('\t', d->records);
        escape_fputs(d->last + text_at, d->records);
        fputc('\n', d->records);
        fflush(d->records);
    }
}

void diag_set_records(diag *d, FILE *f)
{
    d->records = f;
}

bool diag_record_parse(char *line, diag_record *r)
{
    char *f[6];
    int n = 0;
    for (char *p = line; n < 6;) {
        f[n++] = p;
        char *t = strchr(p, '\t');
        if (!t)
            break;
        *t = '\0';
        p = t + 1;
    }
    if (n != 6 || (strcmp(f[0], "error") != 0 && strcmp(f[0], "warning") != 0))
        return false;
    char *end = NULL;
    long ln = strtol(f[2], &end, 10);
    if (end == f[2] || *end || ln < 0 || ln > 1000000000L)
        return false;
    for (int i = 0; i < 6; i++)
        escape_undo(f[i]);
    r->level = f[0];
    r->file = f[1];
    r->line = (int)ln;
    r->section = f[3];
    r->key = f[4];
    r->text = f[5];
    return true;
}

void diag_error(diag *d, diag_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_emit(d, "error", loc, fmt, ap);
    va_end(ap);
    d->errors++;
}

void diag_warn(diag *d, diag_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_emit(d, "warning", loc, fmt, ap);
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
