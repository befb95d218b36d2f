/* crowd: the gutter between the set text of different elements (issue 16, item 5). Pure
 * geometry, no PDF: the runs of text as they were drawn (each with its element, origin, advance,
 * size, angle and ink above and below the baseline) become boxes of the text actually set, and
 * two elements are crowded when a run of one comes nearer a run of the other than the
 * gutter: half the smaller of the two runs' type sizes (or a gutter in points, where a caller gives
 * one; no layout key states one yet). The distance
 * is the shortest between the two boxes (0 when they touch or overlap). */
#ifndef HANDOUT_CROWD_H
#define HANDOUT_CROWD_H

#include <stddef.h>

/* A run's box, top-left coordinates, y downwards. */
typedef struct crowd_run {
    int element;          /* the element that set it */
    double x0, y0, x1, y1;
    double size;          /* points */
} crowd_run;

/* The box of a run drawn from (x, baseline) with this advance and size, at angle 0, 90 (reading
 * upwards) or 270 (reading downwards), its glyphs' ink reaching above ems over the baseline and
 * below ems under it. */
crowd_run crowd_box(int element, double x, double baseline, double advance, double size, int angle,
                    double above, double below);

/* Two elements too close: the closest pair of their runs (indices into the runs given). */
typedef struct crowd_hit {
    int a, b;          /* elements, a < b */
    size_t ra, rb;     /* their closest runs */
    double distance;   /* points */
    double gutter;     /* what was wanted, points */
} crowd_hit;

/* Every pair of different elements with runs nearer than the gutter (gutter > 0: that many
 * points; else factor x the smaller size of the two runs), one hit per pair, ordered by a then b.
 * Returns how many (and *hits, malloc'd, NULL when none); (size_t)-1 when out of memory. */
size_t crowd_find(const crowd_run *runs, size_t n, double gutter, double factor, crowd_hit **hits);

/* The shortest distance between two runs' boxes (0 when they touch or overlap). */
double crowd_distance(const crowd_run *a, const crowd_run *b);

#endif
