/* reportdoc: the page furniture of handout's reports (the job report, the distribution report),
 * typeset with the project's own pdf and fonts modules in Liberation Sans, embedded. Owns a flow
 * of blocks down Letter pages: a title, headings, labelled lines, wrapped paragraphs, tables whose
 * rows wrap inside their cells and which continue on further pages with the header row repeated,
 * and a vector bar chart (rectangles and lines, with axis labels). A character the font lacks is
 * printed as '?', with a warning (rdoc_place). Cells break at spaces and, inside a word longer
 * than its column (a link), after
 * '/', '?', '&' or '=' where possible: text.h breaks only at spaces, which links do not have. */
#ifndef HANDOUT_REPORTDOC_H
#define HANDOUT_REPORTDOC_H

#include "diag.h"
#include "fonts.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct rdoc rdoc;

typedef struct rdoc_column {
    const char *title;
    double width; /* points */
    bool right;   /* right-aligned (numbers) */
} rdoc_column;

/* A new document; footer is printed at the foot of every page with its number. NULL with a
 * reason in why (no font, no memory). */
rdoc *rdoc_new(fonts *f, const char *footer, char *why, size_t whylen);
void rdoc_free(rdoc *r);

/* Where the text drawn from now on comes from (the job file and its item, the log and its
 * column): a character the font lacks is printed as '?' and warned of to d (report-glyph-missing,
 * naming the character as U+XXXX, the text, the place and the font), once per character and place;
 * d NULL: no warnings. Until it is called, nothing is warned. */
void rdoc_place(rdoc *r, diag *d, diag_loc loc);

/* The width available to blocks, in points. */
double rdoc_width(const rdoc *r);

void rdoc_title(rdoc *r, const char *text);
void rdoc_heading(rdoc *r, const char *text);
/* "label: value" on one line (value wrapped under itself when long). */
void rdoc_field(rdoc *r, const char *label, const char *value);
void rdoc_paragraph(rdoc *r, const char *text);
void rdoc_space(rdoc *r, double points);

/* A table: a heading printed above it (and, with "(continued)", above its continuation on a later
 * page), the columns, then rows. A row marked total is set in bold over a rule. */
void rdoc_table_begin(rdoc *r, const char *heading, const rdoc_column *cols, int ncols);
void rdoc_table_row(rdoc *r, const char *const *cells, bool total);
void rdoc_table_end(rdoc *r);

/* A vertical bar chart of n values with their labels under the bars, a y axis with round
 * steps and grid lines, and the axis titles. */
void rdoc_bar_chart(rdoc *r, const char *title, const char *const *labels, const double *values, int n,
                    const char *x_title, const char *y_title);

/* Saves to path (through a temporary file and a rename; a file with the same bytes is left as
 * it was). epoch < 0: no dates. False with a reason. */
bool rdoc_save(rdoc *r, const char *path, const char *title, long long epoch, char *why, size_t whylen);

#endif
