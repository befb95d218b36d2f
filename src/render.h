/* render: a validated layout and its content drawn onto PDF pages, one document (a part) at a
 * time. Owns the checks that need the whole page (inside the page and margins, no overlaps, QR
 * quiet zones clear), the fitting of text into boxes, glyph coverage, QR module size, and the
 * --dump text description. */
#ifndef HANDOUT_RENDER_H
#define HANDOUT_RENDER_H

#include "content.h"
#include "diag.h"
#include "fonts.h"
#include "impose.h"
#include "layout.h"
#include "status.h"

struct data_table;

/* What was set on the pages, for checks such as compliance profiles: one run per text fragment. */
typedef struct render_run {
    int page;            /* 1-based, within the file */
    char *element;
    char *lang;          /* the element's language, or the content set's */
    char *text;
    double size;         /* points */
    int weight;          /* fontconfig weight: 80 regular, 200 bold */
} render_run;

typedef struct render_stats {
    render_run *runs;
    size_t n, cap;
    double page_w, page_h; /* of the last page */
    int pages;
} render_stats;

void render_stats_free(render_stats *st);

/* A check run on each file's stats before it is saved; false (after reporting) stops the build. */
typedef bool (*render_check_fn)(void *ctx, const render_stats *st, diag *d);

typedef enum {
    OUTPUT_PAGES,      /* each item side on a page of its trim size */
    OUTPUT_SHEET,      /* items in a sheet's grid, crop marks, duplex backs */
    OUTPUT_PRINT_SHOP, /* each item side on a page of trim plus bleed, with TrimBox and BleedBox */
    OUTPUT_TILES,      /* a large item split over overlapping sheets of paper */
} output_mode;

typedef struct render_opts {
    const char *output;  /* the PDF to write */
    const char *dump;    /* a file for the text description, "-" for stdout, or NULL */
    long long epoch;     /* SOURCE_DATE_EPOCH, or -1 */
    const char *creator; /* "handout 0.1.0" */
    output_mode mode;
    const sheet *sheet;  /* for OUTPUT_SHEET */
    bool no_marks;       /* sheets: leave out crop marks (pre-perforated stock) */
    bool pdfx;           /* PDF/X-4 in CMYK (print-shop output and --pdfx): pdfx.h, ink.h */
    double ink_limit;    /* CMYK output: total area coverage allowed, percent */
    bool overprint_black; /* CMYK output: black text overprints */
    const printer_adjust *printer; /* sheets: a printer's measured drift, or NULL */
    long count;          /* how many items */
    const struct data_table *data; /* one record per item, or NULL */
    /* how the output is split into files (split.h; render_part draws one file, one process) */
    int *pages_out;      /* receives the number of pages, or NULL */
    long max_pages;      /* pages per file; more make numbered files (out-001.pdf...); 0: default */
    int jobs;            /* parts built at once, in separate processes */
    long *parts_out;     /* receives the number of files, or NULL */
    double tile_w, tile_h, tile_margin, overlap; /* tiles: the paper, its unprintable margin, the overlap */
    content **languages; /* one page (or set of pages) per content set, or NULL */
    int nlanguages;
    const struct numbers *numbers; /* known numbers, for near misses (or NULL) */
    bool dry_run;        /* check everything, write nothing (handout check) */
    render_check_fn check; /* or NULL */
    void *check_ctx;
    /* a last page after the items, in the last part, drawn after the check and outside it (the
     * posting sheet: posting.h), plain pages only; or NULL */
    const layout *appendix;
    content *appendix_content;
} render_opts;

/* libharu keeps every page in memory until it saves: a file of at most this many pages bounds
 * the memory a run takes, whatever the number of items. */
#define RENDER_MAX_PAGES 500


/* One build's drawing: made once for a layout, its content and the options, then asked to draw
 * runs of items into documents. How the items are split into files, and in which processes, is
 * the caller's (split.h). */
typedef struct render render;

/* Checks what concerns the whole layout before anything is drawn (inside the page, no overlaps,
 * a sheet for sheet output, tiles that fit one file) and makes the drawing context. NULL after
 * reporting, with *status EXIT_INPUT (the layout) or EXIT_INTERNAL (out of memory). l, c, f
 * and o are the caller's and must outlive it. */
render *render_new(const layout *l, content *c, fonts *f, const render_opts *o, diag *d, int *status);
void render_free(render *r); /* accepts NULL */

/* How items fill pages: *items items make *pages pages (a sheet's grid of items on its front and
 * back; one item on its sides; one item on its tiles). */
void render_unit(const render *r, long *items, int *pages);

/* Draws items first..last-1 into one document, page numbers counted on from pages_before, and
 * saves it to pdf_tmp (not in a dry run); the dump text goes to dump_tmp when the options name a
 * dump file, to stdout when they say "-" (the inputs' lines after the last item only). Checks,
 * lays out and draws; nothing is saved when any error was found (but the dump is, to show how far
 * the part got). Nothing is renamed: the caller puts the files in place. An exit status (status.h). */
int render_part(render *r, long first, long last, long pages_before, const char *pdf_tmp,
                const char *dump_tmp);

#define RENDER_QR_MIN_MODULE_MM 0.5

#endif
