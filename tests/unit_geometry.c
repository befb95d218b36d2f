/* Unit tests: relative lengths (units_rel_length) and the crowding check's geometry (crowd.h).
 * Expected values from docs/formats.md ("Percentages of the trim", "Placement rules" 4: a gutter
 * of half the smaller type size between the set text of two elements, in any direction), worked
 * out by hand in each row. */
#include "crowd.h"
#include "units.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

static void rel_lengths(void)
{
    static const struct {
        const char *s;
        int ok;
        double value;
        units_basis basis;
    } rows[] = {
        { "10%", 1, 10, UNITS_PERCENT },       { "12.5%w", 1, 12.5, UNITS_PERCENT_W },
        { "4.502%W", 1, 4.502, UNITS_PERCENT_W }, { "7.5%h", 1, 7.5, UNITS_PERCENT_H },
        { "0%", 1, 0, UNITS_PERCENT },         { "100%", 1, 100, UNITS_PERCENT },
        { "1in", 1, 72, UNITS_ABSOLUTE },      { "0", 1, 0, UNITS_ABSOLUTE },
        { "101%", 0, 0, 0 },                   { "-5%", 0, 0, 0 },
        { "10%x", 0, 0, 0 },                   { "10 %", 0, 0, 0 },
        { "%", 0, 0, 0 },                      { "10", 0, 0, 0 },
    };
    char name[160];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double v = -1;
        units_basis b = UNITS_ABSOLUTE;
        const char *why = NULL;
        int ok = units_rel_length(rows[i].s, &v, &b, &why);
        snprintf(name, sizeof name, "rel length: \"%s\" %s", rows[i].s, rows[i].ok ? "reads" : "is refused, saying why");
        if (!rows[i].ok) {
            check(!ok && why, name, why);
            continue;
        }
        if (CHECK_INT(name, ok, 1)) {
            snprintf(name, sizeof name, "rel length: \"%s\" is %g of kind %d", rows[i].s, rows[i].value, (int)rows[i].basis);
            CHECK_NEAR(name, v, rows[i].value, 1e-9);
            CHECK_INT(name, b, rows[i].basis);
        }
    }
}

static void crowd_cases(void)
{
    /* each row: two runs (element, x, baseline, advance, size, angle; ink 0.75 above, 0.25 below),
     * the gutter (0: half the smaller size), the hits and the distance of the first */
    static const struct {
        const char *what;
        int ea; double xa, ya, wa, sa; int aa;
        int eb; double xb, yb, wb, sb; int ab;
        double gutter;
        size_t hits;
        double distance;
    } rows[] = {
        /* the Vietnamese captions: side by side on one baseline, 7 pt apart, 20.5 pt type */
        { "two elements side by side, 7pt apart at 20.5pt", 0, 100, 500, 93, 20.5, 0, 1, 200, 500, 90, 20.5, 0, 0, 1, 7 },
        { "the same element's two runs 1pt apart: no finding", 0, 100, 500, 93, 20.5, 0, 0, 194, 500, 90, 20.5, 0, 0, 0, 0 },
        { "11pt apart at 20pt (gutter 10): none", 0, 100, 500, 89, 20, 0, 1, 200, 500, 90, 20, 0, 0, 0, 0 },
        { "exactly the gutter apart: none", 0, 100, 500, 90, 20, 0, 1, 200, 500, 90, 20, 0, 0, 0, 0 },
        /* one above the other: a's ink to 500 + 4.5 = 504.5, b's from 518 - 14.25 = 503.75: they overlap */
        { "a title over its text, the inks overlapping", 0, 100, 500, 300, 18, 0, 1, 100, 518, 300, 19, 0, 0, 1, 0 },
        /* b's ink from 530 - 14.25 = 515.75, 11.25 below a's 504.5; half of 18 is 9 */
        { "a title 11.25pt over its text (gutter 9): none", 0, 100, 500, 300, 18, 0, 1, 100, 530, 300, 19, 0, 0, 0, 0 },
        /* the smaller size counts: 8pt and 30pt text 5pt apart, gutter 4 */
        { "the smaller type decides: 5pt apart, 8pt and 30pt type", 0, 100, 500, 50, 8, 0, 1, 155, 500, 50, 30, 0, 0, 0, 0 },
        /* diagonal: a ends at x 150, ink to 505; b from x 156, ink from 523 - 15 = 508: dx 6, dy 3 */
        { "corner to corner, 6.7pt apart at 20pt", 0, 100, 500, 50, 20, 0, 1, 156, 523, 50, 20, 0, 0, 1, 6.7082 },
        /* rotated, reading upwards at x 100: its ink from x 100 - 7.5 to 100 + 2.5; b upright from 105 */
        { "text reading upwards beside upright text, 2.5pt apart", 0, 100, 300, 80, 10, 90, 1, 105, 260, 40, 10, 0, 0, 1, 2.5 },
        /* reading downwards at x 100: its ink from 97.5 to 107.5, from y 300 down to 380 */
        { "text reading downwards, 4.5pt above upright text", 0, 100, 300, 80, 10, 270, 1, 90, 392, 40, 10, 0, 0, 1, 4.5 },
        /* a layout's gutter in points replaces half the size */
        { "a stated 2pt gutter: 7pt apart is enough", 0, 100, 500, 93, 20.5, 0, 1, 200, 500, 90, 20.5, 0, 2, 0, 0 },
        /* right-to-left text is drawn from its left end too (pdf.h): the Arabic captions, 1.8pt apart */
        { "right-to-left runs, 1.8pt apart at 20.5pt", 0, 300, 500, 94.2, 20.5, 0, 1, 396, 500, 120, 20.5, 0, 0, 1, 1.8 },
    };
    char name[200];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        crowd_run runs[2] = {
            crowd_box(rows[i].ea, rows[i].xa, rows[i].ya, rows[i].wa, rows[i].sa, rows[i].aa, 0.75, 0.25),
            crowd_box(rows[i].eb, rows[i].xb, rows[i].yb, rows[i].wb, rows[i].sb, rows[i].ab, 0.75, 0.25),
        };
        crowd_hit *hits = NULL;
        size_t n = crowd_find(runs, 2, rows[i].gutter, 0.5, &hits);
        snprintf(name, sizeof name, "crowd: %s: %zu finding%s", rows[i].what, rows[i].hits, rows[i].hits == 1 ? "" : "s");
        if (CHECK_INT(name, (long long)n, (long long)rows[i].hits) && n == 1) {
            snprintf(name, sizeof name, "crowd: %s: %.2fpt apart", rows[i].what, rows[i].distance);
            CHECK_NEAR(name, hits[0].distance, rows[i].distance, 0.001);
        }
        free(hits);
    }
    /* many runs of two elements: one finding for the pair, its closest runs */
    crowd_run many[4] = {
        crowd_box(3, 0, 100, 50, 20, 0, 0.75, 0.25), crowd_box(3, 0, 124, 50, 20, 0, 0.75, 0.25),
        crowd_box(5, 58, 100, 50, 20, 0, 0.75, 0.25), crowd_box(5, 53, 124, 50, 20, 0, 0.75, 0.25),
    };
    crowd_hit *hits = NULL;
    size_t n = crowd_find(many, 4, 0, 0.5, &hits);
    if (CHECK_INT("crowd: two elements of two lines each: one finding for the pair", (long long)n, 1)) {
        CHECK_NEAR("crowd: ... the closest runs, 3pt apart", hits[0].distance, 3, 1e-9);
        CHECK_INT("crowd: ... elements 3 and 5, in order", hits[0].a * 10 + hits[0].b, 35);
        CHECK_INT("crowd: ... runs 1 and 3", (long long)(hits[0].ra * 10 + hits[0].rb), 13);
    }
    free(hits);
}

void test_geometry(void)
{
    rel_lengths();
    crowd_cases();
}
