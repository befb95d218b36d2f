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

int calibrate_write(const sheet *s, double w, double h, const printer_adjust *p, fonts *f,
                    const char *path, long long epoch, diag *d)
{
    const char *why = NULL;
    const font_face *face = fonts_find(f, "Liberation Sans", &why);
    if (!face) {
        diag_error(d, "calibrate-font-missing", diag_at(s->path, 0),
                   "expected the font Liberation Sans, found none: %s", why);
        return EXIT_INPUT;
    }
    pdf_doc *pdf = pdf_new();
    pdf_font *font = pdf ? pdf_font_load(pdf, font_face_file(face), font_face_index(face)) : NULL;
    if (!font) {
        diag_error(d, "internal-pdf-error", diag_at(path, 0), "cannot start the PDF: %s",
                   pdf ? pdf_error(pdf) : "out of memory");
        pdf_free(pdf);
        return EXIT_INTERNAL;
    }
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
