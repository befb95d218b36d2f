/* preflight: the checks a layout's resolved elements must pass before anything is drawn, as
 * functions of the layout alone (no PDF): every element inside the page and its margins, the
 * safe margin and bleed of art at the trim, a box's outline inside the box, an image's backdrop
 * padding leaving it room, nothing over a QR
 * code's quiet zone (a box beneath that holds the whole symbol is a panel), no two content
 * elements overlapping; a QR code's
 * colours (dark on light, contrast at least 3:1 by WCAG 2's relative luminance) and size
 * (modules of at least RENDER_QR_MIN_MODULE_MM, a symbol at least a tenth of its scan distance). */
#include "preflight.h"
#include "render.h"
#include "units.h"

#include <math.h>
#include <stdbool.h>

#define EPS 1e-6
#define SAFE_MARGIN 9.0 /* 1/8 in inside the trim */

static bool is_content(const element *e)
{
    return e->type == EL_TEXT || e->type == EL_MARKDOWN || e->type == EL_QR || e->type == EL_IMAGE;
}

/* The area an element covers (a rule's thickness included). */
static void extent(const element *e, double *x0, double *y0, double *x1, double *y1)
{
    if (e->type == EL_RULE) {
        double t = e->thickness / 2;
        if (e->w > 0) {
            *x0 = e->x, *x1 = e->x + e->w, *y0 = e->y - t, *y1 = e->y + t;
        } else {
            *x0 = e->x - t, *x1 = e->x + t, *y0 = e->y, *y1 = e->y + e->h;
        }
        return;
    }
    *x0 = e->x, *y0 = e->y, *x1 = e->x + e->w, *y1 = e->y + e->h;
}

static bool overlaps(const element *a, const element *b)
{
    double ax0, ay0, ax1, ay1, bx0, by0, bx1, by1;
    extent(a, &ax0, &ay0, &ax1, &ay1);
    extent(b, &bx0, &by0, &bx1, &by1);
    return ax0 < bx1 - EPS && bx0 < ax1 - EPS && ay0 < by1 - EPS && by0 < ay1 - EPS;
}

static bool contains(const element *outer, const element *inner)
{
    double ax0, ay0, ax1, ay1, bx0, by0, bx1, by1;
    extent(outer, &ax0, &ay0, &ax1, &ay1);
    extent(inner, &bx0, &by0, &bx1, &by1);
    return ax0 <= bx0 + EPS && ay0 <= by0 + EPS && ax1 >= bx1 - EPS && ay1 >= by1 - EPS;
}

void preflight_geometry(const layout *l, diag *d)
{
    for (int i = 0; i < l->nelements; i++) {
        const element *e = &l->elements[i];
        double x0, y0, x1, y1;
        extent(e, &x0, &y0, &x1, &y1);
        if ((e->type != EL_RULE && (e->w <= 0 || e->h <= 0))) {
            diag_error(d, "preflight-empty-box", layout_loc(l, e, e->type == EL_QR ? "size" : "width"),
                       "expected a box larger than zero, found %.4g x %.4g pt", e->w, e->h);
            continue;
        }
        if (e->type == EL_BOX && e->stroke.space != COLOUR_NONE &&
            e->thickness > (e->w < e->h ? e->w : e->h) / 2 + EPS) {
            /* an outline is drawn inside the box's edges; one wider than half the box would paint
             * outside them, over whatever is beside it (a QR code's quiet zone) */
            diag_error(d, "preflight-stroke-too-wide", layout_loc(l, e, "stroke_width"),
                       "expected a stroke_width of at most half the box's smaller side (%.4g pt), "
                       "found %.4g pt, which would paint outside the box",
                       (e->w < e->h ? e->w : e->h) / 2, e->thickness);
            continue;
        }
        if (e->type == EL_IMAGE && e->backdrop.space != COLOUR_NONE &&
            2 * e->backdrop_pad >= (e->w < e->h ? e->w : e->h)) {
            /* the image is fitted inside the box less its backdrop's padding: none would be left */
            diag_error(d, "layout-bad-length", layout_loc(l, e, "backdrop_padding"),
                       "expected a padding less than half the box's smaller side (%.4gpt), found %.4gpt",
                       (e->w < e->h ? e->w : e->h) / 2, e->backdrop_pad);
            continue;
        }
        if (x0 < -EPS || y0 < -EPS || x1 > l->page_w + EPS || y1 > l->page_h + EPS) {
            diag_error(d, "preflight-outside-page", layout_loc(l, e, "x"),
                       "expected the element inside the page (%.4g x %.4g pt), found its box at "
                       "x %.4g..%.4g, y %.4g..%.4g pt",
                       l->page_w, l->page_h, x0, x1, y0, y1);
            continue;
        }
        bool out_x = x0 < l->margin[3] - EPS || x1 > l->page_w - l->margin[1] + EPS;
        bool out_y = y0 < l->margin[0] - EPS || y1 > l->page_h - l->margin[2] + EPS;
        if (is_content(e) && (out_x || out_y)) {
            diag_error(d, "preflight-outside-margins", layout_loc(l, e, out_x ? "x" : "y"),
                       "expected the element inside the margins (x %.4g..%.4g, y %.4g..%.4g pt), "
                       "found its box at x %.4g..%.4g, y %.4g..%.4g pt",
                       l->margin[3], l->page_w - l->margin[1], l->margin[0], l->page_h - l->margin[2], x0, x1, y0, y1);
        }
    }
    for (int i = 0; i < l->nelements; i++) {
        const element *e = &l->elements[i];
        double x0, y0, x1, y1;
        extent(e, &x0, &y0, &x1, &y1);
        double safe = SAFE_MARGIN;
        bool near_x = x0 < safe - EPS || x1 > l->page_w - safe + EPS;
        bool near_y = y0 < safe - EPS || y1 > l->page_h - safe + EPS;
        if (is_content(e) && (near_x || near_y))
            diag_warn(d, "preflight-near-trim", layout_loc(l, e, near_x ? "x" : "y"),
                      "expected text, codes and images at least 1/8 in inside the trim (the safe "
                      "margin a cut may drift into), found this element closer; move it in");
        bool touches = x0 <= EPS || y0 <= EPS || x1 >= l->page_w - EPS || y1 >= l->page_h - EPS;
        if (e->type == EL_BOX && e->fill.space != COLOUR_NONE && touches && !e->bleed)
            diag_warn(d, "preflight-no-bleed", layout_loc(l, e, "x"),
                      "expected art that touches the trim to reach into the bleed, found none; set "
                      "bleed = yes so that a cut that drifts leaves no white edge");
    }
    for (int i = 0; i < l->nelements; i++) {
        const element *a = &l->elements[i];
        for (int j = i + 1; j < l->nelements; j++) {
            const element *b = &l->elements[j];
            if (a->side != b->side || !overlaps(a, b))
                continue;
            const element *qr = a->type == EL_QR ? a : b->type == EL_QR ? b : NULL;
            const element *other = qr == a ? b : a;
            if (qr) {
                /* a box drawn beneath that holds the whole symbol is a background panel */
                if (other->type == EL_BOX && other == a && contains(other, qr))
                    continue;
                diag_error(d, "preflight-over-quiet-zone", layout_loc(l, qr, "x"),
                           "expected the QR code's box, quiet zone included, clear of everything, "
                           "found [%s] over it",
                           other->name);
            } else if (is_content(a) && is_content(b)) {
                diag_error(d, "preflight-overlap", layout_loc(l, b, "y"),
                           "expected elements that do not overlap, found this one over [%s]", a->name);
            }
        }
    }
}

/* Relative luminance (WCAG 2 formula, sRGB); CMYK converted naively. */
static double channel(double v)
{
    return v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static double luminance(const colour *c)
{
    double rgb[3];
    if (c->space == COLOUR_CMYK)
        for (int i = 0; i < 3; i++)
            rgb[i] = (1 - c->c[i]) * (1 - c->c[3]);
    else
        for (int i = 0; i < 3; i++)
            rgb[i] = c->c[i];
    return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
}

void preflight_qr_colours(const layout *l, const element *e, diag *d)
{
    double dark = luminance(&e->color), light = luminance(&e->background);
    if (dark > light) {
        diag_error(d, "preflight-qr-inverted", layout_loc(l, e, "color"),
                   "expected dark modules on a light background, found them lighter than the "
                   "background (an inverted code many scanners cannot read); swap color and background");
    } else if ((light + 0.05) / (dark + 0.05) < 3) {
        diag_error(d, "preflight-qr-low-contrast", layout_loc(l, e, "color"),
                   "expected a contrast of at least 3:1 between the modules and the background, found "
                   "%.2f:1, too low to scan; darken color or lighten background",
                   (light + 0.05) / (dark + 0.05));
    }
}

bool preflight_qr_size(const layout *l, const element *e, int version, int width, diag *d)
{
    int side = width + 2 * e->quiet_zone;
    double module = e->w / side;
    double min = RENDER_QR_MIN_MODULE_MM * UNITS_PT_PER_MM;
    if (module < min - EPS) {
        diag_error(d, "preflight-qr-module-too-small", layout_loc(l, e, "size"),
                   "expected a module of at least %.1f mm, found %.3f mm (version %d, %d modules "
                   "plus a %d-module quiet zone in %.4g pt); make the code at least %.1f pt, or "
                   "shorten the payload",
                   RENDER_QR_MIN_MODULE_MM, module / UNITS_PT_PER_MM, version, width, e->quiet_zone, e->w, min * side);
        return false;
    }
    /* a code must be at least a tenth of the distance it is scanned from (the symbol itself,
     * without its quiet zone) */
    double symbol = module * width;
    if (l->scan_distance > 0 && symbol < l->scan_distance / 10 - EPS) {
        diag_error(d, "preflight-qr-too-small-for-distance", layout_loc(l, e, "size"),
                   "expected a QR symbol of at least %.1f mm (a tenth of the scan distance, %.2f m), "
                   "found %.1f mm; make size at least %.1f pt",
                   l->scan_distance / 10 / UNITS_PT_PER_MM, l->scan_distance / UNITS_PT_PER_MM / 1000,
                   symbol / UNITS_PT_PER_MM, l->scan_distance / 10 * side / width);
        return false;
    }
    return true;
}
