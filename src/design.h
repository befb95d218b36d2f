/* design: checks a designer would make on a page as set (issue 16, item 5), as pure arithmetic,
 * no PDF: the widest empty band of a printable area (the emptiness check) and the letter heights
 * a reading distance calls for (the reading-distance check). render.c feeds them what an item side
 * drew and reports; the hierarchy check (the hotline number the largest text on a victim-facing
 * item) needs nothing here beyond a comparison and lives there too. */
#ifndef HANDOUT_DESIGN_H
#define HANDOUT_DESIGN_H

#include <stddef.h>

/* The share of the printable area an empty band may take before it is reported: 15 %. */
#define DESIGN_EMPTY_BAND 0.15

/* The widest stretch of [lo, hi] that none of the n spans (span[i][0] <= span[i][1], in any order,
 * possibly outside [lo, hi] or overlapping) covers: *from and *to, and its length returned (0 and
 * from = to = lo when the spans leave no gap; hi - lo when n is 0). Edges count: a gap between lo
 * and the first span is a band like any other. */
double design_empty_band(const double (*span)[2], size_t n, double lo, double hi, double *from, double *to);

/* The headline's letter height a reading distance calls for, both in points: the sign trade's rule
 * of thumb, 1 inch of letter height for every 10 feet of viewing distance (distance / 120). */
double design_headline_height(double distance);

/* The smallest type size any other text may have at that distance, both in points: a visual angle
 * of 0.003 radians (the smallest of the recommendations Wheeler gathers around Smith's 1979
 * study of letter size and legibility; the type size taken as the letter height, as he does). */
double design_body_size(double distance);

#endif
