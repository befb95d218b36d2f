/* impose: the sheet INI ([sheet] section, documented in docs/formats.md) and the geometry of a
 * gang-up: cells in a grid, the back mirrored about the sheet's vertical centre line (long-edge
 * flip) or horizontal one (short-edge flip), and crop marks on the extensions of every cut line,
 * in the sheet's margins only, where they cannot touch any item's art. */
#include "impose.h"
#include "ink.h"
#include "ini.h"
#include "units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const SHEET_KEYS[] = { "description", "size", "orientation", "columns", "rows",
                                          "margin_left", "margin_top", "gutter", "gutter_x",
                                          "gutter_y", "crop_marks", "mark_length", "mark_offset",
                                          "mark_width", "duplex", "cell_width", "cell_height",
                                          "pitch_x", "pitch_y", "shape", "clip", NULL };

void sheet_free(sheet *s)
{
    if (!s)
        return;
    free(s->path);
    free(s->description);
    free(s);
}

static diag_loc sloc(const ini_file *f, const char *section, const char *key)
{
    diag_loc l = { ini_path(f), ini_line(f, section, key), section, key };
    return l;
}

static bool get_length(const ini_file *f, const char *sec, const char *key, double *out, diag *d)
{
    const char *v = ini_get(f, sec, key);
    if (!v)
        return false;
    const char *why = NULL;
    if (!units_length(v, out, &why)) {
        diag_error(d, "sheet-bad-length", sloc(f, sec, key), "expected %s, found \"%s\"", why, v);
        return false;
    }
    return true;
}

sheet *sheet_load(const char *path, diag *d)
{
    int before = diag_errors(d);
    ini_file *f = ini_load(path, d);
    if (!f)
        return NULL;
    sheet *s = calloc(1, sizeof *s);
    if (!s) {
        ini_free(f);
        return NULL;
    }
    s->path = strdup(path);
    int sec = ini_section_index(f, "sheet");
    if (sec < 0) {
        diag_error(d, "sheet-no-section", diag_at(path, 0), "expected a [sheet] section, found none");
        ini_free(f);
        sheet_free(s);
        return NULL;
    }
    for (int i = 0; i < ini_section_count(f); i++)
        if (i != sec)
            diag_error(d, "sheet-extra-section", sloc(f, ini_section_name(f, i), NULL),
                       "expected only a [sheet] section, found this one");
    ini_check_keys(f, sec, SHEET_KEYS, "sheet-unknown-key", d);
    const char *v = ini_get(f, "sheet", "description");
    s->description = strdup(v ? v : "");
    v = ini_get(f, "sheet", "size");
    const char *why = NULL;
    if (!v)
        diag_error(d, "sheet-no-size", sloc(f, "sheet", NULL), "size: expected the paper size, found none");
    else if (!units_page_size(v, &s->page_w, &s->page_h, &why))
        diag_error(d, "sheet-bad-size", sloc(f, "sheet", "size"), "expected %s, found \"%s\"", why, v);
    v = ini_get(f, "sheet", "orientation");
    if (v && strcmp(v, "landscape") == 0) {
        double t = s->page_w;
        s->page_w = s->page_h;
        s->page_h = t;
    } else if (v && strcmp(v, "portrait") != 0) {
        diag_error(d, "sheet-bad-choice", sloc(f, "sheet", "orientation"),
                   "expected portrait or landscape, found \"%s\"", v);
    }
    static const char *const counts[2] = { "columns", "rows" };
    int *dst[2] = { &s->columns, &s->rows };
    for (int i = 0; i < 2; i++) {
        v = ini_get(f, "sheet", counts[i]);
        long n = 0;
        if (!v || !units_int(v, &n, NULL) || n < 1 || n > 100)
            diag_error(d, "sheet-bad-count", sloc(f, "sheet", counts[i]),
                       "expected a whole number from 1 to 100, found \"%s\"", v ? v : "nothing");
        *dst[i] = (int)n;
    }
    s->margin_left = s->margin_top = -1;
    get_length(f, "sheet", "margin_left", &s->margin_left, d);
    get_length(f, "sheet", "margin_top", &s->margin_top, d);
    double g = 0;
    get_length(f, "sheet", "gutter", &g, d);
    s->gutter_x = s->gutter_y = g;
    get_length(f, "sheet", "gutter_x", &s->gutter_x, d);
    get_length(f, "sheet", "gutter_y", &s->gutter_y, d);
    s->cell_w = s->cell_h = s->pitch_x = s->pitch_y = -1;
    get_length(f, "sheet", "cell_width", &s->cell_w, d);
    get_length(f, "sheet", "cell_height", &s->cell_h, d);
    get_length(f, "sheet", "pitch_x", &s->pitch_x, d);
    get_length(f, "sheet", "pitch_y", &s->pitch_y, d);
    if ((s->cell_w < 0) != (s->cell_h < 0))
        diag_error(d, "sheet-half-cell", sloc(f, "sheet", s->cell_w < 0 ? "cell_height" : "cell_width"),
                   "expected cell_width and cell_height together, found only one");
    static const char *const pitch_keys[2] = { "pitch_x", "pitch_y" };
    static const char *const gutter_keys[2] = { "gutter_x", "gutter_y" };
    for (int i = 0; i < 2; i++)
        if ((i ? s->pitch_y : s->pitch_x) >= 0 && (ini_get(f, "sheet", "gutter") || ini_get(f, "sheet", gutter_keys[i])))
            diag_error(d, "sheet-pitch-and-gutter", sloc(f, "sheet", pitch_keys[i]),
                       "expected either a pitch or a gutter across the same cells, found both");
    v = ini_get(f, "sheet", "shape");
    s->shape = SHAPE_RECTANGLE;
    if (v && strcmp(v, "round") == 0)
        s->shape = SHAPE_ROUND;
    else if (v && strcmp(v, "rectangle") != 0)
        diag_error(d, "sheet-bad-choice", sloc(f, "sheet", "shape"), "expected rectangle or round, found \"%s\"", v);
    v = ini_get(f, "sheet", "clip");
    s->clip = false;
    if (v && strcmp(v, "yes") == 0)
        s->clip = true;
    else if (v && strcmp(v, "no") != 0)
        diag_error(d, "sheet-bad-choice", sloc(f, "sheet", "clip"), "expected yes or no, found \"%s\"", v);
    s->crop_marks = true;
    v = ini_get(f, "sheet", "crop_marks");
    if (v && strcmp(v, "no") == 0)
        s->crop_marks = false;
    else if (v && strcmp(v, "yes") != 0)
        diag_error(d, "sheet-bad-choice", sloc(f, "sheet", "crop_marks"), "expected yes or no, found \"%s\"", v);
    s->mark_length = 18;
    s->mark_offset = 6;
    s->mark_width = 0.5;
    get_length(f, "sheet", "mark_length", &s->mark_length, d);
    get_length(f, "sheet", "mark_offset", &s->mark_offset, d);
    get_length(f, "sheet", "mark_width", &s->mark_width, d);
    v = ini_get(f, "sheet", "duplex");
    s->duplex = DUPLEX_LONG_EDGE;
    if (v && strcmp(v, "short-edge") == 0)
        s->duplex = DUPLEX_SHORT_EDGE;
    else if (v && strcmp(v, "long-edge") != 0)
        diag_error(d, "sheet-bad-choice", sloc(f, "sheet", "duplex"), "expected long-edge or short-edge, found \"%s\"",
                   v);
    ini_free(f);
    if (diag_errors(d) > before) {
        sheet_free(s);
        return NULL;
    }
    return s;
}

bool sheet_prepare(sheet *s, double w, double h, diag *d)
{
    /* a quarter of a point: the rounding of a size written in inches or millimetres */
    if (s->cell_w >= 0 && (fabs(s->cell_w - w) > 0.25 || fabs(s->cell_h - h) > 0.25)) {
        diag_error(d, "sheet-cell-mismatch", diag_at(s->path, 0),
                   "expected items the size of the stock's cells (%.4g x %.4g pt), found the layout's "
                   "%.4g x %.4g pt; pick the sheet made for this item, or a layout of that size",
                   s->cell_w, s->cell_h, w, h);
        return false;
    }
    if (s->pitch_x >= 0)
        s->gutter_x = s->pitch_x - w;
    if (s->pitch_y >= 0)
        s->gutter_y = s->pitch_y - h;
    if (s->gutter_x < -1e-6 || s->gutter_y < -1e-6) {
        diag_error(d, "sheet-pitch-too-small", diag_at(s->path, 0),
                   "expected a pitch of at least the item's size (%.4g x %.4g pt), found %.4g x %.4g pt",
                   w, h, s->pitch_x >= 0 ? s->pitch_x : w + s->gutter_x, s->pitch_y >= 0 ? s->pitch_y : h + s->gutter_y);
        return false;
    }
    double gw = s->columns * w + (s->columns - 1) * s->gutter_x;
    double gh = s->rows * h + (s->rows - 1) * s->gutter_y;
    if (s->margin_left < 0)
        s->margin_left = (s->page_w - gw) / 2;
    if (s->margin_top < 0)
        s->margin_top = (s->page_h - gh) / 2;
    double right = s->page_w - s->margin_left - gw, bottom = s->page_h - s->margin_top - gh;
    if (s->margin_left < -1e-6 || s->margin_top < -1e-6 || right < -1e-6 || bottom < -1e-6) {
        diag_error(d, "sheet-grid-too-large", diag_at(s->path, 0),
                   "expected %d x %d items of %.4g x %.4g pt to fit the %.4g x %.4g pt sheet, found "
                   "the grid (%.4g x %.4g pt) reaching past the paper",
                   s->columns, s->rows, w, h, s->page_w, s->page_h, gw, gh);
        return false;
    }
    if (s->crop_marks) {
        double room = s->margin_left < right ? s->margin_left : right;
        double vroom = s->margin_top < bottom ? s->margin_top : bottom;
        if (room < s->mark_offset + 3 || vroom < s->mark_offset + 3) {
            diag_error(d, "sheet-no-room-for-marks", diag_at(s->path, 0),
                       "expected margins of at least %.4g pt for crop marks, found %.4g pt; set "
                       "crop_marks = no for pre-perforated stock",
                       s->mark_offset + 3, room < vroom ? room : vroom);
            return false;
        }
    }
    return true;
}

int sheet_per_page(const sheet *s)
{
    return s->columns * s->rows;
}

void impose_cell(const sheet *s, double w, double h, int slot, bool back, double *x, double *y)
{
    int col = slot % s->columns, row = slot / s->columns;
    double fx = s->margin_left + col * (w + s->gutter_x);
    double fy = s->margin_top + row * (h + s->gutter_y);
    if (back && s->duplex == DUPLEX_LONG_EDGE)
        fx = s->page_w - fx - w;
    else if (back)
        fy = s->page_h - fy - h;
    *x = fx;
    *y = fy;
}

double impose_bleed_allowance(const sheet *s, double bleed)
{
    double a = bleed;
    if (s->clip)
        return 0; /* art stops at the die-cut edge */
    if (s->gutter_x / 2 < a)
        a = s->gutter_x / 2;
    if (s->gutter_y / 2 < a)
        a = s->gutter_y / 2;
    if (s->crop_marks && s->mark_offset / 2 < a)
        a = s->mark_offset / 2;
    return a;
}

size_t impose_marks(const sheet *s, double w, double h, impose_line *out, size_t max)
{
    size_t n = 0;
    double gw = s->columns * w + (s->columns - 1) * s->gutter_x;
    double gh = s->rows * h + (s->rows - 1) * s->gutter_y;
    double top = s->margin_top, left = s->margin_left;
    double bottom = top + gh, right = left + gw;
    double len_top = top - s->mark_offset < s->mark_length ? top - s->mark_offset : s->mark_length;
    double len_bot = s->page_h - bottom - s->mark_offset < s->mark_length ? s->page_h - bottom - s->mark_offset
                                                                         : s->mark_length;
    double len_left = left - s->mark_offset < s->mark_length ? left - s->mark_offset : s->mark_length;
    double len_right = s->page_w - right - s->mark_offset < s->mark_length ? s->page_w - right - s->mark_offset
                                                                          : s->mark_length;
    /* vertical cut lines: both edges of every column (one line where gutters are zero) */
    for (int c = 0; c < s->columns; c++) {
        for (int e = 0; e < 2; e++) {
            double x = left + c * (w + s->gutter_x) + e * w;
            if (e == 0 && c > 0 && s->gutter_x < 1e-6)
                continue; /* the same cut as the previous column's right edge */
            if (n + 2 > max)
                return n;
            out[n++] = (impose_line){ x, top - s->mark_offset - len_top, x, top - s->mark_offset };
            out[n++] = (impose_line){ x, bottom + s->mark_offset, x, bottom + s->mark_offset + len_bot };
        }
    }
    for (int r = 0; r < s->rows; r++) {
        for (int e = 0; e < 2; e++) {
            double y = top + r * (h + s->gutter_y) + e * h;
            if (e == 0 && r > 0 && s->gutter_y < 1e-6)
                continue;
            if (n + 2 > max)
                return n;
            out[n++] = (impose_line){ left - s->mark_offset - len_left, y, left - s->mark_offset, y };
            out[n++] = (impose_line){ right + s->mark_offset, y, right + s->mark_offset + len_right, y };
        }
    }
    return n;
}

/* A signed length (a sign, then a length) of at most 1 in either way, into *out; a bad one is
 * reported with its file, section and key. */
static void printer_offset(const ini_file *f, const char *key, double *out, diag *d)
{
    const char *v = ini_get(f, "printer", key);
    if (!v)
        return;
    const char *why = NULL;
    bool neg = v[0] == '-';
    double len = 0;
    if (!units_length(neg ? v + 1 : v, &len, &why) || len > 72)
        diag_error(d, "printer-bad-offset", sloc(f, "printer", key),
                   "expected a length of at most 1in, with a sign when negative (-0.5mm), found \"%s\"", v);
    else
        *out = neg ? -len : len;
}

static void printer_scale(const ini_file *f, const char *key, double *out, diag *d)
{
    const char *v = ini_get(f, "printer", key);
    double n = 0;
    if (!v)
        return;
    if (!units_number(v, &n, NULL) || n < 0.9 || n > 1.1)
        diag_error(d, "printer-bad-scale", sloc(f, "printer", key),
                   "expected a number from 0.9 to 1.1 (1 = true size), found \"%s\"", v);
    else
        *out = n;
}

bool printer_load(const char *path, printer_adjust *p, diag *d)
{
    static const char *const KEYS[] = { "description", "offset_x", "offset_y", "scale_x", "scale_y",
                                        "back_offset_x", "back_offset_y", "back_scale_x", "back_scale_y",
                                        "ink_limit", "overprint_black", NULL };
    p->offset_x = p->offset_y = 0;
    p->scale_x = p->scale_y = 1;
    p->ink_limit = 0;
    p->overprint_black = false;
    int before = diag_errors(d);
    ini_file *f = ini_load(path, d);
    if (!f)
        return false;
    int sec = ini_section_index(f, "printer");
    if (sec < 0) {
        diag_error(d, "printer-no-section", diag_at(path, 0), "expected a [printer] section, found none");
        ini_free(f);
        return false;
    }
    ini_check_keys(f, sec, KEYS, "printer-unknown-key", d);
    printer_offset(f, "offset_x", &p->offset_x, d);
    printer_offset(f, "offset_y", &p->offset_y, d);
    printer_scale(f, "scale_x", &p->scale_x, d);
    printer_scale(f, "scale_y", &p->scale_y, d);
    /* the back: the front's values unless given */
    p->back_offset_x = p->offset_x;
    p->back_offset_y = p->offset_y;
    p->back_scale_x = p->scale_x;
    p->back_scale_y = p->scale_y;
    printer_offset(f, "back_offset_x", &p->back_offset_x, d);
    printer_offset(f, "back_offset_y", &p->back_offset_y, d);
    printer_scale(f, "back_scale_x", &p->back_scale_x, d);
    printer_scale(f, "back_scale_y", &p->back_scale_y, d);
    const char *v = ini_get(f, "printer", "ink_limit"), *why = NULL;
    if (v && !ink_parse_limit(v, &p->ink_limit, &why))
        diag_error(d, "printer-bad-ink-limit", sloc(f, "printer", "ink_limit"), "expected %s, found \"%s\"", why, v);
    v = ini_get(f, "printer", "overprint_black");
    if (v && strcmp(v, "yes") == 0)
        p->overprint_black = true;
    else if (v && strcmp(v, "no") != 0)
        diag_error(d, "printer-bad-choice", sloc(f, "printer", "overprint_black"), "expected yes or no, found \"%s\"", v);
    ini_free(f);
    return diag_errors(d) == before;
}

bool printer_moves(const printer_adjust *p)
{
    return p->offset_x != 0 || p->offset_y != 0 || p->scale_x != 1 || p->scale_y != 1 || p->back_offset_x != 0 ||
           p->back_offset_y != 0 || p->back_scale_x != 1 || p->back_scale_y != 1;
}

void printer_side(const printer_adjust *p, bool back, double *offset_x, double *offset_y, double *scale_x,
                  double *scale_y)
{
    *offset_x = back ? p->back_offset_x : p->offset_x;
    *offset_y = back ? p->back_offset_y : p->offset_y;
    *scale_x = back ? p->back_scale_x : p->scale_x;
    *scale_y = back ? p->back_scale_y : p->scale_y;
}

void printer_apply(const printer_adjust *p, bool back, double *x, double *y)
{
    double ox, oy, sx, sy;
    printer_side(p, back, &ox, &oy, &sx, &sy);
    *x = *x * sx + ox;
    *y = *y * sy + oy;
}
