/* pages: how items go onto pages: plain pages of the trim size, print-shop pages with bleed and
 * their TrimBox and BleedBox, sheets in the sheet's grid with crop marks (backs mirrored for the
 * duplex flip, a printer's correction applied), and tiles for an item larger than the paper,
 * with registration marks and labels. See render_int.h. */

#include "render_int.h"
#include "impose.h"
#include "sha256.h"
#include "utf8.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool new_page(render *r, double w, double h, int *pages)
{
    (*pages)++;
    r->page++;
    if (r->stats) {
        /* the item's own size: a tiled poster is still a poster of its trim size */
        r->stats->page_w = r->l->page_w;
        r->stats->page_h = r->l->page_h;
        r->stats->pages = r->page;
        (void)w;
        (void)h;
    }
    if (r->dump)
        fprintf(r->dump, "page %d %.3f %.3f\n", *pages, w, h);
    if (!pdf_page_add(r->pdf, w, h))
        return false;
    /* PDF/X: every page has a TrimBox and a BleedBox; without bleed both are the page (print-shop
     * pages set their own after drawing) */
    if (r->o->pdfx && !pdf_set_boxes(r->pdf, 0, 0, w, h, 0, 0, w, h))
        diag_error(r->d, "internal-pdf-error", diag_at(r->o->output, 0), "cannot set the page boxes: %s",
                   pdf_error(r->pdf));
    return true;
}

/* Print-shop output: a page per item side, trim plus bleed, with TrimBox and BleedBox. */
void pages_print_shop(render *r, const render_opts *o, long first, long last, int *pages)
{
    const layout *l = r->l;
    double b = l->bleed, W = l->page_w + 2 * b, H = l->page_h + 2 * b;
    int before = diag_errors(r->d);
    for (long i = first; i < last && diag_errors(r->d) == before; i++) {
        render_use_item(r, o, i);
        for (int side = 0; side < (l->two_sided ? 2 : 1); side++) {
            new_page(r, W, H, pages);
            render_draw_item(r, (item_side)side, b, b, b);
            if (!pdf_set_boxes(r->pdf, b, b, l->page_w, l->page_h, 0, 0, W, H))
                diag_error(r->d, "internal-pdf-error", diag_at(o->output, 0), "cannot set the page boxes: %s",
                           pdf_error(r->pdf));
        }
    }
}

/* Plain pages: each item side on a page of the trim size. */
void pages_plain(render *r, const render_opts *o, long first, long last, int *pages)
{
    const layout *l = r->l;
    int before = diag_errors(r->d);
    for (long i = first; i < last && diag_errors(r->d) == before; i++) {
        render_use_item(r, o, i);
        for (int side = 0; side < (l->two_sided ? 2 : 1); side++) {
            new_page(r, l->page_w, l->page_h, pages);
            render_draw_item(r, (item_side)side, 0, 0, 0);
        }
    }
}

void pages_appendix(render *r, const render_opts *o, long last, int *pages)
{
    const layout *l = o->appendix, *own_l = r->l;
    content *own_c = r->c;
    md_cache *own_md = r->md;
    double *own_scale = r->scale;
    int *own_group = r->group;
    struct art *own_art = r->art;
    r->md = calloc((size_t)l->nelements + 1, sizeof *r->md);
    r->scale = calloc((size_t)l->nelements + 1, sizeof *r->scale);
    r->group = calloc((size_t)l->nelements + 1, sizeof *r->group);
    if (r->md && r->scale && r->group) {
        r->l = l;
        r->c = o->appendix_content;
        r->art = NULL; /* drawn once: nothing shared with the items */
        r->item = last;
        new_page(r, l->page_w, l->page_h, pages);
        render_draw_item(r, SIDE_FRONT, 0, 0, 0);
    } else {
        diag_error(r->d, "internal-out-of-memory", diag_at(o->output, 0), "expected memory for the last page, found none");
    }
    for (int i = 0; r->md && i < l->nelements; i++) {
        free(r->md[i].name);
        free(r->md[i].path);
        free(r->md[i].raw);
    }
    free(r->md);
    free(r->scale);
    free(r->group);
    r->md = own_md;
    r->scale = own_scale;
    r->group = own_group;
    r->art = own_art;
    r->l = own_l;
    r->c = own_c;
}

static void draw_marks(render *r, const sheet *sh)
{
    impose_line marks[1024];
    size_t n = impose_marks(sh, r->l->page_w, r->l->page_h, marks, 1024);
    static const colour REGISTRATION = { COLOUR_CMYK, { 1, 1, 1, 1 } };
    for (size_t i = 0; i < n; i++) {
        pdf_line(r->pdf, marks[i].x1, marks[i].y1, marks[i].x2, marks[i].y2, sh->mark_width,
                 &REGISTRATION);
        if (r->dump) {
            double x1 = marks[i].x1, y1 = marks[i].y1, x2 = marks[i].x2, y2 = marks[i].y2;
            if (r->printer) {
                printer_apply(r->printer, false, &x1, &y1); /* marks: on the front only */
                printer_apply(r->printer, false, &x2, &y2);
            }
            fprintf(r->dump, "mark %.3f %.3f %.3f %.3f\n", x1, y1, x2, y2);
        }
    }
}

/* Sheets: items in the sheet's grid; with a back side, each front page is followed by its back,
 * mirrored for the duplex flip. A printer's correction moves each page whole: the front's on front
 * pages, the back's (back_offset_x...) on back pages. */
void pages_sheets(render *r, const render_opts *o, long first, long last, int *pages)
{
    const layout *l = r->l;
    const sheet *sh = o->sheet;
    int per = sheet_per_page(sh);
    double allow = impose_bleed_allowance(sh, l->bleed);
    int before = diag_errors(r->d);
    for (long k = first / per; k * per < last && diag_errors(r->d) == before; k++) {
        for (int side = 0; side < (l->two_sided ? 2 : 1); side++) {
            new_page(r, sh->page_w, sh->page_h, pages);
            if (r->printer) {
                double ox, oy, sx, sy;
                printer_side(r->printer, side == SIDE_BACK, &ox, &oy, &sx, &sy);
                pdf_push(r->pdf, ox, oy, sx, sy);
            }
            for (int slot = 0; slot < per; slot++) {
                long i = k * per + slot;
                if (i >= last)
                    break;
                double x, y;
                render_use_item(r, o, i);
                impose_cell(sh, l->page_w, l->page_h, slot, side == SIDE_BACK, &x, &y);
                if (r->printer && r->dump) {
                    double px = x, py = y;
                    printer_apply(r->printer, side == SIDE_BACK, &px, &py);
                    fprintf(r->dump, "placed %ld %s x %.3f y %.3f\n", i + 1, side ? "back" : "front", px, py);
                }
                bool round = sh->clip && sh->shape == SHAPE_ROUND;
                if (round) { /* the die cut: art inside the circle only */
                    pdf_push(r->pdf, 0, 0, 1, 1);
                    pdf_clip_ellipse(r->pdf, x, y, l->page_w, l->page_h);
                    if (r->dump)
                        fprintf(r->dump, "clip round x %.3f y %.3f width %.3f height %.3f\n", x, y, l->page_w, l->page_h);
                }
                render_draw_item(r, (item_side)side, x, y, allow);
                if (round)
                    pdf_pop(r->pdf);
            }
            if (side == SIDE_FRONT && sh->crop_marks && !o->no_marks) {
                tags_artifact_begin(r->tags, r->pdf);
                draw_marks(r, sh);
                tags_end(r->tags, r->pdf);
            }
            if (r->printer)
                pdf_pop(r->pdf);
        }
    }
}

/* Tiles along one axis (vertical: rows): where each window starts on the poster, into starts
 * (when not NULL); returns how many. Windows step by the window less the overlap, except that a
 * seam never cuts a QR code (its box, quiet zone included): a window that would end inside a code
 * that the next window would begin past makes the next window start at the code instead (a longer
 * overlap there), so that each code lies whole on one tile. A code longer than the window is cut
 * whatever the seams. */
static int tile_starts(const layout *l, double page, double win, double ov, bool vertical, double *starts)
{
    double at = 0;
    int n = 0;
    for (;;) {
        if (starts)
            starts[n] = at;
        n++;
        if (page <= at + win + EPS)
            return n;
        double next = at + win - ov;
        for (int i = 0; i < l->nelements; i++) {
            const element *e = &l->elements[i];
            if (e->type != EL_QR || e->side != SIDE_FRONT)
                continue;
            double a = vertical ? e->y : e->x, b = a + (vertical ? e->h : e->w);
            if (b > at + win + EPS && a < next && a > at + EPS && b - a <= win + EPS)
                next = a;
        }
        at = next;
    }
}

/* Whether a registration mark of half-size a at poster point (x, y) touches a QR code's box. */
static bool mark_on_code(const layout *l, double x, double y, double a)
{
    for (int i = 0; i < l->nelements; i++) {
        const element *e = &l->elements[i];
        if (e->type == EL_QR && e->side == SIDE_FRONT && x + a > e->x && x - a < e->x + e->w &&
            y + a > e->y && y - a < e->y + e->h)
            return true;
    }
    return false;
}

/* Tiles: an item larger than the printer's paper, split over sheets of paper that overlap by
 * o->overlap (more where a seam would cut a QR code), each with registration marks on the overlap's centre lines (at the same place of
 * the poster on both neighbours, so they line up when taped) and a label. */
void pages_tiles(render *r, const render_opts *o, long first, long last, int *pages)
{
    const layout *l = r->l;
    double margin = o->tile_margin, ov = o->overlap;
    double ww = o->tile_w - 2 * margin, wh = o->tile_h - 2 * margin; /* the window of poster per tile */
    int cols = tile_starts(l, l->page_w, ww, ov, false, NULL);
    int rows = tile_starts(l, l->page_h, wh, ov, true, NULL);
    double *xs = malloc(sizeof *xs * cols), *ys = malloc(sizeof *ys * rows);
    if (!xs || !ys) {
        free(xs);
        free(ys);
        diag_error(r->d, "internal-out-of-memory", diag_at(l->path, 0), "out of memory for %d x %d tiles", rows, cols);
        return;
    }
    tile_starts(l, l->page_w, ww, ov, false, xs);
    tile_starts(l, l->page_h, wh, ov, true, ys);
    static const colour BLACK = { COLOUR_RGB, { 0, 0, 0, 0 } };
    static const colour REG = { COLOUR_CMYK, { 1, 1, 1, 1 } };
    int before = diag_errors(r->d);
    measure_ctx m;
    memset(&m, 0, sizeof m);
    for (long i = first; i < last && diag_errors(r->d) == before; i++) {
        render_use_item(r, o, i);
        for (int row = 0; row < rows; row++)
            for (int col = 0; col < cols; col++) {
                new_page(r, o->tile_w, o->tile_h, pages);
                double px = xs[col], py = ys[row]; /* poster point at the window's corner */
                double win[4] = { margin, margin, ww, wh };
                if (r->dump)
                    fprintf(r->dump, "tile %d %d of %d %d window %.3f %.3f %.3f %.3f\n", row + 1, col + 1,
                            rows, cols, px, py, ww, wh);
                render_draw_item_in(r, SIDE_FRONT, margin - px, margin - py, 0, win);
                /* registration marks: the centre lines of the overlaps with each neighbour; they,
                 * the label and the window's frame are no content (artifacts) */
                tags_artifact_begin(r->tags, r->pdf);
                for (int k = 0; k < 2; k++) {
                    for (int side = -1; side <= 1; side += 2) {
                        int ncol = col + (k == 0 ? side : 0), nrow = row + (k == 1 ? side : 0);
                        if (ncol < 0 || ncol >= cols || nrow < 0 || nrow >= rows)
                            continue;
                        double cx, cy;
                        /* along the strip, within the part of the window the poster fills */
                        double vw = l->page_w - px < ww ? l->page_w - px : ww;
                        double vh = l->page_h - py < wh ? l->page_h - py : wh;
                        /* the overlap with that neighbour (longer than ov where a seam moved) */
                        double lap = k == 0 ? (side > 0 ? xs[col] + ww - xs[col + 1] : xs[col - 1] + ww - xs[col])
                                            : (side > 0 ? ys[row] + wh - ys[row + 1] : ys[row - 1] + wh - ys[row]);
                        double a = ov / 2 * 0.8;
                        double mark0 = -1; /* where the strip's first mark went */
                        for (int t = 0; t < 2; t++) {
                            double len = k == 0 ? vh : vw, want = (t == 0 ? 0.25 : 0.75) * len, along = -1;
                            /* the place nearest the quarter that keeps the mark off every code */
                            for (double step = 0; step <= len && along < 0; step += 2)
                                for (int sgn = -1; sgn <= 1 && along < 0; sgn += 2) {
                                    double v = want + sgn * step;
                                    if (v < a || v > len - a || (mark0 >= 0 && fabs(v - mark0) < 2 * a + 4))
                                        continue; /* off the window, or on the strip's other mark */
                                    double mx = k == 0 ? (side > 0 ? ww - lap / 2 : lap / 2) + px : v + px;
                                    double my = k == 0 ? v + py : (side > 0 ? wh - lap / 2 : lap / 2) + py;
                                    if (!mark_on_code(l, mx, my, a))
                                        along = v;
                                }
                            if (along < 0)
                                continue; /* no free place on this strip: no mark */
                            if (t == 0)
                                mark0 = along;
                            if (k == 0) { /* a vertical overlap strip */
                                cx = side > 0 ? margin + ww - lap / 2 : margin + lap / 2;
                                cy = margin + along;
                            } else {
                                cy = side > 0 ? margin + wh - lap / 2 : margin + lap / 2;
                                cx = margin + along;
                            }
                            pdf_line(r->pdf, cx - a, cy, cx + a, cy, 0.5, &REG);
                            pdf_line(r->pdf, cx, cy - a, cx, cy + a, 0.5, &REG);
                            pdf_stroke_rect(r->pdf, cx - a / 2, cy - a / 2, a, a, 0.5, &REG);
                            if (r->dump)
                                fprintf(r->dump, "register %.3f %.3f\n", cx - margin + px, cy - margin + py);
                        }
                    }
                }
                /* the label, in the paper's bottom margin */
                if (!m.count[FONT_REGULAR]) {
                    element le;
                    memset(&le, 0, sizeof le);
                    char spec[] = "Liberation Sans";
                    le.font[FONT_REGULAR] = spec;
                    le.name = (char *)"tile label";
                    if (!typeset_load_slot(r, &le, FONT_REGULAR, &m)) {
                        tags_end(r->tags, r->pdf);
                        free(xs);
                        free(ys);
                        return;
                    }
                }
                char label[160];
                snprintf(label, sizeof label, "row %d, column %d of %d x %d (rows x columns); overlap %.2f in or more; tape the next tile's edge over this one's",
                         row + 1, col + 1, rows, cols, ov / 72);
                pdf_text(r->pdf, m.font[FONT_REGULAR * FONT_FALLBACKS], 7, margin,
                         o->tile_h - margin / 2 + 2, 0, label, strlen(label), &BLACK);
                pdf_stroke_rect(r->pdf, margin, margin, ww, wh, 0.25, &BLACK);
                tags_end(r->tags, r->pdf);
            }
    }
    free(xs);
    free(ys);
}

/* Tiles: how many pages (rows x columns of tiles) one item takes; 0 after reporting when the tile
 * paper cannot hold it or the tiles pass the pages one file may hold. */
int pages_tiles_per_item(const layout *l, const render_opts *o, diag *d)
{
    if (l->two_sided) {
        diag_error(d, "output-tiles-two-sided", diag_at(l->path, 0),
                   "expected a one-sided layout for tiles, found elements with side = back");
        return 0;
    }
    double ww = o->tile_w - 2 * o->tile_margin, wh = o->tile_h - 2 * o->tile_margin;
    if (ww <= o->overlap * 2 || wh <= o->overlap * 2) {
        diag_error(d, "output-tiles-overlap", diag_at(l->path, 0),
                   "expected an overlap smaller than half the printable paper, found %.4g pt", o->overlap);
        return 0;
    }
    int cols = tile_starts(l, l->page_w, ww, o->overlap, false, NULL);
    int rows = tile_starts(l, l->page_h, wh, o->overlap, true, NULL);
    long limit = o->max_pages > 0 ? o->max_pages : RENDER_MAX_PAGES;
    if ((long)rows * cols > limit) {
        /* one item's tiles are one file's pages: they cannot be split over files */
        diag_error(d, "output-tiles-too-many", diag_at(l->path, 0),
                   "expected one item's tiles to fit one file of at most %ld pages (--max-pages), "
                   "found %ld tiles (%d rows of %d) on %.4g x %.4g pt paper; use larger paper or "
                   "raise --max-pages",
                   limit, (long)rows * cols, rows, cols, o->tile_w, o->tile_h);
        return 0;
    }
    return rows * cols;
}

