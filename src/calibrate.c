/* calibrate: targets, outlines and instructions on one page. */
#include "calibrate.h"
#include "status.h"
#include "atomic.h"
#include "pdf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void calibrate_targets(const sheet *s, double *ax, double *ay, double *bx, double *by)
{
    *ax = 72;
    *ay = 72;
    *bx = s->page_w - 72;
    *by = s->page_h - 72;
}

static void target(pdf_doc *pdf, double x, double y, const colour *c)
{
    pdf_line(pdf, x - 18, y, x + 18, y, 0.35, c);
    pdf_line(pdf, x, y - 18, x, y + 18, 0.35, c);
    pdf_stroke_rect(pdf, x - 6, y - 6, 12, 12, 0.35, c);
}

/* Writes pdf to path (through a temporary file, replaced whole) and frees it; an exit status. */
static int save(pdf_doc *pdf, const char *path, diag *d)
{
    char tmp[4096], err[1024];
    snprintf(tmp, sizeof tmp, "%s.%d.tmp", path, (int)getpid());
    int status = EXIT_OK;
    if (pdf_failed(pdf)) {
        diag_error(d, "internal-pdf-error", diag_at(path, 0), "drawing failed: %s", pdf_error(pdf));
        status = EXIT_INTERNAL;
    } else if (!atomic_target_ok(path, err, sizeof err)) {
        diag_error(d, "output-target-refused", diag_at(path, 0), "%s", err);
        status = EXIT_OUTPUT;
    } else if (!pdf_save(pdf, tmp, err, sizeof err)) {
        diag_error(d, "output-write-failed", diag_at(path, 0), "expected to write the PDF, found an error: %s", err);
        status = EXIT_OUTPUT;
    } else if (rename(tmp, path) != 0) {
        diag_error(d, "output-write-failed", diag_at(path, 0), "expected to write the PDF, found an error: %s",
                   strerror(errno));
        unlink(tmp);
        status = EXIT_OUTPUT;
    }
    pdf_free(pdf);
    return status;
}

/* A new PDF with Liberation Sans loaded into *font; NULL after reporting, with the exit status in
 * *status. */
static pdf_doc *start(const sheet *s, fonts *f, const char *path, pdf_font **font, int *status, diag *d)
{
    const char *why = NULL;
    const font_face *face = fonts_find(f, "Liberation Sans", &why);
    if (!face) {
        diag_error(d, "calibrate-font-missing", diag_at(s->path, 0),
                   "expected the font Liberation Sans, found none: %s", why);
        *status = EXIT_INPUT;
        return NULL;
    }
    pdf_doc *pdf = pdf_new();
    *font = pdf ? pdf_font_load(pdf, font_face_file(face), font_face_index(face)) : NULL;
    if (!*font) {
        diag_error(d, "internal-pdf-error", diag_at(path, 0), "cannot start the PDF: %s",
                   pdf ? pdf_error(pdf) : "out of memory");
        pdf_free(pdf);
        *status = EXIT_INTERNAL;
        return NULL;
    }
    return pdf;
}

int calibrate_write(const sheet *s, double w, double h, const printer_adjust *p, fonts *f,
                    const char *path, long long epoch, diag *d)
{
    pdf_font *font = NULL;
    int status = EXIT_OK;
    pdf_doc *pdf = start(s, f, path, &font, &status, d);
    if (!pdf)
        return status;
    static const colour BLACK = { COLOUR_RGB, { 0, 0, 0, 0 } };
    static const colour GREY = { COLOUR_RGB, { 0.6, 0.6, 0.6, 0 } };
    pdf_page_add(pdf, s->page_w, s->page_h);
    if (p)
        pdf_push(pdf, p->offset_x, p->offset_y, p->scale_x, p->scale_y);
    for (int slot = 0; slot < sheet_per_page(s); slot++) {
        double x, y;
        impose_cell(s, w, h, slot, false, &x, &y);
        pdf_stroke_rect(pdf, x, y, w, h, 0.25, &GREY);
    }
    impose_line marks[1024];
    size_t n = s->crop_marks ? impose_marks(s, w, h, marks, 1024) : 0;
    for (size_t i = 0; i < n; i++)
        pdf_line(pdf, marks[i].x1, marks[i].y1, marks[i].x2, marks[i].y2, s->mark_width, &BLACK);
    double ax, ay, bx, by;
    calibrate_targets(s, &ax, &ay, &bx, &by);
    target(pdf, ax, ay, &BLACK);
    target(pdf, bx, by, &BLACK);
    char line[256];
    snprintf(line, sizeof line, "A: %.3f in from the left edge, %.3f in from the top", ax / 72, ay / 72);
    pdf_text(pdf, font, 8, ax + 22, ay + 3, 0, line, strlen(line), &BLACK);
    snprintf(line, sizeof line, "B: %.3f in from the left edge, %.3f in from the top", bx / 72, by / 72);
    pdf_text(pdf, font, 8, bx - 22 - pdf_text_width(font, line, strlen(line), 8), by + 3, 0, line,
             strlen(line), &BLACK);
    static const char *const HELP[] = {
        "Calibration sheet. Print it at 100% (no \"fit to page\"), on the printer and paper you will use.",
        "Measure from the paper's left and top edges to the centre of targets A and B, in inches or mm.",
        "scale_x = (Bx measured - Ax measured) / (Bx - Ax); offset_x = Ax measured - Ax x scale_x; the same for y.",
        "Write them in printers/NAME.ini under [printer] (offsets with units: -0.02in, 0.5mm) and build",
        "with --printer printers/NAME.ini. Then print this sheet again with it: the targets should land true.",
    };
    for (size_t i = 0; i < sizeof HELP / sizeof HELP[0]; i++)
        pdf_text(pdf, font, 7.5, 72, s->page_h / 2 - 30 + 11 * (double)i, 0, HELP[i], strlen(HELP[i]), &BLACK);
    snprintf(line, sizeof line, "Sheet: %s (%s)", s->path, s->description);
    pdf_text(pdf, font, 7.5, 72, s->page_h / 2 - 30 + 11 * 6, 0, line, strlen(line), &BLACK);
    if (p)
        pdf_pop(pdf);
    pdf_set_info(pdf, "Calibration sheet", "handout", epoch);
    return save(pdf, path, d);
}

/* ---- the duplex alignment sheet ----
 * Three stations (A 1 in from the top-left corner, C the centre, B 1 in from the bottom-right
 * corner). At each, the front has an X scale (horizontal, DUPLEX_RULER pt from the station, read
 * by the back's upright line) and a Y scale (upright, read by the back's level line); the back has a
 * cross whose arms, after the flip, lie on the station's point when the back is true. Each scale
 * is labelled with the correction itself (what to add to back_offset_x or back_offset_y, in mm),
 * so that its sign already allows for the flip. */

#define DUPLEX_RULER 24.0          /* from the station's point to its scale's line, pt */
#define DUPLEX_ARM 48.0            /* half the length of the back cross's arms, pt */
#define DUPLEX_RANGE 6             /* each scale reads -6 to +6 mm */
#define MM_PT (72.0 / 25.4)

void calibrate_duplex_stations(const sheet *s, double x[3], double y[3])
{
    x[0] = 72;
    y[0] = 72;
    x[1] = s->page_w / 2;
    y[1] = s->page_h / 2;
    x[2] = s->page_w - 72;
    y[2] = s->page_h - 72;
}

/* One scale: along x (horizontal, at height at, centred on c) or along y (upright, at x = at); the
 * tick at front offset t mm (rightwards or downwards) is labelled sign * t. Labels go on the side
 * away from the station (out: +1 below or right of the line, -1 above or left). */
static void scale(pdf_doc *pdf, pdf_font *font, bool along_x, double c, double at, int out, int sign,
                  const colour *k)
{
    double half = DUPLEX_RANGE * MM_PT;
    if (along_x)
        pdf_line(pdf, c - half, at, c + half, at, 0.3, k);
    else
        pdf_line(pdf, at, c - half, at, c + half, 0.3, k);
    for (int i = -2 * DUPLEX_RANGE; i <= 2 * DUPLEX_RANGE; i++) {
        double t = i * 0.5 * MM_PT, len = i % 6 == 0 ? 6 : i % 2 == 0 ? 4 : 2.5;
        if (along_x)
            pdf_line(pdf, c + t, at, c + t, at + out * len, i == 0 ? 0.5 : 0.25, k);
        else
            pdf_line(pdf, at, c + t, at + out * len, c + t, i == 0 ? 0.5 : 0.25, k);
        if (i % 6 != 0)
            continue; /* a number every 3 mm */
        char lab[8];
        int v = sign * i / 2;
        snprintf(lab, sizeof lab, v > 0 ? "+%d" : "%d", v);
        double tw = pdf_text_width(font, lab, strlen(lab), 5);
        if (along_x)
            pdf_text(pdf, font, 5, c + t - tw / 2, out > 0 ? at + 11 : at - 8, 0, lab, strlen(lab), k);
        else
            pdf_text(pdf, font, 5, out > 0 ? at + 8 : at - 8 - tw, c + t + 1.8, 0, lab, strlen(lab), k);
    }
}

int calibrate_duplex_write(const sheet *s, const printer_adjust *p, fonts *f, const char *path,
                           long long epoch, diag *d)
{
    pdf_font *font = NULL;
    int status = EXIT_OK;
    pdf_doc *pdf = start(s, f, path, &font, &status, d);
    if (!pdf)
        return status;
    static const colour BLACK = { COLOUR_RGB, { 0, 0, 0, 0 } };
    bool long_edge = s->duplex == DUPLEX_LONG_EDGE;
    /* what a reading means: the back page's x runs against the front's on a long-edge flip, its y
     * on a short-edge one; a line seen t mm right of zero is then t mm too far left on the back
     * (to add), or t mm too far right where the axes agree (to take away) */
    int sign_x = long_edge ? 1 : -1, sign_y = long_edge ? -1 : 1;
    double sx[3], sy[3];
    calibrate_duplex_stations(s, sx, sy);
    static const char *const NAMES[3] = { "A", "C", "B" };
    double fo[4] = { 0, 0, 1, 1 }, bo[4] = { 0, 0, 1, 1 }; /* offsets and scales now, front and back */
    if (p) {
        printer_side(p, false, &fo[0], &fo[1], &fo[2], &fo[3]);
        printer_side(p, true, &bo[0], &bo[1], &bo[2], &bo[3]);
    }

    /* the front: the scales, the names of the stations, the instructions */
    pdf_page_add(pdf, s->page_w, s->page_h);
    pdf_push(pdf, fo[0], fo[1], fo[2], fo[3]);
    for (int i = 0; i < 3; i++) {
        /* scales on the station's side towards the page's centre (below and right at A) */
        int vx = i == 2 ? -1 : 1, vy = i == 0 ? 1 : -1;
        double xr = sy[i] + vy * DUPLEX_RULER, yr = sx[i] + vx * DUPLEX_RULER;
        scale(pdf, font, true, sx[i], xr, vy, sign_x, &BLACK);
        scale(pdf, font, false, sy[i], yr, vx, sign_y, &BLACK);
        /* each scale's name at its end away from the other scale, the station's letter in the
         * corner away from both */
        double half = DUPLEX_RANGE * MM_PT;
        char lab[32];
        snprintf(lab, sizeof lab, "%s: X", NAMES[i]);
        double lw = pdf_text_width(font, lab, strlen(lab), 6);
        pdf_text(pdf, font, 6, vx > 0 ? sx[i] - half - 4 - lw : sx[i] + half + 4, xr + 2, 0, lab, strlen(lab), &BLACK);
        snprintf(lab, sizeof lab, "%s: Y", NAMES[i]);
        lw = pdf_text_width(font, lab, strlen(lab), 6);
        pdf_text(pdf, font, 6, yr - lw / 2, vy > 0 ? sy[i] - half - 4 : sy[i] + half + 9, 0, lab, strlen(lab), &BLACK);
        lw = pdf_text_width(font, NAMES[i], 1, 14);
        pdf_text(pdf, font, 14, vx > 0 ? sx[i] - 14 - lw : sx[i] + 14, vy > 0 ? sy[i] - 8 : sy[i] + 18, 0, NAMES[i], 1,
                 &BLACK);
    }
    char now[200], line[400];
    snprintf(now, sizeof now, "This sheet was drawn with back_offset_x = %.2f mm, back_offset_y = %.2f mm, back_scale_x = %.4f, back_scale_y = %.4f%s.",
             bo[0] / MM_PT, bo[1] / MM_PT, bo[2], bo[3], p ? " (from the printer file)" : " (no printer file)");
    /* the distances from A to B on the back page, in mm, signed as the back's axes run */
    double dx = (long_edge ? -1 : 1) * (sx[2] - sx[0]) / MM_PT, dy = (long_edge ? 1 : -1) * (sy[2] - sy[0]) / MM_PT;
    char scale_x[200], scale_y[200];
    snprintf(scale_x, sizeof scale_x, "    back_scale_x = (its value now) + (X at %s - X at %s) / %.1f",
             dx > 0 ? "B" : "A", dx > 0 ? "A" : "B", dx > 0 ? dx : -dx);
    snprintf(scale_y, sizeof scale_y, "    back_scale_y = (its value now) + (Y at %s - Y at %s) / %.1f",
             dy > 0 ? "B" : "A", dy > 0 ? "A" : "B", dy > 0 ? dy : -dy);
    snprintf(line, sizeof line, "1. Print both pages of this file on ONE sheet of paper, two-sided, \"flip on %s edge\", at 100 %% (not \"fit to page\").",
             long_edge ? "long" : "short");
    const char *text[] = {
        "Duplex alignment sheet: how far your printer puts the back of the paper off the front",
        line,
        "2. Hold the sheet up to a window or a lamp, this side towards you. You will see a cross printed on the back",
        "    near each of A, B and C, shining through the paper.",
        "3. At each letter, find where the cross's upright line meets scale X and where its level line meets scale Y.",
        "    Read the numbers there, in millimetres (each small step is 0.5 mm). All 0: the back is true.",
        "4. If A, B and C give the same numbers, open your printer file (printers/NAME.ini, under [printer]) and write",
        "    back_offset_x = (its value now) + the X number, back_offset_y = (its value now) + the Y number, in mm",
        "    (e.g. back_offset_x = -1.5mm). Without a back_offset_x, its value now is offset_x (0 without one).",
        "5. If A and B give different numbers, the back is printed larger or smaller than the front. First write",
        scale_x,
        scale_y,
        "    then make this sheet again with the file (below), print it, and go on from step 2.",
        "6. Make this sheet again with the file (handout calibrate LAYOUT --duplex --printer printers/NAME.ini), print it:",
        "    every number should now be 0. Builds with --printer printers/NAME.ini then put the backs where they belong.",
        now,
    };
    double ty = sy[0] + DUPLEX_ARM + 26;
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        double size = i == 0 ? 9 : 7.5;
        pdf_text(pdf, font, size, 72, ty, 0, text[i], strlen(text[i]), &BLACK);
        ty += i == 0 ? 14 : 10.5;
    }
    snprintf(line, sizeof line, "Sheet: %s (%s), %.4g x %.4g pt", s->path, s->description, s->page_w, s->page_h);
    pdf_text(pdf, font, 7, 72, ty + 4, 0, line, strlen(line), &BLACK);
    pdf_pop(pdf);

    /* the back: a cross behind each station, mirrored for the flip, and a word of what this is */
    pdf_page_add(pdf, s->page_w, s->page_h);
    pdf_push(pdf, bo[0], bo[1], bo[2], bo[3]);
    for (int i = 0; i < 3; i++) {
        double x = long_edge ? s->page_w - sx[i] : sx[i], y = long_edge ? sy[i] : s->page_h - sy[i];
        pdf_line(pdf, x, y - DUPLEX_ARM, x, y + DUPLEX_ARM, 0.5, &BLACK);
        pdf_line(pdf, x - DUPLEX_ARM, y, x + DUPLEX_ARM, y, 0.5, &BLACK);
    }
    snprintf(line, sizeof line, "Back of the duplex alignment sheet: print it on the other side of page 1, flip on %s edge.",
             long_edge ? "long" : "short");
    double w = pdf_text_width(font, line, strlen(line), 7.5);
    pdf_text(pdf, font, 7.5, (s->page_w - w) / 2, s->page_h * 0.75 + 20, 0, line, strlen(line), &BLACK);
    pdf_pop(pdf);
    pdf_set_info(pdf, "Duplex alignment sheet", "handout", epoch);
    return save(pdf, path, d);
}
