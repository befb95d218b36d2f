/* render: a validated layout and its content drawn onto a PDF page. Owns the checks that need
 * the whole page (inside the page and margins, no overlaps, QR quiet zones clear), the fitting of
 * text into boxes, glyph coverage, QR module size, and the --dump text description. */
#ifndef HANDOUT_RENDER_H
#define HANDOUT_RENDER_H

#include "content.h"
#include "diag.h"
#include "fonts.h"
#include "layout.h"

typedef struct render_opts {
    const char *output;  /* the PDF to write */
    const char *dump;    /* a file for the text description, "-" for stdout, or NULL */
    long long epoch;     /* SOURCE_DATE_EPOCH, or -1 */
    const char *creator; /* "handout 0.1.0" */
} render_opts;

/* Statuses, as the command line's exit statuses. */
enum { RENDER_OK = 0, RENDER_INPUT = 1, RENDER_OUTPUT = 3, RENDER_INTERNAL = 4 };

/* Checks, lays out, draws and saves. Nothing is written when any error was found. */
int render_build(const layout *l, const content *c, fonts *f, const render_opts *o, diag *d);

#define RENDER_QR_MIN_MODULE_MM 0.5

#endif
