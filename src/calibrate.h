/* calibrate: the calibration sheets of a sheet definition. The one-sided sheet draws, on the
 * sheet's paper, every cell's trim outline, the crop marks, and two targets at known places with
 * instructions, so that a volunteer can measure where their printer really puts them and write a
 * printer file (a [printer] INI in printers/: offset and scale) that `handout build --printer`
 * then applies. The duplex alignment sheet (--duplex) is two pages, front and back of one sheet:
 * held to the light, the back's crosses against the front's scales read how far the back is off,
 * as the back_offset_x/y (and back_scale_x/y) to write. */
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

/* The duplex alignment sheet's three stations, in points from the front page's top-left corner:
 * A 1 in from the top-left corner, C the centre, B 1 in from the bottom-right corner. */
void calibrate_duplex_stations(const sheet *s, double x[3], double y[3]);

/* Writes the two-sided duplex alignment sheet for s's paper and flip to path: on the front, at
 * each station, scales labelled with the correction to the back offset in mm, with the
 * instructions; on the back, a cross behind each station. With p, each page drawn with that
 * side's correction. Returns an exit status (0, 1, 3 or 4). */
int calibrate_duplex_write(const sheet *s, const printer_adjust *p, fonts *f, const char *path,
                           long long epoch, diag *d);

#endif
