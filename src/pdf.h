/* pdf: drawing, text and saving. libharu (hpdf.h) is reached through this module, pdf_boxes.c,
 * pdfx.c and fontembed.c alone. Coordinates given to this module are in points from the page's TOP-LEFT corner, y downwards; the conversion to PDF's
 * bottom-left origin happens here. libharu's errors are sticky: the first one is recorded and
 * every later call does nothing; pdf_failed() tells, pdf_error() says what it was. */
#ifndef HANDOUT_PDF_H
#define HANDOUT_PDF_H

#include "qr.h"
#include "units.h"

#include "pdfpack.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct pdf_doc pdf_doc;
typedef struct pdf_font pdf_font;

pdf_doc *pdf_new(void);
/* Makes room for a document of about `pages` pages: a PDF page tree node holds at most
 * PDF_NODE_PAGES pages in libharu (HPDF_LIMIT_MAX_ARRAY), so a longer document gets a tree of
 * nodes of 1,000 pages. Call before the first page; documents that fit one node are unchanged. */
enum { PDF_NODE_PAGES = 32767 };
void pdf_expect_pages(pdf_doc *p, long pages);
void pdf_free(pdf_doc *p);
bool pdf_failed(const pdf_doc *p);
const char *pdf_error(const pdf_doc *p);

/* Loads (once per file and index) a font for the text layer: TrueType outlines or CID-keyed CFF
 * (.ttf, .otf, a face of a .ttc), shaped with HarfBuzz and embedded as a subset when the document
 * is saved (fontembed.h). NULL when it cannot be read or embedded: pdf_error says why. */
pdf_font *pdf_font_load(pdf_doc *p, const char *file, int index);
/* Width in points of UTF-8 text at size, as pdf_text sets it: each word (between U+0020 spaces)
 * shaped, with the font's kerning and ligatures, and the spaces' own advances. 0 after an error
 * (the text is not UTF-8, memory ran out), recorded in the document. */
double pdf_text_width(const pdf_font *f, const char *s, size_t len, double size);
/* The same, shaped right to left when rtl, in language lang (a BCP 47 tag passed to HarfBuzz, or
 * NULL), as pdf_text_run sets it. */
double pdf_text_run_width(const pdf_font *f, const char *s, size_t len, double size, bool rtl,
                          const char *lang);
/* The ink of UTF-8 text as pdf_text_run sets it (right to left when rtl, in language lang or
 * NULL), in ems of the size: how far the glyphs reach above the baseline (*above) and below it
 * (*below, positive downwards), each glyph's outline box moved by its offset (a mark stacked above
 * another). The words are the ones pdf_text_run_width and pdf_text_run shape, from the same
 * cache: measuring, drawing and the ink shape a word once. 0 and 0 for text that prints nothing;
 * false after an error recorded in the document. For line spacing that holds tall stacks. */
bool pdf_text_ink(const pdf_font *f, const char *s, size_t len, bool rtl, const char *lang, double *above,
                  double *below);

bool pdf_page_add(pdf_doc *p, double w, double h);
void pdf_fill_rect(pdf_doc *p, double x, double y, double w, double h, const colour *c);
void pdf_stroke_rect(pdf_doc *p, double x, double y, double w, double h, double line_w,
                     const colour *c);
void pdf_line(pdf_doc *p, double x1, double y1, double x2, double y2, double line_w,
              const colour *c);
/* Text starting at (x, y) on its baseline, shaped as pdf_text_width measures it (left to right). angle 0 reads left to right; 90 reads upwards;
 * 270 reads downwards. */
void pdf_text(pdf_doc *p, pdf_font *f, double size, double x, double y, int angle, const char *s,
              size_t len, const colour *c);
/* Text s (in logical order) with its left end at (x, y), shaped as pdf_text_run_width measures
 * it: left to right, or right to left when rtl (its first word is then the rightmost; the text
 * still extracts in logical order), in language lang (or NULL). */
void pdf_text_run(pdf_doc *p, pdf_font *f, double size, double x, double y, int angle, const char *s,
                  size_t len, const colour *c, bool rtl, const char *lang);
/* Text as drawn, for checks of what is set (render's crowding check). While an owner is set
 * (pdf_text_owner with 0 or more), each pdf_text_run is kept as a mark: its owner, its origin (x,
 * baseline, in the coordinates it was drawn in), its advance without trailing spaces, its size,
 * angle and first bytes; a run of spaces alone is not kept. Owner -1 (the default) keeps none. */
typedef struct pdf_text_mark {
    int owner;
    double x, y, width, size;
    int angle;
    double above, below; /* its glyphs' ink over and under the baseline, ems (pdf_text_ink) */
    char text[48]; /* its first bytes, whole UTF-8 characters, for messages */
} pdf_text_mark;
void pdf_text_owner(pdf_doc *p, int owner);
const pdf_text_mark *pdf_text_marks(const pdf_doc *p, size_t *n);
void pdf_text_marks_clear(pdf_doc *p);
/* A dashed line: on and off lengths in points (fractions kept). */
void pdf_line_dashed(pdf_doc *p, double x1, double y1, double x2, double y2, double line_w,
                     const double dash[2], const colour *c);

/* Graphics state: pdf_push saves it, then moves the origin to (x, y) and scales by (sx, sy),
 * both in the top-left coordinates of this module; pdf_clip limits drawing to a rectangle
 * until the matching pdf_pop. */
void pdf_push(pdf_doc *p, double x, double y, double sx, double sy);
void pdf_clip(pdf_doc *p, double x, double y, double w, double h);
/* The same for the ellipse inscribed in that rectangle (a round sticker's die cut). */
void pdf_clip_ellipse(pdf_doc *p, double x, double y, double w, double h);
void pdf_pop(pdf_doc *p);

/* Releases the graphics states still saved on a page (an HPDF_Page) when it is left: after an
 * error between a save and its restore, libharu would leak them (pdf_boxes.c). */
void pdf_release_saved_states(void *page);

/* TrimBox and BleedBox of the current page, in top-left coordinates (pdf_boxes.c). */
bool pdf_set_boxes(pdf_doc *p, double trim_x, double trim_y, double trim_w, double trim_h,
                   double bleed_x, double bleed_y, double bleed_w, double bleed_h);
/* For pdf_boxes.c and pdfx.c: the current page's height and libharu handles (the HPDF_Doc:
 * NULL after an error). */
double pdf_page_height(const pdf_doc *p);
void *pdf_current_page(pdf_doc *p);
void *pdf_handle(pdf_doc *p);
/* Objects made outside libharu (the structure tree, tags.c), written by pdf_save beside
 * libharu's (pdfpack.h); the document takes what x held and empties it. */
void pdf_set_extra(pdf_doc *p, pdfpack_extra *x);

/* CMYK output (print-shop and PDF/X builds): from now on every RGB colour is drawn as its
 * separation (ink_cmyk: #000000 as 0 0 0 1 k) and RGB images get an ICC-based sRGB colour space
 * (pdfx.h). */
void pdf_set_cmyk_output(pdf_doc *p, bool on);
/* Black text (K alone at 100 %) drawn with overprint on (/OP /op true, /OPM 1), for shops that
 * ask for it: the colour under it is not knocked out. */
void pdf_set_overprint_black(pdf_doc *p, bool on);
/* RGB images drawn so far that could not be given an ICC colour space (kept in DeviceRGB). */
int pdf_untagged_rgb_images(const pdf_doc *p);
/* A QR symbol (its modules, without the quiet zone) as a 1-bit stencil mask painted in dark,
 * with the symbol's top-left module at (x, y), module side m. */
void pdf_qr(pdf_doc *p, double x, double y, double m, const qr_code *q, const colour *dark);
/* An image (already checked by the image module) scaled into the box (x, y, w, h). */
/* Draws the PNG (png) or JPEG at path in the box; a PNG of 16 bits per channel (sixteen) is
 * decoded to 8 bits here first (libharu's own reading gives it wrong colours). */
bool pdf_image(pdf_doc *p, const char *path, bool png, bool sixteen, double x, double y, double w, double h);

/* Form XObjects (pdf_boxes.c): art drawn once and placed on many items (art.h). Between
 * pdf_form_begin and pdf_form_end every drawing call goes into the form, in the current page's
 * coordinates, instead of the page; (x, y, w, h), in this module's top-left coordinates, is its
 * bounding box. A form is no part of the document until pdf_form_keep; pdf_form_place draws a
 * kept form ("Do") in the current graphics state of the current page. pdf_form_free frees the
 * handle (and a form not kept). NULL or false when libharu failed or the page is inside a path
 * or text object. */
typedef struct pdf_form pdf_form;
pdf_form *pdf_form_begin(pdf_doc *p, double x, double y, double w, double h);
bool pdf_form_end(pdf_doc *p, pdf_form *f);
bool pdf_form_empty(const pdf_form *f);
bool pdf_form_keep(pdf_doc *p, pdf_form *f);
void pdf_form_place(pdf_doc *p, pdf_form *f);
void pdf_form_free(pdf_form *f);

/* Document information. epoch < 0: no dates are written. */
void pdf_set_info(pdf_doc *p, const char *title, const char *creator, long long epoch);

/* Writes the fonts (fontembed_finish), then saves to path, which must not exist yet (a temporary name that the caller renames), flushed
 * to disk. On failure nothing is left behind and why says what happened. Once the file is
 * written out of libharu, its document is freed: free every form (pdf_form_free) first, and
 * call nothing but pdf_failed, pdf_error, pdf_untagged_rgb_images and pdf_free afterwards. */
bool pdf_save(pdf_doc *p, const char *path, char *why, size_t whylen);

#endif
