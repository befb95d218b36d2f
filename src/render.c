/* render: from the page model to drawing calls. The order: whole-page geometry checks; then
 * each element in file order (text is fitted, every character checked against its font, QR codes
 * encoded and sized); then, only when nothing failed, the atomic save. */
#include "render.h"
#include "atomic.h"
#include "escape.h"
#include "hyphenate.h"
#include "image.h"
#include "inputs.h"
#include "impose.h"
#include "markdown.h"
#include "numbers.h"
#include "pdf.h"
#include "preflight.h"
#include "payload.h"
#include "qr.h"
#include "sha256.h"
#include "text.h"
#include "unicode.h"
#include "utf8.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define EPS 1e-6
#define ASCENT 0.8 /* baseline below the top of a line's em box, as a multiple of the size */

typedef struct md_cache {
    char *name; /* the expanded file name */
    char *path;
    char *raw;
} md_cache;

struct render {
    const layout *l;
    const render_opts *o;
    content *c;
    fonts *fonts;
    pdf_doc *pdf;
    diag *d;
    FILE *dump;
    double ox, oy;     /* where the current item's trim box starts on the page */
    long item;         /* the current item, 0-based */
    md_cache *md;      /* per element: the last Markdown file read, or image checked */
    const printer_adjust *printer;
    int tiles_per_item; /* tiles: the pages one item is tiled into */
    long failed_item;  /* the first item with an error, or -1 */
    render_stats *stats; /* what is set, when a check wants it; or NULL */
    int page;          /* the current page, 1-based within the file */
    const numbers *numbers; /* known numbers, or NULL */
    hyphenator *hyph;  /* dictionaries, loaded on first use */
    bool measuring;    /* fit groups: lay out only, record each element's scale */
    double *scale;     /* per element: the measured scale, then the group's; 0: none */
};

void render_stats_free(render_stats *st)
{
    for (size_t i = 0; i < st->n; i++) {
        free(st->runs[i].element);
        free(st->runs[i].lang);
        free(st->runs[i].text);
    }
    free(st->runs);
    memset(st, 0, sizeof *st);
}

static void stats_add(render *r, const element *e, const char *s, size_t len, double size, int weight)
{
    render_stats *st = r->stats;
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 64;
        render_run *nr = realloc(st->runs, cap * sizeof *nr);
        if (!nr)
            return;
        st->runs = nr;
        st->cap = cap;
    }
    const char *lang = e->lang ? e->lang : content_get(r->c, "language");
    render_run *run = &st->runs[st->n];
    run->page = r->page;
    run->element = strdup(e->name);
    run->lang = strdup(lang ? lang : "");
    run->text = strndup(s, len);
    run->size = size;
    run->weight = weight;
    if (run->element && run->lang && run->text)
        st->n++;
}

/* A number one keystroke from a known hotline or text number is an error. */
static bool check_numbers(render *r, const char *text, diag_loc loc)
{
    number_miss m;
    if (!r->numbers || !numbers_near_miss(r->numbers, text, &m))
        return true;
    diag_error(r->d, "numbers-near-miss", loc,
               "expected the %s, %s (source: %s), found \"%s\", one keystroke away; correct it, or "
               "if it really is another number, add it to data/known-numbers.ini",
               m.label, m.known, m.source, m.found);
    return false;
}

/* Hyphenation for the text engine: the element's language. */
typedef struct hyph_ctx {
    hyphenator *h;
    const char *lang;
} hyph_ctx;

static size_t hyph_points(void *ctx, const char *word, size_t len, size_t *points, size_t max)
{
    hyph_ctx *hc = ctx;
    return hyphenator_points(hc->h, hc->lang, word, len, points, max);
}

/* ---- text ---- */

/* A slot's fonts: the first that has a character's glyph sets it (font fallback). Font ids in
 * text spans are slot * FONT_FALLBACKS + the index in the slot's list. */
#define FONT_FALLBACKS 4
#define FONT_IDS (FONT_SLOTS * FONT_FALLBACKS)

typedef struct measure_ctx {
    pdf_font *font[FONT_IDS];
    const font_face *face[FONT_IDS];
    int count[FONT_SLOTS]; /* fonts in each slot's list, 0 when not loaded */
} measure_ctx;

static double measure(void *ctx, int font, const char *s, size_t len, double size)
{
    measure_ctx *m = ctx;
    return pdf_text_width(m->font[font], s, len, size);
}

static const char *const SLOT_KEYS[FONT_SLOTS] = { "font", "bold_font", "italic_font",
                                                   "bold_italic_font", "heading_font" };

/* Resolves and loads the fonts of one slot (a comma-separated list); false after reporting. */
static bool load_slot(render *r, const element *e, int slot, measure_ctx *m)
{
    if (m->count[slot])
        return true;
    const char *list = e->font[slot];
    int k = 0;
    char spec[512];
    while (units_list_next(&list, spec, sizeof spec)) {
        if (k == FONT_FALLBACKS) {
            diag_error(r->d, "font-too-many", layout_loc(r->l, e, SLOT_KEYS[slot]),
                       "expected at most %d fonts in the list, found more", FONT_FALLBACKS);
            return false;
        }
        const char *why = NULL;
        const font_face *face = fonts_find(r->fonts, spec, &why);
        if (!face) {
            diag_error(r->d, "font-not-found", layout_loc(r->l, e, SLOT_KEYS[slot]),
                       "expected a font that is installed, found \"%s\": %s", spec, why);
            return false;
        }
        int id = slot * FONT_FALLBACKS + k;
        m->face[id] = face;
        m->font[id] = pdf_font_load(r->pdf, font_face_file(face), font_face_index(face));
        if (!m->font[id]) {
            diag_error(r->d, "font-embed-failed", layout_loc(r->l, e, SLOT_KEYS[slot]),
                       "font %s cannot be embedded: %s", font_face_file(face), pdf_error(r->pdf));
            return false;
        }
        k++;
    }
    if (k == 0) {
        diag_error(r->d, "font-empty-list", layout_loc(r->l, e, SLOT_KEYS[slot]),
                   "expected a font, found an empty list");
        return false;
    }
    m->count[slot] = k;
    return true;
}

/* Scripts that need right-to-left ordering or line breaking by dictionary, which the text layer
 * does not do yet (words are shaped, left to right, and lines break at spaces): they would print
 * wrong, so they are refused. The script is the character's own (its Unicode Script and
 * Bidi_Class, from ICU), not the block it sits in: U+FEFF lies in the block of Arabic
 * presentation forms but belongs to no script. */
static const char *unsupported_script(uint32_t cp, char *buf, size_t size)
{
    return unicode_refused_script(cp, buf, size);
}

/* A growing list of spans. */
typedef struct span_list {
    text_span *v;
    size_t n, cap;
} span_list;

static bool span_push(span_list *l, text_span sp)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        text_span *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv)
            return false;
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = sp;
    return true;
}

/* Splits s (text in font slot `slot`) into spans, each in the first font of the slot's list that
 * has all its characters: every character is checked, and one that no font has, a control
 * character, a script handout cannot set or a combining mark left over after NFC (no
 * precomposed letter holds it) is an error naming it, the element and the fonts. A mark after a
 * letter of a shaped script (unicode_shaped_script: a Devanagari vowel sign, a virama) is shaped
 * onto it and stays in its font, as do the zero-width joiner and non-joiner. A soft hyphen
 * needs no glyph: it is never drawn (text.h). */
static bool add_text_spans(render *r, const element *e, const char *key, int slot, measure_ctx *m,
                           const char *s, size_t len, bool hard_break, diag_loc loc, span_list *out)
{
    size_t i = 0, start = 0;
    int cur = -1;
    bool after_shaped = false; /* the last letter was of a shaped script */
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            diag_error(r->d, "text-not-utf8", loc, "expected UTF-8 text, found an invalid byte 0x%02X",
                       (unsigned char)s[i]);
            return false;
        }
        if (cp < 0x20 || cp == 0x7F) {
            diag_error(r->d, "text-control-character", loc,
                       "expected printable text, found the control character U+%04X", (unsigned)cp);
            return false;
        }
        int k = -1;
        char script_buf[96];
        const char *script = unsupported_script(cp, script_buf, sizeof script_buf);
        bool mark = !script && unicode_is_mark(cp);
        bool shy = cp == TEXT_SOFT_HYPHEN;
        bool joins = mark && after_shaped; /* shaped onto the letter before it */
        if (joins)
            mark = false;
        else if (!mark)
            after_shaped = unicode_shaped_script(cp);
        if ((cp == ' ' || shy) && cur >= 0)
            k = cur; /* a space stays with the text around it, and so does a soft hyphen */
        else if (shy)
            k = 0;
        else if ((cp == 0x200C || cp == 0x200D) && cur >= 0)
            k = cur; /* the joiners shape the text around them: never a span of their own */
        else if (joins && cur >= 0 && font_face_has(m->face[slot * FONT_FALLBACKS + cur], cp))
            k = cur;
        for (int f = 0; k < 0 && !script && !mark && f < m->count[slot]; f++)
            if (font_face_has(m->face[slot * FONT_FALLBACKS + f], cp))
                k = f;
        if (k < 0) {
            /* name the place the character is written: the layout's own value, or the content
             * field that a placeholder brought in */
            char bytes[8], what[32];
            snprintf(bytes, sizeof bytes, "%.*s", (int)n, s + i);
            utf8_describe(cp, what, sizeof what);
            diag_loc at = loc;
            const char *raw = layout_raw(r->l, e, key);
            if (loc.file == r->l->path && !(raw && strstr(raw, bytes)))
                content_origin(r->c, bytes, &at);
            if (script) {
                diag_error(r->d, "text-unsupported-script", at,
                           "expected text that handout can set, found %s, %s: handout places one "
                           "glyph per character, without shaping or right-to-left ordering (see "
                           "docs/languages.md)",
                           what, script);
            } else if (mark) {
                /* the letter it follows: the character before it in this text, if any */
                size_t q = i;
                if (q > 0)
                    q--;
                while (q > 0 && ((unsigned char)s[q] & 0xC0) == 0x80)
                    q--;
                char name[96];
                unicode_name(cp, name, sizeof name);
                diag_error(r->d, "text-mark-without-letter", at,
                           "expected text that handout can set, found %s%s%s%s %s%.*s%s: Unicode has no "
                           "letter with the mark on it, and handout places one glyph per character, so "
                           "the mark would print beside the letter, not on it (see docs/languages.md)",
                           what, name[0] ? " (" : "", name, name[0] ? ")" : "",
                           i > 0 ? "after '" : "with no letter before it", (int)(i - q), s + q, i > 0 ? "'" : "");
            } else {
                char tried[1024];
                size_t tn = 0;
                tried[0] = '\0';
                for (int f = 0; f < m->count[slot] && tn < sizeof tried; f++) {
                    const font_face *face = m->face[slot * FONT_FALLBACKS + f];
                    tn += (size_t)snprintf(tried + tn, sizeof tried - tn, "%s\"%s\" (%s)", f ? ", " : "",
                                           font_face_name(face), font_face_file(face));
                }
                diag_error(r->d, "font-missing-glyph", at,
                           "character %s has no glyph in font%s %s, used by element [%s] %s of %s", what,
                           m->count[slot] > 1 ? "s" : "", tried, e->name, key, r->l->path);
            }
            return false;
        }
        if (!shy && !font_face_draws(m->face[slot * FONT_FALLBACKS + k], cp)) {
            char what[32];
            utf8_describe(cp, what, sizeof what);
            const font_face *face = m->face[slot * FONT_FALLBACKS + k];
            diag_error(r->d, "font-damaged-glyph", loc,
                       "expected the glyph of %s in font \"%s\" (%s) to have an outline, found none it "
                       "could read: the font file is damaged (it would print nothing); reinstall it "
                       "or choose another font",
                       what, font_face_name(face), font_face_file(face));
            return false;
        }
        if (k != cur && cur >= 0) {
            text_span sp = { slot * FONT_FALLBACKS + cur, s + start, i - start, hard_break && start == 0 };
            if (!span_push(out, sp))
                return false;
            start = i;
        }
        cur = k;
        i += n;
    }
    text_span sp = { slot * FONT_FALLBACKS + (cur < 0 ? 0 : cur), s + start, len - start,
                     hard_break && start == 0 };
    return span_push(out, sp);
}

static const colour *frag_colour(const element *e, int which)
{
    return which == 1 ? &e->heading_color : &e->color;
}

/* Where a fragment starts on the page (top-left coordinates, item offset included). For rotated
 * text the layout frame is the box turned: its width is the box's height. */
static void frag_origin(const render *r, const element *e, double top, const text_frag *f, double *x,
                        double *y)
{
    double along = f->x, across = top + f->baseline; /* in the text's own frame */
    if (e->rotate == 90) {
        *x = r->ox + e->x + across;
        *y = r->oy + e->y + e->h - along;
    } else if (e->rotate == 270) {
        *x = r->ox + e->x + e->w - across;
        *y = r->oy + e->y + along;
    } else {
        *x = r->ox + e->x + along;
        *y = r->oy + e->y + across;
    }
}

static void dump_frags(render *r, const element *e, const text_result *res, double top)
{
    if (!r->dump)
        return;
    fprintf(r->dump, "text %s size %.2f scale %.4f lines %zu height %.2f badness %.1f\n", e->name,
            e->size * res->scale, res->scale, res->lines, res->height, res->badness);
    for (size_t i = 0; i < res->n; i++) {
        const text_frag *f = &res->frags[i];
        double x, y;
        frag_origin(r, e, top, f, &x, &y);
        fprintf(r->dump, "frag %s x %.2f baseline %.2f width %.2f size %.2f font %d \"%.*s\"\n",
                e->name, x, y, f->width, f->size, f->font, (int)f->len, f->s);
    }
}

/* Fits blocks into e's box and draws them. */
static void draw_blocks(render *r, const element *e, const text_block *blocks, size_t nb,
                        measure_ctx *m, const char *key)
{
    text_style st = { e->align, e->line_height, ASCENT, e->columns, e->column_gap,
                      e->greedy ? BREAK_GREEDY : BREAK_TOTAL_FIT, NULL, NULL };
    hyph_ctx hc = { r->hyph, e->lang ? e->lang : content_get(r->c, "language") };
    bool hyph = e->hyphenate == HYPHENATE_YES || (e->hyphenate == HYPHENATE_AUTO && e->align == ALIGN_JUSTIFY);
    if (hyph && r->hyph && hc.lang) {
        st.hyphenate = hyph_points;
        st.hyphenate_ctx = &hc;
    }
    text_result res = { 0 };
    double bw = e->rotate ? e->h : e->w, bh = e->rotate ? e->w : e->h;
    size_t ei = (size_t)(e - r->l->elements);
    text_fit_status fs;
    if (!r->measuring && e->fit_group && r->scale[ei] > 0) {
        /* the group's size: the largest at which every member fits */
        bool ok = text_layout(blocks, nb, bw, r->scale[ei], &st, measure, m, &res);
        fs = !ok ? (res.too_wide > 0 ? TEXT_TOO_WIDE : TEXT_NO_MEMORY)
                 : res.height > bh + 1e-6 ? TEXT_TOO_TALL : TEXT_FITS;
    } else {
        fs = text_fit(blocks, nb, bw, bh, e->size, e->min_size, e->shrink, &st, measure, m, &res);
    }
    if (r->measuring) {
        r->scale[ei] = fs == TEXT_FITS ? res.scale : 0;
        text_result_free(&res);
        return;
    }
    diag_loc loc = layout_loc(r->l, e, key);
    double at = e->size * res.scale;
    if (fs == TEXT_TOO_TALL) {
        diag_error(r->d, "text-too-tall", loc,
                   "expected the text to fit its box (%.4g x %.4g pt), found it %.1f pt too tall at "
                   "%.4g pt%s; shorten the text, enlarge the box%s",
                   bw, bh, res.height - bh, at, e->shrink ? " (min_size)" : "",
                   e->shrink ? " or lower min_size" : " or set fit = shrink with a min_size");
    } else if (fs == TEXT_TOO_WIDE) {
        diag_error(r->d, "text-word-too-wide", loc,
                   "expected every word to fit the box's width (%.4g pt), found \"%.*s\" %.1f pt "
                   "wider at %.4g pt",
                   bw, (int)(res.wide_len > 60 ? 60 : res.wide_len), res.wide_word, res.too_wide, at);
    } else if (fs == TEXT_NO_MEMORY) {
        diag_error(r->d, "internal-out-of-memory", loc, "out of memory while laying out text");
    } else {
        /* the smallest type: the layout's own floor is an error, under 6 pt a warning */
        double smallest = 1e9;
        for (size_t i = 0; i < res.n; i++)
            if (res.frags[i].size < smallest)
                smallest = res.frags[i].size;
        if (res.n > 0 && r->l->min_type > 0 && smallest < r->l->min_type - 0.005)
            diag_error(r->d, "text-below-min-type", loc,
                       "expected type of at least %.4g pt (the layout's min_type), found %.4g pt; "
                       "raise size and min_size, or shorten the text",
                       r->l->min_type, smallest);
        else if (res.n > 0 && smallest < 6 - 0.005)
            diag_warn(r->d, "text-small-type", loc,
                      "type of %.4g pt is under 6 pt, hard to read on paper; raise size and "
                      "min_size, or shorten the text",
                      smallest);
        double top = 0;
        if (e->valign == VALIGN_MIDDLE)
            top = (bh - res.height) / 2;
        else if (e->valign == VALIGN_BOTTOM)
            top = bh - res.height;
        for (size_t i = 0; i < res.n; i++) {
            const text_frag *f = &res.frags[i];
            double x, y;
            frag_origin(r, e, top, f, &x, &y);
            /* drawing happens inside the item's translation: take the offset back out */
            pdf_text(r->pdf, m->font[f->font], f->size, x - r->ox, y - r->oy, e->rotate, f->s,
                     f->len, frag_colour(e, f->colour));
            if (r->stats)
                stats_add(r, e, f->s, f->len, f->size, font_face_weight(m->face[f->font]));
        }
        dump_frags(r, e, &res, top);
    }
    text_result_free(&res);
}

/* Text as it is set: in NFC (a letter and its combining accent become the precomposed letter),
 * without the zero-width no-break characters (text.h). Frees text; NULL after reporting. */
static char *text_to_set(render *r, char *text, diag_loc loc)
{
    char *nfc = unicode_nfc(text, strlen(text));
    free(text);
    if (!nfc) {
        diag_error(r->d, "internal-out-of-memory", loc, "out of memory while normalising text");
        return NULL;
    }
    text_drop_invisible(nfc, false);
    return nfc;
}

/* The known-numbers check on the text as it reads on paper: soft hyphens print nothing mid-line. */
static bool check_numbers_set(render *r, const char *text, diag_loc loc)
{
    if (!strstr(text, "\xC2\xAD"))
        return check_numbers(r, text, loc);
    char *plain = strdup(text);
    if (!plain) {
        diag_error(r->d, "internal-out-of-memory", loc, "out of memory while checking numbers");
        return false;
    }
    text_drop_invisible(plain, true);
    bool ok = check_numbers(r, plain, loc);
    free(plain);
    return ok;
}

/* A text element that prints nothing: a warning naming it and the placeholders of its value,
 * whose fields are empty (a text element has no `optional` key: docs/formats.md). */
static void warn_empty_text(render *r, const element *e, diag_loc loc)
{
    char names[256];
    size_t nn = 0;
    int count = 0;
    names[0] = '\0';
    for (const char *p = e->text; *p && nn < sizeof names; p++) {
        if (p[0] == '{' && p[1] == '{') {
            p++;
            continue;
        }
        const char *end = p[0] == '{' ? strchr(p, '}') : NULL;
        if (!end)
            continue;
        nn += (size_t)snprintf(names + nn, sizeof names - nn, "%s%.*s", count ? ", " : "",
                               (int)(end - p + 1), p);
        count++;
        p = end;
    }
    if (count == 0)
        diag_warn(r->d, "text-empty", loc, "expected text to print, found none: the element prints nothing");
    else
        diag_warn(r->d, "text-empty", loc,
                  "expected text to print, found none once %s %s filled from the content set %s: the "
                  "element prints nothing; give the field%s a value, or take the element out of the "
                  "layout",
                  names, count > 1 ? "are" : "is", content_dir(r->c), count > 1 ? "s" : "");
}

/* A text element: one paragraph; the two characters "\n" force a line break. */
static void draw_text(render *r, const element *e)
{
    measure_ctx m;
    memset(&m, 0, sizeof m);
    diag_loc loc = layout_loc(r->l, e, "text");
    if (!load_slot(r, e, FONT_REGULAR, &m))
        return;
    char *text = content_expand(r->c, e->text, r->d, loc);
    if (text)
        text = text_to_set(r, text, loc);
    if (!text)
        return;
    if (!check_numbers_set(r, text, loc)) {
        free(text);
        return;
    }
    /* collapse whitespace; "\n" ends a piece */
    size_t len = strlen(text);
    char *buf = malloc(len + 1);
    size_t *piece_end = calloc(len / 2 + 2, sizeof *piece_end);
    if (!buf || !piece_end) {
        free(buf);
        free(piece_end);
        free(text);
        return;
    }
    size_t n = 0, np = 0;
    for (size_t i = 0; i <= len; i++) {
        bool brk = i + 1 < len + 1 && text[i] == '\\' && text[i + 1] == 'n';
        if (i == len || brk) {
            piece_end[np++] = n;
            if (brk)
                i++;
            continue;
        }
        char ch = text[i];
        if (ch == '\t' || ch == '\r' || ch == '\n')
            ch = ' ';
        size_t start = np ? piece_end[np - 1] : 0;
        if (ch == ' ' && (n == start || buf[n - 1] == ' '))
            continue;
        buf[n++] = ch;
    }
    buf[n] = '\0';
    if (!text_prints(buf, n)) {
        if (!r->measuring)
            warn_empty_text(r, e, loc);
        free(piece_end);
        free(buf);
        free(text);
        return;
    }
    span_list spans = { 0 };
    bool ok = true;
    for (size_t p = 0; ok && p < np; p++) {
        size_t start = p ? piece_end[p - 1] : 0;
        ok = add_text_spans(r, e, "text", FONT_REGULAR, &m, buf + start, piece_end[p] - start,
                            p > 0, loc, &spans);
    }
    if (ok) {
        text_block b = { spans.v, spans.n, e->size, 0, NULL, 0, 0, 0, 0, false };
        draw_blocks(r, e, &b, 1, &m, "text");
    }
    free(spans.v);
    free(piece_end);
    free(buf);
    free(text);
}

static int slot_for(const md_block *b, int style)
{
    if (b->kind == MD_HEADING)
        return style & MD_ITALIC ? FONT_BOLD_ITALIC : FONT_HEADING;
    switch (style & (MD_BOLD | MD_ITALIC)) {
    case MD_BOLD: return FONT_BOLD;
    case MD_ITALIC: return FONT_ITALIC;
    case MD_BOLD | MD_ITALIC: return FONT_BOLD_ITALIC;
    default: return FONT_REGULAR;
    }
}

static void draw_markdown(render *r, const element *e)
{
    diag_loc floc = layout_loc(r->l, e, "file");
    char *fname = content_expand(r->c, e->text, r->d, floc);
    if (!fname)
        return;
    /* cached by folder and name: pages in other languages read other folders */
    size_t kn = strlen(content_dir(r->c)) + strlen(fname) + 2;
    char *name = malloc(kn);
    if (name)
        snprintf(name, kn, "%s\n%s", content_dir(r->c), fname);
    if (!name) {
        free(fname);
        return;
    }
    md_cache *mc = &r->md[e - r->l->elements];
    if (!mc->name || strcmp(mc->name, name) != 0) {
        free(mc->name);
        free(mc->path);
        free(mc->raw);
        mc->path = NULL;
        mc->raw = content_read_file(r->c, fname, &mc->path, r->d, floc);
        mc->name = mc->raw ? name : NULL;
        free(fname);
        if (!mc->raw) {
            free(name);
            return;
        }
    } else {
        free(name);
        free(fname);
    }
    char *path = strdup(mc->path);
    /* a file of another language's set (../es/notice.md) expands with that set's fields */
    content *fc = content_for_file(r->c, mc->name + strlen(content_dir(r->c)) + 1, r->d);
    char *text = path ? content_expand(fc ? fc : r->c, mc->raw, r->d, diag_at(path, 1)) : NULL;
    if (text)
        text = text_to_set(r, text, diag_at(path, 0));
    if (text && !check_numbers_set(r, text, diag_at(path, 0))) {
        free(text);
        text = NULL;
    }
    md_doc doc = { 0 };
    if (!text || !markdown_parse(text, strlen(text), path, &doc, r->d)) {
        free(text);
        free(path);
        return;
    }
    measure_ctx m;
    memset(&m, 0, sizeof m);
    bool ok = true;
    bool used[FONT_SLOTS] = { true };
    for (size_t i = 0; i < doc.n; i++)
        for (size_t k = 0; k < doc.blocks[i].nspans; k++)
            used[slot_for(&doc.blocks[i], doc.blocks[i].spans[k].style)] = true;
    for (int s = 0; s < FONT_SLOTS; s++)
        if (used[s] && !load_slot(r, e, s, &m))
            ok = false;
    span_list spans = { 0 };
    text_block *blocks = calloc(doc.n + 1, sizeof *blocks);
    size_t *first = calloc(doc.n + 1, sizeof *first);
    if (!blocks || !first)
        ok = false;
    for (size_t i = 0; ok && i < doc.n; i++) {
        const md_block *mb = &doc.blocks[i];
        text_block *b = &blocks[i];
        diag_loc loc = diag_at(path, mb->line);
        first[i] = spans.n;
        for (size_t k = 0; ok && k < mb->nspans; k++)
            ok = add_text_spans(r, e, "file", slot_for(mb, mb->spans[k].style), &m, mb->spans[k].s,
                                mb->spans[k].len, mb->spans[k].hard_break, loc, &spans);
        b->nspans = spans.n - first[i];
        b->size = e->size;
        b->space_after = e->paragraph_spacing * e->size;
        if (mb->kind == MD_HEADING) {
            int lv = mb->level > 3 ? 3 : mb->level;
            b->size = e->size * e->heading_scale[lv - 1];
            b->space_before = e->paragraph_spacing * e->size * 0.6;
            b->space_after = e->paragraph_spacing * e->size * 0.5;
            b->colour = 1;
            b->heading = true;
        }
        if (ok && mb->level > 0 && mb->kind != MD_HEADING) {
            b->indent = e->list_indent * e->size * mb->level;
            if (mb->marker[0]) {
                /* the marker takes the first regular font that has it */
                span_list ml = { 0 };
                ok = add_text_spans(r, e, "file", FONT_REGULAR, &m, mb->marker, strlen(mb->marker),
                                    false, loc, &ml);
                b->marker = mb->marker;
                b->marker_font = ok && ml.n ? ml.v[0].font : FONT_REGULAR * FONT_FALLBACKS;
                free(ml.v);
            }
            /* items of one list sit closer together than paragraphs */
            if (i + 1 < doc.n && doc.blocks[i + 1].level > 0 && doc.blocks[i + 1].kind == MD_ITEM)
                b->space_after = e->paragraph_spacing * e->size * 0.4;
        }
    }
    for (size_t i = 0; ok && i < doc.n; i++)
        blocks[i].spans = spans.v + first[i];
    bool prints = false;
    for (size_t i = 0; ok && !prints && i < spans.n; i++)
        prints = text_prints(spans.v[i].s, spans.v[i].len);
    if (ok && !prints && !r->measuring)
        diag_warn(r->d, "text-empty", floc,
                  "expected text to print, found none in %s once placeholders are filled: the "
                  "element prints nothing",
                  path);
    if (ok && prints)
        draw_blocks(r, e, blocks, doc.n, &m, "file");
    free(blocks);
    free(first);
    free(spans.v);
    markdown_free(&doc);
    free(text);
    free(path);
}

/* ---- QR, images, rules, boxes ---- */

/* ---- QR payloads ---- */

static const char *const QR_KEY_NAMES[] = { "payload", "url", "tel", "sms", "link_file" };

/* The payload of a QR element for the current item; NULL after reporting. */
static char *qr_payload(render *r, const element *e)
{
    const char *key = QR_KEY_NAMES[e->payload_kind];
    diag_loc loc = layout_loc(r->l, e, key);
    char *v = content_expand(r->c, e->payload, r->d, loc);
    if (!v)
        return NULL;
    char *out = v;
    char why[1024];
    if (e->payload_kind == QR_PAYLOAD_TEL) {
        errno = 0;
        out = payload_tel(v, why, sizeof why);
        if (!out) /* the number refused, or no memory for the payload */
            diag_error(r->d, errno == ENOMEM ? "internal-out-of-memory" : "payload-bad-tel", layout_loc(r->l, e, "tel"),
                       "%s", why);
        free(v);
    } else if (e->payload_kind == QR_PAYLOAD_SMS) {
        char *body = e->sms_body ? content_expand(r->c, e->sms_body, r->d, layout_loc(r->l, e, "sms_body")) : NULL;
        const char *bad_key = "sms";
        errno = 0;
        out = e->sms_body && !body ? NULL : payload_sms(v, body, &bad_key, why, sizeof why);
        if (!out && (!e->sms_body || body))
            diag_error(r->d,
                       errno == ENOMEM                    ? "internal-out-of-memory"
                       : strcmp(bad_key, "sms_body") == 0 ? "payload-bad-sms-body"
                                                          : "payload-bad-sms",
                       layout_loc(r->l, e, bad_key), "%s", why);
        free(body);
        free(v);
    } else if (e->payload_kind == QR_PAYLOAD_LINK) {
        /* a link of a Markdown file of the content set: the code carries its destination */
        char *path = NULL;
        char *raw = content_read_file(r->c, v, &path, r->d, loc);
        char *text = raw ? content_expand(r->c, raw, r->d, diag_at(path, 1)) : NULL;
        md_doc doc = { 0 };
        out = NULL;
        if (text && markdown_parse(text, strlen(text), path, &doc, r->d)) {
            if ((size_t)e->link > doc.nlinks)
                diag_error(r->d, "payload-link-missing", layout_loc(r->l, e, "link"),
                           "expected link %d of %s, found %zu link%s there", e->link, path, doc.nlinks,
                           doc.nlinks == 1 ? "" : "s");
            else
                out = strdup(doc.links[e->link - 1]);
            markdown_free(&doc);
        }
        free(text);
        free(raw);
        free(path);
        free(v);
        if (out && strncmp(out, "https://", 8) != 0 && strncmp(out, "http://", 7) != 0 &&
            strncmp(out, "tel:", 4) != 0) {
            diag_error(r->d, "payload-link-not-http", layout_loc(r->l, e, "link"),
                       "expected a link to an http(s) address or a tel: number, found \"%s\"", out);
            free(out);
            out = NULL;
        }
    } else if (e->payload_kind == QR_PAYLOAD_URL) {
        const char *problem = payload_url_problem(v);
        if (problem) {
            diag_error(r->d, "payload-bad-url", loc, "%s, found \"%s\"", problem, v);
            free(v);
            return NULL;
        }
    }
    if (out && !payload_text_ok(out, why, sizeof why)) {
        diag_error(r->d, "qr-payload-not-utf8", loc, "%s", why);
        free(out);
        return NULL;
    }
    if (out && !check_numbers(r, out, loc)) {
        free(out);
        return NULL;
    }
    if (out && r->l->audience == AUDIENCE_VICTIM) {
        char found[64];
        const char *t = payload_tracking_parameter(out, found, sizeof found);
        if (t) {
            diag_error(r->d, "payload-tracking-parameter", loc,
                       "expected no tracking parameters in a code for audience = victim (a person in "
                       "danger may carry this), found \"%s\" in \"%s\"",
                       t, out);
            free(out);
            return NULL;
        }
    }
    return out;
}

static void draw_qr(render *r, const element *e)
{
    qr_code q = { 0 };
    char *payload = qr_payload(r, e);
    if (!payload)
        return;
    preflight_qr_colours(r->l, e, r->d);
    if (e->payload_kind == QR_PAYLOAD_RAW && strncmp(payload, "https://", 8) != 0 &&
        strncmp(payload, "http://", 7) != 0 && strncmp(payload, "tel:+", 5) != 0 &&
        strncmp(payload, "SMSTO:", 6) != 0 && strncmp(payload, "mailto:", 7) != 0)
        diag_warn(r->d, "payload-not-actionable", layout_loc(r->l, e, "payload"),
                  "expected a link a phone can act on (https://, tel:+, SMSTO:), found \"%.60s\"; use "
                  "url, tel or sms to have it checked",
                  payload);
    diag_loc loc = layout_loc(r->l, e, QR_KEY_NAMES[e->payload_kind]);
    qr_status st = qr_encode(payload, e->ecc, &q);
    if (st == QR_TOO_LONG) {
        diag_error(r->d, "qr-payload-too-long", loc,
                   "expected a payload that fits a QR code (at most about 2,300 bytes at ecc M, "
                   "2,950 at L), found %zu bytes",
                   strlen(payload));
        free(payload);
        return;
    }
    if (st != QR_OK) {
        diag_error(r->d, "qr-empty-payload", loc, "expected a non-empty payload, found \"%s\"", payload);
        free(payload);
        return;
    }
    int side = q.width + 2 * e->quiet_zone;
    double module = e->w / side;
    if (!preflight_qr_size(r->l, e, q.version, q.width, r->d)) {
        qr_code_free(&q);
        free(payload);
        return;
    }
    qr_run *runs = NULL;
    size_t nruns = qr_runs(&q, &runs);
    pdf_fill_rect(r->pdf, e->x, e->y, e->w, e->h, &e->background);
    pdf_qr(r->pdf, e->x + e->quiet_zone * module, e->y + e->quiet_zone * module, module, runs,
           nruns, &e->color);
    if (r->dump) {
        fprintf(r->dump, "qr %s x %.2f y %.2f size %.2f version %d modules %d quiet %d module %.3f runs %zu %spayload ",
                e->name, r->ox + e->x, r->oy + e->y, e->w, q.version, q.width, e->quiet_zone,
                module, nruns, q.eci == QR_ECI_UTF8 ? "eci 26 " : "");
        escape_fputs(payload, r->dump); /* a payload may hold a newline (a CSV value) */
        fputc('\n', r->dump);
    }
    free(runs);
    qr_code_free(&q);
    free(payload);
}

static void draw_image(render *r, const element *e)
{
    diag_loc loc = layout_loc(r->l, e, "file");
    char *file = content_expand(r->c, e->file, r->d, loc);
    if (!file)
        return;
    if (file[0] == '\0' && e->optional) {
        free(file);
        return;
    }
    const char *dir = content_dir(r->c);
    size_t n = strlen(dir) + strlen(file) + 2;
    char *path = malloc(n);
    if (!path) {
        free(file);
        return;
    }
    if (file[0] == '/')
        snprintf(path, n, "%s", file);
    else
        snprintf(path, n, "%s/%s", dir, file);
    free(file);
    /* checked once per file: a data merge may place the same logo thousands of times */
    md_cache *mc = &r->md[e - r->l->elements];
    image_info info;
    if (mc->path && strcmp(mc->path, path) == 0) {
        memcpy(&info, mc->raw, sizeof info);
    } else {
        char why[512];
        if (!image_check(path, &info, why, sizeof why)) {
            diag_error(r->d, "image-unreadable", loc, "expected a PNG or JPEG image, found %s: %s", path, why);
            free(path);
            return;
        }
        free(mc->path);
        free(mc->raw);
        mc->path = strdup(path);
        mc->raw = malloc(sizeof info);
        if (mc->raw)
            memcpy(mc->raw, &info, sizeof info);
    }
    double sx = e->w / info.width, sy = e->h / info.height;
    double sc = sx < sy ? sx : sy;
    if (72.0 / sc < 300 - 0.5)
        diag_warn(r->d, "image-low-resolution", loc,
                  "expected an image of at least 300 dpi at its placed size, found %.0f dpi "
                  "(%d x %d pixels in %.4g x %.4g pt); use a larger image or a smaller box",
                  72.0 / sc, info.width, info.height, info.width * sc, info.height * sc);
    double w = info.width * sc, h = info.height * sc;
    double x = e->x + (e->w - w) / 2, y = e->y + (e->h - h) / 2;
    if (!pdf_image(r->pdf, path, info.kind == IMAGE_PNG, info.depth == 16, x, y, w, h))
        diag_error(r->d, "image-place-failed", loc, "cannot place image %s: %s", path, pdf_error(r->pdf));
    else if (r->dump)
        fprintf(r->dump, "image %s x %.2f y %.2f width %.2f height %.2f pixels %dx%d dpi %.0f\n",
                e->name, r->ox + x, r->oy + y, w, h, info.width, info.height, 72.0 / sc);
    free(path);
}

static void draw_box(render *r, const element *e, double allowance)
{
    double x0 = e->x, y0 = e->y, x1 = e->x + e->w, y1 = e->y + e->h;
    if (e->bleed) {
        /* sides that lie on the trim reach out into the bleed */
        if (x0 <= EPS)
            x0 -= allowance;
        if (y0 <= EPS)
            y0 -= allowance;
        if (x1 >= r->l->page_w - EPS)
            x1 += allowance;
        if (y1 >= r->l->page_h - EPS)
            y1 += allowance;
    }
    if (e->fill.space != COLOUR_NONE)
        pdf_fill_rect(r->pdf, x0, y0, x1 - x0, y1 - y0, &e->fill);
    if (e->stroke.space != COLOUR_NONE)
        pdf_stroke_rect(r->pdf, e->x + e->thickness / 2, e->y + e->thickness / 2,
                        e->w - e->thickness, e->h - e->thickness, e->thickness, &e->stroke);
}

static void draw_element(render *r, const element *e, double allowance)
{
    if (r->dump)
        fprintf(r->dump, "element %s %s x %.2f y %.2f width %.2f height %.2f\n", e->name,
                layout_type_name(e->type), r->ox + e->x, r->oy + e->y, e->w, e->h);
    switch (e->type) {
    case EL_TEXT:
        draw_text(r, e);
        break;
    case EL_MARKDOWN:
        draw_markdown(r, e);
        break;
    case EL_QR:
        draw_qr(r, e);
        break;
    case EL_IMAGE:
        draw_image(r, e);
        break;
    case EL_RULE: {
        double x2 = e->w > 0 ? e->x + e->w : e->x, y2 = e->w > 0 ? e->y : e->y + e->h;
        if (e->dash[0] > 0)
            pdf_line_dashed(r->pdf, e->x, e->y, x2, y2, e->thickness, e->dash, &e->color);
        else
            pdf_line(r->pdf, e->x, e->y, x2, y2, e->thickness, &e->color);
        break;
    }
    case EL_BOX:
        draw_box(r, e, allowance);
        break;
    }
}

/* Fit groups: every member is laid out alone first; then all take the smallest of their sizes. */
static void fit_groups(render *r, item_side side)
{
    const layout *l = r->l;
    bool any = false;
    for (int i = 0; i < l->nelements; i++)
        any = any || (l->elements[i].fit_group && l->elements[i].side == side);
    if (!any)
        return;
    FILE *dump = r->dump;
    render_stats *stats = r->stats;
    r->dump = NULL;
    r->stats = NULL;
    r->measuring = true;
    for (int i = 0; i < l->nelements; i++) {
        const element *e = &l->elements[i];
        r->scale[i] = 0;
        if (e->fit_group && e->side == side && (e->type == EL_TEXT || e->type == EL_MARKDOWN))
            draw_element(r, e, 0);
    }
    r->measuring = false;
    r->dump = dump;
    r->stats = stats;
    for (int i = 0; i < l->nelements; i++) {
        const element *e = &l->elements[i];
        if (!e->fit_group || e->side != side || r->scale[i] <= 0)
            continue;
        /* the group's size as a scale of this element's own size */
        double pt = e->size * r->scale[i];
        for (int j = 0; j < l->nelements; j++) {
            const element *o = &l->elements[j];
            if (o->fit_group && o->side == side && strcmp(o->fit_group, e->fit_group) == 0 && r->scale[j] > 0 &&
                o->size * r->scale[j] < pt)
                pt = o->size * r->scale[j];
        }
        r->scale[i] = -pt; /* negative: a size in points, resolved below */
    }
    for (int i = 0; i < l->nelements; i++) {
        if (r->scale[i] >= 0)
            continue;
        const element *e = &l->elements[i];
        double pt = -r->scale[i];
        if (pt < e->min_size - 0.005)
            diag_error(r->d, "text-fit-group-too-small", layout_loc(l, e, "min_size"),
                       "expected the fit group \"%s\" to share a size of at least %.4g pt (this element's "
                       "min_size), found %.4g pt; lower min_size, or give the group's elements room",
                       e->fit_group, e->min_size, pt);
        r->scale[i] = pt / e->size;
    }
}

/* Draws one side of the current item with its trim's top-left corner at (x, y) of the page,
 * clipped to the trim plus `allowance` of bleed, or to `window` (page coordinates) when given. */
static void draw_item_in(render *r, item_side side, double x, double y, double allowance,
                         const double *window)
{
    const layout *l = r->l;
    r->ox = x;
    r->oy = y;
    if (r->dump)
        fprintf(r->dump, "item %ld %s x %.2f y %.2f width %.2f height %.2f\n", r->item + 1,
                side == SIDE_BACK ? "back" : "front", x, y, l->page_w, l->page_h);
    pdf_push(r->pdf, 0, 0, 1, 1);
    if (window)
        pdf_clip(r->pdf, window[0], window[1], window[2], window[3]);
    else
        pdf_clip(r->pdf, x - allowance, y - allowance, l->page_w + 2 * allowance, l->page_h + 2 * allowance);
    if (l->mirror) /* for reading through glass: u -> x + width - u */
        pdf_push(r->pdf, x + l->page_w, y, -1, 1);
    else
        pdf_push(r->pdf, x, y, 1, 1);
    if (l->background.space != COLOUR_NONE)
        pdf_fill_rect(r->pdf, -allowance, -allowance, l->page_w + 2 * allowance,
                      l->page_h + 2 * allowance, &l->background);
    fit_groups(r, side);
    for (int i = 0; i < l->nelements; i++)
        if (l->elements[i].side == side)
            draw_element(r, &l->elements[i], allowance);
    pdf_pop(r->pdf);
    pdf_pop(r->pdf);
}

static void draw_item(render *r, item_side side, double x, double y, double allowance)
{
    int before = diag_errors(r->d);
    draw_item_in(r, side, x, y, allowance, NULL);
    if (diag_errors(r->d) > before && r->failed_item < 0)
        r->failed_item = r->item;
}

/* Sets the current item: its record (when merging data) and serial number. */
static void use_item(render *r, const render_opts *o, long i)
{
    r->item = i;
    long rec = i;
    if (o->nlanguages > 0) {
        /* one item per language in turn: items i*n .. i*n+n-1 are record i in each language */
        content_use_record(r->c, NULL, 0, 0);
        r->c = o->languages[i % o->nlanguages];
        rec = i / o->nlanguages;
    }
    content_use_record(r->c, o->data, (size_t)rec, rec + 1);
}

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
    return pdf_page_add(r->pdf, w, h);
}

/* Print-shop output: a page per item side, trim plus bleed, with TrimBox and BleedBox. */
static void build_print_shop(render *r, const render_opts *o, long first, long last, int *pages)
{
    const layout *l = r->l;
    double b = l->bleed, W = l->page_w + 2 * b, H = l->page_h + 2 * b;
    int before = diag_errors(r->d);
    for (long i = first; i < last && diag_errors(r->d) == before; i++) {
        use_item(r, o, i);
        for (int side = 0; side < (l->two_sided ? 2 : 1); side++) {
            new_page(r, W, H, pages);
            draw_item(r, (item_side)side, b, b, b);
            if (!pdf_set_boxes(r->pdf, b, b, l->page_w, l->page_h, 0, 0, W, H))
                diag_error(r->d, "internal-pdf-error", diag_at(o->output, 0), "cannot set the page boxes: %s",
                           pdf_error(r->pdf));
        }
    }
}

/* Plain pages: each item side on a page of the trim size. */
static void build_pages(render *r, const render_opts *o, long first, long last, int *pages)
{
    const layout *l = r->l;
    int before = diag_errors(r->d);
    for (long i = first; i < last && diag_errors(r->d) == before; i++) {
        use_item(r, o, i);
        for (int side = 0; side < (l->two_sided ? 2 : 1); side++) {
            new_page(r, l->page_w, l->page_h, pages);
            draw_item(r, (item_side)side, 0, 0, 0);
        }
    }
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
                printer_apply(r->printer, &x1, &y1);
                printer_apply(r->printer, &x2, &y2);
            }
            fprintf(r->dump, "mark %.3f %.3f %.3f %.3f\n", x1, y1, x2, y2);
        }
    }
}

/* Sheets: items in the sheet's grid; with a back side, each front page is followed by its back,
 * mirrored for the duplex flip. */
static void build_sheets(render *r, const render_opts *o, long first, long last, int *pages)
{
    const layout *l = r->l;
    const sheet *sh = o->sheet;
    int per = sheet_per_page(sh);
    double allow = impose_bleed_allowance(sh, l->bleed);
    int before = diag_errors(r->d);
    for (long k = first / per; k * per < last && diag_errors(r->d) == before; k++) {
        for (int side = 0; side < (l->two_sided ? 2 : 1); side++) {
            new_page(r, sh->page_w, sh->page_h, pages);
            if (r->printer)
                pdf_push(r->pdf, r->printer->offset_x, r->printer->offset_y, r->printer->scale_x,
                         r->printer->scale_y);
            for (int slot = 0; slot < per; slot++) {
                long i = k * per + slot;
                if (i >= last)
                    break;
                double x, y;
                use_item(r, o, i);
                impose_cell(sh, l->page_w, l->page_h, slot, side == SIDE_BACK, &x, &y);
                if (r->printer && r->dump) {
                    double px = x, py = y;
                    printer_apply(r->printer, &px, &py);
                    fprintf(r->dump, "placed %ld %s x %.3f y %.3f\n", i + 1, side ? "back" : "front", px, py);
                }
                draw_item(r, (item_side)side, x, y, allow);
            }
            if (side == SIDE_FRONT && sh->crop_marks && !o->no_marks)
                draw_marks(r, sh);
            if (r->printer)
                pdf_pop(r->pdf);
        }
    }
}

/* Tiles: an item larger than the printer's paper, split over sheets of paper that overlap by
 * o->overlap, each with registration marks on the overlap's centre lines (at the same place of
 * the poster on both neighbours, so they line up when taped) and a label. */
static void build_tiles(render *r, const render_opts *o, long first, long last, int *pages)
{
    const layout *l = r->l;
    double margin = o->tile_margin, ov = o->overlap;
    double ww = o->tile_w - 2 * margin, wh = o->tile_h - 2 * margin; /* the window of poster per tile */
    int cols = l->page_w <= ww + EPS ? 1 : (int)ceil((l->page_w - ov) / (ww - ov) - EPS);
    int rows = l->page_h <= wh + EPS ? 1 : (int)ceil((l->page_h - ov) / (wh - ov) - EPS);
    static const colour BLACK = { COLOUR_RGB, { 0, 0, 0, 0 } };
    static const colour REG = { COLOUR_CMYK, { 1, 1, 1, 1 } };
    int before = diag_errors(r->d);
    measure_ctx m;
    memset(&m, 0, sizeof m);
    for (long i = first; i < last && diag_errors(r->d) == before; i++) {
        use_item(r, o, i);
        for (int row = 0; row < rows; row++)
            for (int col = 0; col < cols; col++) {
                new_page(r, o->tile_w, o->tile_h, pages);
                double px = col * (ww - ov), py = row * (wh - ov); /* poster point at the window's corner */
                double win[4] = { margin, margin, ww, wh };
                if (r->dump)
                    fprintf(r->dump, "tile %d %d of %d %d window %.3f %.3f %.3f %.3f\n", row + 1, col + 1,
                            rows, cols, px, py, ww, wh);
                draw_item_in(r, SIDE_FRONT, margin - px, margin - py, 0, win);
                /* registration marks: the centre lines of the overlaps with each neighbour */
                for (int k = 0; k < 2; k++) {
                    for (int side = -1; side <= 1; side += 2) {
                        int ncol = col + (k == 0 ? side : 0), nrow = row + (k == 1 ? side : 0);
                        if (ncol < 0 || ncol >= cols || nrow < 0 || nrow >= rows)
                            continue;
                        double cx, cy;
                        /* along the strip, within the part of the window the poster fills */
                        double vw = l->page_w - px < ww ? l->page_w - px : ww;
                        double vh = l->page_h - py < wh ? l->page_h - py : wh;
                        for (int t = 0; t < 2; t++) {
                            if (k == 0) { /* a vertical overlap strip */
                                cx = side > 0 ? margin + ww - ov / 2 : margin + ov / 2;
                                cy = margin + (t == 0 ? 0.25 : 0.75) * vh;
                            } else {
                                cy = side > 0 ? margin + wh - ov / 2 : margin + ov / 2;
                                cx = margin + (t == 0 ? 0.25 : 0.75) * vw;
                            }
                            double a = ov / 2 * 0.8;
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
                    if (!load_slot(r, &le, FONT_REGULAR, &m))
                        return;
                }
                char label[160];
                snprintf(label, sizeof label, "row %d, column %d of %d x %d (rows x columns); overlap %.2f in; tape the next tile's edge over this one's",
                         row + 1, col + 1, rows, cols, ov / 72);
                pdf_text(r->pdf, m.font[FONT_REGULAR * FONT_FALLBACKS], 7, margin,
                         o->tile_h - margin / 2 + 2, 0, label, strlen(label), &BLACK);
                pdf_stroke_rect(r->pdf, margin, margin, ww, wh, 0.25, &BLACK);
            }
    }
}

/* ---- one part: a run of items drawn into one document ---- */

static int compare_paths(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The files this process has read for the build, each with its SHA-256 as it is now: one line
 * "input SHA PATH" each (PATH escaped), the last lines of a part's dump. The batch keeps them in
 * an item's stamp and rebuilds the item when one of them changes. */
static void dump_inputs(FILE *dump)
{
    char sha[SHA256_HEX], why[256];
    size_t n = inputs_count();
    const char **paths = malloc((n ? n : 1) * sizeof *paths);
    if (!paths)
        return;
    for (size_t i = 0; i < n; i++)
        paths[i] = inputs_path(i);
    qsort(paths, n, sizeof *paths, compare_paths); /* in the order of their paths, as parts are joined */
    for (size_t i = 0; i < n; i++) {
        const char *path = paths[i];
        if (!sha256_file(path, sha, why, sizeof why))
            snprintf(sha, sizeof sha, "%s", "unreadable");
        fprintf(dump, "input %s ", sha);
        escape_fputs(path, dump);
        fputc('\n', dump);
    }
    free(paths);
}

/* A part's dump: kept in memory while the part is drawn, then written to its temporary file. */
typedef struct part_dump {
    char *buf;
    size_t len;
    const char *tmp; /* the temporary file, or NULL (no dump, or the dump goes to stdout) */
} part_dump;

/* Starts a part's document, its per-element caches and its dump; false after reporting. */
static bool part_start(render *r, long first, long last, part_dump *pd)
{
    const render_opts *o = r->o;
    r->pdf = pdf_new();
    r->md = calloc((size_t)r->l->nelements + 1, sizeof *r->md);
    r->scale = calloc((size_t)r->l->nelements + 1, sizeof *r->scale);
    r->dump = NULL;
    if (r->pdf && r->md && r->scale && pd->tmp)
        r->dump = open_memstream(&pd->buf, &pd->len);
    else if (o->dump && strcmp(o->dump, "-") == 0)
        r->dump = stdout;
    if (!r->pdf || !r->md || !r->scale || (pd->tmp && !r->dump)) {
        diag_error(r->d, "internal-out-of-memory", diag_at(o->output, 0), "cannot start a PDF document: out of memory");
        return false;
    }
    /* the pages this part will hold, for a page tree that has room for them */
    long per_unit;
    int pages_per_unit;
    render_unit(r, &per_unit, &pages_per_unit);
    pdf_expect_pages(r->pdf, (last - first + per_unit - 1) / per_unit * pages_per_unit);
    const layout *l = r->l;
    if (r->dump && first == 0)
        fprintf(r->dump, "layout %s trim %.3f %.3f bleed %.3f margins %.2f %.2f %.2f %.2f\n", l->path,
                l->page_w, l->page_h, l->bleed, l->margin[0], l->margin[1], l->margin[2], l->margin[3]);
    return true;
}

/* Draws items first..last-1 onto the part's pages and runs the options' check; a status. */
static int part_draw(render *r, long first, long last, long pages_before)
{
    const render_opts *o = r->o;
    int before = diag_errors(r->d);
    int pages = (int)pages_before;
    render_stats stats;
    memset(&stats, 0, sizeof stats);
    r->stats = o->check ? &stats : NULL;
    r->page = 0;
    if (o->mode == OUTPUT_SHEET)
        build_sheets(r, o, first, last, &pages);
    else if (o->mode == OUTPUT_TILES)
        build_tiles(r, o, first, last, &pages);
    else if (o->mode == OUTPUT_PRINT_SHOP)
        build_print_shop(r, o, first, last, &pages);
    else
        build_pages(r, o, first, last, &pages);
    content_use_record(r->c, NULL, 0, 0);
    if (o->check && diag_errors(r->d) == before)
        o->check(o->check_ctx, &stats, r->d);
    render_stats_free(&stats);
    r->stats = NULL;
    if (diag_errors(r->d) > before) {
        if (o->count > 1)
            fprintf(stderr, "handout: stopped at item %ld of %ld\n",
                    (r->failed_item >= 0 ? r->failed_item : r->item) + 1, o->count);
        return EXIT_INPUT;
    }
    if (pdf_failed(r->pdf)) {
        diag_error(r->d, "internal-pdf-error", diag_at(r->l->path, 0), "drawing failed: %s", pdf_error(r->pdf));
        return EXIT_INTERNAL;
    }
    return EXIT_OK;
}

/* Ends the part's dump: its inputs (when the part succeeded), then its temporary file (written
 * even after an input error, to show how far the build got). The status, made worse on failure. */
static int part_end_dump(render *r, long last, part_dump *pd, int status)
{
    if (r->dump && status == EXIT_OK && (pd->tmp || last == r->o->count))
        dump_inputs(r->dump);
    if (r->dump == stdout || !r->dump) {
        r->dump = NULL;
        return status;
    }
    char why[1024] = "out of memory";
    bool ok = fclose(r->dump) == 0;
    r->dump = NULL;
    atomic_file a;
    if (ok && (ok = atomic_open_at(&a, pd->tmp, pd->tmp, why, sizeof why))) {
        atomic_write(&a, pd->buf, pd->len);
        ok = atomic_finish(&a, why, sizeof why);
    }
    if (!ok) {
        diag_error(r->d, "output-dump-failed", diag_at(r->o->dump, 0), "expected to write the dump, found an error: %s", why);
        if (status == EXIT_OK)
            status = EXIT_OUTPUT;
    }
    return status;
}

/* Gives the document its title (from the part's first item) and saves it to pdf_tmp. */
static int part_save(render *r, long first, const char *pdf_tmp)
{
    const render_opts *o = r->o;
    char *title = NULL;
    if (r->l->title) {
        use_item(r, o, first);
        title = content_expand(r->c, r->l->title, r->d, diag_at(r->l->path, 0));
        content_use_record(r->c, NULL, 0, 0);
        if (!title)
            return EXIT_INPUT;
    }
    int status = EXIT_OK;
    char why[1024];
    if (!o->dry_run) {
        pdf_set_info(r->pdf, title ? title : "", o->creator, o->epoch);
        if (!pdf_save(r->pdf, pdf_tmp, why, sizeof why)) {
            diag_error(r->d, "output-write-failed", diag_at(o->output, 0), "expected to write the PDF, found an error: %s", why);
            status = EXIT_OUTPUT;
        }
    }
    free(title);
    return status;
}

/* Releases what part_start made (what it could make). */
static void part_release(render *r, part_dump *pd)
{
    if (r->dump && r->dump != stdout)
        fclose(r->dump);
    r->dump = NULL;
    free(pd->buf);
    for (int i = 0; r->md && i < r->l->nelements; i++) {
        free(r->md[i].name);
        free(r->md[i].path);
        free(r->md[i].raw);
    }
    free(r->md);
    r->md = NULL;
    free(r->scale);
    r->scale = NULL;
    pdf_free(r->pdf);
    r->pdf = NULL;
}

int render_part(render *r, long first, long last, long pages_before, const char *pdf_tmp,
                const char *dump_tmp)
{
    part_dump pd = { NULL, 0, dump_tmp };
    int status = EXIT_INTERNAL;
    if (part_start(r, first, last, &pd)) {
        status = part_draw(r, first, last, pages_before);
        status = part_end_dump(r, last, &pd, status);
        if (status == EXIT_OK)
            status = part_save(r, first, pdf_tmp);
    }
    part_release(r, &pd);
    return status;
}

/* Tiles: how many pages (rows x columns of tiles) one item takes; 0 after reporting when the tile
 * paper cannot hold it or the tiles pass the pages one file may hold. */
static int tiles_per_item(const layout *l, const render_opts *o, diag *d)
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
    int cols = l->page_w <= ww + EPS ? 1 : (int)ceil((l->page_w - o->overlap) / (ww - o->overlap) - EPS);
    int rows = l->page_h <= wh + EPS ? 1 : (int)ceil((l->page_h - o->overlap) / (wh - o->overlap) - EPS);
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

render *render_new(const layout *l, content *c, fonts *f, const render_opts *o, diag *d, int *status)
{
    int before = diag_errors(d);
    *status = EXIT_INPUT;
    preflight_geometry(l, d);
    if (o->mode == OUTPUT_SHEET && !o->sheet) {
        diag_error(d, "output-no-sheet", diag_at(l->path, 0), "expected a sheet for sheet output, found none");
        return NULL;
    }
    if (diag_errors(d) > before)
        return NULL;
    int tiles = 0;
    if (o->mode == OUTPUT_TILES && (tiles = tiles_per_item(l, o, d)) == 0)
        return NULL;
    render *r = calloc(1, sizeof *r);
    if (r)
        r->hyph = hyphenator_new();
    if (!r || !r->hyph) {
        diag_error(d, "internal-out-of-memory", diag_at(o->output, 0), "cannot start a PDF document: out of memory");
        render_free(r);
        *status = EXIT_INTERNAL;
        return NULL;
    }
    r->l = l;
    r->c = c;
    r->fonts = f;
    r->o = o;
    r->d = d;
    r->printer = o->printer;
    r->numbers = o->numbers;
    r->failed_item = -1;
    r->tiles_per_item = tiles;
    *status = EXIT_OK;
    return r;
}

void render_free(render *r)
{
    if (!r)
        return;
    hyphenator_free(r->hyph);
    free(r);
}

void render_unit(const render *r, long *items, int *pages)
{
    const render_opts *o = r->o;
    *items = o->mode == OUTPUT_SHEET ? sheet_per_page(o->sheet) : 1;
    *pages = o->mode == OUTPUT_TILES ? r->tiles_per_item : r->l->two_sided ? 2 : 1;
}
