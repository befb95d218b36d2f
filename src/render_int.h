/* render_int: what the three rooms of drawing share, and no other module sees: the state of one
 * build's drawing (struct render) and the fonts of a text element's slots. render.c owns the
 * state, the elements other than text (QR codes, images, rules, boxes), one item's drawing and a
 * part's life (start, draw, dump, save); art.c what is drawn once for every item; typeset.c owns text: spans, fonts and their fallbacks,
 * fitting, number checks on what is set, fit groups, Markdown; pages.c owns page planning: how
 * items go onto pages (plain, print-shop with bleed, sheets with crop marks, tiles). */
#ifndef HANDOUT_RENDER_INT_H
#define HANDOUT_RENDER_INT_H

#include "render.h"
#include "hyphenate.h"
#include "numbers.h"
#include "pdf.h"
#include "tags.h"
#include "unicode.h"

#include <stdio.h>

#define EPS 1e-6
#define SECT_SLOTS 256
#define ASCENT 0.8 /* baseline below the top of a line's em box, as a multiple of the size */

typedef struct md_cache {
    char *name; /* the expanded file name */
    char *path;
    char *raw;
} md_cache;

struct render {
    const layout *l;
    const render_opts *o;
    content *c;
    fonts *fonts;
    pdf_doc *pdf;
    diag *d;
    FILE *dump;
    double ox, oy;     /* where the current item's trim box starts on the page */
    long item;         /* the current item, 0-based */
    md_cache *md;      /* per element: the last Markdown file read, or image checked */
    const printer_adjust *printer;
    int tiles_per_item; /* tiles: the pages one item is tiled into */
    long failed_item;  /* the first item with an error, or -1 */
    render_stats *stats; /* what is set, when a check wants it; or NULL */
    int page;          /* the current page, 1-based within the file */
    const numbers *numbers; /* known numbers, or NULL */
    hyphenator *hyph;  /* dictionaries, loaded on first use */
    unicode_breaker *breaker; /* line breaking (UAX #14), an iterator per language */
    bool measuring;    /* fit groups: lay out only, record each element's scale */
    double *scale;     /* per element: the measured scale, then the group's; 0: none */
    tags *tags;        /* the document's structure (tagged PDF), or NULL */
    int sect_node[SECT_SLOTS]; /* sheets: the section of item sect_item[k] (k = item % SECT_SLOTS) */
    long sect_item[SECT_SLOTS];
    int *group;        /* per element: its group in the structure when the layout sets an order */
    struct art *art;   /* what is drawn once for every item (art.c), or NULL */
    struct gamut *gamut; /* PDF/X builds: the output profile's transforms for images, made on first use */
};


/* A slot's fonts: the first that has a character's glyph sets it (font fallback); a character
 * none of them has takes a face fontconfig chooses for it (fonts_fallback), unless the element
 * says font_fallback = no. Font ids in text spans are slot * FONT_FALLBACKS + the index in the
 * slot's list, and for the faces fontconfig chose, FONT_SLOTS * FONT_FALLBACKS + slot *
 * FONT_EXTRA + the index among them (font_id). */
#define FONT_FALLBACKS 4 /* fonts in a slot's list, at most */
#define FONT_EXTRA 6     /* faces fontconfig chose, per slot, at most */
#define FONT_IDS (FONT_SLOTS * FONT_FALLBACKS + FONT_SLOTS * FONT_EXTRA)

/* The id of a slot's k-th font: k below FONT_FALLBACKS a font of its list, from there on the
 * (k - FONT_FALLBACKS)-th face fontconfig chose. */
static inline int font_id(int slot, int k)
{
    return k < FONT_FALLBACKS ? slot * FONT_FALLBACKS + k
                              : FONT_SLOTS * FONT_FALLBACKS + slot * FONT_EXTRA + (k - FONT_FALLBACKS);
}

typedef struct measure_ctx {
    pdf_font *font[FONT_IDS];
    const font_face *face[FONT_IDS];
    int count[FONT_SLOTS]; /* fonts in each slot's list, 0 when not loaded */
    const char *lang;      /* the element's language (BCP 47), for shaping; or NULL */
    int extra[FONT_SLOTS]; /* faces fontconfig chose for each slot */
} measure_ctx;

/* ---- render.c ---- */
/* A number one keystroke from a known hotline or text number is an error: false after reporting. */
bool render_check_numbers(render *r, const char *text, diag_loc loc);
/* Draws one element of the current item (text through typeset.c). */
void render_draw_element(render *r, const element *e, double allowance);
/* Draws one side of the current item with its trim's top-left corner at (x, y) of the page,
 * clipped to the trim plus allowance of bleed, or to window (page coordinates) when given. */
void render_draw_item_in(render *r, item_side side, double x, double y, double allowance, const double *window);
/* The same, clipped to the trim plus allowance; the first item with an error is remembered. */
void render_draw_item(render *r, item_side side, double x, double y, double allowance);
/* Sets the current item: its record (when merging data), language and serial number. */
void render_use_item(render *r, const render_opts *o, long i);

/* ---- art.c ---- */
/* What is the same on every item, drawn once as a form XObject and placed on each item (see
 * art.c for what counts as the same and how placements are tagged). */
typedef struct art art;
/* For one part of `items` items: NULL when out of memory. */
art *art_new(const render *r, long items);
void art_free(art *a);
/* Draws element e of the current item: a placement of its form when it is the same on every
 * item, else render_draw_element. */
void art_draw_element(render *r, const element *e, double allowance);

/* ---- typeset.c ---- */
/* Resolves and loads the fonts of one slot (a comma-separated list); false after reporting. */
bool typeset_load_slot(render *r, const element *e, int slot, measure_ctx *m);
void typeset_text(render *r, const element *e);
void typeset_markdown(render *r, const element *e);
/* Fit groups: every member is laid out alone first; then all take the smallest of their sizes. */
void typeset_fit_groups(render *r, item_side side);

/* ---- pages.c ---- */
/* Items first..last-1 onto pages: print-shop pages with bleed and boxes, plain pages of the trim
 * size, sheets in their grid (backs mirrored), or tiles; *pages counts the pages made. */
void pages_print_shop(render *r, const render_opts *o, long first, long last, int *pages);
void pages_plain(render *r, const render_opts *o, long first, long last, int *pages);
void pages_sheets(render *r, const render_opts *o, long first, long last, int *pages);
void pages_tiles(render *r, const render_opts *o, long first, long last, int *pages);
/* The options' appendix (a layout of one side and its own content) on a page of its size after
 * the items, as item `last` of the part; the render's own layout and content are restored after. */
void pages_appendix(render *r, const render_opts *o, long last, int *pages);
/* Tiles: how many pages (rows x columns of tiles) one item takes; 0 after reporting when the tile
 * paper cannot hold it or the tiles pass the pages one file may hold. */
int pages_tiles_per_item(const layout *l, const render_opts *o, diag *d);

#endif
