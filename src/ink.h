/* ink: colours as inks on a press, for CMYK output (print-shop and --pdfx builds). Owns the
 * separation of an RGB colour into CMYK (full grey-component replacement: K = 1 - max(R, G, B),
 * so greys and plain black are K alone, #000000 is 0 0 0 1), total area coverage (C+M+Y+K in
 * percent), and the checks of a layout's elements before drawing: small text (below
 * INK_SMALL_TEXT_PT), thin rules and box strokes (below INK_THIN_RULE_PT) and QR modules need
 * one ink, and no colour may pass the ink limit. Pure: no PDF here. docs/printing.md says why. */
#ifndef HANDOUT_INK_H
#define HANDOUT_INK_H

#include "diag.h"
#include "units.h"

struct layout;

#include <stdbool.h>

#define INK_SMALL_TEXT_PT 12.0  /* text below this size is drawn in one ink */
#define INK_THIN_RULE_PT 2.0    /* rules and box strokes thinner than this: one ink */
#define INK_LIMIT_DEFAULT 300.0 /* total area coverage, percent */
#define INK_LIMIT_MIN 100.0
#define INK_LIMIT_MAX 400.0

/* c as CMYK: a CMYK colour as it is, an RGB one separated (see above); NONE stays NONE. */
colour ink_cmyk(const colour *c);
/* Total area coverage of c as CMYK, percent (0..400). */
double ink_coverage(const colour *c);
/* Parses an ink limit: a percentage "280" or "280%" from INK_LIMIT_MIN to INK_LIMIT_MAX. */
bool ink_parse_limit(const char *s, double *limit, const char **expected);

/* Reports every element of l whose colours break the rules above for CMYK output, with the
 * element, key, colour and coverage found: rich black (K of 80 % or more with another ink) or
 * four inks where one ink is needed is an error; a QR code's modules in any ink but black is an
 * error; a colour over limit (percent) is an error. True when nothing was reported. */
bool ink_check_layout(const struct layout *l, double limit, diag *d);

#endif
