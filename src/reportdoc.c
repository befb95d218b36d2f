/* reportdoc: blocks flowed down Letter pages through pdf.h. Coordinates are pdf.h's: points from
 * the page's top-left corner, y downwards. */
#include "reportdoc.h"
#include "grow.h"
#include "strfmt.h"
#include "atomic.h"
#include "pdf.h"
#include "readfile.h"
#include "utf8.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE_W 612.0
#define PAGE_H 792.0
#define MARGIN 54.0
#define BOTTOM (PAGE_H - MARGIN)
#define BODY 9.5
#define CELL 8.5
#define PAD 3.0
#define MAX_COLS 12

static const colour BLACK = { COLOUR_RGB, { 0, 0, 0, 0 } };
static const colour GREY = { COLOUR_RGB, { 0.35, 0.38, 0.42, 0 } };
static const colour RULE = { COLOUR_RGB, { 0.78, 0.80, 0.83, 0 } };
static const colour HEAD_FILL = { COLOUR_RGB, { 0.90, 0.91, 0.94, 0 } };
static const colour BAR = { COLOUR_RGB, { 0.12, 0.23, 0.37, 0 } };

struct rdoc {
    pdf_doc *pdf;
    pdf_font *reg, *bold;
    const font_face *reg_face, *bold_face;
    char *footer;
    int page;   /* pages made so far */
    double y;   /* top of the free space on the current page */
    /* the open table */
    rdoc_column cols[MAX_COLS];
    char *col_title[MAX_COLS];
    int ncols;
    char *table_heading;
    /* where the text drawn now comes from, for the warning of a character the font lacks
     * (rdoc_place); the characters warned of there already */
    diag *d;
    diag_loc place;
    char *place_file, *place_section, *place_key;
    uint64_t warned[32]; /* the texts warned of at this place (their hashes) */
    int nwarned;
    bool quiet; /* the footer: its text was warned of where it was drawn first */
};

typedef struct span {
    size_t off, len;
} span;

rdoc *rdoc_new(fonts *f, const char *footer, char *why, size_t whylen)
{
    rdoc *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    const char *reason = NULL;
    r->pdf = pdf_new();
    r->footer = strdup(footer ? footer : "");
    r->reg_face = fonts_find(f, "Liberation Sans", &reason);
    r->bold_face = r->reg_face ? fonts_find(f, "Liberation Sans:bold", &reason) : NULL;
    if (!r->pdf || !r->footer || !r->reg_face || !r->bold_face) {
        snprintf(why, whylen, "%s", !r->pdf || !r->footer ? "out of memory"
                                    : reason ? reason : "Liberation Sans is not installed (fonts-liberation2)");
        rdoc_free(r);
        return NULL;
    }
    r->reg = pdf_font_load(r->pdf, font_face_file(r->reg_face), font_face_index(r->reg_face));
    r->bold = pdf_font_load(r->pdf, font_face_file(r->bold_face), font_face_index(r->bold_face));
    if (!r->reg || !r->bold) {
        snprintf(why, whylen, "Liberation Sans cannot be embedded: %s", pdf_error(r->pdf));
        rdoc_free(r);
        return NULL;
    }
    r->y = BOTTOM + 1; /* no page yet */
    return r;
}

void rdoc_place(rdoc *r, diag *d, diag_loc loc)
{
    free(r->place_file), free(r->place_section), free(r->place_key);
    r->place_file = loc.file ? strdup(loc.file) : NULL;
    r->place_section = loc.section ? strdup(loc.section) : NULL;
    r->place_key = loc.key ? strdup(loc.key) : NULL;
    r->place = (diag_loc){ r->place_file, loc.line, r->place_section, r->place_key };
    r->d = d;
    r->nwarned = 0;
}

/* Warns, once per text and place, of the characters of text that face lacks (printed as '?'):
 * the first few, each as U+XXXX and itself, and how many more. */
static void missing(rdoc *r, const font_face *face, const char *text)
{
    if (!r->d || r->quiet)
        return;
    uint64_t h = 1469598103934665603u; /* FNV-1a of the text and the face */
    for (const char *p = text; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    h ^= (uint64_t)(uintptr_t)face;
    for (int i = 0; i < r->nwarned; i++)
        if (r->warned[i] == h)
            return;
    if (r->nwarned < (int)(sizeof r->warned / sizeof r->warned[0]))
        r->warned[r->nwarned++] = h;
    char list[400] = "";
    size_t used = 0, n = strlen(text);
    int shown = 0, more = 0;
    uint32_t seen[8];
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode(text + i, n - i, &cp);
        i += len ? len : 1;
        if (len == 0 || cp < 0x20 || font_face_has(face, cp))
            continue;
        bool again = false;
        for (int k = 0; k < shown && !again; k++)
            again = seen[k] == cp;
        if (again)
            continue;
        if (shown == (int)(sizeof seen / sizeof seen[0])) {
            more++;
            continue;
        }
        char one[64];
        utf8_describe(cp, one, sizeof one);
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", shown ? ", " : "", one);
        if (used >= sizeof list)
            used = sizeof list - 1;
        seen[shown++] = cp;
    }
    diag_warn(r->d, "report-glyph-missing", r->place,
              "expected characters the report's font %s has, found %s%s in \"%s\"; the report prints %s as '?'",
              font_face_name(face), list, more ? " and others" : "", text, shown + more > 1 ? "each" : "it");
}

void rdoc_free(rdoc *r)
{
    if (!r)
        return;
    free(r->place_file), free(r->place_section), free(r->place_key);
    rdoc_table_end(r);
    pdf_free(r->pdf);
    free(r->footer);
    free(r);
}

double rdoc_width(const rdoc *r)
{
    (void)r;
    return PAGE_W - 2 * MARGIN;
}

/* A copy of s in which every character the face lacks (and every invalid byte) is a '?'; each
 * character it lacks is warned of (missing). */
static char *clean(rdoc *r, const font_face *face, const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    bool lacks = false;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if (len == 0 || cp < 0x20 || !font_face_has(face, cp)) {
            lacks = lacks || (len > 0 && cp >= 0x20);
            out[k++] = cp == '\t' || cp == '\n' ? ' ' : '?';
            i += len ? len : 1;
        } else {
            memcpy(out + k, s + i, len);
            k += len, i += len;
        }
    }
    out[k] = '\0';
    if (lacks)
        missing(r, face, s);
    return out;
}

static void footer(rdoc *r)
{
    r->quiet = true; /* the footer's name is the title's, warned of there */
    char *c = clean(r, r->reg_face, r->footer);
    r->quiet = false;
    char num[32];
    snprintf(num, sizeof num, "page %d", r->page);
    if (c)
        pdf_text(r->pdf, r->reg, 7.5, MARGIN, PAGE_H - 30, 0, c, strlen(c), &GREY);
    pdf_text(r->pdf, r->reg, 7.5, PAGE_W - MARGIN - pdf_text_width(r->reg, num, strlen(num), 7.5), PAGE_H - 30, 0,
             num, strlen(num), &GREY);
    pdf_line(r->pdf, MARGIN, PAGE_H - 40, PAGE_W - MARGIN, PAGE_H - 40, 0.4, &RULE);
    free(c);
}

static void new_page(rdoc *r)
{
    pdf_page_add(r->pdf, PAGE_W, PAGE_H);
    r->page++;
    footer(r);
    r->y = MARGIN;
}

/* Makes room for h points, on a new page when needed. Returns true when a page was begun. */
static bool ensure(rdoc *r, double h)
{
    if (r->page == 0 || r->y + h > BOTTOM) {
        new_page(r);
        return true;
    }
    return false;
}

static bool break_after(char c)
{
    return c == '/' || c == '?' || c == '&' || c == '=' || c == '-' || c == ',';
}

/* Breaks s into lines no wider than width: at spaces, and inside a word that is wider than the
 * line on its own, after a break character when there is one, else between two characters. */
/* Every line of s wrapped to width, however many (caller frees; NULL with *count 0 when out of
 * memory or s is empty). */
static span *wrap(pdf_font *f, double size, const char *s, double width, size_t *count)
{
    size_t n = strlen(s), pos = 0, lines = 0, cap = 0;
    span *out = NULL;
    while (pos < n) {
        while (pos < n && s[pos] == ' ')
            pos++;
        if (pos >= n)
            break;
        size_t end = pos, scan = pos;
        while (scan < n) {
            size_t wend = scan;
            while (wend < n && s[wend] == ' ')
                wend++;
            while (wend < n && s[wend] != ' ')
                wend++;
            if (pdf_text_width(f, s + pos, wend - pos, size) <= width + 0.01)
                end = scan = wend;
            else
                break;
        }
        if (end == pos) {
            /* the word alone is too wide: cut it */
            size_t k = pos, best = 0, brk = 0;
            while (k < n && s[k] != ' ') {
                uint32_t cp;
                size_t len = utf8_decode(s + k, n - k, &cp);
                len = len ? len : 1;
                if (pdf_text_width(f, s + pos, k + len - pos, size) > width + 0.01)
                    break;
                k += len;
                best = k;
                if (break_after(s[k - 1]))
                    brk = k;
            }
            if (best == 0) { /* not even one character fits: take one anyway */
                uint32_t cp;
                size_t len = utf8_decode(s + pos, n - pos, &cp);
                best = pos + (len ? len : 1);
            }
            end = brk > pos && best < n && s[best] != ' ' ? brk : best;
        }
        size_t e = end;
        while (e > pos && s[e - 1] == ' ')
            e--;
        if (!GROW(out, lines, cap)) {
            free(out);
            *count = 0;
            return NULL;
        }
        out[lines].off = pos;
        out[lines].len = e - pos;
        lines++;
        pos = end;
    }
    *count = lines;
    return out;
}

/* Draws wrapped text at x, from the current y, and moves y below it. */
static void flow(rdoc *r, pdf_font *f, const font_face *face, double size, double x, double width, const char *text,
                 const colour *c)
{
    char *s = clean(r, face, text);
    if (!s)
        return;
    size_t n = 0;
    span *lines = wrap(f, size, s, width, &n);
    double lead = size * 1.3;
    for (size_t i = 0; i < n; i++) {
        ensure(r, lead);
        pdf_text(r->pdf, f, size, x, r->y + size, 0, s + lines[i].off, lines[i].len, c);
        r->y += lead;
    }
    free(lines);
    free(s);
}

void rdoc_title(rdoc *r, const char *text)
{
    ensure(r, 40);
    flow(r, r->bold, r->bold_face, 17, MARGIN, rdoc_width(r), text, &BLACK);
    r->y += 4;
}

void rdoc_heading(rdoc *r, const char *text)
{
    ensure(r, 60); /* a heading is never the last thing on a page */
    r->y += 8;
    flow(r, r->bold, r->bold_face, 12, MARGIN, rdoc_width(r), text, &BLACK);
    r->y += 3;
}

void rdoc_field(rdoc *r, const char *label, const char *value)
{
    ensure(r, BODY * 1.3);
    char *l = clean(r, r->bold_face, label);
    if (!l)
        return;
    double lw = 110;
    pdf_text(r->pdf, r->bold, BODY, MARGIN, r->y + BODY, 0, l, strlen(l), &BLACK);
    free(l);
    flow(r, r->reg, r->reg_face, BODY, MARGIN + lw, rdoc_width(r) - lw, value, &BLACK);
}

void rdoc_paragraph(rdoc *r, const char *text)
{
    flow(r, r->reg, r->reg_face, BODY, MARGIN, rdoc_width(r), text, &BLACK);
    r->y += 4;
}

void rdoc_space(rdoc *r, double points)
{
    r->y += points;
}

/* ---- tables ---- */

static double row_height(size_t lines)
{
    return (double)lines * CELL * 1.25 + 2 * PAD;
}

static void table_top(rdoc *r, bool continued);

/* Draws one row at the current y: cells wrapped in their columns. A row taller than the rest of
 * the page goes on over the next pages, under the table's header row, line by line: no line of a
 * cell is left out. */
static void draw_row(rdoc *r, const char *const *cells, bool header, bool total)
{
    pdf_font *f = header || total ? r->bold : r->reg;
    const font_face *face = header || total ? r->bold_face : r->reg_face;
    char *text[MAX_COLS] = { 0 };
    span *lines[MAX_COLS] = { 0 };
    size_t nl[MAX_COLS] = { 0 }, most = 1;
    for (int c = 0; c < r->ncols; c++) {
        text[c] = clean(r, face, cells[c] ? cells[c] : "");
        if (text[c])
            lines[c] = wrap(f, CELL, text[c], r->cols[c].width - 2 * PAD, &nl[c]);
        if (nl[c] > most)
            most = nl[c];
    }
    double total_w = 0;
    for (int c = 0; c < r->ncols; c++)
        total_w += r->cols[c].width;
    for (size_t first = 0; first < most;) {
        /* the lines that fit on this page (at least one) */
        size_t fit = most - first;
        while (fit > 1 && r->y + row_height(fit) > BOTTOM)
            fit--;
        double h = row_height(fit);
        if (header)
            pdf_fill_rect(r->pdf, MARGIN, r->y, total_w, h, &HEAD_FILL);
        if (total && first == 0)
            pdf_line(r->pdf, MARGIN, r->y, MARGIN + total_w, r->y, 0.8, &BLACK);
        double x = MARGIN;
        for (int c = 0; c < r->ncols; c++) {
            for (size_t i = first; text[c] && i < nl[c] && i < first + fit; i++) {
                const char *s = text[c] + lines[c][i].off;
                size_t len = lines[c][i].len;
                double tx = x + PAD;
                if (r->cols[c].right)
                    tx = x + r->cols[c].width - PAD - pdf_text_width(f, s, len, CELL);
                pdf_text(r->pdf, f, CELL, tx, r->y + PAD + CELL * 0.95 + (double)(i - first) * CELL * 1.25, 0, s,
                         len, &BLACK);
            }
            x += r->cols[c].width;
        }
        r->y += h;
        first += fit;
        if (first < most) { /* the rest of the row on the next page */
            new_page(r);
            table_top(r, true);
        }
    }
    for (int c = 0; c < r->ncols; c++) {
        free(text[c]);
        free(lines[c]);
    }
    pdf_line(r->pdf, MARGIN, r->y, MARGIN + total_w, r->y, header ? 0.8 : 0.4, header ? &GREY : &RULE);
}

static void table_top(rdoc *r, bool continued)
{
    const char *cells[MAX_COLS];
    for (int c = 0; c < r->ncols; c++)
        cells[c] = r->col_title[c];
    if (r->table_heading) {
        char *h = strfmt("%s%s", r->table_heading, continued ? " (continued)" : "");
        r->y += 8;
        if (h)
            flow(r, r->bold, r->bold_face, 12, MARGIN, rdoc_width(r), h, &BLACK);
        free(h);
        r->y += 3;
    }
    draw_row(r, cells, true, false);
}

void rdoc_table_begin(rdoc *r, const char *heading, const rdoc_column *cols, int ncols)
{
    rdoc_table_end(r);
    r->ncols = ncols > MAX_COLS ? MAX_COLS : ncols;
    for (int c = 0; c < r->ncols; c++) {
        r->cols[c] = cols[c];
        r->col_title[c] = strdup(cols[c].title ? cols[c].title : "");
    }
    r->table_heading = heading ? strdup(heading) : NULL;
    ensure(r, 40 + 3 * row_height(1)); /* the heading, the header and a first rows together */
    table_top(r, false);
}

void rdoc_table_row(rdoc *r, const char *const *cells, bool total)
{
    /* the row's height, to know whether it fits */
    size_t most = 1;
    for (int c = 0; c < r->ncols; c++) {
        char *t = clean(r, total ? r->bold_face : r->reg_face, cells[c] ? cells[c] : "");
        size_t n = 1;
        span *lines = t ? wrap(total ? r->bold : r->reg, CELL, t, r->cols[c].width - 2 * PAD, &n) : NULL;
        if (n > most)
            most = n;
        free(lines);
        free(t);
    }
    if (r->y + row_height(most) > BOTTOM) {
        new_page(r);
        table_top(r, true);
    }
    draw_row(r, cells, false, total);
}

void rdoc_table_end(rdoc *r)
{
    for (int c = 0; c < r->ncols; c++)
        free(r->col_title[c]);
    free(r->table_heading);
    r->table_heading = NULL;
    r->ncols = 0;
}

/* ---- a bar chart ---- */

/* A round step for about five grid lines up to max: 1, 2 or 5 times a power of ten. */
static double nice_step(double max)
{
    if (max <= 0)
        return 1;
    double raw = max / 5, mag = pow(10, floor(log10(raw)));
    static const double M[] = { 1, 2, 5, 10 };
    for (int i = 0; i < 4; i++)
        if (M[i] * mag >= raw)
            return M[i] * mag < 1 ? 1 : M[i] * mag;
    return 10 * mag;
}

static void text_right(rdoc *r, pdf_font *f, double size, double x, double y, const char *s)
{
    pdf_text(r->pdf, f, size, x - pdf_text_width(f, s, strlen(s), size), y, 0, s, strlen(s), &BLACK);
}

static void text_centre(rdoc *r, pdf_font *f, double size, double x, double y, const char *s)
{
    pdf_text(r->pdf, f, size, x - pdf_text_width(f, s, strlen(s), size) / 2, y, 0, s, strlen(s), &BLACK);
}

void rdoc_bar_chart(rdoc *r, const char *title, const char *const *labels, const double *values, int n,
                    const char *x_title, const char *y_title)
{
    if (n <= 0)
        return;
    double width = rdoc_width(r), plot_h = 190, left = 56;
    double slot = (width - left) / n;
    double widest = 0;
    for (int i = 0; i < n; i++) {
        double w = pdf_text_width(r->reg, labels[i], strlen(labels[i]), 7);
        widest = w > widest ? w : widest;
    }
    bool turned = widest > slot - 2;
    double label_h = turned ? widest + 6 : 12;
    double total = 30 + plot_h + label_h + 26;
    if (r->page == 0 || r->y + total > BOTTOM)
        new_page(r);
    r->y += 8;
    flow(r, r->bold, r->bold_face, 12, MARGIN, width, title, &BLACK);
    r->y += 10;
    double max = 0;
    for (int i = 0; i < n; i++)
        max = values[i] > max ? values[i] : max;
    double step = nice_step(max), top = step * ceil(max / step);
    if (top <= 0)
        top = step;
    double x0 = MARGIN + left, y0 = r->y + plot_h; /* the origin: bottom-left of the plot */
    char num[64];
    for (double v = 0; v <= top + step / 2; v += step) {
        double y = y0 - v / top * plot_h;
        pdf_line(r->pdf, x0, y, MARGIN + width, y, v == 0 ? 0.8 : 0.3, v == 0 ? &BLACK : &RULE);
        pdf_line(r->pdf, x0 - 3, y, x0, y, 0.8, &BLACK);
        snprintf(num, sizeof num, "%.0f", v);
        text_right(r, r->reg, 7, x0 - 5, y + 2.5, num);
    }
    pdf_line(r->pdf, x0, y0, x0, y0 - plot_h, 0.8, &BLACK);
    for (int i = 0; i < n; i++) {
        double bw = slot * 0.7, bx = x0 + slot * i + (slot - bw) / 2;
        double bh = values[i] / top * plot_h;
        if (bh > 0)
            pdf_fill_rect(r->pdf, bx, y0 - bh, bw, bh, &BAR);
        snprintf(num, sizeof num, "%.0f", values[i]);
        if (pdf_text_width(r->reg, num, strlen(num), 6.5) <= slot)
            text_centre(r, r->reg, 6.5, bx + bw / 2, y0 - bh - 2.5, num);
        char *l = clean(r, r->reg_face, labels[i]);
        if (l && turned)
            pdf_text(r->pdf, r->reg, 7, bx + bw / 2 + 2.5, y0 + 4 + pdf_text_width(r->reg, l, strlen(l), 7), 90, l,
                     strlen(l), &BLACK);
        else if (l)
            text_centre(r, r->reg, 7, bx + bw / 2, y0 + 10, l);
        free(l);
    }
    /* axis titles */
    if (y_title) {
        char *t = clean(r, r->reg_face, y_title);
        if (t)
            pdf_text(r->pdf, r->reg, 7.5, MARGIN + 8, y0 - plot_h / 2 + pdf_text_width(r->reg, t, strlen(t), 7.5) / 2,
                     90, t, strlen(t), &GREY);
        free(t);
    }
    r->y = y0 + label_h;
    if (x_title) {
        char *t = clean(r, r->reg_face, x_title);
        if (t)
            pdf_text(r->pdf, r->reg, 7.5, x0 + (width - left) / 2 - pdf_text_width(r->reg, t, strlen(t), 7.5) / 2,
                     r->y + 12, 0, t, strlen(t), &GREY);
        free(t);
    }
    r->y += 22;
}

/* ---- saving ---- */

bool rdoc_save(rdoc *r, const char *path, const char *title, long long epoch, char *why, size_t whylen)
{
    if (r->page == 0)
        new_page(r);
    r->quiet = true; /* the title was warned of where it was drawn */
    char *t = clean(r, r->reg_face, title ? title : "");
    r->quiet = false;
    pdf_set_info(r->pdf, t ? t : "", "handout " HANDOUT_VERSION, epoch);
    free(t);
    if (pdf_failed(r->pdf)) {
        snprintf(why, whylen, "drawing failed: %s", pdf_error(r->pdf));
        return false;
    }
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp) {
        snprintf(why, whylen, "out of memory");
        return false;
    }
    snprintf(tmp, n, "%s.%ld.tmp", path, (long)getpid());
    unlink(tmp);
    if (!atomic_target_ok(path, why, whylen) || !pdf_save(r->pdf, tmp, why, whylen)) {
        free(tmp);
        return false;
    }
    /* the same bytes as the file there: leave that file (and its time) alone */
    size_t la = 0, lb = 0;
    char ignore[256];
    char *a = readfile(tmp, (size_t)1 << 30, &la, ignore, sizeof ignore);
    char *b = a ? readfile(path, (size_t)1 << 30, &lb, ignore, sizeof ignore) : NULL;
    bool same = a && b && la == lb && memcmp(a, b, la) == 0;
    free(a);
    free(b);
    bool ok = true;
    if (same) {
        unlink(tmp);
    } else if (rename(tmp, path) != 0) {
        snprintf(why, whylen, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        unlink(tmp);
        ok = false;
    }
    free(tmp);
    return ok;
}
