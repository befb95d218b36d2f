/* text: greedy line breaking at spaces over styled spans. A "word" is the text between spaces and
 * may cross span boundaries ("**bold**," is one word of two pieces). Fragments point into the
 * spans; nothing is copied. */
#include "text.h"

#include <stdlib.h>
#include <string.h>

#define TEXT_MAX_PIECES 64

typedef struct piece {
    int font;
    const char *s;
    size_t len;
    double w;
} piece;

typedef struct word {
    piece p[TEXT_MAX_PIECES];
    int np;
    double w;
    double space_w; /* width of the space after it, in its last piece's font */
    bool break_before;
} word;

/* Iterates over the words of a block. */
typedef struct word_iter {
    const text_block *b;
    size_t span;
    size_t off;
} word_iter;

static bool next_word(word_iter *it, double size, text_measure_fn measure, void *ctx, word *w)
{
    const text_block *b = it->b;
    w->np = 0;
    w->w = 0;
    w->break_before = false;
    /* skip spaces; note hard breaks */
    while (it->span < b->nspans) {
        const text_span *sp = &b->spans[it->span];
        if (it->off == 0 && sp->hard_break)
            w->break_before = true;
        while (it->off < sp->len && sp->s[it->off] == ' ')
            it->off++;
        if (it->off < sp->len)
            break;
        it->span++;
        it->off = 0;
    }
    if (it->span >= b->nspans)
        return false;
    /* collect pieces until a space or a hard break */
    while (it->span < b->nspans) {
        const text_span *sp = &b->spans[it->span];
        if (it->off == 0 && sp->hard_break && w->np > 0)
            break;
        size_t start = it->off;
        while (it->off < sp->len && sp->s[it->off] != ' ')
            it->off++;
        if (it->off > start && w->np < TEXT_MAX_PIECES) {
            piece *p = &w->p[w->np++];
            p->font = sp->font;
            p->s = sp->s + start;
            p->len = it->off - start;
            p->w = measure(ctx, sp->font, p->s, p->len, size);
            w->w += p->w;
        } else if (it->off > start && w->np == TEXT_MAX_PIECES) {
            /* extend the last piece's reach: absurdly many style changes in one word */
            piece *p = &w->p[w->np - 1];
            double add = measure(ctx, sp->font, sp->s + start, it->off - start, size);
            p->w += add;
            w->w += add;
        }
        if (it->off < sp->len)
            break; /* stopped at a space */
        it->span++;
        it->off = 0;
    }
    int lf = w->np > 0 ? w->p[w->np - 1].font : 0;
    w->space_w = measure(ctx, lf, " ", 1, size);
    return w->np > 0;
}

static bool push_frag(text_result *r, text_frag f)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        text_frag *nf = realloc(r->frags, cap * sizeof *nf);
        if (!nf)
            return false;
        r->frags = nf;
        r->cap = cap;
    }
    r->frags[r->n++] = f;
    return true;
}

void text_result_free(text_result *r)
{
    free(r->frags);
    free(r->line);
    memset(r, 0, sizeof *r);
}

static bool push_line(text_result *r, text_line l)
{
    if (r->nline == r->linecap) {
        size_t cap = r->linecap ? r->linecap * 2 : 32;
        text_line *nl = realloc(r->line, cap * sizeof *nl);
        if (!nl)
            return false;
        r->line = nl;
        r->linecap = cap;
    }
    r->line[r->nline++] = l;
    return true;
}

/* Emits one line of words at baseline y. */
static bool emit_line(text_result *r, word *words, int nw, double x0, double avail, double natural,
                      double baseline, double size, int colour_index, text_align align, bool last_line,
                      text_measure_fn measure, void *ctx)
{
    double x = x0, extra = 0;
    if (align == ALIGN_CENTER)
        x += (avail - natural) / 2;
    else if (align == ALIGN_RIGHT)
        x += avail - natural;
    else if (align == ALIGN_JUSTIFY && !last_line && nw > 1)
        extra = (avail - natural) / (nw - 1);
    for (int i = 0; i < nw; i++) {
        for (int k = 0; k < words[i].np; k++) {
            piece *p = &words[i].p[k];
            text_frag *prev = r->n > 0 ? &r->frags[r->n - 1] : NULL;
            /* merge "word word" of one style into one fragment when not justifying */
            if (extra == 0 && k == 0 && i > 0 && prev && prev->font == p->font &&
                prev->baseline == baseline && prev->s + prev->len + 1 == p->s &&
                prev->s[prev->len] == ' ') {
                prev->len += 1 + p->len;
                prev->width = measure(ctx, p->font, prev->s, prev->len, size);
                x = prev->x + prev->width;
                continue;
            }
            text_frag f = { x, baseline, p->w, p->font, size, colour_index, p->s, p->len };
            if (!push_frag(r, f))
                return false;
            x += p->w;
        }
        x += words[i].space_w + extra;
    }
    return true;
}

bool text_layout(const text_block *blocks, size_t nb, double width, double scale,
                 const text_style *st, text_measure_fn measure, void *ctx, text_result *out)
{
    out->n = 0;
    out->nline = 0;
    out->height = 0;
    out->lines = 0;
    out->scale = scale;
    out->too_wide = 0;
    out->wide_word = NULL;
    out->wide_len = 0;
    double y = 0; /* top of the next line */
    word *words = malloc(sizeof(word) * 64);
    size_t wcap = 64;
    if (!words)
        return false;
    bool ok = true;
    int columns = st->columns > 1 ? st->columns : 1;
    double full = width;
    if (columns > 1)
        width = (full - st->gap * (columns - 1)) / columns;
    for (size_t bi = 0; bi < nb && ok; bi++) {
        const text_block *b = &blocks[bi];
        double size = b->size * scale;
        double lh = size * st->line_height;
        double indent = b->indent * scale;
        double avail = width - indent;
        size_t line_start = out->n, index = 0;
        if (bi > 0)
            y += b->space_before * scale;
        if (b->marker) {
            double mw = measure(ctx, b->marker_font, b->marker, strlen(b->marker), size);
            double mx = indent - mw - size * 0.4;
            text_frag f = { mx < 0 ? 0 : mx, y + size * st->ascent + (lh - size) / 2, mw,
                            b->marker_font, size, b->colour, b->marker, strlen(b->marker) };
            if (!push_frag(out, f)) {
                ok = false;
                break;
            }
        }
        word_iter it = { b, 0, 0 };
        size_t nw = 0;
        double natural = 0;
        bool more = true;
        while (more) {
            if (nw == wcap) {
                word *nwds = realloc(words, sizeof(word) * wcap * 2);
                if (!nwds) {
                    ok = false;
                    break;
                }
                words = nwds;
                wcap *= 2;
            }
            word *w = &words[nw];
            more = next_word(&it, size, measure, ctx, w);
            if (more && w->w > avail + 1e-9) {
                out->too_wide = w->w - avail;
                out->wide_word = w->p[0].s;
                out->wide_len = (size_t)(w->p[w->np - 1].s + w->p[w->np - 1].len - w->p[0].s);
                ok = false;
                break;
            }
            double with = nw > 0 ? natural + words[nw - 1].space_w + (more ? w->w : 0) : w->w;
            bool flush = !more || (nw > 0 && (with > avail + 1e-9 || w->break_before));
            if (flush && nw > 0) {
                bool last = !more || w->break_before;
                double baseline = y + size * st->ascent + (lh - size) / 2;
                if (!emit_line(out, words, (int)nw, indent, avail, natural, baseline, size,
                               b->colour, st->align, last, measure, ctx)) {
                    ok = false;
                    break;
                }
                text_line ln = { line_start, out->n - line_start, y, lh, bi, index++, !more,
                                 b->heading, 0 };
                if (!push_line(out, ln)) {
                    ok = false;
                    break;
                }
                line_start = out->n;
                y += lh;
                out->lines++;
                if (more) {
                    words[0] = *w;
                    nw = 1;
                    natural = words[0].w;
                }
                continue;
            }
            if (more) {
                natural = nw > 0 ? natural + words[nw - 1].space_w + w->w : w->w;
                nw++;
            }
        }
        if (bi + 1 < nb)
            y += b->space_after * scale;
    }
    free(words);
    out->height = y;
    if (ok && columns > 1)
        text_balance(out, columns, width, st->gap);
    return ok;
}

/* May a column end after line i-1 and the next start with line i? */
static bool break_allowed(const text_result *r, size_t i)
{
    const text_line *prev = &r->line[i - 1], *cur = &r->line[i];
    if (prev->heading)
        return false; /* a heading keeps its first lines */
    if (cur->block == prev->block && cur->last && cur->index == 1)
        return false; /* a two-line paragraph is not split */
    if (cur->block == prev->block && cur->last)
        return false; /* no widow: a paragraph's last line alone at a column's top */
    if (cur->block == prev->block && prev->index == 0)
        return false; /* no orphan: a paragraph's first line alone at a column's bottom */
    if (i >= 2 && r->line[i - 2].heading && prev->index == 0 && !prev->last)
        return false; /* a heading with only one line of its paragraph under it */
    return true;
}

/* Fills columns of height h greedily; returns the columns needed (breaks in starts[]). */
static int fill_columns(const text_result *r, double h, bool strict, size_t *starts, int max)
{
    int col = 0;
    size_t begin = 0;
    starts[0] = 0;
    for (size_t i = 1; i <= r->nline; i++) {
        if (i < r->nline) {
            double bottom = r->line[i].top + r->line[i].height - r->line[begin].top;
            if (bottom <= h + 1e-6)
                continue;
        } else {
            break;
        }
        /* line i does not fit: break at the latest allowed place after begin */
        size_t k = i;
        while (k > begin + 1 && strict && !break_allowed(r, k))
            k--;
        if (k <= begin)
            k = i;
        if (++col >= max)
            return max + 1;
        starts[col] = k;
        begin = k;
        i = k; /* continue measuring from the new column's first line */
    }
    return col + 1;
}

void text_balance(text_result *r, int columns, double column_width, double gap)
{
    if (r->nline == 0 || columns < 2)
        return;
    size_t *starts = calloc((size_t)columns + 2, sizeof *starts);
    if (!starts)
        return;
    double total = r->line[r->nline - 1].top + r->line[r->nline - 1].height;
    double tallest = 0;
    for (size_t i = 0; i < r->nline; i++)
        if (r->line[i].height > tallest)
            tallest = r->line[i].height;
    /* the shortest height that fits, first keeping every rule, then without them */
    bool strict = true;
    double lo = total / columns, hi = total;
    if (lo < tallest)
        lo = tallest;
    if (fill_columns(r, hi, true, starts, columns) > columns)
        strict = false;
    for (int iter = 0; iter < 40 && hi - lo > 0.01; iter++) {
        double mid = (lo + hi) / 2;
        if (fill_columns(r, mid, strict, starts, columns) <= columns)
            hi = mid;
        else
            lo = mid;
    }
    int used = fill_columns(r, hi, strict, starts, columns);
    if (used > columns)
        used = columns;
    starts[used] = r->nline;
    double height = 0;
    for (int c = 0; c < used; c++) {
        size_t a = starts[c], b = starts[c + 1];
        if (a >= b)
            continue;
        double top = r->line[a].top;
        double bottom = r->line[b - 1].top + r->line[b - 1].height - top;
        if (bottom > height)
            height = bottom;
        /* frags of these lines, and any marker frags before the first line's words */
        size_t f0 = r->line[a].first, f1 = r->line[b - 1].first + r->line[b - 1].count;
        for (size_t f = f0; f < f1; f++) {
            r->frags[f].x += c * (column_width + gap);
            r->frags[f].baseline -= top;
        }
        for (size_t i = a; i < b; i++) {
            r->line[i].column = c;
            r->line[i].top -= top;
        }
    }
    r->height = height;
    free(starts);
}

text_fit_status text_fit(const text_block *b, size_t nb, double width, double height, double size,
                         double min_size, bool shrink, const text_style *st, text_measure_fn measure,
                         void *ctx, text_result *out)
{
    double s = size;
    for (;;) {
        double scale = s / size;
        bool ok = text_layout(b, nb, width, scale, st, measure, ctx, out);
        if (ok && out->height <= height + 1e-6)
            return TEXT_FITS;
        if (!ok && out->too_wide == 0)
            return TEXT_NO_MEMORY;
        if (!shrink || s - 0.25 < min_size - 1e-9)
            return ok ? TEXT_TOO_TALL : TEXT_TOO_WIDE;
        s -= 0.25;
    }
}
