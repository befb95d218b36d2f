/* design: the arithmetic of the emptiness and reading-distance checks (design.h). */
#include "design.h"

#include <stdlib.h>

/* Sources of the reading-distance figures, read 2026-12-05 with the search tool (corpus pages):
 * - headline, 1 in of letter height per 10 ft: https://coastsigns.net/?p=2069 ("The Golden Rule: One
 *   Inch Per Ten Feet"), https://ledchannellettersigns.com/?p=990 ("1 inch of letter height for
 *   every 10 feet of viewing distance"), http://www.signexp.com/faqs/what-size-lettering-do-i-need/;
 * - other text, 0.003 rad: https://andrewpwheeler.com/2015/10/14/poster-presentations-should-have-a-minimum-font-size-of-25-points/
 *   (Smith 1979, "Letter Size and Legibility", recommends 0.007 rad; the recommendations gathered
 *   range from 0.003 to 0.010 rad; letter height 0.34 in is taken as a 25 pt font). The check
 *   takes the floor of that range: below it, no recommendation found calls the text readable. */
#define HEADLINE_PER_DISTANCE (1.0 / 120.0) /* 1 in per 10 ft = 120 in */
#define BODY_ANGLE 0.003                    /* radians; small angles: height = angle x distance */

double design_headline_height(double distance)
{
    return distance * HEADLINE_PER_DISTANCE;
}

double design_body_size(double distance)
{
    return distance * BODY_ANGLE;
}

static int by_start(const void *a, const void *b)
{
    const double *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

double design_empty_band(const double (*span)[2], size_t n, double lo, double hi, double *from, double *to)
{
    *from = *to = lo;
    if (hi <= lo)
        return 0;
    double (*s)[2] = n ? malloc(n * sizeof *s) : NULL;
    if (n && !s)
        return 0; /* no memory: no finding */
    for (size_t i = 0; i < n; i++) {
        s[i][0] = span[i][0] < span[i][1] ? span[i][0] : span[i][1];
        s[i][1] = span[i][0] < span[i][1] ? span[i][1] : span[i][0];
    }
    if (n)
        qsort(s, n, sizeof *s, by_start);
    double best = 0, reach = lo; /* covered up to reach */
    for (size_t i = 0; i <= n; i++) {
        double start = i < n ? s[i][0] : hi;
        if (start > hi)
            start = hi;
        if (start - reach > best) {
            best = start - reach;
            *from = reach;
            *to = start;
        }
        if (i < n && s[i][1] > reach)
            reach = s[i][1];
        if (reach >= hi)
            break;
    }
    free(s);
    return best;
}
