/* tags: the structure of a tagged PDF (ISO 32000-1, 14.7 and 14.8; aiming at PDF/UA-1, ISO
 * 14289-1): a tree of structure elements (Document, Sect, H1..H6, P, L, LI, Lbl, LBody, Figure,
 * and Span for a run of text in another language than its paragraph's)
 * kept in memory while the pages are drawn, the marked content (BDC/EMC with an MCID, or an
 * Artifact) written raw into the current page's content stream, and at the end the
 * StructTreeRoot, its ParentTree, each page's StructParents, /MarkInfo, /Lang and
 * /ViewerPreferences (the tree as text handed to pdf_set_extra, the rest through libharu's
 * object layer). Every function takes a NULL tags
 * and then does nothing, so untagged drawing (measuring, labels) needs no test at the caller.
 *
 * Use: tags_open(role) ... tags_begin (marked content of the innermost open element on the current
 * page) ... drawing ... tags_end ... tags_close. An element that never gets content nor a child
 * with content is left out of the tree. Drawing that is not content (boxes, rules, marks) goes
 * between tags_artifact_begin and tags_artifact_end. */
#ifndef HANDOUT_TAGS_H
#define HANDOUT_TAGS_H

#include "pdf.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct tags tags;

/* A tree with its Document element open; NULL when out of memory. */
tags *tags_new(void);
void tags_free(tags *t);

/* Opens a structure element (role: a standard structure type such as "P" or "H2") as the last
 * child of the innermost open one. Role "" makes a group that is no element: what it gets takes
 * its place among its parent's kids (a reading order other than the drawing order: groups made
 * in reading order, each opened again with tags_reopen when its content is drawn). alt: its alternative text (Figure), or NULL; lang: its
 * language (BCP 47) when it differs from the document's, or NULL. False when out of memory. */
bool tags_open(tags *t, const char *role, const char *alt, const char *lang);
/* The innermost open element, to be opened again later with tags_reopen (the back of a card on
 * a sheet's second page continues the section its front began); -1 when there is none. */
int tags_current(const tags *t);
/* Opens again an element made before: later content and children go after what it has. */
bool tags_reopen(tags *t, int node);
/* Closes the innermost open element (never the Document). */
void tags_close(tags *t);
/* The number of elements open, the Document included. */
int tags_depth(const tags *t);

/* Marked content of the innermost open element on the current page: "/ROLE <</MCID n>> BDC";
 * for a Span with a language, "/Span <</Lang (es) /MCID n>> BDC" (the structure element has the
 * /Lang too). */
void tags_begin(tags *t, pdf_doc *p);
/* Ends what tags_begin or tags_artifact_begin started: "EMC". */
void tags_end(tags *t, pdf_doc *p);
/* "/Artifact BMC": what follows is not content (decoration, marks). */
void tags_artifact_begin(tags *t, pdf_doc *p);

/* Capture, for what is drawn once into a form XObject and placed on many items (art.h): between
 * tags_capture_begin and tags_capture_end the calls above write nothing and add nothing to the
 * tree; they are recorded, and tags_capture_end says what the drawing asked for: one structure
 * element (role, alt, lang) holding all its content (ONE), artifacts alone (ARTIFACT), nothing
 * tagged (NONE), anything else (OTHER: several elements, nested ones, content and artifacts
 * mixed), or UNTAGGED when t is NULL. A placement of the form is then tagged as a whole:
 * tags_place_begin opens that element (or an artifact) around it on the current page and
 * tags_place_end ends it; both do nothing for NONE, OTHER and UNTAGGED. */
typedef enum {
    TAGS_SHAPE_UNTAGGED,
    TAGS_SHAPE_NONE,
    TAGS_SHAPE_ONE,
    TAGS_SHAPE_ARTIFACT,
    TAGS_SHAPE_OTHER
} tags_shape_kind;
typedef struct tags_shape {
    tags_shape_kind kind;
    char role[12];
    char *alt, *lang; /* owned; tags_shape_free */
    bool has_box;     /* the element's box (tags_set_bbox), in the form's top-left frame */
    double box[4];    /* x, y, w, h */
} tags_shape;
void tags_capture_begin(tags *t);
void tags_capture_end(tags *t, tags_shape *out);
void tags_shape_free(tags_shape *s);
void tags_place_begin(tags *t, pdf_doc *p, const tags_shape *s);
void tags_place_end(tags *t, pdf_doc *p, const tags_shape *s);

/* The innermost open element's box on the page (x, y, w, h in the top-left coordinates of
 * pdf.h, in the frame drawing is in now): written as its layout attributes /A << /O /Layout
 * /BBox [llx lly urx ury] >> in the page's default user space (the current transformation
 * applied: a card placed on a sheet, a mirrored back). For Figures (PDF/UA-1, ISO 32000-1
 * 14.8.5.4.3). During a capture the box is kept with the shape, and tags_place_begin gives the
 * placed element that box in the placement's frame. */
void tags_set_bbox(tags *t, pdf_doc *p, double x, double y, double w, double h);

/* Writes the structure tree into the document: call once, before pdf_save. lang: the document's
 * language (catalog /Lang), or NULL. False with why. */
bool tags_finish(tags *t, pdf_doc *p, const char *lang, char *why, size_t whylen);

#endif
