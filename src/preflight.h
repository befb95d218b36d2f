/* preflight: checks over a layout's resolved elements, before drawing (src/preflight.c says which). */
#ifndef HANDOUT_PREFLIGHT_H
#define HANDOUT_PREFLIGHT_H

#include "diag.h"
#include "layout.h"

#include <stdbool.h>

/* Reports every element outside the page or its margins, near the trim, or over another (a QR
 * code's quiet zone). */
void preflight_geometry(const layout *l, diag *d);
/* Reports a QR code whose modules are not dark on light with a contrast of at least 3:1. */
void preflight_qr_colours(const layout *l, const element *e, diag *d);
/* False after reporting when a symbol of width modules (version) is too small for e's size: its
 * modules under RENDER_QR_MIN_MODULE_MM, or the symbol under a tenth of the scan distance. */
bool preflight_qr_size(const layout *l, const element *e, int version, int width, diag *d);

#endif
