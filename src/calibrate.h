/* calibrate: the calibration sheet of a sheet definition. On the sheet's paper it draws every
 * cell's trim outline, the crop marks, and two targets at known places with instructions, so that
 * a volunteer can measure where their printer really puts them and write a printer file
 * (a [printer] INI in printers/: offset and scale) that `handout build --printer` then applies. */
#ifndef HANDOUT_CALIBRATE_H
#define HANDOUT_CALIBRATE_H

#include "diag.h"
#include "fonts.h"
#include "impose.h"

/* The two targets, in points from the sheet's top-left corner: A near the top-left, B near the
 * bottom-right, one inch in from each edge. */
void calibrate_targets(const sheet *s, double *ax, double *ay, double *bx, double *by);

/* Writes the calibration sheet for s (with cells of item_w x item_h) to path; with p, drawn as
 * that printer would need it. Returns an exit status (0, 1, 3 or 4). */
int calibrate_write(const sheet *s, double item_w, double item_h, const printer_adjust *p,
                    fonts *f, const char *path, long long epoch, diag *d);

#endif
