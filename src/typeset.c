/* typeset: the text of an element set on the page: its spans (one per font of its slots, the
 * first font of a slot's list that has a character's glyph), the characters checked (a glyph
 * that draws, a script the text layer sets), the lines fitted into the box (text.c), the numbers
 * on it checked against the known ones, fit groups, and Markdown blocks. See render_int.h. */

#include "render_int.h"
#include "markdown.h"
#include "sha256.h"
#include "text.h"
#include "unicode.h"
#include "utf8.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static double measure(void *ctx, int font, const char *s, size_t len, double size, bool rtl)
{
    measure_ctx *m = ctx;
    return pdf_text_run_width(m->font[font], s, len, size, rtl, m->lang);
}

static const char *const SLOT_KEYS[FONT_SLOTS] = { "font", "bold_font", "italic_font",
                                                   "bold_italic_font", "heading_font" };

/* Resolves and loads the fonts of one slot (a comma-separated list); false after reporting. */
bool typeset_load_slot(render *r, const element *e, int slot, measure_ctx *m)
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

/* Scripts the text layer has not been tried with (unicode_refused_script: Syriac, Thaana, N'Ko,
 * Tibetan, Mongolian, the rarer Indic and South-East Asian scripts): they may print wrong, so
 * they are refused. The script is the character's own (its Unicode Script and Bidi_Class, from
 * ICU), not the block it sits in: U+FEFF lies in the block of Arabic presentation forms but
 * belongs to no script. */
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

/* The face fontconfig chooses for cp (bytes c, n), which no font of the slot's list has, as the
 * slot's index k (FONT_FALLBACKS and up: font_id), loaded; -1 with the reason in *why when no
 * installed font has it, or after reporting when it cannot be loaded. */
static int fallback_font(render *r, const element *e, int slot, measure_ctx *m, uint32_t cp, const char *c,
                         size_t n, const char **why)
{
    char tag[5];
    bool has_script = unicode_script_tag(c, n, tag);
    const char *lang = e->lang ? e->lang : content_get(r->c, "language");
    const font_face *face = fonts_fallback(r->fonts, m->face[slot * FONT_FALLBACKS], cp, has_script ? tag : NULL,
                                           lang, why);
    if (!face)
        return -1;
    for (int j = 0; j < m->extra[slot]; j++)
        if (m->face[font_id(slot, FONT_FALLBACKS + j)] == face)
            return FONT_FALLBACKS + j;
    if (m->extra[slot] == FONT_EXTRA) {
        *why = "the element's text needs more fallback fonts than handout keeps for one element";
        return -1;
    }
    int k = FONT_FALLBACKS + m->extra[slot], id = font_id(slot, k);
    m->face[id] = face;
    m->font[id] = pdf_font_load(r->pdf, font_face_file(face), font_face_index(face));
    if (!m->font[id]) {
        *why = pdf_error(r->pdf);
        return -1;
    }
    m->extra[slot]++;
    return k;
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
        char script_buf[96], script_tag[5];
        const char *script = unsupported_script(cp, script_buf, sizeof script_buf);
        bool mark = !script && unicode_is_mark(cp);
        bool shy = cp == TEXT_SOFT_HYPHEN;
        bool control = unicode_bidi_control(cp); /* orders the text, prints nothing */
        bool joins = mark && after_shaped; /* shaped onto the letter before it */
        if (joins)
            mark = false;
        else if (!mark)
            after_shaped = unicode_shaped_script(cp);
        if ((cp == ' ' || shy) && cur >= 0)
            k = cur; /* a space stays with the text around it, and so does a soft hyphen */
        else if (shy || (control && cur < 0))
            k = 0;
        else if (control)
            k = cur;
        else if ((cp == 0x200C || cp == 0x200D) && cur >= 0)
            k = cur; /* the joiners shape the text around them: never a span of their own */
        else if (joins && cur >= 0 && font_face_has(m->face[font_id(slot, cur)], cp))
            k = cur;
        else if (cur >= FONT_FALLBACKS && i > 0 && s[i - 1] != ' ' && font_face_has(m->face[font_id(slot, cur)], cp) &&
                 !unicode_script_tag(s + i, n, script_tag))
            k = cur; /* punctuation and digits inside a word of a fallback face stay in it */
        for (int f = 0; k < 0 && !script && !mark && f < m->count[slot]; f++)
            if (font_face_has(m->face[slot * FONT_FALLBACKS + f], cp))
                k = f;
        const char *fb_why = NULL;
        if (k < 0 && !script && !mark && !e->no_fallback)
            k = fallback_font(r, e, slot, m, cp, s + i, n, &fb_why);
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
                           "expected text that handout can set, found %s, %s: a script handout "
                           "has not been tried with, which may print wrong (see docs/languages.md)",
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
                           "letter with the mark on it, and handout shapes marks onto letters only in the "
                           "scripts that need it, so the mark would print beside the letter, not on it "
                           "(see docs/languages.md)",
                           what, name[0] ? " (" : "", name, name[0] ? ")" : "",
                           i > 0 ? "after '" : "with no letter before it", (int)(i - q), s + q, i > 0 ? "'" : "");
            } else {
                char tried[1024], name[96], sname[64];
                size_t tn = 0;
                tried[0] = '\0';
                for (int f = 0; f < m->count[slot] && tn < sizeof tried; f++) {
                    const font_face *face = m->face[slot * FONT_FALLBACKS + f];
                    tn += (size_t)snprintf(tried + tn, sizeof tried - tn, "%s\"%s\" (%s)", f ? ", " : "",
                                           font_face_name(face), font_face_file(face));
                }
                unicode_name(cp, name, sizeof name);
                unicode_script_name(cp, sname, sizeof sname);
                diag_error(r->d, "font-missing-glyph", at,
                           "character %s (%s%sscript %s) has no glyph in font%s %s, used by element [%s] %s "
                           "of %s%s%s",
                           what, name, name[0] ? ", " : "", sname, m->count[slot] > 1 ? "s" : "", tried, e->name,
                           key, r->l->path,
                           e->no_fallback ? "; font_fallback = no: no other font was tried" : ", nor in any installed font: ",
                           e->no_fallback ? "" : fb_why ? fb_why : "no font fallback");
            }
            return false;
        }
        if (!shy && !control && !font_face_draws(m->face[font_id(slot, k)], cp)) {
            char what[32];
            utf8_describe(cp, what, sizeof what);
            const font_face *face = m->face[font_id(slot, k)];
            diag_error(r->d, "font-damaged-glyph", loc,
                       "expected the glyph of %s in font \"%s\" (%s) to have an outline, found none it "
                       "could read: the font file is damaged (it would print nothing); reinstall it "
                       "or choose another font",
                       what, font_face_name(face), font_face_file(face));
            return false;
        }
        if (k != cur && cur >= 0) {
            text_span sp = { font_id(slot, cur), s + start, i - start, hard_break && start == 0, NULL };
            if (!span_push(out, sp))
                return false;
            start = i;
        }
        cur = k;
        i += n;
    }
    text_span sp = { font_id(slot, cur < 0 ? 0 : cur), s + start, len - start,
                     hard_break && start == 0, NULL };
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

/* The dump: the element's line, a "fallback" line for each face fontconfig chose that is used
 * (its font id and name; the fonts of the layout's lists are named by the layout), then the
 * fragments. */
static void dump_frags(render *r, const element *e, const measure_ctx *m, const text_result *res, double top)
{
    if (!r->dump)
        return;
    fprintf(r->dump, "text %s size %.2f scale %.4f lines %zu height %.2f badness %.1f\n", e->name,
            e->size * res->scale, res->scale, res->lines, res->height, res->badness);
    for (int id = FONT_SLOTS * FONT_FALLBACKS; id < FONT_IDS; id++) {
        bool used = false;
        for (size_t i = 0; !used && m->face[id] && i < res->n; i++)
            used = res->frags[i].font == id;
        if (used)
            fprintf(r->dump, "fallback %s font %d \"%s\"\n", e->name, id, font_face_name(m->face[id]));
    }
    for (size_t i = 0; i < res->n; i++) {
        const text_frag *f = &res->frags[i];
        double x, y;
        frag_origin(r, e, top, f, &x, &y);
        fprintf(r->dump, "frag %s x %.2f baseline %.2f width %.2f size %.2f font %d \"%.*s\"\n",
                e->name, x, y, f->width, f->size, f->font, (int)f->len, f->s);
    }
}

/* Vertical metrics by the fonts used (issue 12, item 7): the ink of every glyph the lines set,
 * each in its own font (a Burmese stack, Thai marks above and below, a Vietnamese capital with
 * two accents, a Nastaliq word stepping down to its baseline), in ems above and below the
 * baseline. The glyphs are the ones drawn: each fragment's words shaped in its direction (after
 * bidi) and the element's language, the same words, from the same cache of its font (pdf.c), that
 * the layout measured and that pdf_text_run draws, so no word is shaped twice. */
static void frags_ink(const text_result *res, const measure_ctx *m, double *above, double *below)
{
    double a, b;
    for (size_t i = 0; i < res->n; i++) {
        const text_frag *f = &res->frags[i];
        if (m->font[f->font] && pdf_text_ink(m->font[f->font], f->s, f->len, f->level & 1, m->lang, &a, &b)) {
            *above = a > *above ? a : *above;
            *below = b > *below ? b : *below;
        }
    }
}

/* Where the element's line height, with the baseline ASCENT below a line's top (text.c centres
 * the size in the line's height), does not hold ink reaching `above` and `below` inside each line,
 * with INK_GAP between two lines' ink, the line height grows to hold it and the baseline moves as
 * little as it can: no ink of a line reaches into the line above or below, the first line's ink
 * stays below the box's top and the last line's above the bottom of the text's height, which the
 * fit and overflow checks compare with the box. Text whose ink fits keeps its geometry. st: the
 * element's style, changed. */
enum { INK_GAP_PERMILLE = 50 };
#define INK_GAP (INK_GAP_PERMILLE / 1000.0) /* ems of white at least between two lines' ink */

static void fit_ink(text_style *st, double above, double below)
{
    double lh = st->line_height, base = st->ascent + (lh - 1) / 2; /* the baseline below a line's top */
    double need = above + below + INK_GAP;
    if (base >= above - 1e-9 && base + below <= lh + 1e-9 && lh >= need - 1e-9)
        return;
    double nlh = lh < need ? need : lh;
    double nbase = base + (nlh - lh) / 2;
    if (nbase < above)
        nbase = above;
    if (nbase + below > nlh)
        nbase = nlh - below;
    st->line_height = nlh;
    st->ascent = nbase - (nlh - 1) / 2;
}

/* Lays the blocks out in a box bw x bh: at the fit group's scale when there is one (group_scale >
 * 0), else fitted (text_fit). The ink is known once the lines are: laid out first with the
 * element's line height, then, while the fragments' ink asks for taller lines, again with them
 * (at most a few times: the glyphs a relaid text sets differ at most by a hyphen or where a word
 * breaks). *st ends as the style the result was laid out with. */
static text_fit_status lay_out(const element *e, const text_block *blocks, size_t nb, measure_ctx *m,
                               text_style *st, double bw, double bh, double group_scale, text_result *res)
{
    const text_style base = *st;
    double above = 0, below = 0;
    for (int round = 0;; round++) {
        text_fit_status fs;
        if (group_scale > 0) {
            bool ok = text_layout(blocks, nb, bw, group_scale, st, measure, m, res);
            fs = !ok ? (res->too_wide > 0 ? TEXT_TOO_WIDE : TEXT_NO_MEMORY)
                     : res->height > bh + 1e-6 ? TEXT_TOO_TALL : TEXT_FITS;
        } else {
            fs = text_fit(blocks, nb, bw, bh, e->size, e->min_size, e->grow ? e->max_size : e->size, e->shrink, st,
                          measure, m, res);
        }
        if (fs == TEXT_TOO_WIDE || fs == TEXT_NO_MEMORY || round == 3)
            return fs;
        frags_ink(res, m, &above, &below);
        text_style next = base;
        fit_ink(&next, above, below);
        if (next.line_height == st->line_height && next.ascent == st->ascent)
            return fs;
        *st = next;
    }
}

/* Whether fragment f is (a part of) the list marker mk: text.c's fragments of a marker point
 * into it. */
static bool in_marker(const text_frag *f, const char *mk)
{
    for (size_t k = 0; mk[k]; k++)
        if (f->s == mk + k)
            return true;
    return false;
}

/* Fits blocks into e's box and draws them. */
/* ---- structure (tagged PDF) of an element's blocks ---- */

/* The room between two fragments of a line, whichever side of a the next one lies (a line set
 * right to left goes leftwards). */
static double frag_gap(const text_frag *a, const text_frag *b)
{
    return b->x >= a->x ? b->x - (a->x + a->width) : a->x - (b->x + b->width);
}

/* Where an element's blocks stand in the structure: the lists open (ldepth[d]: the tags depth
 * with list d open) and the depth the element started at. */
typedef struct block_tags {
    int base, lists;
    int ldepth[MARKDOWN_MAX_DEPTH + 1];
} block_tags;

static void close_to(render *r, int depth)
{
    while (tags_depth(r->tags) > depth)
        tags_close(r->tags);
}

/* Opens the structure of block b: a heading or paragraph at the top level (role: a text
 * element's), or its place in a list (L, then LI and LBody). With a marker, LI and Lbl are
 * opened: the caller draws the marker, closes Lbl and opens LBody. Returns whether a leaf was
 * opened that the caller closes after the block's content. */
static bool block_open(render *r, const md_doc *doc, size_t b, const char *role, const char *lang,
                       block_tags *bt, bool marker)
{
    int lv = 0;
    const md_block *mb = doc ? &doc->blocks[b] : NULL;
    if (mb && mb->kind != MD_HEADING && mb->level > 0)
        lv = mb->level > MARKDOWN_MAX_DEPTH ? MARKDOWN_MAX_DEPTH : mb->level;
    if (bt->lists > lv) {
        close_to(r, bt->ldepth[lv + 1] - 1);
        bt->lists = lv;
    }
    if (lv == 0) {
        char h[4] = "H1";
        if (mb && mb->kind == MD_HEADING)
            h[1] = (char)('0' + (mb->level < 1 ? 1 : mb->level > 6 ? 6 : mb->level));
        tags_open(r->tags, mb ? (mb->kind == MD_HEADING ? h : "P") : role, NULL, lang);
        return true;
    }
    while (bt->lists < lv) {
        tags_open(r->tags, "L", NULL, bt->lists == 0 ? lang : NULL);
        bt->ldepth[++bt->lists] = tags_depth(r->tags);
    }
    if (marker) {
        close_to(r, bt->ldepth[lv]);
        tags_open(r->tags, "LI", NULL, NULL);
        tags_open(r->tags, "Lbl", NULL, NULL);
        return false;
    }
    if (tags_depth(r->tags) == bt->ldepth[lv]) { /* a paragraph of a list without an item */
        tags_open(r->tags, "LI", NULL, NULL);
        tags_open(r->tags, "LBody", NULL, NULL);
    }
    return false;
}

/* A widow: a paragraph whose last line, not the first after a forced break (a line set apart on
 * purpose), holds one word narrower than TEXT_WIDOW_SHARE of the line's measure, where the line
 * breaking could not avoid one (text.c). A warning naming the first one of the element
 * (docs/errors.md, text-widow). */
static void warn_widow(render *r, const element *e, const text_result *res, diag_loc loc)
{
    for (size_t i = 0; i < res->nline; i++) {
        const text_line *ln = &res->line[i];
        if (!ln->last || ln->starts_run || ln->words != 1 || ln->count == 0 ||
            ln->natural >= TEXT_WIDOW_SHARE * ln->measure)
            continue;
        const text_frag *f = &res->frags[ln->first]; /* the word, or its first piece */
        diag_warn(r->d, "text-widow", loc,
                  "expected the last line of each paragraph of [%s] to hold more than one short word, found "
                  "\"%.*s\" alone on it (a widow, under %.0f%% of the line's width); reword the paragraph, "
                  "or change the box's width",
                  e->name, (int)f->len, f->s, TEXT_WIDOW_SHARE * 100);
        return;
    }
}

/* The text style an element's blocks are laid out in; hc, which st points to when the element is
 * hyphenated, holds the dictionary and language and must outlive the lay-out. */
static void block_style(render *r, const element *e, measure_ctx *m, text_style *st, hyph_ctx *hc)
{
    *st = (text_style){ e->align, e->line_height, ASCENT, e->columns, e->column_gap,
                        e->greedy ? BREAK_GREEDY : BREAK_TOTAL_FIT, NULL, NULL, NULL, NULL, e->direction,
                        e->justify_limit };
    *hc = (hyph_ctx){ r->hyph, e->lang ? e->lang : content_get(r->c, "language") };
    st->breaker = r->breaker;
    st->lang = hc->lang;
    m->lang = hc->lang;
    bool hyph = e->hyphenate == HYPHENATE_YES || (e->hyphenate == HYPHENATE_AUTO && e->align == ALIGN_JUSTIFY);
    if (hyph && r->hyph && hc->lang) {
        st->hyphenate = hyph_points;
        st->hyphenate_ctx = hc;
    }
}

/* Reports text that does not fit its box (bw x bh, the box as the text runs); returns whether
 * it reported, false when the text fits. */
static bool report_unfit(render *r, const element *e, text_fit_status fs, const text_result *res, double bw,
                         double bh, diag_loc loc)
{
    double at = e->size * res->scale;
    if (fs == TEXT_TOO_TALL) {
        diag_error(r->d, "text-too-tall", loc,
                   "expected the text to fit its box (%.4g x %.4g pt), found it %.1f pt too tall at "
                   "%.4g pt%s; shorten the text, enlarge the box%s",
                   bw, bh, res->height - bh, at, e->shrink ? " (min_size)" : "",
                   e->shrink ? " or lower min_size" : " or set fit = shrink with a min_size");
    } else if (fs == TEXT_TOO_WIDE) {
        diag_error(r->d, "text-word-too-wide", loc,
                   "expected every word to fit the box's width (%.4g pt), found \"%.*s\" %.1f pt "
                   "wider at %.4g pt",
                   bw, (int)(res->wide_len > 60 ? 60 : res->wide_len), res->wide_word, res->too_wide, at);
    } else if (fs == TEXT_NO_MEMORY) {
        diag_error(r->d, "internal-out-of-memory", loc, "out of memory while laying out text");
    } else {
        return false;
    }
    return true;
}

/* The smallest type: the layout's own floor is an error, under 6 pt a warning. */
static void check_type_size(render *r, const text_result *res, diag_loc loc)
{
    double smallest = 1e9;
    for (size_t i = 0; i < res->n; i++)
        if (res->frags[i].size < smallest)
            smallest = res->frags[i].size;
    if (res->n > 0 && r->l->min_type > 0 && smallest < r->l->min_type - 0.005)
        diag_error(r->d, "text-below-min-type", loc,
                   "expected type of at least %.4g pt (the layout's min_type), found %.4g pt; "
                   "raise size and min_size, or shorten the text",
                   r->l->min_type, smallest);
    else if (res->n > 0 && smallest < 6 - 0.005)
        diag_warn(r->d, "text-small-type", loc,
                  "type of %.4g pt is under 6 pt, hard to read on paper; raise size and "
                  "min_size, or shorten the text",
                  smallest);
}

/* Each fragment's block, for the structure: from the lines (a marker goes with its block's first
 * line); eol: 1 on a line's last fragment (visually), 2 when the line goes on in the next with no
 * space (one of its fragments is joined: text.h). Both NULL when the document is not tagged (or
 * out of memory); the caller frees them. */
static void frag_blocks(const render *r, const text_result *res, size_t **fbp, unsigned char **eolp)
{
    size_t *fb = r->tags && res->n ? malloc(res->n * sizeof *fb) : NULL;
    unsigned char *eol = r->tags && res->n ? calloc(res->n, sizeof *eol) : NULL;
    if (!eol) {
        free(fb);
        fb = NULL;
    }
    for (size_t i = 0; fb && i < res->n; i++)
        fb[i] = SIZE_MAX;
    for (size_t l = 0; fb && l < res->nline; l++) {
        bool joined = false;
        for (size_t i = res->line[l].first; i < res->line[l].first + res->line[l].count && i < res->n; i++) {
            fb[i] = res->line[l].block;
            joined = joined || res->frags[i].joined;
        }
        if (res->line[l].count > 0 && res->line[l].first + res->line[l].count <= res->n)
            eol[res->line[l].first + res->line[l].count - 1] = joined ? 2 : 1;
    }
    for (size_t i = 0; fb && i < res->n; i++)
        if (fb[i] == SIZE_MAX)
            fb[i] = i + 1 < res->n && fb[i + 1] != SIZE_MAX ? fb[i + 1] : i > 0 ? fb[i - 1] : 0;
    *fbp = fb;
    *eolp = eol;
}

/* Drawing an element's laid-out fragments, and the structure open around them as it goes. */
typedef struct frag_drawing {
    render *r;
    const element *e;
    const measure_ctx *m;
    const text_result *res;
    const text_block *blocks;
    size_t nb;
    const md_doc *doc;
    double top;          /* the text's top within its box */
    size_t *fb;          /* each fragment's block (frag_blocks), NULL untagged */
    unsigned char *eol;  /* each fragment's end of line (frag_blocks) */
    const char *role;    /* a text element's structure role: H1 or P */
    const char *lang;    /* the element's language where it is not the document's, or NULL */
    block_tags bt;
    bool leaf, in_mc;    /* a leaf element open that closes with the block; marked content open */
    const char *span;    /* the language of the Span open in the block, or NULL */
    size_t cur;          /* the block being drawn */
} frag_drawing;

/* Draws fragment g as it stands (no space added), and counts it. */
static void draw_plain_frag(frag_drawing *fd, const text_frag *g)
{
    render *r = fd->r;
    double x, y;
    frag_origin(r, fd->e, fd->top, g, &x, &y);
    pdf_text_run(r->pdf, fd->m->font[g->font], g->size, x - r->ox, y - r->oy, fd->e->rotate, g->s, g->len,
                 frag_colour(fd->e, g->colour), g->level & 1, fd->m->lang);
    if (r->stats)
        stats_add(r, fd->e, g->s, g->len, g->size, font_face_weight(fd->m->face[g->font]));
}

/* The marker mk of the block that starts at fragment i as the item's label: its fragments (right
 * to left, a number and its full stop are two, in visual order), drawn in the order they are
 * written, so that the label reads "12."; then Lbl closed and LBody opened. Returns the marker's
 * last fragment. */
static size_t draw_marker(frag_drawing *fd, size_t i, const char *mk)
{
    render *r = fd->r;
    const text_result *res = fd->res;
    size_t last = i;
    while (last + 1 < res->n && fd->fb[last + 1] == fd->cur && in_marker(&res->frags[last + 1], mk))
        last++;
    tags_begin(r->tags, r->pdf);
    for (size_t off = 0; mk[off]; off++)
        for (size_t k = i; k <= last; k++)
            if (res->frags[k].s == mk + off)
                draw_plain_frag(fd, &res->frags[k]);
    tags_end(r->tags, r->pdf);
    tags_close(r->tags);
    tags_open(r->tags, "LBody", NULL, NULL);
    /* an item that starts with a run in another language opens its Span below */
    if (!(last + 1 < res->n && fd->fb[last + 1] == fd->cur && res->frags[last + 1].lang)) {
        tags_begin(r->tags, r->pdf);
        fd->in_mc = true;
    }
    return last;
}

/* Fragment *i starts another block: closes what the last one left open and opens the new one's
 * structure. Returns true when it drew the block's marker, with *i at the marker's last fragment. */
static bool enter_block(frag_drawing *fd, size_t *i)
{
    render *r = fd->r;
    const text_frag *f = &fd->res->frags[*i];
    if (fd->in_mc)
        tags_end(r->tags, r->pdf);
    fd->in_mc = false;
    if (fd->span)
        tags_close(r->tags);
    fd->span = NULL;
    if (fd->leaf)
        tags_close(r->tags);
    fd->cur = fd->fb[*i];
    const char *mk = fd->cur < fd->nb ? fd->blocks[fd->cur].marker : NULL;
    bool marker = mk && in_marker(f, mk);
    fd->leaf = block_open(r, fd->doc, fd->cur, fd->role, fd->lang, &fd->bt, marker);
    if (marker) {
        *i = draw_marker(fd, *i, mk);
        return true;
    }
    if (!f->lang) {
        tags_begin(r->tags, r->pdf);
        fd->in_mc = true;
    }
    return false;
}

/* A run in another language ({field@lang}): a Span element with its /Lang, child of the
 * paragraph, between the paragraph's own marked content. */
static void switch_span(frag_drawing *fd, const char *lang)
{
    render *r = fd->r;
    if (fd->in_mc)
        tags_end(r->tags, r->pdf);
    if (fd->span)
        tags_close(r->tags);
    fd->span = lang;
    if (fd->span)
        tags_open(r->tags, "Span", NULL, fd->span);
    tags_begin(r->tags, r->pdf);
    fd->in_mc = true;
}

/* Draws fragment i. Tagged, the text between words is a space that a reader reads out, on the
 * right of each fragment that a word follows (the fragments are drawn from the left): the
 * source's own where it lies there (after a left-to-right fragment; before a right-to-left one,
 * whose text the fragment to its right comes before), else one drawn at the fragment's end, where
 * a line ends between words (not where the line breaker joined it to the next with no space:
 * after a hyphen, between Thai words or ideographs; text_frag's joined) or two fragments of a line
 * stand apart. */
static void draw_frag(frag_drawing *fd, size_t i)
{
    render *r = fd->r;
    const element *e = fd->e;
    const text_result *res = fd->res;
    const text_frag *f = &res->frags[i];
    const size_t *fb = fd->fb;
    const unsigned char *eol = fd->eol;
    double x, y;
    frag_origin(r, e, fd->top, f, &x, &y);
    bool rtl = f->level & 1;
    const text_frag *nx = fb && i + 1 < res->n && fb[i + 1] == fb[i] ? &res->frags[i + 1] : NULL;
    bool space_after = nx && !rtl && f->s[f->len] == ' ';
    bool space_before = nx && rtl && !eol[i] && nx->s + nx->len + 1 == f->s && nx->s[nx->len] == ' ';
    bool line_gap = nx && !space_after && !space_before &&
                    (eol[i] ? eol[i] == 1 : frag_gap(f, nx) > 0.15 * f->size &&
                                                f->s + f->len != nx->s && nx->s + nx->len != f->s);
    /* drawing happens inside the item's translation: take the offset back out; right to left,
     * the space before the text is drawn after it, on its right */
    pdf_text_run(r->pdf, fd->m->font[f->font], f->size, x - r->ox, y - r->oy, e->rotate,
                 f->s - (space_before ? 1 : 0), f->len + (space_after || space_before ? 1 : 0),
                 frag_colour(e, f->colour), rtl, fd->m->lang);
    if (line_gap) {
        text_frag g = *f;
        g.x += f->width;
        frag_origin(r, e, fd->top, &g, &x, &y);
        pdf_text_run(r->pdf, fd->m->font[f->font], f->size, x - r->ox, y - r->oy, e->rotate, " ", 1,
                     frag_colour(e, f->colour), f->level & 1, fd->m->lang);
    }
    if (r->stats)
        stats_add(r, e, f->s, f->len, f->size, font_face_weight(fd->m->face[f->font]));
}

/* Draws text that fits its box (bh tall as the text runs), with its structure, then dumps it. */
static void draw_fitted(render *r, const element *e, const text_block *blocks, size_t nb, const measure_ctx *m,
                        const md_doc *doc, const text_result *res, double bh)
{
    frag_drawing fd = { .r = r, .e = e, .m = m, .res = res, .blocks = blocks, .nb = nb, .doc = doc,
                        .span = NULL, .cur = SIZE_MAX };
    if (e->valign == VALIGN_MIDDLE)
        fd.top = (bh - res->height) / 2;
    else if (e->valign == VALIGN_BOTTOM)
        fd.top = bh - res->height;
    frag_blocks(r, res, &fd.fb, &fd.eol);
    /* the layout's title, drawn as text, is the document's heading */
    fd.role = e->type == EL_TEXT && r->l->title && e->text && strcmp(e->text, r->l->title) == 0 ? "H1" : "P";
    const char *clang = content_get(r->c, "language");
    fd.lang = e->lang && (!clang || strcasecmp(e->lang, clang) != 0) ? e->lang : NULL;
    fd.bt = (block_tags){ tags_depth(r->tags), 0, { 0 } };
    for (size_t i = 0; i < res->n; i++) {
        if (fd.fb && fd.fb[i] != fd.cur && enter_block(&fd, &i))
            continue; /* the block's marker drawn, i at its last fragment */
        if (fd.fb && res->frags[i].lang != fd.span)
            switch_span(&fd, res->frags[i].lang);
        draw_frag(&fd, i);
    }
    free(fd.eol);
    if (fd.in_mc)
        tags_end(r->tags, r->pdf);
    if (fd.span)
        tags_close(r->tags);
    if (fd.fb)
        close_to(r, fd.bt.base);
    free(fd.fb);
    dump_frags(r, e, m, res, fd.top);
}

static void draw_blocks(render *r, const element *e, const text_block *blocks, size_t nb,
                        measure_ctx *m, const char *key, const md_doc *doc)
{
    text_style st;
    hyph_ctx hc;
    block_style(r, e, m, &st, &hc);
    text_result res = { 0 };
    double bw = e->rotate ? e->h : e->w, bh = e->rotate ? e->w : e->h;
    size_t ei = (size_t)(e - r->l->elements);
    /* in a fit group, the group's size: the largest at which every member fits */
    double group_scale = !r->measuring && e->fit_group && r->scale[ei] > 0 ? r->scale[ei] : 0;
    text_fit_status fs = lay_out(e, blocks, nb, m, &st, bw, bh, group_scale, &res);
    if (r->measuring) {
        r->scale[ei] = fs == TEXT_FITS ? res.scale : 0;
        text_result_free(&res);
        return;
    }
    diag_loc loc = layout_loc(r->l, e, key);
    if (!report_unfit(r, e, fs, &res, bw, bh, loc)) {
        check_type_size(r, &res, loc);
        warn_widow(r, e, &res, loc);
        draw_fitted(r, e, blocks, nb, m, doc, &res, bh);
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
        return render_check_numbers(r, text, loc);
    char *plain = strdup(text);
    if (!plain) {
        diag_error(r->d, "internal-out-of-memory", loc, "out of memory while checking numbers");
        return false;
    }
    text_drop_invisible(plain, true);
    bool ok = render_check_numbers(r, plain, loc);
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

/* The languages of a text element's runs ({field@lang} of a language other than the element's):
 * code[k] for k >= 1; 0 is the element's own. */
enum { RUN_LANGS = 16 };
typedef struct run_langs {
    char code[RUN_LANGS][32];
    int n;
} run_langs;

/* The runs open where a text taken apart in pieces has got to (a Markdown file's spans, in the
 * order they are written: a run may begin in one and end in another). */
typedef struct lang_marks {
    unsigned char stack[32]; /* deeper than content.c lets fields nest */
    int depth;
    bool collapse; /* collapse a space that a mark taken out leaves beside another (Markdown) */
    char last;     /* the last byte kept, for that */
} lang_marks;

/* take_lang_marks for one piece of a text, going on from *lm. */
static size_t take_marks_from(char *text, unsigned char *of, const char *base, run_langs *rl, lang_marks *lm)
{
    unsigned char *stack = lm->stack;
    int depth = lm->depth;
    bool dropped = false;
    size_t n = 0;
    for (size_t i = 0; text[i];) {
        if (text[i] == CONTENT_LANG_BEGIN) {
            size_t k = i + 1;
            while (k - i - 1 < sizeof rl->code[0] - 1 && (isalnum((unsigned char)text[k]) || text[k] == '-'))
                k++;
            if (text[k] == CONTENT_LANG_CODE_END && k > i + 1 && depth < (int)sizeof lm->stack) {
                char code[32];
                snprintf(code, sizeof code, "%.*s", (int)(k - i - 1), text + i + 1);
                int idx = 0;
                if (!base || strcasecmp(code, base) != 0) {
                    for (idx = 1; idx < rl->n && strcasecmp(rl->code[idx], code) != 0; idx++)
                        ;
                    if (idx == rl->n && rl->n < RUN_LANGS)
                        snprintf(rl->code[rl->n++], sizeof rl->code[0], "%s", code);
                    else if (idx == rl->n)
                        idx = 0;
                }
                stack[depth++] = (unsigned char)idx;
                i = k + 1;
                dropped = true;
                continue;
            }
        } else if (text[i] == CONTENT_LANG_END && depth > 0) {
            depth--;
            i++;
            dropped = true;
            continue;
        }
        if (lm->collapse && dropped && text[i] == ' ' && (n ? text[n - 1] : lm->last) == ' ') {
            i++;
            continue;
        }
        dropped = false;
        of[n] = depth > 0 ? stack[depth - 1] : 0;
        text[n++] = text[i++];
    }
    text[n] = '\0';
    lm->depth = depth;
    if (n)
        lm->last = text[n - 1];
    return n;
}

/* Takes content_expand_marked's marks out of text in place, and gives each byte left its run's
 * language (of[i], an index into rl; 0 where the language is base's, the element's own, or past
 * RUN_LANGS languages). A byte that is no well-formed mark stays (and is refused as a control
 * character when the text is set). Returns the new length. */
static size_t take_lang_marks(char *text, unsigned char *of, const char *base, run_langs *rl)
{
    lang_marks lm = { { 0 }, 0, false, ' ' };
    rl->n = 1;
    return take_marks_from(text, of, base, rl, &lm);
}

/* add_text_spans for s[0..len), whose bytes have the languages of[] (take_lang_marks): a run of
 * spans per language, each span knowing its language (text_span). */
static bool add_lang_spans(render *r, const element *e, const char *key, int slot, measure_ctx *m, const char *s,
                           const unsigned char *of, size_t len, bool hard_break, diag_loc loc, const run_langs *rl,
                           span_list *out)
{
    size_t start = 0;
    do {
        size_t end = start;
        while (end < len && of[end] == of[start])
            end++;
        size_t before = out->n;
        if (!add_text_spans(r, e, key, slot, m, s + start, end - start, hard_break && start == 0, loc, out))
            return false;
        for (size_t k = before; len > 0 && of[start] > 0 && k < out->n; k++)
            out->v[k].lang = rl->code[of[start]];
        start = end;
    } while (start < len);
    return true;
}

/* A text element: one paragraph; the two characters "\n" force a line break. */
void typeset_text(render *r, const element *e)
{
    measure_ctx m;
    memset(&m, 0, sizeof m);
    diag_loc loc = layout_loc(r->l, e, "text");
    if (!typeset_load_slot(r, e, FONT_REGULAR, &m))
        return;
    char *text = content_expand_marked(r->c, e->text, r->d, loc);
    if (text)
        text = text_to_set(r, text, loc);
    if (!text)
        return;
    /* the runs in other languages ({field@lang}): their marks out, each byte's language kept */
    size_t len = strlen(text);
    unsigned char *of = malloc(len + 1), *bof = malloc(len + 1);
    run_langs *rl = malloc(sizeof *rl);
    if (!of || !bof || !rl) {
        diag_error(r->d, "internal-out-of-memory", loc, "out of memory while setting text");
        free(of);
        free(bof);
        free(rl);
        free(text);
        return;
    }
    len = take_lang_marks(text, of, e->lang ? e->lang : content_get(r->c, "language"), rl);
    if (!check_numbers_set(r, text, loc)) {
        free(of);
        free(bof);
        free(rl);
        free(text);
        return;
    }
    /* collapse whitespace; "\n" ends a piece */
    char *buf = malloc(len + 1);
    size_t *piece_end = calloc(len / 2 + 2, sizeof *piece_end);
    if (!buf || !piece_end) {
        free(buf);
        free(piece_end);
        free(of);
        free(bof);
        free(rl);
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
        bof[n] = of[i];
        buf[n++] = ch;
    }
    buf[n] = '\0';
    if (!text_prints(buf, n)) {
        if (!r->measuring)
            warn_empty_text(r, e, loc);
        free(piece_end);
        free(buf);
        free(of);
        free(bof);
        free(rl);
        free(text);
        return;
    }
    span_list spans = { 0 };
    bool ok = true;
    for (size_t p = 0; ok && p < np; p++) {
        size_t start = p ? piece_end[p - 1] : 0;
        ok = add_lang_spans(r, e, "text", FONT_REGULAR, &m, buf + start, bof + start, piece_end[p] - start, p > 0, loc, rl, &spans);
    }
    if (ok) {
        text_block b = { spans.v, spans.n, e->size, 0, NULL, 0, 0, 0, 0, false, e->balance != 0 };
        draw_blocks(r, e, &b, 1, &m, "text", NULL);
    }
    free(spans.v);
    free(piece_end);
    free(buf);
    free(of);
    free(bof);
    free(rl);
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

/* A Markdown block's text without content_expand_marked's marks, spaces collapsed (for
 * same_as_unmarked); malloc'd, NULL when out of memory. */
static char *md_plain(const md_block *b)
{
    size_t n = 0;
    for (size_t k = 0; k < b->nspans; k++)
        n += b->spans[k].len + 1;
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    bool code = false;
    for (size_t k = 0; k < b->nspans; k++) {
        for (size_t i = 0; i < b->spans[k].len; i++) {
            char c = b->spans[k].s[i];
            if (c == CONTENT_LANG_BEGIN || c == CONTENT_LANG_CODE_END) {
                code = c == CONTENT_LANG_BEGIN;
                continue;
            }
            if (code || c == CONTENT_LANG_END || (c == ' ' && o > 0 && out[o - 1] == ' '))
                continue;
            out[o++] = c;
        }
        if (b->spans[k].hard_break || k + 1 == b->nspans)
            out[o++] = '\n';
    }
    out[o] = '\0';
    return out;
}

/* Whether the file parsed with the marks of its {field@lang} runs (marked) reads as it does without
 * (plain): the same blocks, texts and links (marks taken out). A mark where CommonMark allows no
 * control character (an autolink <{url@es}>, the start of a line that the value would make a
 * heading or a list item) changes what cmark makes of the text; the file is then set as it was
 * without the marks, its runs untagged. */
static bool same_as_unmarked(const md_doc *marked, const md_doc *plain)
{
    if (marked->n != plain->n || marked->nlinks != plain->nlinks)
        return false;
    for (size_t i = 0; i < marked->nlinks; i++) { /* a destination may hold marks: cmark takes them */
        const char *a = marked->links[i], *b = plain->links[i];
        bool code = false;
        for (; *a; a++) {
            if (*a == CONTENT_LANG_BEGIN || *a == CONTENT_LANG_CODE_END)
                code = *a == CONTENT_LANG_BEGIN;
            else if (!code && *a != CONTENT_LANG_END && *a != *b++)
                return false;
        }
        if (*b)
            return false;
    }
    bool same = true;
    for (size_t i = 0; same && i < marked->n; i++) {
        const md_block *a = &marked->blocks[i], *b = &plain->blocks[i];
        if (a->kind != b->kind || a->level != b->level || strcmp(a->marker, b->marker) != 0)
            return false;
        char *ta = md_plain(a), *tb = md_plain(b);
        same = ta && tb && strcmp(ta, tb) == 0;
        free(ta);
        free(tb);
    }
    return same;
}

/* The Markdown file of element e, read into its cache (r->md) unless the cache holds it already;
 * NULL after reporting. */
static md_cache *md_source(render *r, const element *e, diag_loc floc)
{
    char *fname = content_expand(r->c, e->text, r->d, floc);
    if (!fname)
        return NULL;
    /* cached by folder and name: pages in other languages read other folders */
    size_t kn = strlen(content_dir(r->c)) + strlen(fname) + 2;
    char *name = malloc(kn);
    if (name)
        snprintf(name, kn, "%s\n%s", content_dir(r->c), fname);
    if (!name) {
        free(fname);
        return NULL;
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
            return NULL;
        }
    } else {
        free(name);
        free(fname);
    }
    return mc;
}

/* The numbers of a text with the marks of its runs, checked as they print: without the marks.
 * False after reporting. */
static bool check_numbers_marked(render *r, const char *text, run_langs *rl, diag_loc loc)
{
    char *plain = strdup(text);
    unsigned char *pof = plain ? malloc(strlen(plain) + 1) : NULL;
    bool ok = plain && pof;
    if (!ok)
        diag_error(r->d, "internal-out-of-memory", loc, "out of memory while checking numbers");
    else
        take_lang_marks(plain, pof, NULL, rl);
    ok = ok && check_numbers_set(r, plain, loc);
    free(plain);
    free(pof);
    return ok;
}

/* The text of the file (mc) with its fields filled from c, {field@lang} of another language
 * between marks (content_expand_marked), which cmark keeps in its text: taken out of the spans
 * later, each run then knowing its language; set (text_to_set) and its numbers checked. *rlp: the
 * runs' languages, to fill. NULL after reporting, *rlp NULL too; else the caller frees both. */
static char *md_text(render *r, const content *c, const md_cache *mc, const char *path, run_langs **rlp)
{
    char *text = path ? content_expand_marked(c, mc->raw, r->d, diag_at(path, 1)) : NULL;
    if (text)
        text = text_to_set(r, text, diag_at(path, 0));
    run_langs *rl = text ? malloc(sizeof *rl) : NULL;
    if (text && !rl) {
        diag_error(r->d, "internal-out-of-memory", diag_at(path, 0), "out of memory while setting text");
        free(text);
        text = NULL;
    }
    if (text && !(strchr(text, CONTENT_LANG_BEGIN) ? check_numbers_marked(r, text, rl, diag_at(path, 0))
                                                    : check_numbers_set(r, text, diag_at(path, 0)))) {
        free(text);
        text = NULL;
    }
    if (!text) {
        free(rl);
        rl = NULL;
    }
    *rlp = rl;
    return text;
}

/* The marks must not change what cmark reads: when they do, *doc and *text become the file's
 * without them (its runs untagged; same_as_unmarked). */
static void prefer_unmarked(render *r, const content *c, const md_cache *mc, const char *path, md_doc *doc, char **text)
{
    diag *quiet = diag_new(NULL);
    char *ptext = quiet ? content_expand(c, mc->raw, quiet, diag_at(path, 1)) : NULL;
    if (ptext)
        ptext = text_to_set(r, ptext, diag_at(path, 0));
    md_doc pdoc = { 0 };
    if (ptext && markdown_parse(ptext, strlen(ptext), path, &pdoc, quiet)) {
        if (same_as_unmarked(doc, &pdoc)) {
            markdown_free(&pdoc);
            free(ptext);
        } else {
            markdown_free(doc);
            *doc = pdoc;
            free(*text);
            *text = ptext;
        }
    } else {
        free(ptext);
    }
    diag_free(quiet);
}

/* Setting a parsed Markdown file's blocks as text blocks: where it has got to. */
typedef struct md_setting {
    render *r;
    const element *e;
    const char *base;  /* the element's language, for text outside runs */
    run_langs *rl;     /* the runs' languages */
    lang_marks lm;     /* the runs open */
    measure_ctx m;     /* the element's fonts */
    span_list spans;   /* every block's spans, in order */
} md_setting;

/* Loads the font slots the file's spans use (and the regular one); false when one failed (each
 * is tried). */
static bool md_load_fonts(md_setting *ms, const md_doc *doc)
{
    bool ok = true;
    bool used[FONT_SLOTS] = { true };
    for (size_t i = 0; i < doc->n; i++)
        for (size_t k = 0; k < doc->blocks[i].nspans; k++)
            used[slot_for(&doc->blocks[i], doc->blocks[i].spans[k].style)] = true;
    for (int s = 0; s < FONT_SLOTS; s++)
        if (used[s] && !typeset_load_slot(ms->r, ms->e, s, &ms->m))
            ok = false;
    return ok;
}

/* Adds the spans of block mb to ms->spans, the marks of its runs taken out (mb's spans shrink to
 * their text). False after reporting. */
static bool md_block_spans(md_setting *ms, md_block *mb, diag_loc loc)
{
    ms->lm.last = ' ';
    for (size_t k = 0; k < mb->nspans; k++) {
        md_span *sp = &mb->spans[k];
        unsigned char *of = malloc(sp->len + 1);
        if (!of) {
            diag_error(ms->r->d, "internal-out-of-memory", loc, "out of memory while setting text");
            return false;
        }
        if (sp->hard_break)
            ms->lm.last = ' ';
        size_t was = sp->len;
        sp->len = take_marks_from(sp->s, of, ms->base, ms->rl, &ms->lm);
        bool ok = true;
        /* a span that held only marks (a run that ends in the next span's style) adds nothing */
        if (sp->len > 0 || was == 0 || sp->hard_break)
            ok = add_lang_spans(ms->r, ms->e, "file", slot_for(mb, sp->style), &ms->m, sp->s, of, sp->len,
                                sp->hard_break, loc, ms->rl, &ms->spans);
        free(of);
        if (!ok)
            return false;
    }
    return true;
}

/* Block b's size and spacing as a heading or paragraph of element e. */
static void md_block_sizes(const element *e, const md_block *mb, text_block *b)
{
    b->size = e->size;
    b->space_after = e->paragraph_spacing * e->size;
    if (mb->kind == MD_HEADING) {
        int lv = mb->level > 3 ? 3 : mb->level;
        b->size = e->size * e->heading_scale[lv - 1];
        b->space_before = e->paragraph_spacing * e->size * 0.6;
        b->space_after = e->paragraph_spacing * e->size * 0.5;
        b->colour = 1;
        b->heading = true;
        b->balance = e->balance != 0;
    } else {
        b->balance = e->balance == 1;
    }
}

/* Block i of doc as a list's paragraph or item: its indent, its marker, and items of one list set
 * closer together. False after reporting. */
static bool md_list_block(md_setting *ms, const md_doc *doc, size_t i, text_block *b, diag_loc loc)
{
    const element *e = ms->e;
    const md_block *mb = &doc->blocks[i];
    bool ok = true;
    b->indent = e->list_indent * e->size * mb->level;
    if (mb->marker[0]) {
        /* the marker takes the first regular font that has it */
        span_list ml = { 0 };
        ok = add_text_spans(ms->r, e, "file", FONT_REGULAR, &ms->m, mb->marker, strlen(mb->marker), false, loc,
                            &ml);
        b->marker = mb->marker;
        b->marker_font = ok && ml.n ? ml.v[0].font : FONT_REGULAR * FONT_FALLBACKS;
        free(ml.v);
    }
    /* items of one list sit closer together than paragraphs */
    if (i + 1 < doc->n && doc->blocks[i + 1].level > 0 && doc->blocks[i + 1].kind == MD_ITEM)
        b->space_after = e->paragraph_spacing * e->size * 0.4;
    return ok;
}

/* Sets the blocks of a parsed file (doc, its text with the marks of the runs rl) and draws them,
 * or warns that it prints nothing. */
static void md_set(render *r, const element *e, diag_loc floc, const char *path, md_doc *doc, run_langs *rl)
{
    rl->n = 1;
    md_setting ms = { .r = r, .e = e, .rl = rl, .lm = { { 0 }, 0, true, ' ' } };
    ms.base = e->lang ? e->lang : content_get(r->c, "language");
    bool ok = md_load_fonts(&ms, doc);
    text_block *blocks = calloc(doc->n + 1, sizeof *blocks);
    size_t *first = calloc(doc->n + 1, sizeof *first);
    if (!blocks || !first)
        ok = false;
    for (size_t i = 0; ok && i < doc->n; i++) {
        const md_block *mb = &doc->blocks[i];
        diag_loc loc = diag_at(path, mb->line);
        first[i] = ms.spans.n;
        ok = md_block_spans(&ms, &doc->blocks[i], loc);
        blocks[i].nspans = ms.spans.n - first[i];
        md_block_sizes(e, mb, &blocks[i]);
        if (ok && mb->level > 0 && mb->kind != MD_HEADING)
            ok = md_list_block(&ms, doc, i, &blocks[i], loc);
    }
    for (size_t i = 0; ok && i < doc->n; i++)
        blocks[i].spans = ms.spans.v + first[i];
    bool prints = false;
    for (size_t i = 0; ok && !prints && i < ms.spans.n; i++)
        prints = text_prints(ms.spans.v[i].s, ms.spans.v[i].len);
    if (ok && !prints && !r->measuring)
        diag_warn(r->d, "text-empty", floc,
                  "expected text to print, found none in %s once placeholders are filled: the "
                  "element prints nothing",
                  path);
    if (ok && prints)
        draw_blocks(r, e, blocks, doc->n, &ms.m, "file", doc);
    free(blocks);
    free(first);
    free(ms.spans.v);
}

void typeset_markdown(render *r, const element *e)
{
    diag_loc floc = layout_loc(r->l, e, "file");
    md_cache *mc = md_source(r, e, floc);
    if (!mc)
        return;
    char *path = strdup(mc->path);
    /* a file of another language's set (../es/notice.md) expands with that set's fields */
    content *fc = content_for_file(r->c, mc->name + strlen(content_dir(r->c)) + 1, r->d);
    run_langs *rl;
    char *text = md_text(r, fc ? fc : r->c, mc, path, &rl);
    md_doc doc = { 0 };
    if (!text || !markdown_parse(text, strlen(text), path, &doc, r->d)) {
        free(rl);
        free(text);
        free(path);
        return;
    }
    if (strchr(text, CONTENT_LANG_BEGIN))
        prefer_unmarked(r, fc ? fc : r->c, mc, path, &doc, &text);
    md_set(r, e, floc, path, &doc, rl);
    markdown_free(&doc);
    free(rl);
    free(text);
    free(path);
}

/* Fit groups: every member is laid out alone first; then all take the smallest of their sizes. */
void typeset_fit_groups(render *r, item_side side)
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
            render_draw_element(r, e, 0);
    }
    r->measuring = false;
    r->dump = dump;
    r->stats = stats;
    /* each member's group size, in points, first for all (a member already given its group's
     * size, marked negative, would drop out of the others' minimum), then marked negative */
    for (int i = 0; i < l->nelements; i++) {
        const element *e = &l->elements[i];
        if (!e->fit_group || e->side != side || r->scale[i] <= 0)
            continue;
        double pt = e->size * r->scale[i];
        for (int j = 0; j < l->nelements; j++) {
            const element *o = &l->elements[j];
            double oscale = r->scale[j] > 0 ? r->scale[j] : r->scale[j] < 0 ? -r->scale[j] / o->size : 0;
            if (o->fit_group && o->side == side && strcmp(o->fit_group, e->fit_group) == 0 && oscale > 0 &&
                o->size * oscale < pt)
                pt = o->size * oscale;
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

