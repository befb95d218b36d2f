/* Unit tests for the text layer (src/shape.c, src/fontembed.c), against tools that are not the
 * code under test:
 *   - a table per script: each row's glyph ids, clusters, advances and offsets from shape_text
 *     equal what `hb-shape` (libharfbuzz-bin) prints for the same font file, face, text, script,
 *     direction and language; the test runs hb-shape itself;
 *   - each row drawn alone with fontembed into a PDF, which qpdf decompresses: the glyph origins
 *     that the content stream's operators and the font's /W give, read as a PDF reader reads
 *     them, are hb-shape's positions (within 1/1000 em);
 *   - pdftotext of that PDF gives the row's text (see expected_text for a quirk of poppler's);
 *   - subset tags: the same glyph set of a face gives the same tag, another set or face another.
 * Fonts: tests/shape_fonts.h. Tools: hb-shape, qpdf, pdftotext. */
#include "unit.h"
#include "fontembed.h"
#include "pdf.h"
#include "shape.h"
#include "shape_fonts.h"
#include "utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct shape_row {
    int n;
    const char *font;
    int index;
    const char *script, *lang;
    shape_dir dir;
    const char *text;
    const char *source; /* where the text comes from and what the row exercises */
} shape_row;

/* ---- the tables ---- */

static const shape_row LATIN[] = {
    { 1, FONT_LIBERATION, 0, "Latn", "en", SHAPE_LTR, "You are not alone",
      "content/en card_headline; kerning Yo" },
    { 2, FONT_LIBERATION, 0, "Latn", "en", SHAPE_LTR, "Text HELP to 233733",
      "content/en tab_text; kerning Te, digits" },
    { 3, FONT_LIBERATION, 0, "Latn", "en", SHAPE_LTR, "AVAILABLE 24/7. WAVY Type",
      "kerning pairs AV, VA, LA, WA, Ty" },
    { 4, FONT_LIBERATION, 0, "Latn", "en", SHAPE_LTR, "office affluent fjord",
      "f-ligature candidates (liga is on by default; Liberation Sans has none)" },
    { 5, FONT_LIBERATION, 0, "Latn", "vi", SHAPE_LTR, "Đường dây nóng quốc gia chống buôn người",
      "content/vi hotline_label; stacked Vietnamese diacritics" },
};

static const shape_row ARABIC[] = {
    { 1, FONT_ARABIC, 0, "Arab", "ar", SHAPE_RTL, "الخط الساخن",
      "\"the hotline\"; initial, medial and final joining forms" },
    { 2, FONT_ARABIC, 0, "Arab", "ar", SHAPE_RTL, "الاتجار بالبشر",
      "\"human trafficking\"; the lam-alef ligature (U+FEFB form)" },
    { 3, FONT_ARABIC, 0, "Arab", "ar", SHAPE_RTL, "لا",
      "lam-alef alone: one glyph for two characters" },
    { 4, FONT_ARABIC, 0, "Arab", "ar", SHAPE_RTL, "مُسَاعَدَة",
      "\"help\" with vowel marks: mark-to-base positioning" },
    { 5, FONT_ARABIC, 0, "Arab", "ar", SHAPE_RTL, "الخط الساخن الوطني لمكافحة الاتجار بالبشر",
      "the sample page's line (tests/shape_sample.c)" },
};

static const shape_row DEVANAGARI[] = {
    { 1, FONT_DEVANAGARI, 0, "Deva", "hi", SHAPE_LTR, "मानव तस्करी",
      "\"human trafficking\"; the conjunct sa+ka (half form)" },
    { 2, FONT_DEVANAGARI, 0, "Deva", "hi", SHAPE_LTR, "हिंदी",
      "\"Hindi\"; i-matra reordered before its consonant, with anusvara" },
    { 3, FONT_DEVANAGARI, 0, "Deva", "hi", SHAPE_LTR, "क्षमा",
      "the conjunct ka+ssa, one glyph" },
    { 4, FONT_DEVANAGARI, 0, "Deva", "hi", SHAPE_LTR, "कार्य",
      "\"work\"; reph (ra+virama above the next consonant)" },
    { 5, FONT_DEVANAGARI, 0, "Deva", "hi", SHAPE_LTR, "मदद के लिए कॉल करें",
      "\"call for help\"; i-matra in li, candra o, e-matra with anusvara" },
};

static const shape_row THAI[] = {
    { 1, FONT_THAI, 0, "Thai", "th", SHAPE_LTR, "สายด่วน", "\"hotline\"; tone mark above" },
    { 2, FONT_THAI, 0, "Thai", "th", SHAPE_LTR, "การค้ามนุษย์",
      "\"human trafficking\"; vowel below, tone mark and thanthakhat above" },
    { 3, FONT_THAI, 0, "Thai", "th", SHAPE_LTR, "ป้าย", "\"sign\"; tone mark beside a tall consonant" },
    { 4, FONT_THAI, 0, "Thai", "th", SHAPE_LTR, "น้ำ", "\"water\"; sara am decomposed around a tone mark" },
};

static const shape_row KHMER[] = {
    { 1, FONT_KHMER, 0, "Khmr", "km", SHAPE_LTR, "លេខទូរស័ព្ទ",
      "\"telephone number\"; pre-base vowel e, subscript consonant (coeng)" },
    { 2, FONT_KHMER, 0, "Khmr", "km", SHAPE_LTR, "ការជួញដូរមនុស្ស", "\"human trafficking\"; coeng sa" },
    { 3, FONT_KHMER, 0, "Khmr", "km", SHAPE_LTR, "ជំនួយ", "\"help\"; nikahit and vowel below" },
    { 4, FONT_KHMER, 0, "Khmr", "km", SHAPE_LTR, "ស្ត្រី", "\"woman\"; coeng ta and coeng ro (drawn before the base)" },
};

static const shape_row MYANMAR[] = {
    { 1, FONT_MYANMAR, 0, "Mymr", "my", SHAPE_LTR, "လူကုန်ကူးမှု",
      "\"human trafficking\"; asat, medial ha, vowels below" },
    { 2, FONT_MYANMAR, 0, "Mymr", "my", SHAPE_LTR, "ကျေးဇူး", "\"thanks\"; pre-base vowel e, medial ya" },
    { 3, FONT_MYANMAR, 0, "Mymr", "my", SHAPE_LTR, "မြန်မာ", "\"Myanmar\"; medial ra around the base" },
};

static const shape_row CJK[] = {
    { 1, FONT_CJK, CJK_SC, "Hani", "zh-Hans", SHAPE_LTR, "全国人口贩卖热线",
      "\"national human trafficking hotline\", Simplified, face 2 of the .ttc" },
    { 2, FONT_CJK, CJK_TC, "Hani", "zh-Hant", SHAPE_LTR, "全國人口販賣熱線", "the same, Traditional, face 3" },
    { 3, FONT_CJK, CJK_JP, "Hani", "ja", SHAPE_LTR, "人身取引ホットライン",
      "\"human trafficking hotline\", Japanese (kanji and katakana), face 0" },
    { 4, FONT_CJK, CJK_KR, "Hang", "ko", SHAPE_LTR, "인신매매 신고 핫라인", "\"human trafficking report hotline\", face 1" },
    { 5, FONT_CJK, CJK_SC, "Hani", "zh-Hans", SHAPE_LTR, "热线：1-888-373-7888。",
      "full-width punctuation with Latin digits" },
};

static const struct {
    const char *name;
    const shape_row *rows;
    size_t n;
} TABLES[] = {
    { "Latin", LATIN, sizeof LATIN / sizeof LATIN[0] },
    { "Arabic", ARABIC, sizeof ARABIC / sizeof ARABIC[0] },
    { "Devanagari", DEVANAGARI, sizeof DEVANAGARI / sizeof DEVANAGARI[0] },
    { "Thai", THAI, sizeof THAI / sizeof THAI[0] },
    { "Khmer", KHMER, sizeof KHMER / sizeof KHMER[0] },
    { "Myanmar", MYANMAR, sizeof MYANMAR / sizeof MYANMAR[0] },
    { "CJK", CJK, sizeof CJK / sizeof CJK[0] },
};

/* ---- hb-shape, the oracle ---- */

typedef struct ref_glyph {
    unsigned g, cl;
    long ax, ay, dx, dy;
} ref_glyph;

static char workdir[] = "/tmp/handout-shape-XXXXXX";

static bool json_long(const char *obj, const char *key, long *v)
{
    const char *k = strstr(obj, key);
    return k && sscanf(k + strlen(key), "%ld", v) == 1;
}

/* Runs hb-shape on the row's text; the glyphs into out (at most max). -1 when hb-shape fails. */
static int hb_shape(const shape_row *r, ref_glyph *out, int max, char *err, size_t errlen)
{
    char txt[300], cmd[1200];
    snprintf(txt, sizeof txt, "%s/text", workdir);
    FILE *f = fopen(txt, "wb");
    if (!f) {
        snprintf(err, errlen, "cannot write %s", txt);
        return -1;
    }
    fputs(r->text, f);
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "hb-shape --font-funcs=ot --output-format=json --no-glyph-names --utf8-clusters "
             "--face-index=%d --script=%s --direction=%s --language=%s --text-file='%s' '%s' 2>&1",
             r->index, r->script, r->dir == SHAPE_RTL ? "rtl" : "ltr", r->lang, txt, r->font);
    FILE *p = popen(cmd, "r");
    if (!p) {
        snprintf(err, errlen, "cannot run hb-shape");
        return -1;
    }
    char buf[65536];
    size_t len = fread(buf, 1, sizeof buf - 1, p);
    buf[len] = '\0';
    int st = pclose(p);
    if (st != 0 || buf[0] != '[') {
        snprintf(err, errlen, "hb-shape failed (status %d): %.200s", st, buf);
        return -1;
    }
    int n = 0;
    for (char *o = strchr(buf, '{'); o && n < max; o = strchr(o + 1, '{')) {
        char *end = strchr(o, '}');
        if (!end)
            break;
        *end = '\0';
        long g, cl;
        ref_glyph *rg = &out[n];
        if (!json_long(o, "\"g\":", &g) || !json_long(o, "\"cl\":", &cl) || !json_long(o, "\"ax\":", &rg->ax) ||
            !json_long(o, "\"ay\":", &rg->ay) || !json_long(o, "\"dx\":", &rg->dx) || !json_long(o, "\"dy\":", &rg->dy)) {
            snprintf(err, errlen, "cannot read hb-shape's glyph %d: %.100s", n, o);
            return -1;
        }
        rg->g = (unsigned)g;
        rg->cl = (unsigned)cl;
        n++;
        o = end;
    }
    return n;
}

/* ---- reading a PDF back: qpdf's uncompressed form, parsed as a reader would ---- */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *s = malloc(cap);
    size_t k;
    while (s && (k = fread(s + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (n + 1 == cap) {
            char *t = realloc(s, cap *= 2);
            if (!t) {
                free(s);
                s = NULL;
            }
            s = t;
        }
    }
    fclose(f);
    if (s)
        s[n] = '\0';
    if (len)
        *len = n;
    return s;
}

typedef struct drawn {
    unsigned code;
    double x, y; /* x in 1/1000 em from the run's start, y (text rise) in points */
} drawn;

/* The widths of /W ("c [w ...]" runs), into w[65536] (1/1000 em). */
static bool parse_w(const char *q, double *w)
{
    const char *p = strstr(q, "/W [");
    if (!p)
        return false;
    p += 4;
    for (;;) {
        while (*p == ' ' || *p == '\n' || *p == '\r')
            p++;
        if (*p == ']')
            return true;
        char *end;
        long c = strtol(p, &end, 10);
        if (end == p || c < 0 || c > 65535)
            return false;
        p = end;
        while (*p == ' ' || *p == '\n' || *p == '\r')
            p++;
        if (*p != '[')
            return false; /* the "first last w" form: not written by fontembed */
        p++;
        for (;;) {
            while (*p == ' ' || *p == '\n' || *p == '\r')
                p++;
            if (*p == ']') {
                p++;
                break;
            }
            double v = strtod(p, &end);
            if (end == p || c > 65535)
                return false;
            w[c++] = v;
            p = end;
        }
    }
}

/* The glyphs of page 1's content: each code with its origin, from Tm, TJ, Ts and /W. */
static int parse_content(const char *q, const double *w, drawn *out, int max)
{
    const char *p = strstr(q, "%% Contents for page 1");
    p = p ? strstr(p, "stream\n") : NULL;
    const char *end = p ? strstr(p, "\nendstream") : NULL;
    if (!p || !end)
        return -1;
    p += 7;
    int n = 0, dict = 0;
    double tx = 0, rise = 0, nums[8];
    int nnum = 0;
    bool in_array = false;
    while (p < end) {
        if (*p == ' ' || *p == '\n' || *p == '\r') {
            p++;
        } else if (p[0] == '<' && p[1] == '<') {
            dict++;
            p += 2;
        } else if (p[0] == '>' && p[1] == '>') {
            dict--;
            p += 2;
        } else if (*p == '<') {
            const char *h = ++p;
            while (p < end && *p != '>')
                p++;
            if (!dict && in_array)
                for (const char *c = h; c + 4 <= p && n < max; c += 4) {
                    unsigned code = 0;
                    sscanf(c, "%4x", &code);
                    out[n].code = code;
                    out[n].x = tx;
                    out[n].y = rise;
                    n++;
                    tx += w[code];
                }
            p++;
        } else if (*p == '[') {
            in_array = true;
            p++;
        } else if (*p == ']') {
            in_array = false;
            p++;
        } else if (*p == '/' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
            const char *t = p;
            while (p < end && *p != ' ' && *p != '\n' && *p != '[' && *p != '<' && *p != '/')
                p++;
            if (!dict && *t != '/') {
                if (p - t == 2 && strncmp(t, "Ts", 2) == 0 && nnum > 0)
                    rise = nums[nnum - 1];
                else if (p - t == 2 && strncmp(t, "Tm", 2) == 0)
                    tx = 0;
                nnum = 0;
            }
            if (*t == '/' && p == t)
                p++;
        } else {
            char *e;
            double v = strtod(p, &e);
            if (e == p)
                return -1;
            p = e;
            if (dict)
                continue;
            if (in_array)
                tx -= v;
            else if (nnum < 8)
                nums[nnum++] = v;
        }
    }
    return n;
}

/* Writes the row drawn alone at 12 pt into path. */
static bool draw_row(const shape_row *r, const char *path, char *err, size_t errlen)
{
    pdf_doc *p = pdf_new();
    shape *s = shape_new();
    fontembed *e = p ? fontembed_new(p) : NULL;
    shape_run run = { 0 };
    bool ok = p && s && e && pdf_page_add(p, 612, 200);
    const shape_face *sf = ok ? shape_face_get(s, r->font, r->index, err, errlen) : NULL;
    fontembed_face *ef = sf ? fontembed_face_get(e, sf, err, errlen) : NULL;
    ok = ef && shape_text(s, sf, r->text, strlen(r->text), 12, r->script, r->dir, r->lang, &run, err, errlen);
    ok = ok && fontembed_show(e, ef, 12, 36, 100, 0, NULL, &run, r->text, strlen(r->text), r->dir, err, errlen);
    ok = ok && fontembed_finish(e, err, errlen);
    unlink(path);
    ok = ok && pdf_save(p, path, err, errlen);
    shape_run_free(&run);
    fontembed_free(e);
    shape_free(s);
    pdf_free(p);
    return ok;
}

/* The code points of s with U+202A..U+202E and trailing white space removed (pdftotext marks an
 * RTL line with an embedding). */
static size_t clean_text(const char *s, uint32_t *out, size_t max)
{
    size_t n = 0, len = strlen(s);
    for (size_t i = 0; i < len && n < max;) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, len - i, &cp);
        if (k == 0)
            break;
        i += k;
        if (cp < 0x202A || cp > 0x202E)
            out[n++] = cp;
    }
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\n' || out[n - 1] == '\f' || out[n - 1] == '\r'))
        n--;
    return n;
}

/* What pdftotext (poppler 22) should extract from the row: its text, but for a quirk of
 * poppler's that no PDF can avoid: right to left, a glyph that maps to several characters (the
 * lam-alef ligature, mapped to U+0644 U+0627 in logical order as PDF 32000-1 9.10.2 asks) comes
 * out with its characters reversed: poppler adds them left to right and then reverses the line,
 * as pdfminer, pypdf and PyMuPDF do (their issues #850, #1589, #2199); pdf.js reverses such a
 * mapping first (reverseIfRtl) and gets the logical text. ActualText gives the same result in
 * poppler (tried: its characters are added the same way). The ligatures are the clusters where
 * hb-shape gives one glyph for several characters. */
static size_t expected_text(const shape_row *r, const ref_glyph *ref, int nref, uint32_t *out, size_t max)
{
    size_t len = strlen(r->text), n = 0;
    for (size_t i = 0; i < len && n < max;) {
        uint32_t cp;
        size_t k = utf8_decode(r->text + i, len - i, &cp);
        if (k == 0)
            break;
        /* a right-to-left ligature starting here: its characters reversed */
        size_t lig_end = 0;
        int glyphs = 0;
        if (r->dir == SHAPE_RTL) {
            size_t next = len;
            for (int g = 0; g < nref; g++) {
                if (ref[g].cl == i)
                    glyphs++;
                if (ref[g].cl > i && ref[g].cl < next)
                    next = ref[g].cl;
            }
            if (glyphs == 1 && next > i + k)
                lig_end = next;
        }
        if (lig_end) {
            uint32_t tmp[16];
            size_t m = 0;
            for (size_t j = i; j < lig_end && m < 16;) {
                size_t kk = utf8_decode(r->text + j, lig_end - j, &tmp[m]);
                if (kk == 0)
                    break;
                m++;
                j += kk;
            }
            while (m > 0 && n < max)
                out[n++] = tmp[--m];
            i = lig_end;
        } else {
            out[n++] = cp;
            i += k;
        }
    }
    return n;
}

static int cmp_cp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Drops white space (which pdftotext adds or not between a mark's line and the rest). */
static size_t drop_space(uint32_t *cps, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (cps[i] != ' ' && cps[i] != '\n' && cps[i] != '\f')
            cps[k++] = cps[i];
    return k;
}

static void describe_cps(const uint32_t *cps, size_t n, char *buf, size_t size)
{
    size_t at = 0;
    for (size_t i = 0; i < n && at + 10 < size; i++)
        at += (size_t)snprintf(buf + at, size - at, "%s%04X", i ? " " : "", (unsigned)cps[i]);
}

static void test_row(shape *s, const char *table, const shape_row *r)
{
    char name[300], err[600] = "", detail[1200] = "";
    snprintf(name, sizeof name, "shape %s %d (%s): %s", table, r->n, r->source, r->text);

    /* 1. the glyphs against hb-shape's */
    ref_glyph ref[256];
    int nref = hb_shape(r, ref, 256, err, sizeof err);
    shape_run run = { 0 };
    const shape_face *f = shape_face_get(s, r->font, r->index, err, sizeof err);
    bool shaped = nref >= 0 && f &&
                  shape_text(s, f, r->text, strlen(r->text), 12, r->script, r->dir, r->lang, &run, err, sizeof err);
    bool same = shaped && run.n == (size_t)nref;
    double k = f ? shape_face_upem(f) / 12.0 : 0;
    for (int i = 0; same && i < nref; i++) {
        const shape_glyph *g = &run.glyphs[i];
        long ax = lround(g->ax * k), ay = lround(g->ay * k), dx = lround(g->dx * k), dy = lround(g->dy * k);
        same = g->id == ref[i].g && g->cluster == ref[i].cl && ax == ref[i].ax && ay == ref[i].ay &&
               dx == ref[i].dx && dy == ref[i].dy;
        if (!same)
            snprintf(detail, sizeof detail,
                     "glyph %d: ours %u=%u@%ld,%ld+%ld,%ld, hb-shape %u=%u@%ld,%ld+%ld,%ld", i, g->id,
                     g->cluster, dx, dy, ax, ay, ref[i].g, ref[i].cl, ref[i].dx, ref[i].dy, ref[i].ax, ref[i].ay);
    }
    if (!same && !detail[0])
        snprintf(detail, sizeof detail, "%s (ours %zu glyphs, hb-shape %d)", err[0] ? err : "glyph counts differ",
                 run.n, nref);
    char nm[400];
    snprintf(nm, sizeof nm, "%s: equals hb-shape (%d glyphs)", name, nref);
    check(same, nm, detail);

    /* 2. drawn: the glyph origins a reader computes from the PDF */
    char pdf[300], qdf[300], cmd[800];
    snprintf(pdf, sizeof pdf, "%s/row.pdf", workdir);
    snprintf(qdf, sizeof qdf, "%s/row-qdf.pdf", workdir);
    detail[0] = '\0';
    bool drawn_ok = same && draw_row(r, pdf, err, sizeof err);
    if (same && !drawn_ok)
        snprintf(detail, sizeof detail, "%s", err);
    snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable '%s' '%s' 2>&1", pdf, qdf);
    char *q = NULL;
    if (drawn_ok && (system(cmd) != 0 || !(q = read_all(qdf, NULL)))) {
        drawn_ok = false;
        snprintf(detail, sizeof detail, "qpdf could not read the PDF");
    }
    static double w[65536];
    static drawn d[256];
    memset(w, 0, sizeof w);
    int nd = drawn_ok && q && parse_w(q, w) ? parse_content(q, w, d, 256) : -1;
    if (drawn_ok && nd != nref) {
        drawn_ok = false;
        snprintf(detail, sizeof detail, "%d glyphs in the content stream, hb-shape has %d", nd, nref);
    }
    double upem = f ? shape_face_upem(f) : 1000, pen = 0, worst = 0;
    for (int i = 0; drawn_ok && i < nref; i++) {
        double x = (pen + ref[i].dx) * 1000.0 / upem, y = ref[i].dy * 12.0 / upem;
        double dxe = fabs(d[i].x - x), dye = fabs(d[i].y - y) * 1000.0 / 12.0;
        worst = fmax(worst, fmax(dxe, dye));
        /* the code drawn is the glyph id (TrueType) or its CID, which Noto CJK numbers alike */
        if (d[i].code != ref[i].g || dxe > 1.0 || dye > 1.0) {
            drawn_ok = false;
            snprintf(detail, sizeof detail, "glyph %d: drawn %u at (%.2f, %.3f pt), hb-shape %u at (%.2f, %.3f pt)",
                     i, d[i].code, d[i].x, d[i].y, ref[i].g, x, y);
        }
        pen += ref[i].ax;
    }
    snprintf(nm, sizeof nm, "%s: drawn where hb-shape places it (worst %.2f/1000 em)", name, worst);
    check(drawn_ok, nm, detail);
    free(q);

    /* 3. the text that comes back out; right to left with raised marks (Arabic vowel signs),
     * every character, order aside: poppler puts a raised mark on a line of its own, and
     * ActualText, which keeps left-to-right marks in place, is reversed right to left */
    detail[0] = '\0';
    bool any_order = false;
    for (int i = 0; i < nref && r->dir == SHAPE_RTL; i++)
        any_order = any_order || ref[i].dy != 0;
    snprintf(cmd, sizeof cmd, "pdftotext '%s' - 2>&1", pdf);
    char out[4096] = "";
    FILE *p = same ? popen(cmd, "r") : NULL;
    if (p) {
        size_t len = fread(out, 1, sizeof out - 1, p);
        out[len] = '\0';
        pclose(p);
    }
    uint32_t got[512], want[512];
    size_t ngot = clean_text(out, got, 512), nwant = same ? expected_text(r, ref, nref, want, 512) : 0;
    if (any_order) {
        ngot = drop_space(got, ngot);
        nwant = drop_space(want, nwant);
        qsort(got, ngot, sizeof *got, cmp_cp);
        qsort(want, nwant, sizeof *want, cmp_cp);
    }
    bool text_ok = same && ngot == nwant && memcmp(got, want, ngot * sizeof *got) == 0;
    if (!text_ok) {
        char a[300], b[300];
        describe_cps(got, ngot, a, sizeof a);
        describe_cps(want, nwant, b, sizeof b);
        snprintf(detail, sizeof detail, "pdftotext gave \"%.200s\" (%s), expected %s", out, a, b);
    }
    snprintf(nm, sizeof nm, "%s: pdftotext gives %s", name, any_order ? "each character (order aside)" : "the text");
    check(text_ok, nm, detail);
    shape_run_free(&run);
}

/* The subset tag of the face of row r when the texts are drawn into one document. */
static bool tag_of(const shape_row *r, const char *const *texts, int ntexts, char tag[7])
{
    char err[300];
    pdf_doc *p = pdf_new();
    shape *s = shape_new();
    fontembed *e = p ? fontembed_new(p) : NULL;
    shape_run run = { 0 };
    bool ok = p && s && e && pdf_page_add(p, 612, 792);
    const shape_face *sf = ok ? shape_face_get(s, r->font, r->index, err, sizeof err) : NULL;
    fontembed_face *ef = sf ? fontembed_face_get(e, sf, err, sizeof err) : NULL;
    ok = ef != NULL;
    for (int i = 0; ok && i < ntexts; i++)
        ok = shape_text(s, sf, texts[i], strlen(texts[i]), 10, r->script, r->dir, r->lang, &run, err, sizeof err) &&
             fontembed_show(e, ef, 10, 36, 72 + 12 * i, 0, NULL, &run, texts[i], strlen(texts[i]), r->dir, err, sizeof err);
    ok = ok && fontembed_finish(e, err, sizeof err);
    snprintf(tag, 7, "%s", ok ? fontembed_face_tag(ef) : "");
    shape_run_free(&run);
    fontembed_free(e);
    shape_free(s);
    pdf_free(p);
    return ok && strlen(tag) == 6;
}

static void test_tags(void)
{
    static const char *const a[] = { "You are not alone" };
    static const char *const b[] = { "You are not alone", "Text HELP to 233733" };
    static const char *const a_twice[] = { "alone You are not", "You are not alone" };
    char t1[7], t2[7], t3[7], t4[7], t5[7];
    bool ok = tag_of(&LATIN[0], a, 1, t1) && tag_of(&LATIN[0], a, 1, t2) && tag_of(&LATIN[0], b, 2, t3) &&
              tag_of(&LATIN[0], a_twice, 2, t4);
    char detail[120];
    snprintf(detail, sizeof detail, "%s %s %s %s", t1, t2, t3, t4);
    check(ok && strcmp(t1, t2) == 0 && strcmp(t1, t4) == 0,
          "fontembed: the same glyph set of a face gives the same subset tag, in any order", detail);
    check(ok && strcmp(t1, t3) != 0, "fontembed: another glyph set of the face gives another tag", detail);
    static const char *const han[] = { "人口" };
    ok = tag_of(&CJK[0], han, 1, t4) && tag_of(&CJK[1], han, 1, t5);
    snprintf(detail, sizeof detail, "SC %s, TC %s", t4, t5);
    check(ok && strcmp(t4, t5) != 0, "fontembed: the same text in two faces of one .ttc gives two tags", detail);
    bool upper = ok;
    for (int i = 0; i < 6; i++)
        upper = upper && t1[i] >= 'A' && t1[i] <= 'Z' && t4[i] >= 'A' && t4[i] <= 'Z';
    check(upper, "fontembed: a subset tag is six capital letters (PDF 32000-1, 9.6.4)", detail);
}

/* Text at angle 90 reads upwards: pdftotext finds the words, each box taller than wide. */
static void test_rotated(shape *s)
{
    char err[300] = "", pdf[300], cmd[400];
    snprintf(pdf, sizeof pdf, "%s/rot.pdf", workdir);
    const char *text = "You are not alone";
    pdf_doc *p = pdf_new();
    fontembed *e = p ? fontembed_new(p) : NULL;
    shape_run run = { 0 };
    const shape_face *sf = shape_face_get(s, FONT_LIBERATION, 0, err, sizeof err);
    fontembed_face *ef = e && sf ? fontembed_face_get(e, sf, err, sizeof err) : NULL;
    bool ok = ef && pdf_page_add(p, 612, 792) &&
              shape_text(s, sf, text, strlen(text), 12, "Latn", SHAPE_LTR, "en", &run, err, sizeof err) &&
              fontembed_show(e, ef, 12, 300, 700, 90, NULL, &run, text, strlen(text), SHAPE_LTR, err, sizeof err) &&
              fontembed_finish(e, err, sizeof err);
    unlink(pdf);
    ok = ok && pdf_save(p, pdf, err, sizeof err);
    shape_run_free(&run);
    fontembed_free(e);
    pdf_free(p);
    snprintf(cmd, sizeof cmd, "pdftotext -bbox '%s' - 2>&1", pdf);
    char out[8192] = "";
    FILE *f = ok ? popen(cmd, "r") : NULL;
    if (f) {
        out[fread(out, 1, sizeof out - 1, f)] = '\0';
        pclose(f);
    }
    int words = 0, tall = 0;
    for (const char *w = strstr(out, "<word "); w; w = strstr(w + 1, "<word ")) {
        double x0, y0, x1, y1;
        if (sscanf(w, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"", &x0, &y0, &x1, &y1) == 4) {
            words++;
            tall += y1 - y0 > x1 - x0;
        }
    }
    bool found = strstr(out, ">You<") && strstr(out, ">alone<");
    check(ok && words == 4 && tall == 4 && found, "fontembed: text at 90 degrees reads upwards (four tall words)",
          ok ? out : err);
}

static void test_errors(shape *s)
{
    char why[300] = "";
    check(!shape_face_get(s, "/nonexistent/font.ttf", 0, why, sizeof why) && strstr(why, "cannot read"),
          "shape: a missing font file is refused, with its name", why);
    check(!shape_face_get(s, "Makefile", 0, why, sizeof why) && strstr(why, "not an OpenType"),
          "shape: a file that is not a font is refused", why);
    check(!shape_face_get(s, FONT_CJK, 10, why, sizeof why) && strstr(why, "no face 10") && strstr(why, "holds 10"),
          "shape: a face index past the collection's end is refused, with the count", why);
    const shape_face *a = shape_face_get(s, FONT_LIBERATION, 0, why, sizeof why);
    check(a && shape_face_get(s, FONT_LIBERATION, 0, why, sizeof why) == a && shape_face_upem(a) == 2048,
          "shape: a face is loaded once and kept (Liberation Sans: 2048 units per em)", why);
    shape_run run = { 0 };
    check(a && !shape_text(s, a, "ab\xFF", 3, 10, "Latn", SHAPE_LTR, "en", &run, why, sizeof why) &&
              strstr(why, "UTF-8 at byte 2"),
          "shape: invalid UTF-8 is refused with its place", why);
    check(a && !shape_text(s, a, "ab", 2, 10, "Latin", SHAPE_LTR, "en", &run, why, sizeof why) && strstr(why, "ISO 15924"),
          "shape: a script that is not an ISO 15924 tag is refused", why);
    check(a && !shape_text(s, a, "ab", 2, 10, "Latn", SHAPE_LTR, "e n", &run, why, sizeof why) && strstr(why, "BCP 47"),
          "shape: a malformed language tag is refused", why);
    check(a && shape_text(s, a, "ab", 2, 10, NULL, SHAPE_LTR, NULL, &run, why, sizeof why) && run.n == 2,
          "shape: script and language may be left to HarfBuzz to guess", why);
    check(a && shape_text(s, a, "", 0, 10, "Latn", SHAPE_LTR, "en", &run, why, sizeof why) && run.n == 0 && run.width == 0,
          "shape: an empty run has no glyphs", why);
    shape_run_free(&run);

    pdf_doc *p = pdf_new();
    fontembed *e = p ? fontembed_new(p) : NULL;
    /* a file that is not a font is refused by shape_face_get, before fontembed sees it (above) */
    fontembed_face *ef = e && a ? fontembed_face_get(e, a, why, sizeof why) : NULL;
    check(ef && fontembed_face_get(e, a, why, sizeof why) == ef,
          "fontembed: a face is made once per file and index", why);
    shape_text(s, a, "x", 1, 10, "Latn", SHAPE_LTR, "en", &run, why, sizeof why);
    check(ef && !fontembed_show(e, ef, 10, 0, 0, 0, NULL, &run, "x", 1, SHAPE_LTR, why, sizeof why) && strstr(why, "no page"),
          "fontembed: drawing before the first page is refused", why);
    check(e && fontembed_finish(e, why, sizeof why) && !fontembed_finish(e, why, sizeof why) && strstr(why, "already"),
          "fontembed: the fonts are written once", why);
    shape_run_free(&run);
    fontembed_free(e);
    pdf_free(p);
}

void test_shape(void)
{
    if (!mkdtemp(workdir)) {
        check(0, "shape: a work folder", NULL);
        return;
    }
    shape *s = shape_new();
    if (!s) {
        check(0, "shape: shape_new", NULL);
        return;
    }
    for (size_t t = 0; t < sizeof TABLES / sizeof TABLES[0]; t++)
        for (size_t i = 0; i < TABLES[t].n; i++)
            test_row(s, TABLES[t].name, &TABLES[t].rows[i]);
    test_tags();
    test_rotated(s);
    test_errors(s);
    shape_free(s);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", workdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", workdir);
}
