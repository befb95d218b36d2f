/* diag: formats and counts diagnostics. Format of one message:
 *   handout: error: FILE:LINE: [SECTION] KEY: text
 * and, with a context set, handout: error: CONTEXT: FILE:LINE: [SECTION] KEY: text */
#include "diag.h"

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
