/* gamut: whether the RGB colours of a layout survive CMYK output (print-shop and --pdfx builds),
 * measured with Little CMS against the output profile embedded in the PDF/X file
 * (PDFX_CMYK_PROFILE). A colour's round trip: sRGB -> the profile's CMYK -> CIELAB (D50), both
 * with the relative colorimetric intent and black point compensation; its difference from the
 * colour's own CIELAB is CIE dE2000. Above GAMUT_DE_MAX the press cannot print the colour:
 * a warning (ink-out-of-gamut) names the element, key, colour and difference. CMYK colours of the
 * layout are the press's own and are not checked. docs/printing.md says why the threshold. */
#ifndef HANDOUT_GAMUT_H
#define HANDOUT_GAMUT_H

#include "diag.h"
#include "units.h"

#include <stdbool.h>
#include <stddef.h>

struct layout;

#define GAMUT_DE_MAX 10.0 /* dE2000: a colour clearly not the one asked for */

typedef struct gamut gamut;

/* The transforms for the CMYK output profile at path; NULL with why when Little CMS cannot
 * open it or it is not a CMYK output profile. */
gamut *gamut_new(const char *path, char *why, size_t whylen);
void gamut_free(gamut *g);
/* dE2000 between an RGB colour and its round trip through the profile; 0 for any other. */
double gamut_delta(const gamut *g, const colour *c);
/* Warns (ink-out-of-gamut) for every RGB colour of l past GAMUT_DE_MAX: the page background,
 * text and heading colours, QR backgrounds, rules, box fills and strokes. The number warned. */
int gamut_check_layout(const gamut *g, const struct layout *l, diag *d);

/* An RGB image's pixels (rgb: 3 bytes a pixel; alpha: one a pixel, or NULL when opaque): the
 * share (0 to 1) of its visible pixels (alpha at least half) whose colour is past GAMUT_DE_MAX,
 * and the worst colour with its dE2000. Colours are taken in bins of 32 levels a channel (the
 * first pixel seen stands for its bin). 0 when g is NULL or no pixel is visible. */
double gamut_image(const gamut *g, const unsigned char *rgb, const unsigned char *alpha, size_t npix,
                   unsigned char worst[3], double *worst_de);
/* The share of an image's pixels past GAMUT_DE_MAX from which it warns (image-out-of-gamut): a
 * few pixels (an anti-aliased edge, a speck) are not worth a warning, 1 % of the picture is an
 * area one sees. */
#define GAMUT_IMAGE_SHARE 0.01

#endif
