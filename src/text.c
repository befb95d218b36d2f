/* text: line breaking over styled spans. A "word" is the text between two places where a line
 * may break (UAX #14, through unicode.h; without a breaker, between spaces) and may cross span
 * boundaries ("**bold**," is one word of two pieces). A word that ends with no space (a Thai
 * word, an ideograph, "anti-" before "trafficking") is joined to the next with no space and no
 * hyphen; a soft hyphen or a hyphenation point splits a word into parts joined with a hyphen at
 * a line's end. Fragments point into the spans; nothing is copied, and a soft hyphen is never
 * part of a fragment. */
#include "text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HYPHEN_PENALTY 200.0 /* squared points: what a hyphenated line end costs in total fit */
#define NOBREAK_PENALTY 1e9  /* a break UAX #14 forbids: only when nothing else fits */

typedef struct piece {
    int font;
    const char *s;
    size_t len;
    double w;
    unsigned char level; /* bidi embedding level: a word has a piece per level it crosses */
    const char *lang;    /* its span's language (text_span) */
} piece;

/* The pieces of a block's words, in order: a word's are pool.v[p0 .. p0 + np). */
typedef struct piece_pool {
    piece *v;
    size_t n, cap;
} piece_pool;

static piece *pool_push(piece_pool *pp)
{
    if (pp->n == pp->cap) {
        size_t cap = pp->cap ? pp->cap * 2 : 256;
        piece *nv = realloc(pp->v, cap * sizeof *nv);
        if (!nv)
            return NULL;
        pp->v = nv;
        pp->cap = cap;
    }
    return &pp->v[pp->n++];
}

typedef struct word {
    size_t p0; /* its first piece in the pool; a word has as many pieces as it has style changes */
    size_t np;
    double w;
    double space_w; /* width of the space after it, in its last piece's font; 0 inside a word */
    bool break_before;
    bool joined;    /* the next word follows with no space */
    bool hyphen;    /* joined, as part of a hyphenated word: a line that ends here ends with a
                     * hyphen */
    bool soft;      /* part of a word broken elsewhere (a soft hyphen, a break that UAX #14
                     * allows): not hyphenated by the dictionary */
    bool nobreak_before; /* after spaces where UAX #14 allows no break ("now !", "( a") */
    unsigned char space_level; /* the bidi level of the space after it */
    double hyphen_w;
} word;

static const char HYPHEN[] = "-";

/* Iterates over the words of a block. */
typedef struct word_iter {
    const text_block *b;
    size_t span;
    size_t off;
    bool soft; /* the last word ended at a soft hyphen: the next one is its next part */
    bool nomem;
    const unsigned char *bk; /* UAX #14 breaks over the block's text (text_layout), or NULL */
    const size_t *base;      /* where each span starts in it */
    const unsigned char *lv; /* bidi levels over the same text */
    unsigned char para;      /* the paragraph's level */
} word_iter;

/* The bidi level at byte off of span `span`. */
static unsigned char level_at(const word_iter *it, size_t span, size_t off)
{
    return it->lv ? it->lv[it->base[span] + off] : 0;
}

/* Whether UAX #14 lets a line start at byte off of span `span`. */
static bool may_break(const word_iter *it, size_t span, size_t off)
{
    return it->bk && it->bk[it->base[span] + off];
}

/* U+00AD SOFT HYPHEN in UTF-8 (C2 AD) at s, n bytes left. */
static bool is_shy(const char *s, size_t n)
{
    return n >= 2 && s[0] == '\xC2' && s[1] == '\xAD';
}

/* The length of the explicit bidi control at s (n bytes left), or 0: LRM, RLM, ALM, LRE, RLE,
 * PDF, LRO, RLO, LRI, RLI, FSI, PDI. They order the text (unicode_bidi_levels) and are never drawn. */
static size_t bidi_control(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n >= 2 && u[0] == 0xD8 && u[1] == 0x9C)
        return 2;
    if (n < 3 || u[0] != 0xE2)
        return 0;
    if (u[1] == 0x80 && (u[2] == 0x8E || u[2] == 0x8F || (u[2] >= 0xAA && u[2] <= 0xAE)))
        return 3;
    if (u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9)
        return 3;
    return 0;
}

/* Whether a word goes on at (span, off), just after a soft hyphen: a character that is neither a
 * space nor another soft hyphen comes before any space, hard break or the end of the block. */
static bool word_goes_on(const text_block *b, size_t span, size_t off)
{
    for (; span < b->nspans; span++, off = 0) {
        const text_span *sp = &b->spans[span];
        if (off == 0 && sp->hard_break)
            return false;
        while (off < sp->len && is_shy(sp->s + off, sp->len - off))
            off += 2;
        if (off < sp->len)
            return sp->s[off] != ' ';
    }
    return false;
}

size_t text_drop_invisible(char *s, bool soft_hyphens)
{
    size_t r = 0, n = 0;
    while (s[r]) {
        if ((s[r] == '\xEF' && s[r + 1] == '\xBB' && s[r + 2] == '\xBF') ||  /* U+FEFF */
            (s[r] == '\xE2' && s[r + 1] == '\x81' && s[r + 2] == '\xA0')) { /* U+2060 */
            r += 3;
            continue;
        }
        if (soft_hyphens && s[r] == '\xC2' && s[r + 1] == '\xAD') {
            r += 2;
            continue;
        }
        s[n++] = s[r++];
    }
    s[n] = '\0';
    return n;
}

bool text_prints(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (is_shy(s + i, len - i))
            i++;
        else if (s[i] != ' ')
            return true;
    }
    return false;
}

/* The next word of the block into w, its pieces into pool. False at the block's end, or with
 * it->nomem set when memory ran out. */
static bool next_word(word_iter *it, piece_pool *pool, double size, text_measure_fn measure, void *ctx,
                      word *w)
{
    const text_block *b = it->b;
    w->p0 = pool->n;
    w->np = 0;
    w->w = 0;
    w->break_before = false;
    w->joined = false;
    w->hyphen = false;
    w->nobreak_before = false;
    w->hyphen_w = 0;
    w->soft = it->soft;
    it->soft = false;
    /* skip spaces, and soft hyphens at the start of a word; note hard breaks */
    bool spaces = false;
    while (it->span < b->nspans) {
        const text_span *sp = &b->spans[it->span];
        if (it->off == 0 && sp->hard_break)
            w->break_before = true;
        while (it->off < sp->len &&
               (sp->s[it->off] == ' ' || is_shy(sp->s + it->off, sp->len - it->off))) {
            spaces = spaces || sp->s[it->off] == ' ';
            it->off += sp->s[it->off] == ' ' ? 1 : 2;
        }
        if (it->off < sp->len)
            break;
        it->span++;
        it->off = 0;
    }
    if (it->span >= b->nspans)
        return false;
    if (spaces && !w->break_before && it->bk && !may_break(it, it->span, it->off))
        w->nobreak_before = true;
    /* collect pieces until a space, a hard break, a soft hyphen where the word may break, or a
     * place where UAX #14 lets a line break with no space (the word is then joined to the next) */
    bool glue = false;
    w->space_level = it->para;
    while (it->span < b->nspans) {
        const text_span *sp = &b->spans[it->span];
        if (it->off == 0 && sp->hard_break && w->np > 0)
            break;
        size_t start = it->off;
        unsigned char lv = level_at(it, it->span, start);
        bool level_change = false;
        size_t control = 0;
        while (it->off < sp->len && sp->s[it->off] != ' ' && !is_shy(sp->s + it->off, sp->len - it->off)) {
            if ((control = bidi_control(sp->s + it->off, sp->len - it->off)) > 0)
                break;
            if ((w->np > 0 || it->off > start) && may_break(it, it->span, it->off)) {
                glue = true;
                break;
            }
            if (it->off > start && level_at(it, it->span, it->off) != lv) {
                level_change = true;
                break;
            }
            it->off++;
        }
        if (it->off > start) {
            piece *p = pool_push(pool);
            if (!p) {
                it->nomem = true;
                return false;
            }
            w->np++;
            p->font = sp->font;
            p->s = sp->s + start;
            p->len = it->off - start;
            p->level = lv;
            p->lang = sp->lang;
            p->w = measure(ctx, sp->font, p->s, p->len, size, lv & 1);
            w->w += p->w;
        }
        if (glue) {
            w->joined = w->soft = it->soft = true;
            break;
        }
        if (level_change)
            continue; /* a piece of another level */
        if (control) {
            it->off += control; /* a bidi control: not drawn */
            continue;
        }
        if (it->off < sp->len && sp->s[it->off] == ' ') {
            w->space_level = level_at(it, it->span, it->off);
            break; /* stopped at a space */
        }
        if (it->off < sp->len) {
            /* soft hyphens: a place to break when the word goes on after them */
            while (it->off < sp->len && is_shy(sp->s + it->off, sp->len - it->off))
                it->off += 2;
            if (w->np > 0 && word_goes_on(b, it->span, it->off)) {
                w->joined = w->hyphen = w->soft = it->soft = true;
                break;
            }
            continue;
        }
        it->span++;
        it->off = 0;
        if (it->span < b->nspans && !b->spans[it->span].hard_break && w->np > 0 &&
            may_break(it, it->span, 0)) {
            w->joined = w->soft = it->soft = true; /* a break where two spans meet */
            break;
        }
    }
    if (w->np == 0 && it->span < b->nspans && !it->nomem) {
        /* nothing but bidi controls: on to the next word */
        bool bb = w->break_before;
        bool more = next_word(it, pool, size, measure, ctx, w);
        w->break_before = w->break_before || bb;
        return more;
    }
    int lf = w->np > 0 ? pool->v[w->p0 + w->np - 1].font : 0;
    w->space_w = w->joined ? 0 : measure(ctx, lf, " ", 1, size, false);
    if (w->hyphen)
        w->hyphen_w = measure(ctx, lf, HYPHEN, 1, size, false);
    return w->np > 0;
}

/* A block's text in one string, for the line breaker, and where UAX #14 lets lines break in it. */
typedef struct break_text {
    char *text;
    unsigned char *bk;
    unsigned char *lv; /* bidi levels */
    unsigned char para;
    size_t *base; /* where each span starts in text */
    size_t cap, spancap;
} break_text;

/* The breaks and bidi levels of block b into bt (its buffers reused from block to block). A hard
 * break is a line feed between spans, so that UAX #14 sees it (and UAX #9 starts a paragraph
 * there). False when memory runs out; without a breaker, or when ICU fails, the block breaks at
 * spaces only. */
static bool block_breaks(const text_block *b, const text_style *st, break_text *bt)
{
    size_t len = 0;
    for (size_t k = 0; k < b->nspans; k++)
        len += b->spans[k].len + 1;
    if (len + 1 > bt->cap) {
        char *nt = realloc(bt->text, len + 1);
        if (nt)
            bt->text = nt;
        unsigned char *nb = realloc(bt->bk, len + 1);
        if (nb)
            bt->bk = nb;
        unsigned char *nl = realloc(bt->lv, len + 1);
        if (nl)
            bt->lv = nl;
        if (!nt || !nb || !nl)
            return false;
        bt->cap = len + 1;
    }
    if (b->nspans + 1 > bt->spancap) {
        size_t *nb = realloc(bt->base, (b->nspans + 1) * sizeof *nb);
        if (!nb)
            return false;
        bt->base = nb;
        bt->spancap = b->nspans + 1;
    }
    size_t at = 0;
    for (size_t k = 0; k < b->nspans; k++) {
        if (k > 0 && b->spans[k].hard_break)
            bt->text[at++] = '\n';
        bt->base[k] = at;
        memcpy(bt->text + at, b->spans[k].s, b->spans[k].len);
        at += b->spans[k].len;
    }
    bt->base[b->nspans] = at;
    if (!st->breaker || !unicode_line_breaks(st->breaker, st->lang, bt->text, at, bt->bk)) {
        /* spaces only: a line may start after a space */
        for (size_t i = 0; i <= at; i++)
            bt->bk[i] = i > 0 && bt->text[i - 1] == ' ' && (i == at || bt->text[i] != ' ');
    }
    int base = st->direction;
    if (base == DIRECTION_AUTO && unicode_rtl_language(st->lang))
        base = DIRECTION_RTL;
    if (!unicode_bidi_levels(bt->text, at, base, bt->lv, &bt->para)) {
        bt->para = base == DIRECTION_RTL;
        memset(bt->lv, bt->para, at + 1);
    }
    return true;
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

/* What a line holds, in logical order, before it is reordered: a piece of a word, the space after
 * a word, or the hyphen that ends the line. */
typedef struct line_item {
    const piece *p; /* NULL for a space or the hyphen */
    double w;
    int font;
    unsigned char level;
    bool hyphen;
    const char *lang;
} line_item;

/* Whether piece b follows piece a in the text, directly (gap false) or after one space. */
static bool follows(const text_frag *a, const piece *b, bool gap)
{
    if (gap)
        return a->s + a->len + 1 == b->s && a->s[a->len] == ' ';
    return a->s + a->len == b->s;
}

/* Emits one line of words at baseline y: its pieces, spaces and hyphen reordered into visual
 * order (UAX #9, rule L2), x given from the left. align is left, center, right or justify
 * (start and end resolved by the caller); a justified line's slack goes into its spaces, and a
 * justified last line sits at the paragraph's start (rtl: its right). */
static bool emit_line(text_result *r, const piece_pool *pool, word *words, int nw, double x0,
                      double avail, double natural, double baseline, double size, int colour_index,
                      text_align align, bool last_line, bool rtl, text_measure_fn measure, void *ctx)
{
    double x = x0, extra = 0;
    int gaps = 0;
    for (int i = 0; i + 1 < nw; i++)
        gaps += !words[i].joined;
    if (align == ALIGN_CENTER)
        x += (avail - natural) / 2;
    else if (align == ALIGN_RIGHT || (align == ALIGN_JUSTIFY && rtl && (last_line || gaps == 0)))
        x += avail - natural;
    else if (align == ALIGN_JUSTIFY && !last_line && gaps > 0)
        extra = (avail - natural) / gaps;
    /* the items in logical order */
    size_t n = 0;
    for (int i = 0; i < nw; i++)
        n += words[i].np + 1;
    line_item small[64], *item = n <= 64 ? small : malloc(n * sizeof *item);
    unsigned char lsmall[64] = { 0 }, *lv = n <= 64 ? lsmall : malloc(n);
    size_t osmall[64], *order = n <= 64 ? osmall : malloc(n * sizeof *order);
    bool ok = item && lv && order;
    size_t m = 0;
    for (int i = 0; ok && i < nw; i++) {
        const piece *last = NULL;
        for (size_t k = 0; k < words[i].np; k++) {
            last = &pool->v[words[i].p0 + k];
            item[m++] = (line_item){ last, last->w, last->font, last->level, false, last->lang };
        }
        if (i + 1 == nw && words[i].hyphen)
            item[m++] = (line_item){ NULL, words[i].hyphen_w, last->font, last->level, true, last->lang };
        else if (i + 1 < nw && !words[i].joined)
            item[m++] = (line_item){ NULL, words[i].space_w + extra, last->font, words[i].space_level, false, NULL };
    }
    for (size_t k = 0; ok && k < m; k++)
        lv[k] = item[k].level;
    if (ok)
        ok = unicode_reorder(lv, m, order);
    /* in visual order; "word word" of one style and level merges into one fragment when not
     * justifying, and the parts of a word joined without a space always. The fragment that holds
     * the end of the line's last word (or its hyphen) says whether the next line goes on with no
     * space. */
    const piece *end = nw > 0 && words[nw - 1].np > 0 ? &pool->v[words[nw - 1].p0 + words[nw - 1].np - 1] : NULL;
    bool joined = nw > 0 && words[nw - 1].joined;
    size_t lastf = (size_t)-1; /* the fragment this line's next piece may merge with */
    bool gap = false;          /* one space between it and the next piece */
    for (size_t v = 0; ok && v < m; v++) {
        const line_item *it = &item[order[v]];
        if (!it->p && !it->hyphen) {
            gap = lastf != (size_t)-1 && !gap && extra == 0;
            if (!gap)
                lastf = (size_t)-1;
            x += it->w;
            continue;
        }
        if (it->hyphen) {
            text_frag f = { x, baseline, it->w, it->font, size, colour_index, HYPHEN, 1, it->level, true, it->lang };
            ok = push_frag(r, f);
            x += it->w;
            lastf = (size_t)-1;
            gap = false;
            continue;
        }
        const piece *p = it->p;
        text_frag *prev = lastf != (size_t)-1 ? &r->frags[lastf] : NULL;
        if (prev && prev->font == p->font && prev->level == p->level && prev->lang == p->lang) {
            /* left to right the next piece follows the text so far; right to left it comes
             * before it in the text */
            bool odd = p->level & 1;
            const piece pv = { prev->font, prev->s, prev->len, 0, 0, prev->lang };
            const text_frag nf = { 0, 0, 0, p->font, 0, 0, p->s, p->len, 0, false, p->lang };
            if (odd ? follows(&nf, &pv, gap) : follows(prev, p, gap)) {
                const char *from = odd ? p->s : prev->s;
                const char *to = odd ? prev->s + prev->len : p->s + p->len;
                prev->s = from;
                prev->len = (size_t)(to - from);
                prev->width = measure(ctx, p->font, prev->s, prev->len, size, odd);
                if (p == end)
                    prev->joined = joined;
                x = prev->x + prev->width;
                gap = false;
                continue;
            }
        }
        text_frag f = { x, baseline, p->w, p->font, size, colour_index, p->s, p->len, p->level, p == end && joined, p->lang };
        ok = push_frag(r, f);
        lastf = r->n - 1;
        gap = false;
        x += p->w;
    }
    if (item != small)
        free(item);
    if (lv != lsmall)
        free(lv);
    if (order != osmall)
        free(order);
    return ok;
}

/* The list marker of block b, hung left of the indent (0.4 of the size apart from the text), or
 * in a right-to-left paragraph right of the text, at the item's start. There it reads in the
 * paragraph's direction, as UAX #9 orders it with a right-to-left base (and as a browser sets an
 * ordered list with dir="rtl"): "12." shows as ".12", the number itself still left to right; each
 * run of one level is a fragment of its own, in visual order. False when memory runs out. */
static bool push_marker(text_result *out, const text_block *b, bool rtl, double indent, double avail, double width,
                        double baseline, double size, text_measure_fn measure, void *ctx)
{
    size_t len = strlen(b->marker);
    unsigned char lv[32], rlv[32], para = 0;
    size_t start[33], order[32], nrun = 0;
    if (rtl && len < sizeof lv && unicode_bidi_levels(b->marker, len, 1, lv, &para))
        for (size_t i = 0; i < len; i++)
            if (i == 0 || lv[i] != lv[i - 1]) {
                start[nrun] = i;
                rlv[nrun++] = lv[i];
            }
    if (nrun == 0) { /* left to right, or not ordered (too long, no memory): as it is written */
        start[nrun] = 0;
        rlv[nrun++] = 0;
    }
    start[nrun] = len;
    if (!unicode_reorder(rlv, nrun, order))
        return false;
    double w[32], mw = 0;
    for (size_t k = 0; k < nrun; k++) {
        w[k] = measure(ctx, b->marker_font, b->marker + start[k], start[k + 1] - start[k], size, rlv[k] & 1);
        mw += w[k];
    }
    double mx = rtl ? avail + size * 0.4 : indent - mw - size * 0.4;
    if (mx + mw > width)
        mx = width - mw;
    if (mx < 0)
        mx = 0;
    for (size_t v = 0; v < nrun; v++) {
        size_t k = order[v];
        text_frag f = { mx, baseline, w[k], b->marker_font, size, b->colour, b->marker + start[k],
                        start[k + 1] - start[k], rlv[k], false, NULL };
        if (!push_frag(out, f))
            return false;
        mx += w[k];
    }
    return true;
}

/* Splits single-piece words at their hyphenation points into joined parts, each with a piece of
 * its own added to the pool. Returns the new count (words may move: *words is reallocated as
 * needed); without memory for it, the words stay whole. */
static size_t hyphenate_words(word **words, size_t *cap, size_t nw, piece_pool *pool, double size,
                              const text_style *st, text_measure_fn measure, void *ctx)
{
    size_t total = nw;
    size_t points[64];
    /* count first, to grow once */
    size_t *counts = calloc(nw + 1, sizeof *counts);
    if (!counts)
        return nw;
    for (size_t i = 0; i < nw; i++) {
        word *w = &(*words)[i];
        const piece *p = &pool->v[w->p0];
        if (w->np != 1 || p->len < 5 || w->soft || p->lang)
            continue; /* a word of another language (text_span) is not split by this one's patterns */
        counts[i] = st->hyphenate(st->hyphenate_ctx, p->s, p->len, points, 64);
        total += counts[i];
    }
    if (total == nw) {
        free(counts);
        return nw;
    }
    /* room for the parts' pieces first, so that no push below fails half way */
    size_t used = pool->n;
    for (size_t k = 0; k < total; k++)
        if (!pool_push(pool)) {
            pool->n = used;
            free(counts);
            return nw;
        }
    pool->n = used;
    if (total > *cap) {
        word *nwds = realloc(*words, total * sizeof(word));
        if (!nwds) {
            free(counts);
            return nw;
        }
        *words = nwds;
        *cap = total;
    }
    /* from the back, so that nothing is overwritten before it is moved */
    size_t dst = total;
    for (size_t i = nw; i-- > 0;) {
        word w = (*words)[i];
        if (counts[i] == 0) {
            (*words)[--dst] = w;
            continue;
        }
        piece whole = pool->v[w.p0];
        size_t n = st->hyphenate(st->hyphenate_ctx, whole.s, whole.len, points, 64);
        double hw = measure(ctx, whole.font, HYPHEN, 1, size, false);
        for (size_t k = n + 1; k-- > 0;) {
            size_t a = k == 0 ? 0 : points[k - 1], b = k == n ? whole.len : points[k];
            word part = w;
            part.p0 = pool->n;
            piece *pp = pool_push(pool); /* cannot fail: the room was made above */
            pp->font = whole.font;
            pp->s = whole.s + a;
            pp->len = b - a;
            pp->level = whole.level;
            pp->lang = whole.lang;
            pp->w = measure(ctx, whole.font, pp->s, pp->len, size, whole.level & 1);
            part.w = pp->w;
            part.joined = part.hyphen = k < n;
            part.space_w = k < n ? 0 : w.space_w;
            part.hyphen_w = hw;
            part.break_before = k == 0 && w.break_before;
            part.nobreak_before = k == 0 && w.nobreak_before;
            (*words)[--dst] = part;
        }
    }
    free(counts);
    return total;
}

/* The width of words[i..j) set on one line. */
static double line_width(const word *w, size_t i, size_t j)
{
    double n = 0;
    for (size_t k = i; k < j; k++)
        n += w[k].w + (k + 1 < j ? w[k].space_w : 0);
    if (j > i && w[j - 1].hyphen)
        n += w[j - 1].hyphen_w;
    return n;
}

/* Whether words[i..j) set justified on a line with `slack` points to spread stretch some word
 * space past limit times its width (a line of one word with room left always does). */
static bool too_loose(const word *w, size_t i, size_t j, double slack, double limit)
{
    if (limit <= 0 || slack <= 1e-6)
        return false;
    double spaces = 0;
    int gaps = 0;
    for (size_t m = i; m + 1 < j; m++)
        if (!w[m].joined) {
            spaces += w[m].space_w;
            gaps++;
        }
    if (gaps == 0)
        return true;
    /* every gap takes an equal share of the slack (emit_line): the narrowest space stretches most */
    double extra = slack / gaps;
    for (size_t m = i; m + 1 < j; m++)
        if (!w[m].joined && w[m].space_w + extra > limit * w[m].space_w + 1e-6)
            return true;
    return false;
}

/* Whether words[i..j), width points wide, is a widow as a paragraph's last line: one word (its
 * parts joined without a space count as one) narrower than WIDOW_SHARE of the measure. */
static bool widow(const word *w, size_t i, size_t j, double width, double avail)
{
    for (size_t m = i; m + 1 < j; m++)
        if (!w[m].joined)
            return false;
    return i > 0 && width < TEXT_WIDOW_SHARE * avail;
}

/* Where the lines of n words end (indices past each line's last word, the last one n), into
 * *out; returns their count, 0 when out of memory. Greedy: as many words as fit on each line.
 * Total fit (for justified text): the breaks that minimise the sum of the squared slack of every
 * line but the last, over the whole paragraph, in the manner of Knuth and Plass. Balanced (text
 * not justified): the fewest lines, and among those the breaks that minimise the squared slack of
 * every line, the last included. */
static size_t choose_breaks(const word *w, size_t n, double avail, bool total_fit, bool balance, size_t **out,
                            size_t *cap)
{
    if (*cap < n + 1) {
        size_t *nb = realloc(*out, (n + 1) * sizeof *nb);
        if (!nb)
            return 0;
        *out = nb;
        *cap = n + 1;
    }
    size_t count = 0;
    if ((!total_fit && !balance) || n > 2000) {
        size_t i = 0;
        while (i < n) {
            size_t j = i + 1;
            while (j < n && line_width(w, i, j + 1) <= avail + 1e-9)
                j++;
            /* not before a word that UAX #14 keeps with the one before, unless nothing else fits */
            size_t k = j;
            while (k < n && k > i + 1 && w[k].nobreak_before)
                k--;
            if (k == n || !w[k].nobreak_before)
                j = k;
            (*out)[count++] = j;
            i = j;
        }
        return count;
    }
    double *best = malloc((n + 1) * sizeof *best);
    size_t *from = malloc((n + 1) * sizeof *from);
    if (!best || !from) {
        free(best);
        free(from);
        return 0;
    }
    /* balanced: a line costs more than any squared room the lines of the fewest can leave */
    double line_cost = ((double)n + 1) * avail * avail + 1;
    best[0] = 0;
    for (size_t j = 1; j <= n; j++) {
        best[j] = 1e300;
        from[j] = j - 1;
        for (size_t i = j; i-- > 0;) {
            double width = line_width(w, i, j);
            if (width > avail + 1e-9 && j - i > 1)
                break; /* longer lines only get wider */
            double slack = avail - width;
            double cost = j == n && !balance ? 0 : slack * slack;
            if (balance)
                cost += line_cost; /* the fewest lines first */
            else if (j == n && n > 1 && widow(w, i, j, width, avail))
                cost += avail * avail; /* a widow costs as much as a line left empty */
            if (w[j - 1].hyphen)
                cost += HYPHEN_PENALTY; /* a hyphen only where it pays */
            if (j < n && w[j].nobreak_before)
                cost += NOBREAK_PENALTY;
            if (best[i] + cost < best[j]) {
                best[j] = best[i] + cost;
                from[j] = i;
            }
        }
    }
    /* walk back from the end, then reverse */
    for (size_t j = n; j > 0; j = from[j])
        (*out)[count++] = j;
    for (size_t k = 0; k < count / 2; k++) {
        size_t t = (*out)[k];
        (*out)[k] = (*out)[count - 1 - k];
        (*out)[count - 1 - k] = t;
    }
    free(best);
    free(from);
    return count;
}

/* Whether justified words set without hyphens (by the breaking the block uses) stretch some word
 * space past the limit (or leave a line of one word short), so that hyphenation points are worth
 * finding: the first of TeX's two passes. A block that sets well without them keeps its words
 * whole, and the hyphenation dictionary is not even read. Out of memory counts as needing them. */
static bool needs_hyphens(const word *w, size_t nw, double avail, bool total_fit, double limit, size_t **brk,
                          size_t *cap)
{
    size_t seg = 0;
    while (seg < nw) {
        size_t end = seg + 1;
        while (end < nw && !w[end].break_before)
            end++;
        size_t nb = choose_breaks(w + seg, end - seg, avail, total_fit, false, brk, cap);
        if (nb == 0)
            return true;
        size_t from = seg;
        for (size_t k = 0; k + 1 < nb; k++) { /* the segment's last line is not stretched */
            size_t to = seg + (*brk)[k];
            if (too_loose(w, from, to, avail - line_width(w, from, to), limit))
                return true;
            from = to;
        }
        seg = end;
    }
    return false;
}

/* Laying out a text's blocks: what goes on from block to block. */
typedef struct text_setting {
    const text_style *st;
    text_measure_fn measure;
    void *ctx;
    text_result *out;
    double width;        /* a column's width */
    double scale;
    double y;            /* the top of the next line */
    bool rtl_columns;    /* the first paragraph is right to left: columns fill from the right */
    word *words;         /* the block's words, room for wcap */
    size_t wcap;
    piece_pool pool;     /* their pieces */
    size_t *brk, brkcap; /* the breaks chosen (choose_breaks) */
    break_text brk_text; /* the block's break opportunities and levels (block_breaks) */
} text_setting;

/* The block being set. */
typedef struct block_setting {
    const text_block *b;
    size_t bi;                /* its index */
    double size, lh;          /* its type size and line height, scaled */
    double avail, x0;         /* its lines' measure (the indent taken off) and their left edge */
    text_align align;         /* start and end resolved by the paragraph's direction */
    bool rtl;
    bool total_fit, balance;  /* the breaking */
    double limit;             /* justified, the most a space may stretch; 0: no limit */
    size_t nw;                /* its words */
    size_t line_start, index; /* the next line's first fragment, and its index in the block */
} block_setting;

/* All the words of the block (ts->words, bs->nw). False when out of memory, or when a word is
 * wider than the measure (out->too_wide and the word). */
static bool block_words(text_setting *ts, block_setting *bs)
{
    const break_text *bt = &ts->brk_text;
    word_iter it = { bs->b, 0, 0, false, false, bt->bk, bt->base, bt->lv, bt->para };
    size_t nw = 0;
    bool ok = true;
    ts->pool.n = 0;
    for (;;) {
        if (nw == ts->wcap) {
            word *nwds = realloc(ts->words, sizeof(word) * ts->wcap * 2);
            if (!nwds) {
                ok = false;
                break;
            }
            ts->words = nwds;
            ts->wcap *= 2;
        }
        if (!next_word(&it, &ts->pool, bs->size, ts->measure, ts->ctx, &ts->words[nw])) {
            ok = !it.nomem;
            break;
        }
        word *w = &ts->words[nw];
        if (w->w > bs->avail + 1e-9) {
            /* the word as far as it is one run of text (pieces of Markdown styles lie in
             * separate strings) */
            const piece *p = &ts->pool.v[w->p0];
            size_t k = 1;
            while (k < w->np && p[k].s == p[k - 1].s + p[k - 1].len)
                k++;
            ts->out->too_wide = w->w - bs->avail;
            ts->out->wide_word = p[0].s;
            ts->out->wide_len = (size_t)(p[k - 1].s + p[k - 1].len - p[0].s);
            ok = false;
            break;
        }
        nw++;
    }
    bs->nw = nw;
    return ok;
}

/* Sets the words [seg, end) of the block, a segment that a hard break ends, in lines. False when
 * out of memory or no breaks were found. */
static bool set_segment(text_setting *ts, block_setting *bs, size_t seg, size_t end)
{
    const text_style *st = ts->st;
    text_result *out = ts->out;
    word *words = ts->words;
    double avail = bs->avail, size = bs->size, lh = bs->lh;
    size_t nbreaks = choose_breaks(words + seg, end - seg, avail, bs->total_fit, bs->balance, &ts->brk, &ts->brkcap);
    /* ragged text that would end the paragraph on a widow is balanced instead (the same count of
     * lines, of even length); justified text avoids one in its total fit */
    if (bs->align != ALIGN_JUSTIFY && !bs->balance && end == bs->nw && nbreaks >= 2) {
        size_t a = seg + ts->brk[nbreaks - 2];
        if (widow(words, a, end, line_width(words, a, end), avail))
            nbreaks = choose_breaks(words + seg, end - seg, avail, false, true, &ts->brk, &ts->brkcap);
    }
    if (nbreaks == 0 && end > seg)
        return false;
    size_t from = seg;
    for (size_t k = 0; k < nbreaks; k++) {
        size_t to = seg + ts->brk[k];
        double natural = line_width(words, from, to);
        bool last = to == end;
        double baseline = ts->y + size * st->ascent + (lh - size) / 2;
        /* a justified line too loose for the limit is set like a last line: ragged */
        bool ragged = !last && bs->limit > 0 && too_loose(words, from, to, avail - natural, bs->limit);
        if (!emit_line(out, &ts->pool, words + from, (int)(to - from), bs->x0, avail, natural, baseline, size,
                       bs->b->colour, bs->align, last || ragged, bs->rtl, ts->measure, ts->ctx))
            return false;
        int nwords = 1;
        for (size_t m = from; m + 1 < to; m++)
            nwords += !words[m].joined;
        text_line ln = { bs->line_start, out->n - bs->line_start, ts->y, lh, bs->bi, bs->index++,
                         last && end == bs->nw, bs->b->heading, 0, nwords, natural, avail, from == seg };
        if (!push_line(out, ln))
            return false;
        if (bs->align == ALIGN_JUSTIFY && !last && to - from > 1)
            out->badness += (avail - natural) * (avail - natural);
        bs->line_start = out->n;
        ts->y += lh;
        out->lines++;
        from = to;
    }
    return true;
}

/* Sets block bi of the nb blocks: its marker, its words (hyphenated where that is asked for and
 * worth it), its lines. False when out of memory, a word is too wide, or no breaks were found. */
static bool set_block(text_setting *ts, const text_block *blocks, size_t nb, size_t bi)
{
    const text_style *st = ts->st;
    const text_block *b = &blocks[bi];
    block_setting bs = { .b = b, .bi = bi };
    bs.size = b->size * ts->scale;
    bs.lh = bs.size * st->line_height;
    double indent = b->indent * ts->scale;
    bs.avail = ts->width - indent;
    bs.line_start = ts->out->n;
    if (bi > 0)
        ts->y += b->space_before * ts->scale;
    if (!block_breaks(b, st, &ts->brk_text))
        return false;
    bs.rtl = ts->brk_text.para & 1;
    if (bi == 0)
        ts->rtl_columns = bs.rtl;
    /* start and end, and a justified paragraph's last line, follow its direction */
    bs.align = st->align;
    if (bs.align == ALIGN_START)
        bs.align = bs.rtl ? ALIGN_RIGHT : ALIGN_LEFT;
    else if (bs.align == ALIGN_END)
        bs.align = bs.rtl ? ALIGN_LEFT : ALIGN_RIGHT;
    /* right to left, the indent and the list marker are on the right */
    bs.x0 = bs.rtl ? 0 : indent;
    if (b->marker && !push_marker(ts->out, b, bs.rtl, indent, bs.avail, ts->width,
                                  ts->y + bs.size * st->ascent + (bs.lh - bs.size) / 2, bs.size, ts->measure, ts->ctx))
        return false;
    /* all the words of the block first */
    if (!block_words(ts, &bs))
        return false;
    /* justified text is hyphenated only where it sets loosely without (needs_hyphens); other
     * text that asks for hyphenation (hyphenate = yes) always is */
    bs.total_fit = bs.align == ALIGN_JUSTIFY && st->breaking != BREAK_GREEDY;
    /* justified, a space stretches at most this far; without a limit, the first pass still
     * hyphenates past 1.5 x */
    bs.limit = bs.align != ALIGN_JUSTIFY ? 0 : st->justify_limit > 0 ? st->justify_limit : 0;
    double pretolerance = bs.limit > 0 ? bs.limit : 1.5;
    bs.balance = b->balance && bs.align != ALIGN_JUSTIFY;
    if (st->hyphenate && (bs.align != ALIGN_JUSTIFY || needs_hyphens(ts->words, bs.nw, bs.avail, bs.total_fit,
                                                                     pretolerance, &ts->brk, &ts->brkcap)))
        bs.nw = hyphenate_words(&ts->words, &ts->wcap, bs.nw, &ts->pool, bs.size, st, ts->measure, ts->ctx);
    /* then the breaks, segment by segment (a hard break ends a segment) */
    bool ok = true;
    for (size_t seg = 0; seg < bs.nw && ok;) {
        size_t end = seg + 1;
        while (end < bs.nw && !ts->words[end].break_before)
            end++;
        ok = set_segment(ts, &bs, seg, end);
        seg = end;
    }
    if (bi + 1 < nb)
        ts->y += b->space_after * ts->scale;
    return ok;
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
    out->badness = 0;
    text_setting ts = { .st = st, .measure = measure, .ctx = ctx, .out = out, .scale = scale };
    ts.words = malloc(sizeof(word) * 64);
    ts.wcap = 64;
    if (!ts.words)
        return false;
    bool ok = true;
    int columns = st->columns > 1 ? st->columns : 1;
    ts.width = width;
    if (columns > 1)
        ts.width = (width - st->gap * (columns - 1)) / columns;
    for (size_t bi = 0; bi < nb && ok; bi++)
        ok = set_block(&ts, blocks, nb, bi);
    free(ts.words);
    free(ts.pool.v);
    free(ts.brk);
    free(ts.brk_text.text);
    free(ts.brk_text.bk);
    free(ts.brk_text.lv);
    free(ts.brk_text.base);
    out->height = ts.y;
    if (ok && columns > 1)
        text_balance(out, columns, ts.width, st->gap, ts.rtl_columns);
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

void text_balance(text_result *r, int columns, double column_width, double gap, bool rtl)
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
        int place = rtl ? columns - 1 - c : c; /* from the left */
        for (size_t f = f0; f < f1; f++) {
            r->frags[f].x += place * (column_width + gap);
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

/* Lays the blocks out at size s (of the body size `size`): fitting or not. */
static bool fits_at(const text_block *b, size_t nb, double width, double height, double size, double s,
                    const text_style *st, text_measure_fn measure, void *ctx, text_result *out)
{
    return text_layout(b, nb, width, s / size, st, measure, ctx, out) && out->height <= height + 1e-6;
}

text_fit_status text_fit(const text_block *b, size_t nb, double width, double height, double size,
                         double min_size, double max_size, bool shrink, const text_style *st, text_measure_fn measure,
                         void *ctx, text_result *out)
{
    double s = size;
    for (;;) {
        double scale = s / size;
        bool ok = text_layout(b, nb, width, scale, st, measure, ctx, out);
        if (ok && out->height <= height + 1e-6)
            break;
        if (!ok && out->too_wide == 0)
            return TEXT_NO_MEMORY;
        if (!shrink || s - 0.25 < min_size - 1e-9)
            return ok ? TEXT_TOO_TALL : TEXT_TOO_WIDE;
        s -= 0.25;
    }
    if (s < size || max_size <= size + 1e-9)
        return TEXT_FITS;
    /* grow: steps k = 1 .. top of 0.25 pt, the last one max_size; step lo fits, step hi does not
     * (or lies past the last) */
    long top = (long)ceil((max_size - size) / 0.25 - 1e-9), lo = 0, hi = top + 1;
    while (hi - lo > 1) {
        long mid = lo + (hi - lo) / 2;
        double at = mid == top ? max_size : size + 0.25 * (double)mid;
        if (fits_at(b, nb, width, height, size, at, st, measure, ctx, out))
            lo = mid;
        else
            hi = mid;
    }
    double at = lo == top ? max_size : size + 0.25 * (double)lo;
    if (!fits_at(b, nb, width, height, size, at, st, measure, ctx, out))
        return out->too_wide == 0 && out->height <= height + 1e-6 ? TEXT_NO_MEMORY : TEXT_TOO_TALL;
    return TEXT_FITS;
}
