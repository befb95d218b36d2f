/* Unit tests: imposition (src/impose.c), table-driven. The sheets are the project's own files in
 * sheets/, loaded as a build loads them; the expected cells are written down from the geometry
 * each sheet file names as its source, in the source's units, never computed by impose.c:
 *   [Avery5371] Avery 5371/8371 business cards, as the gLabels template database lists them
 *               (avery-us-templates.xml): US Letter, 3.5 x 2 in cards, 2 across and 5 down,
 *               first card at x0 0.75 in, y0 0.5 in, pitch dx 3.5 in, dy 2 in
 *   [ISO216]    A4 is 210 x 297 mm; [ANSI] US Letter is 8.5 x 11 in
 *   [sheetfile] what the sheet file's own comment states: a4-10up-cards "85 x 55 mm on A4, 2 x 5,
 *               no gutters, 20 mm side margins, 11 mm top and bottom"; a4-8up-stickers "76 x 51 mm,
 *               2 x 4, 6 mm gutters, centred"; letter-8up-stickers "3 x 2 in, 2 x 4, 0.25 in
 *               gutters, centred". Centred margins are worked out by hand in the row's comment.
 *   [docs]      docs/formats.md, "Sheets": cells row by row; on the backs' page the cells are
 *               mirrored about the paper's vertical centre line (long-edge) or its horizontal one
 *               (short-edge), so that the front in the top-left cell has its back in the top-right
 *               cell; a printer's point (x, y) is drawn at (x * scale_x + offset_x, y * scale_y +
 *               offset_y)
 * Rows run from the repository's root (tests/run.sh starts tests/unit there). */
#include "diag.h"
#include "impose.h"
#include "unit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IN(v) ((v) * 72.0)
#define MM(v) ((v) * 72.0 / 25.4)
#define TOL 1e-6

/* One sheet of sheets/ with the item it is made for. */
typedef struct sheet_case {
    const char *file;
    double item_w, item_h; /* points */
    double page_w, page_h; /* points, from [ISO216] / [ANSI] */
    int columns, rows;
} sheet_case;

static const sheet_case SHEETS[] = {
    { "sheets/letter-10up-cards.ini", IN(3.5), IN(2), IN(8.5), IN(11), 2, 5 },
    { "sheets/a4-10up-cards.ini", MM(85), MM(55), MM(210), MM(297), 2, 5 },
    { "sheets/a4-8up-stickers.ini", MM(76), MM(51), MM(210), MM(297), 2, 4 },
    { "sheets/letter-8up-stickers.ini", IN(3), IN(2), IN(8.5), IN(11), 2, 4 },
};
enum { NSHEETS = sizeof SHEETS / sizeof SHEETS[0] };

static sheet *load_case(const sheet_case *c)
{
    diag *d = diag_new(NULL);
    sheet *s = d ? sheet_load(c->file, d) : NULL;
    if (s && !sheet_prepare(s, c->item_w, c->item_h, d)) {
        sheet_free(s);
        s = NULL;
    }
    char what[300];
    snprintf(what, sizeof what, "impose: %s loads and its grid fits (run from the repository's root)", c->file);
    check(s != NULL, what, d ? diag_last(d) : "out of memory");
    diag_free(d);
    return s;
}

/* The paper and the grid of each sheet file, against its source. */
static void sheet_rows(sheet *const loaded[NSHEETS])
{
    for (int k = 0; k < NSHEETS; k++) {
        const sheet *s = loaded[k];
        if (!s)
            continue;
        char name[200];
        snprintf(name, sizeof name, "impose sheet %d: %s paper width [ISO216/ANSI]", k + 1, SHEETS[k].file);
        CHECK_NEAR(name, s->page_w, SHEETS[k].page_w, 1e-3);
        snprintf(name, sizeof name, "impose sheet %d: %s paper height [ISO216/ANSI]", k + 1, SHEETS[k].file);
        CHECK_NEAR(name, s->page_h, SHEETS[k].page_h, 1e-3);
        snprintf(name, sizeof name, "impose sheet %d: %s cells per sheet (%d x %d)", k + 1, SHEETS[k].file,
                 SHEETS[k].columns, SHEETS[k].rows);
        CHECK_INT(name, sheet_per_page(s), SHEETS[k].columns * SHEETS[k].rows);
    }
}

/* Cells: the trim's top-left corner of a slot on the front, and on the back for each duplex mode. */
static void cell_rows(sheet *const loaded[NSHEETS])
{
    enum { FRONT, BACK_LONG, BACK_SHORT };
    static const char *const SIDE[] = { "front", "back, long-edge", "back, short-edge" };
    static const struct {
        int row, sheet, slot, side;
        double x, y; /* points */
        const char *source;
    } rows[] = {
        /* letter-10up-cards: x0 0.75 in, dx 3.5 in; y0 0.5 in, dy 2 in */
        { 1, 0, 0, FRONT, IN(0.75), IN(0.5), "Avery5371" },
        { 2, 0, 1, FRONT, IN(4.25), IN(0.5), "Avery5371: 0.75 + 3.5" },
        { 3, 0, 2, FRONT, IN(0.75), IN(2.5), "Avery5371; docs: cells row by row" },
        { 4, 0, 5, FRONT, IN(4.25), IN(4.5), "Avery5371: 0.5 + 2 x 2" },
        { 5, 0, 9, FRONT, IN(4.25), IN(8.5), "Avery5371: the last card" },
        /* the back of the top-left card is in the top-right cell: 8.5 - 0.75 - 3.5 = 4.25 in */
        { 6, 0, 0, BACK_LONG, IN(4.25), IN(0.5), "docs, Avery5371" },
        { 7, 0, 1, BACK_LONG, IN(0.75), IN(0.5), "docs: 8.5 - 4.25 - 3.5 = 0.75" },
        { 8, 0, 9, BACK_LONG, IN(0.75), IN(8.5), "docs" },
        /* short-edge: rows mirrored, 11 - 0.5 - 2 = 8.5 in */
        { 9, 0, 0, BACK_SHORT, IN(0.75), IN(8.5), "docs: 11 - 0.5 - 2" },
        { 10, 0, 1, BACK_SHORT, IN(4.25), IN(8.5), "docs" },
        { 11, 0, 5, BACK_SHORT, IN(4.25), IN(4.5), "docs: 11 - 4.5 - 2, the middle row stays" },
        { 12, 0, 9, BACK_SHORT, IN(4.25), IN(0.5), "docs: 11 - 8.5 - 2" },
        /* a4-10up-cards: 20 mm and 20 + 85 = 105 mm across; 11, 66, 121, 176, 231 mm down */
        { 13, 1, 0, FRONT, MM(20), MM(11), "sheetfile" },
        { 14, 1, 1, FRONT, MM(105), MM(11), "sheetfile: 20 + 85" },
        { 15, 1, 7, FRONT, MM(105), MM(176), "sheetfile: 11 + 3 x 55" },
        { 16, 1, 8, FRONT, MM(20), MM(231), "sheetfile: 11 + 4 x 55; ISO216: 231 + 55 + 11 = 297" },
        { 17, 1, 0, BACK_LONG, MM(105), MM(11), "docs, ISO216: 210 - 20 - 85" },
        { 18, 1, 7, BACK_LONG, MM(20), MM(176), "docs: 210 - 105 - 85" },
        { 19, 1, 7, BACK_SHORT, MM(105), MM(66), "docs, ISO216: 297 - 176 - 55" },
        /* a4-8up-stickers, centred: (210 - (2 x 76 + 6)) / 2 = 26 mm across, then 26 + 82 = 108;
         * (297 - (4 x 51 + 3 x 6)) / 2 = 37.5 mm down, then + 57 each */
        { 20, 2, 0, FRONT, MM(26), MM(37.5), "sheetfile, ISO216: centred" },
        { 21, 2, 1, FRONT, MM(108), MM(37.5), "sheetfile: 26 + 76 + 6" },
        { 22, 2, 7, FRONT, MM(108), MM(208.5), "sheetfile: 37.5 + 3 x 57" },
        { 23, 2, 0, BACK_LONG, MM(108), MM(37.5), "docs: 210 - 26 - 76" },
        { 24, 2, 2, BACK_SHORT, MM(26), MM(151.5), "docs: 297 - 94.5 - 51" },
        /* letter-8up-stickers, centred: (8.5 - (2 x 3 + 0.25)) / 2 = 1.125 in across, then 4.375;
         * (11 - (4 x 2 + 3 x 0.25)) / 2 = 1.125 in down, then + 2.25 each */
        { 25, 3, 0, FRONT, IN(1.125), IN(1.125), "sheetfile, ANSI: centred" },
        { 26, 3, 3, FRONT, IN(4.375), IN(3.375), "sheetfile: 1.125 + 3.25, 1.125 + 2.25" },
        { 27, 3, 6, FRONT, IN(1.125), IN(7.875), "sheetfile: 1.125 + 3 x 2.25" },
        { 28, 3, 3, BACK_LONG, IN(1.125), IN(3.375), "docs: 8.5 - 4.375 - 3" },
        { 29, 3, 3, BACK_SHORT, IN(4.375), IN(5.625), "docs: 11 - 3.375 - 2" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const sheet *s = loaded[rows[i].sheet];
        if (!s)
            continue;
        sheet t = *s; /* the same sheet, turned the row's way */
        t.duplex = rows[i].side == BACK_SHORT ? DUPLEX_SHORT_EDGE : DUPLEX_LONG_EDGE;
        double x = -1, y = -1;
        impose_cell(&t, SHEETS[rows[i].sheet].item_w, SHEETS[rows[i].sheet].item_h, rows[i].slot,
                    rows[i].side != FRONT, &x, &y);
        char name[300];
        snprintf(name, sizeof name, "impose cell row %d [%s]: %s cell %d %s, x", rows[i].row, rows[i].source,
                 SHEETS[rows[i].sheet].file, rows[i].slot + 1, SIDE[rows[i].side]);
        CHECK_NEAR(name, x, rows[i].x, 1e-3);
        snprintf(name, sizeof name, "impose cell row %d [%s]: %s cell %d %s, y", rows[i].row, rows[i].source,
                 SHEETS[rows[i].sheet].file, rows[i].slot + 1, SIDE[rows[i].side]);
        CHECK_NEAR(name, y, rows[i].y, 1e-3);
    }
}

/* Every cell of every sheet, both ways: the paper turned over (about its vertical centre line for
 * long-edge, its horizontal one for short-edge) puts each back exactly behind its own front, and
 * the fronts tile the grid row by row without overlapping [docs]. */
static void flip_rows(sheet *const loaded[NSHEETS])
{
    for (int k = 0; k < NSHEETS; k++) {
        if (!loaded[k])
            continue;
        double w = SHEETS[k].item_w, h = SHEETS[k].item_h;
        for (int mode = 0; mode < 2; mode++) {
            sheet t = *loaded[k];
            t.duplex = mode ? DUPLEX_SHORT_EDGE : DUPLEX_LONG_EDGE;
            char bad[200] = "";
            for (int slot = 0; slot < sheet_per_page(&t) && !bad[0]; slot++) {
                double fx, fy, bx, by;
                impose_cell(&t, w, h, slot, false, &fx, &fy);
                impose_cell(&t, w, h, slot, true, &bx, &by);
                /* where the back's rectangle lies once the paper is turned over */
                double tx = mode ? bx : t.page_w - (bx + w), ty = mode ? t.page_h - (by + h) : by;
                if (fabs(tx - fx) > TOL || fabs(ty - fy) > TOL)
                    snprintf(bad, sizeof bad, "cell %d: front at (%.3f, %.3f) pt, its back turned over at (%.3f, %.3f)",
                             slot + 1, fx, fy, tx, ty);
                /* the next cell of the row is one item and one gutter to the right */
                int col = slot % t.columns;
                if (!bad[0] && col + 1 < t.columns) {
                    double nx, ny;
                    impose_cell(&t, w, h, slot + 1, false, &nx, &ny);
                    if (nx < fx + w - TOL || fabs(ny - fy) > TOL)
                        snprintf(bad, sizeof bad, "cell %d at (%.3f, %.3f) overlaps cell %d at (%.3f, %.3f)", slot + 2,
                                 nx, ny, slot + 1, fx, fy);
                }
            }
            char name[300];
            snprintf(name, sizeof name, "impose flip [docs]: %s, %s duplex: every back lies behind its own front",
                     SHEETS[k].file, mode ? "short-edge" : "long-edge");
            check(!bad[0], name, bad);
        }
    }
}

/* sheet_prepare: centred margins and a grid too large for the paper [docs]. */
static void prepare_rows(void)
{
    diag *d = diag_new(NULL);
    sheet *s = d ? sheet_load("sheets/letter-8up-stickers.ini", d) : NULL;
    if (!s) {
        check(0, "impose prepare: sheets/letter-8up-stickers.ini loads", d ? diag_last(d) : "out of memory");
        diag_free(d);
        return;
    }
    check(sheet_prepare(s, IN(3), IN(2), d), "impose prepare row 1 [sheetfile]: 3 x 2 in stickers fit", diag_last(d));
    CHECK_NEAR("impose prepare row 2 [sheetfile, ANSI]: centred across, (8.5 - 6.25) / 2 = 1.125 in", s->margin_left,
               IN(1.125), 1e-3);
    CHECK_NEAR("impose prepare row 3 [sheetfile, ANSI]: centred down, (11 - 8.75) / 2 = 1.125 in", s->margin_top,
               IN(1.125), 1e-3);
    sheet_free(s);
    s = sheet_load("sheets/letter-10up-cards.ini", d);
    /* 2 x 4.5 in from a 0.75 in margin reaches 9.75 in on 8.5 in paper */
    bool fits = s && sheet_prepare(s, IN(4.5), IN(2), d);
    check(s && !fits && strstr(diag_last(d), "reaching past the paper"),
          "impose prepare row 4 [docs]: 4.5 in cards on letter-10up-cards are refused (the grid reaches past the paper)",
          diag_last(d));
    sheet_free(s);
    diag_free(d);
}

/* A printer's correction [docs], with printers/example.ini: -0.5 mm across, 0.3 mm down, true size. */
static void printer_rows(void)
{
    printer_adjust p;
    diag *d = diag_new(NULL);
    bool ok = d && printer_load("printers/example.ini", &p, d);
    check(ok, "impose printer: printers/example.ini loads", d ? diag_last(d) : "out of memory");
    diag_free(d);
    if (!ok)
        return;
    static const struct {
        int row;
        double x, y, want_x, want_y;
    } rows[] = {
        { 1, 0, 0, MM(-0.5), MM(0.3) },
        { 2, IN(1), IN(1), IN(1) - MM(0.5), IN(1) + MM(0.3) },
        { 3, IN(8.5), IN(11), IN(8.5) - MM(0.5), IN(11) + MM(0.3) },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double x = rows[i].x, y = rows[i].y;
        printer_apply(&p, false, &x, &y);
        char name[200];
        snprintf(name, sizeof name, "impose printer row %d [docs]: (%.2f, %.2f) pt moved 0.5 mm left, x", rows[i].row,
                 rows[i].x, rows[i].y);
        CHECK_NEAR(name, x, rows[i].want_x, 1e-3);
        snprintf(name, sizeof name, "impose printer row %d [docs]: (%.2f, %.2f) pt moved 0.3 mm down, y", rows[i].row,
                 rows[i].x, rows[i].y);
        CHECK_NEAR(name, y, rows[i].want_y, 1e-3);
    }
    /* a scale: scale_x 1.002 stretches a point 8 in across to 8.016 in */
    p = (printer_adjust){ 0, 0, 1.002, 0.998, 0, 0, 1, 1, 0, false };
    double x = IN(8), y = IN(10);
    printer_apply(&p, false, &x, &y);
    CHECK_NEAR("impose printer row 4 [docs]: scale_x 1.002 takes 8 in to 8.016 in", x, IN(8.016), 1e-3);
    CHECK_NEAR("impose printer row 5 [docs]: scale_y 0.998 takes 10 in to 9.98 in", y, IN(9.98), 1e-3);
    /* the back [docs]: without back_ keys the back takes the front's values (printers/example.ini);
     * with them (tests/fixtures/printer-duplex.ini) the back has its own, and the front keeps its */
    d = diag_new(NULL);
    ok = d && printer_load("printers/example.ini", &p, d);
    x = IN(1), y = IN(1);
    if (ok)
        printer_apply(&p, true, &x, &y);
    check(ok && fabs(x - (IN(1) - MM(0.5))) < 1e-3 && fabs(y - (IN(1) + MM(0.3))) < 1e-3,
          "impose printer row 6 [docs]: a file without back_ keys moves the back as the front", diag_last(d));
    ok = d && printer_load("tests/fixtures/printer-duplex.ini", &p, d);
    double fx = IN(1), fy = IN(1);
    x = IN(1), y = IN(1);
    if (ok) {
        printer_apply(&p, false, &fx, &fy);
        printer_apply(&p, true, &x, &y);
    }
    check(ok && fabs(fx - (IN(1) + MM(1))) < 1e-3 && fabs(fy - (IN(1) + MM(0.5))) < 1e-3,
          "impose printer row 7 [docs]: the front keeps offset_x/y (1mm, 0.5mm) beside back keys", diag_last(d));
    check(ok && fabs(x - (IN(1) * 1.003 - MM(1))) < 1e-3 && fabs(y - (IN(1) * 0.997 + MM(2))) < 1e-3,
          "impose printer row 8 [docs]: the back is drawn at x * back_scale_x + back_offset_x (1.003, -1mm; 0.997, 2mm)",
          diag_last(d));
    diag_free(d);
}

void test_impose(void)
{
    sheet *loaded[NSHEETS];
    for (int k = 0; k < NSHEETS; k++)
        loaded[k] = load_case(&SHEETS[k]);
    sheet_rows(loaded);
    cell_rows(loaded);
    flip_rows(loaded);
    prepare_rows();
    printer_rows();
    for (int k = 0; k < NSHEETS; k++)
        sheet_free(loaded[k]);
}
