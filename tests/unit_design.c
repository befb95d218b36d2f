/* Unit tests: the arithmetic of the designer's checks (src/design.c). The widest empty band of a
 * stretch given the spans drawn on it, each row worked out by hand on a number line; and the
 * reading-distance figures from their rules: 1 in of letter height per 10 ft (10 ft = 120 in, so
 * distance / 120), and 0.003 rad x distance for other text (10 ft = 8640 pt: 25.92 pt). */
#include "design.h"
#include "unit.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>

static const struct {
    const char *what;
    double span[4][2];
    size_t n;
    double lo, hi;
    double band, from, to; /* expected */
} ROWS[] = {
    { "nothing drawn: the whole stretch", { { 0 } }, 0, 0, 100, 100, 0, 100 },
    { "one span in the middle: the wider side (top 10..40)", { { 40, 70 } }, 1, 10, 100, 30, 10, 40 },
    { "one span in the middle: the wider side (bottom 60..100)", { { 10, 60 } }, 1, 0, 100, 40, 60, 100 },
    { "a gap between two spans, given out of order", { { 70, 100 }, { 0, 20 } }, 2, 0, 100, 50, 20, 70 },
    { "overlapping spans leave no gap between them", { { 0, 50 }, { 40, 90 }, { 45, 60 } }, 3, 0, 100, 10, 90, 100 },
    { "a span inside another does not end the cover early", { { 0, 80 }, { 10, 20 }, { 85, 100 } }, 3, 0, 100, 5, 80, 85 },
    { "spans reaching past the stretch are cut to it", { { -50, 10 }, { 90, 200 } }, 2, 0, 100, 80, 10, 90 },
    { "a span given backwards (from > to)", { { 60, 30 } }, 1, 0, 100, 40, 60, 100 },
    { "covered from end to end: no band", { { 0, 60 }, { 60, 100 } }, 2, 0, 100, 0, 0, 0 },
    { "spans wholly outside: the whole stretch", { { -20, -10 }, { 120, 130 } }, 2, 0, 100, 100, 0, 100 },
};

void test_design(void)
{
    char name[200], detail[200];
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        double from = -1, to = -1;
        double band = design_empty_band((const double(*)[2])ROWS[i].span, ROWS[i].n, ROWS[i].lo, ROWS[i].hi, &from, &to);
        snprintf(name, sizeof name, "design_empty_band: %s", ROWS[i].what);
        snprintf(detail, sizeof detail, "expected %g from %g to %g, found %g from %g to %g", ROWS[i].band, ROWS[i].from,
                 ROWS[i].to, band, from, to);
        bool ok = fabs(band - ROWS[i].band) < 1e-9 && (ROWS[i].band == 0 || (fabs(from - ROWS[i].from) < 1e-9 && fabs(to - ROWS[i].to) < 1e-9));
        check(ok, name, detail);
    }
    double ten_ft = 10 * 12 * 72.0; /* points */
    snprintf(detail, sizeof detail, "found %g pt", design_headline_height(ten_ft));
    check(fabs(design_headline_height(ten_ft) - 72) < 1e-9, "design_headline_height: 1 in (72 pt) at 10 ft", detail);
    snprintf(detail, sizeof detail, "found %g pt", design_headline_height(3 * ten_ft));
    check(fabs(design_headline_height(3 * ten_ft) - 216) < 1e-9, "design_headline_height: 3 in at 30 ft", detail);
    snprintf(detail, sizeof detail, "found %g pt", design_body_size(ten_ft));
    check(fabs(design_body_size(ten_ft) - 25.92) < 1e-9, "design_body_size: 25.92 pt at 10 ft (0.003 rad)", detail);
    double two_m = 2000 * 72 / 25.4;
    snprintf(detail, sizeof detail, "found %g pt", design_body_size(two_m));
    check(fabs(design_body_size(two_m) - 17.0079) < 1e-3, "design_body_size: 6 mm (17.0 pt) at 2 m", detail);
}
