/* pdfx: what makes a document PDF/X-4 (ISO 15930-7), written through libharu 2.3.0's object
 * layer (its own output-intent helper writes PDF/A keys under a broken name: not used):
 * - the output intent (S /GTS_PDFX) with its CMYK output profile embedded, Ghostscript's
 *   default CMYK profile from Debian's libgs-common (PDFX_CMYK_PROFILE; docs/printing.md says
 *   why this one and its licence);
 * - GTS_PDFXVersion, Trapped /False, the dates in the Info dictionary; XMP metadata saying the
 *   same with a title and a document ID, and PDF/UA-1 (pdfuaid:part) in the same packet when the
 *   document is tagged (pdfx_ua_metadata writes that packet alone for a tagged non-PDF/X one); the trailer's /ID; the header raised to PDF 1.6;
 * - RGB images tagged with an ICC sRGB profile (PDFX_SRGB_PROFILE: icc-profiles-free's sRGB.icc,
 *   under the zlib licence), and the graphics state that makes black text overprint.
 * Nothing here is random or read from the clock: the ID comes from the caller (a digest of the
 * inputs), the dates from SOURCE_DATE_EPOCH or the inputs. Tested by tests/run.sh (pdfinfo,
 * qpdf, the profile's header bytes). */
#ifndef HANDOUT_PDFX_H
#define HANDOUT_PDFX_H

#include "pdf.h"

#include <stdbool.h>
#include <stddef.h>

#define PDFX_CMYK_PROFILE "/usr/share/color/icc/ghostscript/default_cmyk.icc"
#define PDFX_SRGB_PROFILE "/usr/share/color/icc/sRGB.icc"
#define PDFX_VERSION "PDF/X-4"

typedef struct pdfx_meta {
    const char *title;   /* required: not empty */
    const char *creator; /* "handout 0.1.0" */
    long long epoch;     /* the documents' dates, seconds since 1970 (>= 0) */
    unsigned char id[32]; /* the document's identity: a digest of what made it */
    bool ua;             /* tagged: the XMP also says PDF/UA-1 (pdfuaid:part 1) */
} pdfx_meta;

/* Adds the output intent, identification, metadata and ID to the document (call once, after
 * the last page and pdf_set_info, before pdf_save). False with why when the profile cannot be
 * read or is not a CMYK output profile, or libharu failed. */
bool pdfx_finish(pdf_doc *p, const pdfx_meta *m, char *why, size_t whylen);

/* For a tagged document that is not PDF/X: the XMP metadata with dc:title and the PDF/UA-1
 * identification (pdfuaid:part 1, ISO 14289-1 5) alone (call once, before pdf_save). False with
 * why when libharu failed. */
bool pdfx_ua_metadata(pdf_doc *p, const char *title, char *why, size_t whylen);

/* For pdf.c: gives an image loaded as DeviceRGB (or indexed over DeviceRGB) the ICC-based sRGB
 * colour space, made once per document in *cache: 1 when done, 0 when the image is not RGB
 * (grey, CMYK: nothing to do), -1 when it is RGB and could not be tagged (it stays DeviceRGB).
 * doc is the HPDF_Doc, image the HPDF_Image. */
int pdfx_tag_rgb_image(void *doc, void *image, void **cache);
/* For pdf.c: an ExtGState with overprint on (/OP /op true, /OPM 1), made once in *cache; NULL
 * when libharu failed. */
void *pdfx_overprint_state(void *doc, void **cache);

/* Checks an ICC profile's header (ICC.1 7.2): 'acsp' at byte 36, the data colour space at 16,
 * the class at 12; false with why when bytes (n of them) are not a profile of that space. */
bool pdfx_icc_ok(const unsigned char *bytes, size_t n, const char *space, char *why, size_t whylen);

#endif
