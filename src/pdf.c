/* pdf: libharu 2.3.0 behind a small drawing interface, and the text layer on top of it. Text is
 * shaped with HarfBuzz (shape.c) and drawn with fonts embedded by us (fontembed.c: Type0 fonts,
 * Identity-H, hb-subset subsets written at pdf_save); libharu's own fonts are not used. Every
 * stream is compressed, and the saved file is rewritten with object streams (pdfpack.h). No date
 * is written unless asked for, and the /ID is computed from the content, so the same input gives
 * the same bytes.
 *
 * Text is shaped a word at a time (a word: what lies between U+0020 spaces), each word with the
 * script of its letters (unicode.c), the text's language and its direction: kerning, ligatures
 * and the shaping of a word apply, nothing is kerned across a space. A right-to-left text is
 * shaped right to left and its words laid from its last (leftmost) to its first (rightmost). A
 * word's glyphs are kept, in font units, in a cache of its font keyed by its bytes, language and
 * direction, so measuring a word again (text.c measures the same words at each
 * size it tries) and drawing it cost a look-up; widths scale with the size. */
#include "pdf.h"
#include "fontembed.h"
#include "image.h"
#include "ink.h"
#include "pdfx.h"
#include "grow.h"
#include "inputs.h"
#include "atomic.h"
#include "pdfpack.h"
#include "shape.h"
#include "unicode.h"

#include <errno.h>
#include <hpdf.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A word's glyphs in font units; cluster: byte offset in the word. */
typedef struct word_glyph {
    uint32_t id, cluster;
    int32_t ax, dx, dy;
} word_glyph;

/* A cached word: its bytes at key in the pool, its glyphs at g in the glyph pool. */
typedef struct word_entry {
    uint64_t hash;
    uint8_t rtl, lang; /* shaped right to left; the language (pdf_doc's langs, 0: none) */
    bool inked;        /* top and bottom are known (pdf_text_ink) */
    int32_t top, bottom; /* the glyphs' ink, font units above the baseline */
    size_t key, keylen;
    size_t g, ng;
    int64_t width; /* font units */
} word_entry;

/* Words cached beyond this many are dropped all at once (a run of unique names): the cache
 * then starts again empty. */
enum { WORD_CACHE_MAX = 1 << 16 };

struct pdf_font {
    char *file;
    int index;
    pdf_doc *doc;
    const shape_face *sf;
    fontembed_face *ef;
    unsigned upem;
    word_entry *words;
    size_t nwords, capwords;
    size_t *slots; /* open addressing: index + 1 in words, 0 empty; nslots a power of two */
    size_t nslots;
    char *keys;
    size_t nkeys, capkeys;
    word_glyph *glyphs;
    size_t nglyphs, capglyphs;
};

struct pdf_doc {
    HPDF_Doc doc;
    HPDF_Page page;
    double page_h;
    HPDF_STATUS error;
    HPDF_STATUS detail;
    char message[256];
    pdf_font **fonts; /* each allocated alone: callers keep pointers */
    size_t nfonts, capfonts;
    struct pdf_image {
        char *path;
        HPDF_Image image;
    } *images; /* loaded once per file, drawn any number of times */
    size_t nimages, capimages;
    shape *shaper;
    fontembed *emb;
    bool fonts_written;
    shape_run run;   /* scratch: a word being shaped */
    char langs[64][16]; /* the languages text was shaped in; [0] is none */
    int nlangs;
    shape_run line;  /* scratch: the glyphs of a text being drawn */
    bool cmyk;       /* CMYK output: RGB colours separated, RGB images ICC-tagged */
    bool overprint;  /* black text overprints */
    void *srgb;      /* the ICC-based sRGB colour space (pdfx.c), made on first use */
    void *op_state;  /* the overprint graphics state (pdfx.c), made on first use */
    int untagged;    /* RGB images left in DeviceRGB */
    int text_owner;  /* pdf_text_owner: -1, or whose text runs are kept as marks */
    pdf_text_mark *marks;
    size_t nmarks, capmarks;
    pdfpack_extra extra; /* objects made outside libharu (pdf_set_extra), written at pdf_save */
};

static const struct {
    HPDF_STATUS code;
    const char *what;
} PDF_ERRORS[] = {
    { HPDF_FAILD_TO_ALLOC_MEM, "out of memory" },
    { HPDF_FILE_IO_ERROR, "a file could not be read or written" },
    { HPDF_INVALID_PNG_IMAGE, "the PNG image is not supported" },
    { HPDF_LIBPNG_ERROR, "libpng failed to read the image" },
    { HPDF_INVALID_JPEG_DATA, "the JPEG data is invalid" },
    { HPDF_UNSUPPORTED_JPEG_FORMAT, "the JPEG format is not supported" },
    { HPDF_TTF_INVALID_CMAP, "the font has no usable character map" },
    { HPDF_TTF_INVALID_FOMAT, "the font is not a valid TrueType font" },
    { HPDF_TTF_MISSING_TABLE, "the font lacks a table libharu needs (CFF outlines?)" },
    { HPDF_TTF_CANNOT_EMBEDDING_FONT, "the font's licence forbids embedding" },
    { HPDF_UNSUPPORTED_FONT_TYPE, "the font type is not supported" },
    { HPDF_PAGE_INVALID_SIZE, "the page size is outside what PDF allows" },
    { HPDF_PAGE_INVALID_FONT_SIZE, "the font size is outside what PDF allows" },
};

static void HPDF_STDCALL on_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
    pdf_doc *p = data;
    if (p->error)
        return; /* keep the first: later ones follow from it */
    p->error = code;
    p->detail = detail;
    const char *what = "see libharu's hpdf_error.h";
    for (size_t i = 0; i < sizeof PDF_ERRORS / sizeof PDF_ERRORS[0]; i++)
        if (PDF_ERRORS[i].code == code)
            what = PDF_ERRORS[i].what;
    snprintf(p->message, sizeof p->message, "libharu error 0x%04X (detail %u): %s",
             (unsigned)code, (unsigned)detail, what);
}

pdf_doc *pdf_new(void)
{
    pdf_doc *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->text_owner = -1;
    p->doc = HPDF_New(on_error, p);
    p->shaper = shape_new();
    p->emb = fontembed_new(p);
    if (!p->doc || !p->shaper || !p->emb) {
        pdf_free(p);
        return NULL;
    }
    HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
    /* the UTF-8 encoder is for the document information (pdf_set_info) alone */
    HPDF_UseUTFEncodings(p->doc);
    HPDF_SetCurrentEncoder(p->doc, "UTF-8");
    return p;
}

void pdf_expect_pages(pdf_doc *p, long pages)
{
    if (pages > PDF_NODE_PAGES)
        HPDF_SetPagesConfiguration(p->doc, 1000);
}

static void font_free(pdf_font *f)
{
    free(f->file);
    free(f->words);
    free(f->slots);
    free(f->keys);
    free(f->glyphs);
    free(f);
}

void pdf_free(pdf_doc *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nfonts; i++)
        font_free(p->fonts[i]);
    for (size_t i = 0; i < p->nimages; i++)
        free(p->images[i].path);
    free(p->images);
    free(p->fonts);
    free(p->marks);
    fontembed_free(p->emb);
    shape_run_free(&p->run);
    shape_run_free(&p->line);
    shape_free(p->shaper);
    pdfpack_extra_free(&p->extra);
    if (p->page)
        pdf_release_saved_states(p->page);
    if (p->doc)
        HPDF_Free(p->doc);
    free(p);
}

void pdf_set_extra(pdf_doc *p, pdfpack_extra *x)
{
    pdfpack_extra_free(&p->extra);
    p->extra = *x;
    memset(x, 0, sizeof *x);
}

bool pdf_failed(const pdf_doc *p)
{
    return p->error != 0;
}

const char *pdf_error(const pdf_doc *p)
{
    return p->error ? p->message : "no error";
}

/* Records an error of the text layer (the first one, as on_error does). */
static void text_error(pdf_doc *p, const char *file, const char *why)
{
    if (p->error)
        return;
    p->error = 1;
    snprintf(p->message, sizeof p->message, "%.100s%s%.150s", file ? file : "", file ? ": " : "", why);
}

pdf_font *pdf_font_load(pdf_doc *p, const char *file, int index)
{
    for (size_t i = 0; i < p->nfonts; i++)
        if (p->fonts[i]->index == index && strcmp(p->fonts[i]->file, file) == 0)
            return p->fonts[i];
    if (p->error)
        return NULL;
    inputs_note(file);
    char why[256];
    const shape_face *sf = shape_face_get(p->shaper, file, index, why, sizeof why);
    fontembed_face *ef = sf ? fontembed_face_get(p->emb, sf, why, sizeof why) : NULL;
    if (!ef) {
        text_error(p, NULL, why);
        return NULL;
    }
    pdf_font *f = calloc(1, sizeof *f);
    if (!f || !(f->file = strdup(file)) || !GROW(p->fonts, p->nfonts, p->capfonts)) {
        if (f)
            font_free(f);
        on_error(HPDF_FAILD_TO_ALLOC_MEM, 0, p);
        return NULL;
    }
    f->index = index;
    f->doc = p;
    f->sf = sf;
    f->ef = ef;
    f->upem = shape_face_upem(sf);
    p->fonts[p->nfonts++] = f;
    return f;
}

/* ---- the word cache ---- */

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static void cache_clear(pdf_font *f)
{
    f->nwords = f->nkeys = f->nglyphs = 0;
    if (f->slots)
        memset(f->slots, 0, f->nslots * sizeof *f->slots);
}

/* Makes room for one more word in the table (load at most a half). */
static bool cache_room(pdf_font *f)
{
    if (f->nwords + 1 <= f->nslots / 2)
        return true;
    size_t n = f->nslots ? f->nslots * 2 : 256;
    size_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < f->nwords; i++) {
        size_t k = (size_t)f->words[i].hash & (n - 1);
        while (slots[k])
            k = (k + 1) & (n - 1);
        slots[k] = i + 1;
    }
    free(f->slots);
    f->slots = slots;
    f->nslots = n;
    return true;
}

/* The cached word s (len bytes, no space in it), shaped on first use; NULL after recording an
 * error in the document. */
static const word_entry *word_get(pdf_font *f, const char *s, size_t len, bool rtl, int lang)
{
    pdf_doc *p = f->doc;
    uint64_t h = hash_bytes(s, len) ^ ((uint64_t)rtl << 63) ^ ((uint64_t)lang * 0x9E3779B97F4A7C15u);
    if (f->nslots)
        for (size_t k = (size_t)h & (f->nslots - 1); f->slots[k]; k = (k + 1) & (f->nslots - 1)) {
            const word_entry *w = &f->words[f->slots[k] - 1];
            if (w->hash == h && w->keylen == len && w->rtl == rtl && w->lang == lang &&
                memcmp(f->keys + w->key, s, len) == 0)
                return w;
        }
    char script[5], why[256];
    bool has_script = unicode_script_tag(s, len, script);
    /* at a size of units per em, positions come out in font units */
    if (!shape_text(p->shaper, f->sf, s, len, (double)f->upem, has_script ? script : NULL,
                    rtl ? SHAPE_RTL : SHAPE_LTR, lang ? p->langs[lang] : NULL, &p->run, why, sizeof why)) {
        text_error(p, f->file, why);
        return NULL;
    }
    if (f->nwords >= WORD_CACHE_MAX)
        cache_clear(f);
    if (!cache_room(f) || !GROW(f->words, f->nwords, f->capwords) ||
        !grow_to((void **)&f->keys, &f->capkeys, f->nkeys + len + 1, 1) ||
        !grow_to((void **)&f->glyphs, &f->capglyphs, f->nglyphs + p->run.n + 1, sizeof *f->glyphs)) {
        on_error(HPDF_FAILD_TO_ALLOC_MEM, 0, p);
        return NULL;
    }
    word_entry *w = &f->words[f->nwords];
    w->hash = h;
    w->rtl = rtl;
    w->lang = (uint8_t)lang;
    w->key = f->nkeys;
    w->keylen = len;
    memcpy(f->keys + f->nkeys, s, len);
    f->nkeys += len;
    w->inked = false;
    w->g = f->nglyphs;
    w->ng = p->run.n;
    w->width = 0;
    for (size_t i = 0; i < p->run.n; i++) {
        const shape_glyph *g = &p->run.glyphs[i];
        word_glyph *o = &f->glyphs[f->nglyphs++];
        o->id = g->id;
        o->cluster = g->cluster;
        o->ax = (int32_t)llround(g->ax);
        o->dx = (int32_t)llround(g->dx);
        o->dy = (int32_t)llround(g->dy);
        w->width += o->ax;
    }
    size_t k = (size_t)h & (f->nslots - 1);
    while (f->slots[k])
        k = (k + 1) & (f->nslots - 1);
    f->slots[k] = ++f->nwords;
    return w;
}

/* The number of a language for the word cache (0 for none, or when 63 others are in use): a BCP
 * 47 tag is passed to HarfBuzz as it is. */
static int lang_id(pdf_doc *p, const char *lang)
{
    if (!lang || !lang[0] || strlen(lang) >= sizeof p->langs[0])
        return 0;
    for (int i = 1; i <= p->nlangs; i++)
        if (strcmp(p->langs[i], lang) == 0)
            return i;
    if (p->nlangs + 1 >= (int)(sizeof p->langs / sizeof p->langs[0]))
        return 0;
    p->nlangs++;
    snprintf(p->langs[p->nlangs], sizeof p->langs[0], "%s", lang);
    return p->nlangs;
}

/* Calls each(f, word entry, offset, ctx) for the words and spaces of s, from the left: in order,
 * or right to left from the last; false after an error. */
static bool for_words(pdf_font *f, const char *s, size_t len, bool rtl, const char *lang,
                      bool (*each)(pdf_font *, const word_entry *, size_t, void *), void *ctx)
{
    int lid = lang_id(f->doc, lang);
    if (!rtl) {
        size_t i = 0;
        while (i < len) {
            size_t j = i;
            if (s[i] == ' ')
                j = i + 1;
            else
                while (j < len && s[j] != ' ')
                    j++;
            const word_entry *w = word_get(f, s + i, j - i, false, lid);
            if (!w || !each(f, w, i, ctx))
                return false;
            i = j;
        }
        return true;
    }
    size_t j = len;
    while (j > 0) {
        size_t i = j;
        if (s[j - 1] == ' ')
            i = j - 1;
        else
            while (i > 0 && s[i - 1] != ' ')
                i--;
        const word_entry *w = word_get(f, s + i, j - i, true, lid);
        if (!w || !each(f, w, i, ctx))
            return false;
        j = i;
    }
    return true;
}

static bool add_width(pdf_font *f, const word_entry *w, size_t at, void *ctx)
{
    (void)f;
    (void)at;
    *(int64_t *)ctx += w->width;
    return true;
}

double pdf_text_width(const pdf_font *f, const char *s, size_t len, double size)
{
    return pdf_text_run_width(f, s, len, size, false, NULL);
}

double pdf_text_run_width(const pdf_font *cf, const char *s, size_t len, double size, bool rtl,
                          const char *lang)
{
    pdf_font *f = (pdf_font *)cf; /* the cache changes; what the caller sees does not */
    int64_t units = 0;
    if (!for_words(f, s, len, rtl, lang, add_width, &units))
        return 0;
    return (double)units * size / (double)f->upem;
}

/* The ink of words' glyphs, in font units: the highest top and the lowest bottom. */
typedef struct ink_ctx {
    int64_t top, bottom;
} ink_ctx;

/* Adds a word's ink, found from its glyphs' extents the first time and kept in its entry. */
static bool add_ink(pdf_font *f, const word_entry *cw, size_t at, void *ctx)
{
    (void)at;
    ink_ctx *k = ctx;
    word_entry *w = &f->words[cw - f->words];
    if (!w->inked) {
        int32_t wtop = 0, wbottom = 0;
        for (size_t i = 0; i < w->ng; i++) {
            const word_glyph *g = &f->glyphs[w->g + i];
            int32_t top, bottom;
            if (!shape_face_ink(f->sf, g->id, &top, &bottom) || top == bottom)
                continue;
            if (top + g->dy > wtop)
                wtop = top + g->dy;
            if (bottom + g->dy < wbottom)
                wbottom = bottom + g->dy;
        }
        w->top = wtop;
        w->bottom = wbottom;
        w->inked = true;
    }
    if (w->top > k->top)
        k->top = w->top;
    if (w->bottom < k->bottom)
        k->bottom = w->bottom;
    return true;
}

bool pdf_text_ink(const pdf_font *cf, const char *s, size_t len, bool rtl, const char *lang, double *above,
                  double *below)
{
    pdf_font *f = (pdf_font *)cf; /* the cache changes; what the caller sees does not */
    ink_ctx k = { 0, 0 };
    *above = *below = 0;
    if (!for_words(f, s, len, rtl, lang, add_ink, &k))
        return false;
    *above = (double)k.top / (double)f->upem;
    *below = (double)-k.bottom / (double)f->upem;
    return true;
}

bool pdf_page_add(pdf_doc *p, double w, double h)
{
    if (p->error)
        return false;
    if (p->page)
        pdf_release_saved_states(p->page);
    p->page = HPDF_AddPage(p->doc);
    if (!p->page)
        return false;
    HPDF_Page_SetWidth(p->page, (HPDF_REAL)w);
    HPDF_Page_SetHeight(p->page, (HPDF_REAL)h);
    p->page_h = h;
    return !p->error;
}

void pdf_set_cmyk_output(pdf_doc *p, bool on)
{
    p->cmyk = on;
}

void pdf_set_overprint_black(pdf_doc *p, bool on)
{
    p->overprint = on;
}

int pdf_untagged_rgb_images(const pdf_doc *p)
{
    return p->untagged;
}

void *pdf_handle(pdf_doc *p)
{
    return p->error ? NULL : p->doc;
}

static void set_fill(pdf_doc *p, const colour *cin)
{
    colour sep;
    const colour *c = cin;
    if (p->cmyk && c->space == COLOUR_RGB) {
        sep = ink_cmyk(c);
        c = &sep;
    }
    if (c->space == COLOUR_CMYK)
        HPDF_Page_SetCMYKFill(p->page, (HPDF_REAL)c->c[0], (HPDF_REAL)c->c[1], (HPDF_REAL)c->c[2],
                              (HPDF_REAL)c->c[3]);
    else
        HPDF_Page_SetRGBFill(p->page, (HPDF_REAL)c->c[0], (HPDF_REAL)c->c[1], (HPDF_REAL)c->c[2]);
}

static void set_stroke(pdf_doc *p, const colour *cin)
{
    colour sep;
    const colour *c = cin;
    if (p->cmyk && c->space == COLOUR_RGB) {
        sep = ink_cmyk(c);
        c = &sep;
    }
    if (c->space == COLOUR_CMYK)
        HPDF_Page_SetCMYKStroke(p->page, (HPDF_REAL)c->c[0], (HPDF_REAL)c->c[1],
                                (HPDF_REAL)c->c[2], (HPDF_REAL)c->c[3]);
    else
        HPDF_Page_SetRGBStroke(p->page, (HPDF_REAL)c->c[0], (HPDF_REAL)c->c[1],
                               (HPDF_REAL)c->c[2]);
}

/* The colour text is drawn in (*out: separated in CMYK output); with overprint asked for and
 * the colour K alone at 100 %, pushes a graphics state with overprint on and returns true (the
 * caller pops it after the text). */
static bool text_colour(pdf_doc *p, const colour *c, colour *out)
{
    *out = p->cmyk ? ink_cmyk(c) : *c;
    bool black = out->space == COLOUR_CMYK && out->c[0] == 0 && out->c[1] == 0 && out->c[2] == 0 && out->c[3] >= 1;
    void *gs = p->overprint && black ? pdfx_overprint_state(p->doc, &p->op_state) : NULL;
    if (!gs)
        return false;
    HPDF_Page_GSave(p->page);
    HPDF_Page_SetExtGState(p->page, gs);
    return true;
}

void pdf_fill_rect(pdf_doc *p, double x, double y, double w, double h, const colour *c)
{
    if (p->error || !p->page)
        return;
    set_fill(p, c);
    HPDF_Page_Rectangle(p->page, (HPDF_REAL)x, (HPDF_REAL)(p->page_h - y - h), (HPDF_REAL)w,
                        (HPDF_REAL)h);
    HPDF_Page_Fill(p->page);
}

void pdf_stroke_rect(pdf_doc *p, double x, double y, double w, double h, double line_w,
                     const colour *c)
{
    if (p->error || !p->page)
        return;
    set_stroke(p, c);
    HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)line_w);
    HPDF_Page_Rectangle(p->page, (HPDF_REAL)x, (HPDF_REAL)(p->page_h - y - h), (HPDF_REAL)w,
                        (HPDF_REAL)h);
    HPDF_Page_Stroke(p->page);
}

void pdf_line(pdf_doc *p, double x1, double y1, double x2, double y2, double line_w,
              const colour *c)
{
    if (p->error || !p->page)
        return;
    set_stroke(p, c);
    HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)line_w);
    HPDF_Page_MoveTo(p->page, (HPDF_REAL)x1, (HPDF_REAL)(p->page_h - y1));
    HPDF_Page_LineTo(p->page, (HPDF_REAL)x2, (HPDF_REAL)(p->page_h - y2));
    HPDF_Page_Stroke(p->page);
}

/* Appends a word's glyphs to the line being drawn, scaled to its size. */
typedef struct line_ctx {
    double k; /* points per font unit */
} line_ctx;

static bool add_glyphs(pdf_font *f, const word_entry *w, size_t at, void *ctx)
{
    pdf_doc *p = f->doc;
    double k = ((line_ctx *)ctx)->k;
    shape_run *r = &p->line;
    if (!grow_to((void **)&r->glyphs, &r->cap, r->n + w->ng + 1, sizeof *r->glyphs)) {
        on_error(HPDF_FAILD_TO_ALLOC_MEM, 0, p);
        return false;
    }
    for (size_t i = 0; i < w->ng; i++) {
        const word_glyph *g = &f->glyphs[w->g + i];
        shape_glyph *o = &r->glyphs[r->n++];
        o->id = g->id;
        o->cluster = (uint32_t)(g->cluster + at);
        o->ax = g->ax * k;
        o->ay = 0;
        o->dx = g->dx * k;
        o->dy = g->dy * k;
        r->width += o->ax;
    }
    return true;
}

void pdf_text_owner(pdf_doc *p, int owner)
{
    p->text_owner = owner;
}

const pdf_text_mark *pdf_text_marks(const pdf_doc *p, size_t *n)
{
    *n = p->nmarks;
    return p->marks;
}

void pdf_text_marks_clear(pdf_doc *p)
{
    p->nmarks = 0;
}

/* Keeps a run as a mark (pdf_text_owner): its advance measured without trailing spaces. */
static void keep_mark(pdf_doc *p, const pdf_font *f, double size, double x, double y, int angle,
                      const char *s, size_t len, bool rtl, const char *lang)
{
    size_t n = len;
    while (n > 0 && s[n - 1] == ' ')
        n--;
    if (n == 0 || !grow_to((void **)&p->marks, &p->capmarks, p->nmarks + 1, sizeof *p->marks))
        return;
    pdf_text_mark *m = &p->marks[p->nmarks++];
    m->owner = p->text_owner;
    m->x = x;
    m->y = y;
    m->width = n == len ? p->line.width : pdf_text_run_width(f, s, n, size, rtl, lang);
    m->size = size;
    m->angle = angle;
    if (!pdf_text_ink(f, s, n, rtl, lang, &m->above, &m->below))
        m->above = 0.8, m->below = 0.2; /* an em box, when the ink cannot be read */
    size_t k = n < sizeof m->text - 1 ? n : sizeof m->text - 1;
    while (k > 0 && k < n && ((unsigned char)s[k] & 0xC0) == 0x80) /* not inside a character */
        k--;
    memcpy(m->text, s, k);
    m->text[k] = '\0';
}

void pdf_text(pdf_doc *p, pdf_font *f, double size, double x, double y, int angle, const char *s,
              size_t len, const colour *c)
{
    pdf_text_run(p, f, size, x, y, angle, s, len, c, false, NULL);
}

void pdf_text_run(pdf_doc *p, pdf_font *f, double size, double x, double y, int angle, const char *s,
                  size_t len, const colour *c, bool rtl, const char *lang)
{
    if (p->error || !p->page || len == 0)
        return;
    p->line.n = 0;
    p->line.width = 0;
    line_ctx lc = { size / (double)f->upem };
    if (!for_words(f, s, len, rtl, lang, add_glyphs, &lc))
        return;
    if (p->text_owner >= 0)
        keep_mark(p, f, size, x, y, angle, s, len, rtl, lang);
    char why[256];
    colour tc;
    bool pushed = text_colour(p, c, &tc);
    if (!fontembed_show(p->emb, f->ef, size, x, y, angle, &tc, &p->line, s, len, rtl ? SHAPE_RTL : SHAPE_LTR,
                        why, sizeof why))
        text_error(p, f->file, why);
    if (pushed)
        HPDF_Page_GRestore(p->page);
}

void pdf_line_dashed(pdf_doc *p, double x1, double y1, double x2, double y2, double line_w,
                     const double dash[2], const colour *c)
{
    if (p->error || !p->page)
        return;
    /* SetDash takes whole units: draw in tenths of a point */
    HPDF_UINT16 pat[2] = { (HPDF_UINT16)(dash[0] * 10 + 0.5), (HPDF_UINT16)(dash[1] * 10 + 0.5) };
    HPDF_Page_GSave(p->page);
    HPDF_Page_Concat(p->page, 0.1f, 0, 0, 0.1f, 0, 0);
    set_stroke(p, c);
    HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)(line_w * 10));
    HPDF_Page_SetDash(p->page, pat, 2, 0);
    HPDF_Page_MoveTo(p->page, (HPDF_REAL)(x1 * 10), (HPDF_REAL)((p->page_h - y1) * 10));
    HPDF_Page_LineTo(p->page, (HPDF_REAL)(x2 * 10), (HPDF_REAL)((p->page_h - y2) * 10));
    HPDF_Page_Stroke(p->page);
    HPDF_Page_GRestore(p->page);
}

void pdf_push(pdf_doc *p, double x, double y, double sx, double sy)
{
    if (p->error || !p->page)
        return;
    HPDF_Page_GSave(p->page);
    /* top-left (u, v) -> (sx u + x, sy v + y); in PDF's bottom-left frame, Y = H - v */
    HPDF_Page_Concat(p->page, (HPDF_REAL)sx, 0, 0, (HPDF_REAL)sy, (HPDF_REAL)x,
                     (HPDF_REAL)(p->page_h - sy * p->page_h - y));
}

void pdf_clip(pdf_doc *p, double x, double y, double w, double h)
{
    if (p->error || !p->page)
        return;
    HPDF_Page_Rectangle(p->page, (HPDF_REAL)x, (HPDF_REAL)(p->page_h - y - h), (HPDF_REAL)w,
                        (HPDF_REAL)h);
    HPDF_Page_Clip(p->page);
    HPDF_Page_EndPath(p->page);
}

void pdf_clip_ellipse(pdf_doc *p, double x, double y, double w, double h)
{
    if (p->error || !p->page)
        return;
    HPDF_Page_Ellipse(p->page, (HPDF_REAL)(x + w / 2), (HPDF_REAL)(p->page_h - y - h / 2), (HPDF_REAL)(w / 2),
                      (HPDF_REAL)(h / 2));
    HPDF_Page_Clip(p->page);
    HPDF_Page_EndPath(p->page);
}

void pdf_pop(pdf_doc *p)
{
    if (p->error || !p->page)
        return;
    HPDF_Page_GRestore(p->page);
}

double pdf_page_height(const pdf_doc *p)
{
    return p->page_h;
}

void *pdf_current_page(pdf_doc *p)
{
    return p->error ? NULL : p->page;
}

void pdf_qr(pdf_doc *p, double x, double y, double m, const qr_code *q, const colour *dark)
{
    if (p->error || !p->page || q->width <= 0)
        return;
    /* One 1-bit stencil mask (ISO 32000-1 8.9.6.2), a sample per module, scaled to the symbol:
     * the dark modules are painted in the fill colour in force, the light ones leave the page
     * (the quiet zone and light modules keep the background drawn under them). It is an inline
     * image (8.9.7), in the content stream: no object per code, compressed with the page. A
     * sample 0 paints (the default /Decode [0 1]); rows pad to whole bytes; the data is
     * hexadecimal (/AHx), so no byte of it can read as the EI that ends it. /I false: no
     * smoothing between modules. */
    HPDF_PageAttr a = (HPDF_PageAttr)p->page->attr;
    if (a->gmode != HPDF_GMODE_PAGE_DESCRIPTION)
        return;
    HPDF_Page_GSave(p->page);
    set_fill(p, dark);
    double side = m * q->width;
    HPDF_Page_Concat(p->page, (HPDF_REAL)side, 0, 0, (HPDF_REAL)side, (HPDF_REAL)x,
                     (HPDF_REAL)(p->page_h - y - side));
    int w = q->width, rowbytes = (w + 7) / 8;
    char head[96];
    snprintf(head, sizeof head, "BI /W %d /H %d /IM true /BPC 1 /I false /F /AHx ID\n", w, w);
    /* two hex digits a byte, a newline a row, the closing ">" */
    size_t len = strlen(head) + (size_t)w * ((size_t)rowbytes * 2 + 1) + 6;
    char *buf = malloc(len);
    if (!buf) {
        on_error(HPDF_FAILD_TO_ALLOC_MEM, 0, p);
        return;
    }
    static const char hex[] = "0123456789ABCDEF";
    size_t n = (size_t)snprintf(buf, len, "%s", head);
    for (int row = 0; row < w; row++) {
        const unsigned char *d = q->dark + (size_t)row * (size_t)w;
        for (int b = 0; b < rowbytes; b++) {
            unsigned v = 0xFF; /* light, and the padding past the last module */
            for (int k = 0; k < 8 && b * 8 + k < w; k++)
                if (d[b * 8 + k])
                    v &= ~(0x80u >> k);
            buf[n++] = hex[v >> 4];
            buf[n++] = hex[v & 15];
        }
        buf[n++] = '\n';
    }
    memcpy(buf + n, ">\nEI\n", 5);
    n += 5;
    if (HPDF_Stream_Write(a->stream, (const HPDF_BYTE *)buf, (HPDF_UINT)n) != HPDF_OK)
        on_error(HPDF_FAILD_TO_ALLOC_MEM, 0, p);
    free(buf);
    HPDF_Page_GRestore(p->page);
}

/* A picture decoded to 8 bits per channel, with its opacity as a soft mask. */
static HPDF_Image load_pixels(pdf_doc *p, const char *path)
{
    image_pixels px;
    char why[sizeof p->message];
    if (!image_decode_png(path, &px, why, sizeof why)) {
        on_error(HPDF_INVALID_PNG_IMAGE, 0, p);
        snprintf(p->message, sizeof p->message, "%s", why);
        return NULL;
    }
    HPDF_Image img = HPDF_LoadRawImageFromMem(p->doc, px.color, (HPDF_UINT)px.width, (HPDF_UINT)px.height,
                                              px.channels == 3 ? HPDF_CS_DEVICE_RGB : HPDF_CS_DEVICE_GRAY, 8);
    if (img && px.alpha) {
        HPDF_Image mask = HPDF_LoadRawImageFromMem(p->doc, px.alpha, (HPDF_UINT)px.width, (HPDF_UINT)px.height,
                                                   HPDF_CS_DEVICE_GRAY, 8);
        if (!mask || HPDF_Image_AddSMask(img, mask) != HPDF_OK)
            img = NULL;
    }
    image_pixels_free(&px);
    return img;
}

bool pdf_image(pdf_doc *p, const char *path, bool png, bool sixteen, double x, double y, double w, double h)
{
    if (p->error || !p->page)
        return false;
    HPDF_Image img = NULL;
    for (size_t i = 0; i < p->nimages && !img; i++)
        if (strcmp(p->images[i].path, path) == 0)
            img = p->images[i].image;
    if (!img) {
        char *copy = strdup(path);
        if (!copy || !GROW(p->images, p->nimages, p->capimages)) {
            free(copy);
            on_error(HPDF_FAILD_TO_ALLOC_MEM, 0, p);
            return false;
        }
        img = png && sixteen ? load_pixels(p, path)
              : png         ? HPDF_LoadPngImageFromFile(p->doc, path)
                            : HPDF_LoadJpegImageFromFile(p->doc, path);
        if (!img) {
            free(copy);
            if (!p->error)
                on_error(png ? HPDF_INVALID_PNG_IMAGE : HPDF_INVALID_JPEG_DATA, 0, p);
            return false;
        }
        if (p->cmyk && pdfx_tag_rgb_image(p->doc, img, &p->srgb) < 0)
            p->untagged++;
        p->images[p->nimages].path = copy;
        p->images[p->nimages++].image = img;
    }
    HPDF_Page_DrawImage(p->page, img, (HPDF_REAL)x, (HPDF_REAL)(p->page_h - y - h), (HPDF_REAL)w,
                        (HPDF_REAL)h);
    return !p->error;
}

void pdf_set_info(pdf_doc *p, const char *title, const char *creator, long long epoch)
{
    if (title && *title)
        HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, title);
    if (creator)
        HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, creator);
    if (epoch >= 0) {
        time_t t = (time_t)epoch;
        struct tm tm;
        if (gmtime_r(&t, &tm)) {
            HPDF_Date d = { tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                            tm.tm_sec, 'Z', 0, 0 };
            HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_CREATION_DATE, d);
            HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_MOD_DATE, d);
        }
    }
}

bool pdf_save(pdf_doc *p, const char *path, char *why, size_t whylen)
{
    if (!p->error && !p->fonts_written) {
        p->fonts_written = true;
        char fwhy[256];
        if (!fontembed_finish(p->emb, fwhy, sizeof fwhy))
            text_error(p, NULL, fwhy);
    }
    if (p->error || HPDF_SaveToStream(p->doc) != HPDF_OK || p->error) {
        snprintf(why, whylen, "%s", p->message);
        return false;
    }
    /* libharu's file, read whole from its memory stream, then compacted (pdfpack.h) */
    HPDF_UINT32 size = HPDF_GetStreamSize(p->doc);
    unsigned char *bytes = malloc(size ? size : 1);
    if (!bytes) {
        snprintf(why, whylen, "out of memory for the PDF (%lu bytes)", (unsigned long)size);
        return false;
    }
    HPDF_ResetStream(p->doc);
    HPDF_UINT32 got = size;
    HPDF_STATUS st = HPDF_ReadFromStream(p->doc, bytes, &got);
    if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || got != size) {
        snprintf(why, whylen, "%s", p->message[0] ? p->message : "could not read libharu's output");
        free(bytes);
        return false;
    }
    HPDF_ResetError(p->doc);
    p->error = 0;
    /* libharu's document (its objects and its copy of the file) is no longer needed: freed
     * now, it does not add to the rewrite's memory; drawing after this does nothing */
    if (p->page)
        pdf_release_saved_states(p->page);
    HPDF_Free(p->doc);
    p->doc = NULL;
    p->page = NULL;
    atomic_file a;
    if (!atomic_open_at(&a, path, path, why, whylen)) {
        free(bytes);
        return false;
    }
    bool ok = pdfpack(bytes, size, p->extra.n || p->extra.root ? &p->extra : NULL, &a, why, whylen);
    free(bytes);
    pdfpack_extra_free(&p->extra);
    if (!ok) { /* the temporary file removed; why says what the rewrite found */
        a.err = a.err ? a.err : EIO;
        char fwhy[64];
        atomic_finish(&a, fwhy, sizeof fwhy);
        return false;
    }
    return atomic_finish(&a, why, whylen);
}
