/* impose: placing small items (cards, stickers) on sheets. Owns the sheet definition (a sheet INI:
 * paper, grid, gutters, margins, crop marks, duplex), the position of every cell on the front and
 * on the back (mirrored so that a back lands behind its own front after the flip), the crop
 * marks, and a printer's measured offset and scale. Pure geometry: no PDF here. */
#ifndef HANDOUT_IMPOSE_H
#define HANDOUT_IMPOSE_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum { DUPLEX_LONG_EDGE, DUPLEX_SHORT_EDGE } duplex_mode;
/* The shape of a cell of the stock: die-cut rectangles (cards, labels, square stickers) or circles. */
typedef enum { SHAPE_RECTANGLE, SHAPE_ROUND } cell_shape;

typedef struct sheet {
    char *path;
    char *description;
    double page_w, page_h;   /* points */
    int columns, rows;
    double margin_left, margin_top; /* the grid's top-left corner; < 0: centred */
    double gutter_x, gutter_y;
    /* a stock preset's cells: their size (< 0: any item size), their pitch (the distance from
     * one cell's left or top edge to the next one's; < 0: the gutter says it), their shape, and
     * whether art is clipped to that shape (no bleed past a die-cut edge) */
    double cell_w, cell_h, pitch_x, pitch_y;
    cell_shape shape;
    bool clip;
    bool crop_marks;
    double mark_length, mark_offset, mark_width;
    duplex_mode duplex;
} sheet;

/* A printer's drift, measured with the calibration sheets: a point meant at (x, y) on a front page
 * is drawn at (x * scale_x + offset_x, y * scale_y + offset_y), in points from the page's top-left
 * corner; on the back page of a duplex sheet the back_ values do the same, in the back page's own
 * coordinates (as the PDF shows that page). A back_ key the file does not give takes the front's
 * value, so that a file without any moves both sides alike. */
typedef struct printer_adjust {
    double offset_x, offset_y, scale_x, scale_y;
    double back_offset_x, back_offset_y, back_scale_x, back_scale_y;
    /* a print shop's press (ink.h): its ink limit in percent (0: not stated), and whether black
     * text overprints; a file with only these keys also serves --print-shop and --pdfx builds */
    double ink_limit;
    bool overprint_black;
} printer_adjust;

typedef struct impose_line {
    double x1, y1, x2, y2;
} impose_line;

sheet *sheet_load(const char *path, diag *d);
void sheet_free(sheet *s);
/* Resolves centred margins and gutters from pitches for an item size, checks that the item is the
 * size of the stock's cells (when the sheet names them) and that the grid (and marks) fit the
 * paper. False after reporting. */
bool sheet_prepare(sheet *s, double item_w, double item_h, diag *d);
int sheet_per_page(const sheet *s);
/* The top-left corner of the trim of cell `slot` (0-based, row by row) on the front or the back. */
void impose_cell(const sheet *s, double item_w, double item_h, int slot, bool back, double *x,
                 double *y);
/* How far art may reach beyond the trim on a sheet without touching a neighbour or a mark. */
double impose_bleed_allowance(const sheet *s, double bleed);
/* The crop marks of the whole grid: returns their count (at most max written). */
size_t impose_marks(const sheet *s, double item_w, double item_h, impose_line *out, size_t max);

bool printer_load(const char *path, printer_adjust *p, diag *d);
/* The correction of one side: its offset and scale (back: the back page of a duplex sheet). */
void printer_side(const printer_adjust *p, bool back, double *offset_x, double *offset_y, double *scale_x,
                  double *scale_y);
/* Where a point meant at (x, y) on that side's page is drawn. */
void printer_apply(const printer_adjust *p, bool back, double *x, double *y);
/* True when the file corrects drift (an offset or a scale), which only sheet output can apply. */
bool printer_moves(const printer_adjust *p);

#endif
