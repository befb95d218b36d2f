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
    memset(r, 0, sizeof *r);
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
    for (size_t bi = 0; bi < nb && ok; bi++) {
        const text_block *b = &blocks[bi];
        double size = b->size * scale;
        double lh = size * st->line_height;
        double indent = b->indent * scale;
        double avail = width - indent;
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
    return ok;
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
