/* shape: text shaping with HarfBuzz, the only room that shapes (hb_shape; fontembed.c reads
 * fonts through hb-subset.h but shapes nothing). A run of UTF-8
 * text in one font, script, direction and language goes in; glyph ids, clusters, advances and
 * offsets come out, with the font's own kerning, ligatures, joining forms, reordering and mark
 * positioning (HarfBuzz's default features for the script). Owns the faces it loads: each font
 * file and face index is read once and kept (its HarfBuzz face and font) by the shape handle,
 * and freed by shape_free; fontembed.c embeds the same face (shape_face_hb_face), so a file is
 * read and parsed once per build. Splitting text into runs (script, bidi) is the caller's work.
 *
 * Positions are in points at the size asked for, x to the right and y upwards as in the font
 * (OpenType's and PDF's text space). Glyphs come in visual order: for a right-to-left run the
 * first glyph is the leftmost, and clusters decrease. A glyph's cluster is the byte offset, in
 * the run's text, of the first character of the cluster it belongs to (HarfBuzz's cluster level
 * 0: a cluster is a grapheme, merged further where glyphs and characters do not map one to one,
 * as in a ligature or a reordered vowel sign).
 *
 * A handle is used by one thread at a time (its shaping buffer is shared by its faces). */
#ifndef HANDOUT_SHAPE_H
#define HANDOUT_SHAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct shape shape;
typedef struct shape_face shape_face;

typedef enum { SHAPE_LTR = 0, SHAPE_RTL } shape_dir;

typedef struct shape_glyph {
    uint32_t id;      /* glyph id in the face */
    uint32_t cluster; /* byte offset in the run's text */
    double ax, ay;    /* advance, points */
    double dx, dy;    /* offset from the pen position, points */
} shape_glyph;

/* The glyphs of one run; reused from one shape_text to the next (shape_run_free frees them). */
typedef struct shape_run {
    shape_glyph *glyphs;
    size_t n, cap;
    double width; /* the sum of the advances, points */
} shape_run;

shape *shape_new(void);
void shape_free(shape *s);

/* The face of a font file (TrueType or CFF outlines, .ttf, .otf, or index in a .ttc
 * collection), loaded on first use and kept. NULL with a reason in why when the file cannot be
 * read, is not a font, or has no face of that index. */
const shape_face *shape_face_get(shape *s, const char *file, int index, char *why, size_t whylen);
const char *shape_face_file(const shape_face *f);
int shape_face_index(const shape_face *f);
/* Units per em: a glyph's advance in font units is its advance in points * upem / size. */
unsigned shape_face_upem(const shape_face *f);
/* HarfBuzz's face and font (at the scale of units per em, immutable) of f, for fontembed.c to
 * embed the file without reading it again; owned by the shape handle (take a reference to keep
 * one longer). */
struct hb_face_t *shape_face_hb_face(const shape_face *f);
struct hb_font_t *shape_face_hb_font(const shape_face *f);
/* The ink of a glyph, in font units above the baseline: its highest point (top) and its lowest
 * (bottom, negative below the baseline), from the outline's bounding box (HarfBuzz's glyph
 * extents). False, and 0 and 0, for a glyph without extents (a space). */
bool shape_face_ink(const shape_face *f, uint32_t glyph, int32_t *top, int32_t *bottom);

/* Shapes len bytes of UTF-8 text. script: an ISO 15924 tag ("Latn", "Arab", "Deva", "Hani");
 * lang: a BCP 47 tag ("en", "ar", "hi"); either may be NULL to let HarfBuzz guess from the
 * text. size: points. The result replaces out's glyphs. False with a reason in why when the
 * text is not valid UTF-8, a tag is malformed, or memory runs out. */
bool shape_text(shape *s, const shape_face *f, const char *text, size_t len, double size,
                const char *script, shape_dir dir, const char *lang, shape_run *out, char *why,
                size_t whylen);
void shape_run_free(shape_run *r);

#endif
