/* fontembed: fonts embedded by us, and shaped text drawn with them. The only room that includes
 * hb-subset.h (HarfBuzz's subsetter; it reads fonts, it shapes nothing: shape.c does) and, with
 * pdf_boxes.c, libharu's object layer (hpdf_objects.h, hpdf_streams.h, hpdf_pages.h).
 *
 * Owns, per document, each face drawn in it: the glyph ids used, what characters each glyph
 * stands for, and at fontembed_finish the font written into the document (PDF 32000-1, 9.7):
 *   a Type0 font, /Encoding /Identity-H (two-byte codes that are glyph ids), its ToUnicode CMap
 *   (9.10.3: each glyph to the characters it was shaped from, several for a ligature);
 *   a CIDFont, CIDFontType2 with /CIDToGIDMap /Identity for TrueType outlines (FontFile2) or
 *   CIDFontType0 for CID-keyed CFF outlines, as in Noto CJK (FontFile3 /Subtype /CIDFontType0C,
 *   the bare CFF table; the codes drawn are the glyphs' CIDs, from its charset); a name-keyed
 *   CFF font (most Latin .otf) is refused for now;
 *   /CIDSystemInfo Adobe/Identity/0; /W, the glyphs' advances in 1/1000 em; a FontDescriptor
 *   from the font's head, hhea, OS/2 and post tables;
 *   the font program: a subset made with hb-subset keeping the glyph ids
 *   (HB_SUBSET_FLAGS_RETAIN_GIDS), so the ids drawn before the subset was made stay right, or
 *   for CFF renumbering them but keeping their CIDs (checked against hb-subset's plan);
 *   a subset tag of six capital letters from a SHA-256 of the font and the glyph set, so two
 *   documents' different subsets of one font are told apart and the same input gives the same
 *   bytes.
 * Where the ToUnicode map cannot give a cluster's characters in logical order (a reordered
 * vowel sign, a glyph standing for different text in two places), the cluster is drawn inside
 * a marked-content span with /ActualText (14.9.4), which text extraction uses instead; so is a
 * left-to-right cluster with a mark placed off its pen position (Khmer, Myanmar, Thai), which
 * poppler's text extraction otherwise splits off as a word or line of its own. Right to left,
 * poppler reverses the characters of a ligature's mapping and of ActualText alike (lam-alef
 * comes out alef-lam; pdf.js does not), and puts raised marks (Arabic vowel signs) on a line
 * of their own: no PDF markup avoids that, so it is left to the readers.
 *
 * Coordinates are in points from the page's top-left corner, y downwards, as in pdf.h. Text is
 * drawn in a q ... Q pair of its own, so libharu's graphics state is as it was afterwards. */
#ifndef HANDOUT_FONTEMBED_H
#define HANDOUT_FONTEMBED_H

#include "pdf.h"
#include "shape.h"
#include "units.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct fontembed fontembed;
typedef struct fontembed_face fontembed_face;

/* The fonts of one document p, which must outlive the handle. */
fontembed *fontembed_new(pdf_doc *p);
/* Frees the handle; the objects written into the document stay the document's. */
void fontembed_free(fontembed *e);

/* The face for embedding of a face shape.c loaded (TrueType or CID-keyed CFF outlines; a CFF2
 * (variable) or name-keyed CFF font is refused): it uses shape.c's HarfBuzz face and font, so
 * a file is read and parsed once per build; the shape handle must outlive e. NULL with a reason
 * in why. The face stays valid until fontembed_free. */
fontembed_face *fontembed_face_get(fontembed *e, const shape_face *sf, char *why, size_t whylen);

/* Draws a shaped run on the current page: its pen starts at (x, y) on the baseline (top-left
 * coordinates), at size points, in colour c (NULL: black). angle 0 reads left to right, 90
 * upwards, 270 downwards (as pdf_text). text, len: the UTF-8 text the run was shaped from (the
 * glyphs' clusters are offsets in it); dir: the direction it was shaped in. Registers the font on
 * the page. False with a reason in why (libharu's error, recorded in the document as well, or
 * fontembed_finish already called). */
bool fontembed_show(fontembed *e, fontembed_face *f, double size, double x, double y, int angle,
                    const colour *c, const shape_run *run, const char *text, size_t len,
                    shape_dir dir, char *why, size_t whylen);

/* Makes each face's subset and writes the fonts; call once, after the last fontembed_show and
 * before pdf_save. False with a reason in why. */
bool fontembed_finish(fontembed *e, char *why, size_t whylen);

/* The subset tag of a face ("QWERTY"), known after fontembed_finish; "" before, or when the face
 * was never drawn. */
const char *fontembed_face_tag(const fontembed_face *f);

#endif
