/* fontembed: Type0 fonts with Identity-H, written through libharu's object layer, their font
 * programs made with hb-subset, and shaped runs drawn with them (see fontembed.h).
 *
 * Drawing: each run is one text object, "q <colour> BT /Fn size Tf <matrix> Tm ... ET Q". The pen
 * is followed in 1/1000 em (TJ units): where the shaped position of a glyph differs from where
 * the widths of the glyphs before it leave the text position (kerning, a mark's zero advance, an
 * offset), a TJ number moves it; a vertical offset is a text rise (Ts). Widths (/W) are the
 * glyphs' nominal advances rounded to 1/32 of a unit, a binary fraction libharu writes exactly,
 * and the pen is followed with those same values, so positions stay within 1/2000 em of
 * HarfBuzz's. */
#include "fontembed.h"
#include "grow.h"
#include "sha256.h"
#include "utf8.h"

#include <hb-ot.h>
#include <hb-subset.h>
#include <hpdf.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NO_TEXT = UINT32_MAX };

/* The characters a glyph stands for in the ToUnicode map: len code points at off in the
 * face's pool; off NO_TEXT: none yet. */
typedef struct glyph_text {
    uint32_t off, len;
} glyph_text;

struct fontembed_face {
    char *file;
    int index;
    hb_face_t *face; /* shape.c's, referenced: the file is read once */
    hb_font_t *font; /* shape.c's, at the scale of units per em: advances and the character map */
    unsigned upem, nglyphs;
    bool cff;
    uint16_t *cid; /* a CID-keyed CFF font: each glyph's CID (its charset), the code drawn */
    char psname[64];
    char tag[7];
    unsigned char *used; /* a bit per glyph */
    glyph_text *map;     /* per glyph */
    uint32_t *pool;
    size_t npool, cappool;
    HPDF_Dict type0; /* made at the first fontembed_show, completed by fontembed_finish */
};

struct fontembed {
    pdf_doc *p;
    fontembed_face **faces; /* each allocated alone: callers keep pointers */
    size_t nfaces, capfaces;
    bool finished;
    HPDF_MMgr mmgr; /* the document's, known from the first page drawn on */
    HPDF_Xref xref;
    char *buf; /* the operators of the run being drawn */
    size_t nbuf, capbuf;
    bool oom;
    uint32_t *cps; /* scratch: code points of a cluster, and of what its glyphs map to */
    size_t capcps;
};

/* ---- small helpers ---- */

static uint32_t be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A glyph's advance in 1/1000 em rounded to 1/32: the value /W carries. */
static double width_of(const fontembed_face *f, uint32_t gid)
{
    hb_position_t adv = hb_font_get_glyph_h_advance(f->font, gid);
    return round((double)adv * 1000.0 / f->upem * 32.0) / 32.0;
}

static void put(fontembed *e, const char *s, size_t n)
{
    if (e->oom)
        return;
    if (!grow_to((void **)&e->buf, &e->capbuf, e->nbuf + n + 1, 1)) {
        e->oom = true;
        return;
    }
    memcpy(e->buf + e->nbuf, s, n);
    e->nbuf += n;
}

static void puts_(fontembed *e, const char *s)
{
    put(e, s, strlen(s));
}

/* A number with at most `decimals` decimals, trailing zeros dropped; no locale, no exponent. */
static void put_num(fontembed *e, double v, int decimals)
{
    long long scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    long long q = llround(v * (double)scale);
    char s[48];
    size_t n = 0;
    if (q < 0) {
        s[n++] = '-';
        q = -q;
    }
    n += (size_t)snprintf(s + n, sizeof s - n, "%lld", q / scale);
    long long frac = q % scale;
    if (frac) {
        char digits[24];
        snprintf(digits, sizeof digits, "%0*lld", decimals, frac);
        size_t k = strlen(digits);
        while (k > 0 && digits[k - 1] == '0')
            k--;
        s[n++] = '.';
        memcpy(s + n, digits, k);
        n += k;
    }
    put(e, s, n);
}

static void put_hex4(fontembed *e, uint32_t v)
{
    char s[8];
    snprintf(s, sizeof s, "%04X", (unsigned)(v & 0xFFFF));
    put(e, s, 4);
}

/* UTF-16BE code units of cp, as hexadecimal. */
static void put_utf16(fontembed *e, uint32_t cp)
{
    if (cp >= 0x10000) {
        cp -= 0x10000;
        put_hex4(e, 0xD800 + (cp >> 10));
        put_hex4(e, 0xDC00 + (cp & 0x3FF));
    } else
        put_hex4(e, cp);
}

static bool need_cps(fontembed *e, size_t n)
{
    return grow_to((void **)&e->cps, &e->capcps, n, sizeof *e->cps);
}

/* Decodes text[a, b) into e->cps from position at; returns the count, or (size_t)-1. */
static size_t decode(fontembed *e, const char *text, size_t a, size_t b, size_t at)
{
    if (!need_cps(e, at + (b - a) + 1))
        return (size_t)-1;
    size_t n = 0;
    while (a < b) {
        uint32_t cp;
        size_t k = utf8_decode(text + a, b - a, &cp);
        if (k == 0)
            return (size_t)-1;
        e->cps[at + n++] = cp;
        a += k;
    }
    return n;
}

/* ---- CFF (Adobe Technical Note #5176): whether a font is CID-keyed, and its charset ---- */

/* An INDEX at *pos: its count, and its first item's bounds; *pos moves past it. */
static bool cff_index(const unsigned char *d, size_t n, size_t *pos, unsigned *count, size_t *a, size_t *b)
{
    if (*pos + 2 > n)
        return false;
    *count = be16(d + *pos);
    if (*count == 0) {
        *pos += 2;
        *a = *b = 0;
        return true;
    }
    if (*pos + 3 > n)
        return false;
    unsigned osz = d[*pos + 2];
    size_t offs = *pos + 3, base = offs + ((size_t)*count + 1) * osz - 1;
    if (osz < 1 || osz > 4 || offs + ((size_t)*count + 1) * osz > n)
        return false;
    size_t o[3];
    size_t at[3] = { 0, 1, *count };
    for (int k = 0; k < 3; k++) {
        o[k] = 0;
        for (unsigned j = 0; j < osz; j++)
            o[k] = o[k] << 8 | d[offs + at[k] * osz + j];
    }
    if (o[0] < 1 || o[1] < o[0] || o[2] < o[1] || base + o[2] > n)
        return false;
    *a = base + o[0];
    *b = base + o[1];
    *pos = base + o[2];
    return true;
}

/* The Top DICT: whether it has ROS (12 30), and its charset (15) and CharStrings (17) offsets. */
static bool cff_top(const unsigned char *d, size_t a, size_t b, bool *ros, long *charset, long *charstrings)
{
    long stack[48];
    int sp = 0;
    *ros = false;
    *charset = 0;
    *charstrings = -1;
    while (a < b) {
        unsigned b0 = d[a];
        if (b0 <= 21) {
            unsigned op = b0;
            if (b0 == 12) {
                if (a + 1 >= b)
                    return false;
                op = 1200 + d[++a];
            }
            a++;
            if (op == 1230)
                *ros = true;
            else if (op == 15 && sp > 0)
                *charset = stack[sp - 1];
            else if (op == 17 && sp > 0)
                *charstrings = stack[sp - 1];
            sp = 0;
            continue;
        }
        long v;
        if (b0 == 28 && a + 2 < b) {
            v = (int16_t)be16(d + a + 1);
            a += 3;
        } else if (b0 == 29 && a + 4 < b) {
            v = (int32_t)be32(d + a + 1);
            a += 5;
        } else if (b0 == 30) { /* a real: nibbles up to 0xf */
            a++;
            while (a < b && (d[a] & 0x0F) != 0x0F && (d[a] & 0xF0) != 0xF0)
                a++;
            a++;
            v = 0;
        } else if (b0 >= 32 && b0 <= 246) {
            v = (long)b0 - 139;
            a++;
        } else if (b0 >= 247 && b0 <= 250 && a + 1 < b) {
            v = ((long)b0 - 247) * 256 + d[a + 1] + 108;
            a += 2;
        } else if (b0 >= 251 && b0 <= 254 && a + 1 < b) {
            v = -((long)b0 - 251) * 256 - d[a + 1] - 108;
            a += 2;
        } else
            return false;
        if (sp < 48)
            stack[sp++] = v;
    }
    return true;
}

/* Reads a CFF table: its glyph count and, when it is CID-keyed, each glyph's CID (malloc'd into
 * *cids; NULL for a name-keyed font). False when the table is malformed. */
static bool cff_read(const unsigned char *d, size_t n, unsigned *nglyphs, uint16_t **cids)
{
    *cids = NULL;
    if (n < 4 || d[2] < 4)
        return false;
    size_t pos = d[2], a, b;
    unsigned count;
    if (!cff_index(d, n, &pos, &count, &a, &b) || !cff_index(d, n, &pos, &count, &a, &b) || count < 1)
        return false;
    bool ros;
    long charset, charstrings;
    if (!cff_top(d, a, b, &ros, &charset, &charstrings) || charstrings <= 0 || (size_t)charstrings + 2 > n)
        return false;
    *nglyphs = be16(d + charstrings);
    if (!ros)
        return true;
    if (charset <= 2 || (size_t)charset >= n || *nglyphs == 0)
        return false;
    uint16_t *c = malloc(*nglyphs * sizeof *c);
    if (!c)
        return false;
    c[0] = 0;
    size_t p = (size_t)charset + 1;
    unsigned g = 1, format = d[charset];
    bool ok = format <= 2;
    while (ok && g < *nglyphs) {
        if (format == 0) {
            ok = p + 2 <= n;
            if (ok)
                c[g++] = (uint16_t)be16(d + p), p += 2;
            continue;
        }
        size_t rec = format == 1 ? 3 : 4;
        ok = p + rec <= n;
        if (!ok)
            break;
        unsigned first = be16(d + p), left = format == 1 ? d[p + 2] : be16(d + p + 2);
        p += rec;
        for (unsigned k = 0; k <= left && g < *nglyphs; k++)
            c[g++] = (uint16_t)(first + k);
    }
    if (!ok) {
        free(c);
        return false;
    }
    *cids = c;
    return true;
}

/* The code a glyph is drawn with, which is its CID: the glyph id, or its CID from the charset of
 * a CID-keyed CFF font. */
static uint32_t code_of(const fontembed_face *f, uint32_t gid)
{
    return f->cid ? f->cid[gid] : gid;
}

/* ---- faces ---- */

fontembed *fontembed_new(pdf_doc *p)
{
    fontembed *e = calloc(1, sizeof *e);
    if (e)
        e->p = p;
    return e;
}

static void face_free(fontembed_face *f)
{
    if (!f)
        return;
    hb_font_destroy(f->font);
    hb_face_destroy(f->face);
    free(f->used);
    free(f->map);
    free(f->cid);
    free(f->pool);
    free(f->file);
    free(f);
}

void fontembed_free(fontembed *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->nfaces; i++)
        face_free(e->faces[i]);
    free(e->faces);
    free(e->buf);
    free(e->cps);
    free(e);
}

/* The PostScript name from the name table, reduced to what a PDF name and a BaseFont may
 * hold (printable ASCII but delimiters), or made from the file's name. */
static void face_psname(fontembed_face *f)
{
    char raw[128];
    unsigned n = sizeof raw;
    n = hb_ot_name_get_utf8(f->face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &n, raw) ? n : 0;
    if (n == 0) {
        const char *base = strrchr(f->file, '/');
        snprintf(raw, sizeof raw, "%s", base ? base + 1 : f->file);
        char *dot = strrchr(raw, '.');
        if (dot)
            *dot = '\0';
        n = (unsigned)strlen(raw);
    }
    size_t k = 0;
    for (unsigned i = 0; i < n && k + 1 < sizeof f->psname; i++) {
        unsigned char c = (unsigned char)raw[i];
        if (c > 32 && c < 127 && !strchr("()<>[]{}/%#", c))
            f->psname[k++] = (char)c;
    }
    if (k == 0)
        k = (size_t)snprintf(f->psname, sizeof f->psname, "Font");
    f->psname[k] = '\0';
}

static bool has_table(hb_face_t *face, hb_tag_t tag)
{
    hb_blob_t *b = hb_face_reference_table(face, tag);
    bool has = hb_blob_get_length(b) > 0;
    hb_blob_destroy(b);
    return has;
}

fontembed_face *fontembed_face_get(fontembed *e, const shape_face *sf, char *why, size_t whylen)
{
    const char *file = shape_face_file(sf);
    int index = shape_face_index(sf);
    for (size_t i = 0; i < e->nfaces; i++)
        if (e->faces[i]->index == index && strcmp(e->faces[i]->file, file) == 0)
            return e->faces[i];
    fontembed_face *f = calloc(1, sizeof *f);
    if (!f || !(f->file = strdup(file)) || !GROW(e->faces, e->nfaces, e->capfaces)) {
        face_free(f);
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    f->index = index;
    /* the file as shape.c read it: one blob, face and font per file and index */
    f->face = hb_face_reference(shape_face_hb_face(sf));
    f->upem = hb_face_get_upem(f->face);
    f->nglyphs = hb_face_get_glyph_count(f->face);
    bool glyf = has_table(f->face, HB_TAG('g', 'l', 'y', 'f'));
    bool cff = has_table(f->face, HB_TAG('C', 'F', 'F', ' '));
    if (f->nglyphs == 0 || f->nglyphs > 65535 || (!glyf && !cff)) {
        bool cff2 = has_table(f->face, HB_TAG('C', 'F', 'F', '2'));
        snprintf(why, whylen, "%s: face %d %s", file, index,
                 cff2 ? "has CFF2 (variable) outlines, which a PDF cannot embed"
                 : f->nglyphs == 0 ? "has no glyphs"
                 : f->nglyphs > 65535 ? "has more glyphs than a PDF font may hold"
                                      : "has no TrueType (glyf) or CFF outlines");
        face_free(f);
        return NULL;
    }
    f->cff = !glyf;
    if (f->cff) {
        hb_blob_t *cb = hb_face_reference_table(f->face, HB_TAG('C', 'F', 'F', ' '));
        unsigned clen = 0, ncff = 0;
        const unsigned char *cd = (const unsigned char *)hb_blob_get_data(cb, &clen);
        bool ok = cff_read(cd, clen, &ncff, &f->cid) && ncff == f->nglyphs;
        hb_blob_destroy(cb);
        if (!ok || !f->cid) {
            /* a name-keyed CFF font (most Latin .otf) would be drawn by glyph id, the subset
             * keeping the ids (CIDFontType0C, PDF 2.0 9.7.4.2); no such font is installed to
             * test it on, so it is refused until one is */
            snprintf(why, whylen, "%s: face %d has %s", file, index,
                     ok ? "CFF outlines that are not CID-keyed, which are not embedded yet"
                        : "a CFF table that cannot be read");
            face_free(f);
            return NULL;
        }
    }
    f->font = hb_font_reference(shape_face_hb_font(sf)); /* at the scale of units per em */
    f->used = calloc((f->nglyphs + 7) / 8, 1);
    f->map = malloc(f->nglyphs * sizeof *f->map);
    if (!f->used || !f->map) {
        face_free(f);
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    for (unsigned g = 0; g < f->nglyphs; g++)
        f->map[g].off = NO_TEXT, f->map[g].len = 0;
    face_psname(f);
    e->faces[e->nfaces++] = f;
    return f;
}

const char *fontembed_face_tag(const fontembed_face *f)
{
    return f->tag;
}

/* ---- what each glyph stands for ---- */

static bool set_text(fontembed_face *f, uint32_t gid, const uint32_t *cps, size_t n)
{
    if (n == 0 || f->map[gid].off != NO_TEXT)
        return true;
    if (!grow_to((void **)&f->pool, &f->cappool, f->npool + n, sizeof *f->pool))
        return false;
    memcpy(f->pool + f->npool, cps, n * sizeof *cps);
    f->map[gid].off = (uint32_t)f->npool;
    f->map[gid].len = (uint32_t)n;
    f->npool += n;
    return true;
}

/* Gives the glyphs g[0..k) of one cluster, whose characters are e->cps[0..nc), what they stand
 * for where they stand for nothing yet: one glyph, the whole cluster (a ligature included); of
 * several, each glyph that the character map gives for one of the characters, that character,
 * and the first other glyph (in logical order) the characters left. Then tells whether the map
 * reads the cluster back in logical order; if not, the cluster needs ActualText. -1: no memory. */
static int cluster_map(fontembed *e, fontembed_face *f, const shape_glyph *g, size_t k, size_t nc,
                       bool rtl)
{
    uint32_t *chars = e->cps;
    if (k == 1) {
        if (!set_text(f, g[0].id, chars, nc))
            return -1;
    } else {
        /* scratch after the characters: taken flags, then the leftover characters */
        if (!need_cps(e, 3 * nc + 1))
            return -1;
        chars = e->cps;
        uint32_t *taken = chars + nc, *left = chars + 2 * nc;
        for (size_t i = 0; i < nc; i++)
            taken[i] = 0;
        size_t first_free = k; /* the first glyph in logical order that the map does not give */
        for (size_t j = 0; j < k; j++) {
            size_t gi = rtl ? k - 1 - j : j;
            bool found = false;
            for (size_t i = 0; i < nc && !found; i++) {
                hb_codepoint_t nominal;
                if (!taken[i] && hb_font_get_nominal_glyph(f->font, chars[i], &nominal) && nominal == g[gi].id) {
                    taken[i] = 1;
                    found = true;
                    if (!set_text(f, g[gi].id, &chars[i], 1))
                        return -1;
                }
            }
            if (!found && first_free == k)
                first_free = gi;
        }
        if (first_free < k) {
            size_t nl = 0;
            for (size_t i = 0; i < nc; i++)
                if (!taken[i])
                    left[nl++] = chars[i];
            if (!set_text(f, g[first_free].id, left, nl))
                return -1;
        }
    }
    /* read it back: the glyphs' texts in logical order against the cluster's characters */
    size_t at = 0;
    for (size_t j = 0; j < k; j++) {
        const glyph_text *t = &f->map[g[rtl ? k - 1 - j : j].id];
        if (t->off == NO_TEXT)
            continue;
        if (at + t->len > nc || memcmp(f->pool + t->off, chars + at, t->len * sizeof *chars) != 0)
            return 1;
        at += t->len;
    }
    return at == nc ? 0 : 1;
}

/* ---- drawing ---- */

static bool fail(fontembed *e, char *why, size_t whylen, const char *what)
{
    if (pdf_failed(e->p))
        snprintf(why, whylen, "%s: %s", what, pdf_error(e->p));
    else
        snprintf(why, whylen, "%s", what);
    return false;
}

static void put_colour(fontembed *e, const colour *c)
{
    if (!c || c->space == COLOUR_NONE) {
        puts_(e, "0 g\n");
        return;
    }
    int n = c->space == COLOUR_CMYK ? 4 : 3;
    for (int i = 0; i < n; i++) {
        put_num(e, c->c[i], 4);
        puts_(e, " ");
    }
    puts_(e, n == 4 ? "k\n" : "rg\n");
}

/* The text of the logical range [a, b) as ActualText: UTF-16BE with its byte-order mark. */
static bool put_actual(fontembed *e, const char *text, size_t a, size_t b)
{
    puts_(e, "/Span <</ActualText <FEFF");
    while (a < b) {
        uint32_t cp;
        size_t k = utf8_decode(text + a, b - a, &cp);
        if (k == 0)
            return false;
        put_utf16(e, cp);
        a += k;
    }
    puts_(e, ">>> BDC\n");
    return true;
}

/* Ends the glyph string and the TJ array being written, if any. */
static void close_array(fontembed *e, bool *in_array, bool *in_hex)
{
    if (*in_hex)
        puts_(e, ">");
    if (*in_array)
        puts_(e, "] TJ\n");
    *in_array = *in_hex = false;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Where a cluster's text ends: the next larger cluster of the run, or the text's end. */
static size_t cluster_end(const uint32_t *sorted, size_t n, uint32_t c, size_t len)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sorted[mid] <= c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n ? sorted[lo] : len;
}

/* The page to draw on and face f's name in its resources (its Type0 font made on first use);
 * returns what is wrong, NULL when it may be drawn at size. */
static const char *font_on_page(fontembed *e, fontembed_face *f, double size, HPDF_Page *pagep, const char **namep)
{
    if (e->finished)
        return "text drawn after the fonts were written (fontembed_finish)";
    HPDF_Page page = pdf_current_page(e->p);
    if (!page)
        return "no page to draw on";
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    if (attr->gmode != HPDF_GMODE_PAGE_DESCRIPTION)
        return "text drawn inside a path or text object";
    if (!(size > 0) || size > 10000)
        return "a font size is more than 0 and at most 10000 points";
    if (!f->type0) {
        HPDF_Dict d = HPDF_Dict_New(page->mmgr);
        if (!d || HPDF_Xref_Add(attr->xref, d) != HPDF_OK || HPDF_Dict_AddName(d, "Type", "Font") != HPDF_OK ||
            HPDF_Dict_AddName(d, "Subtype", "Type0") != HPDF_OK || HPDF_Dict_AddName(d, "Encoding", "Identity-H") != HPDF_OK)
            return "cannot make a font object";
        f->type0 = d;
        e->mmgr = page->mmgr;
        e->xref = attr->xref;
    }
    *namep = HPDF_Page_GetLocalFontName(page, f->type0);
    if (!*namep)
        return "cannot add the font to the page's resources";
    *pagep = page;
    return NULL;
}

/* A run being drawn: its glyphs, their clusters, and the TJ array being written. */
typedef struct glyph_show {
    fontembed *e;
    fontembed_face *f;
    const shape_glyph *g;
    size_t n;
    const char *text;
    size_t len;
    uint32_t *sorted;      /* the run's clusters, each once, in order (nsorted) */
    size_t nsorted;
    unsigned char *actual; /* per glyph: its cluster is given as ActualText */
    double *at;            /* each glyph's place, x then y, in 1/1000 em from the run's start */
    double cur_x, rise;    /* where the text position is, and its rise */
    bool in_array, in_hex; /* a TJ array open, a glyph string in it open */
} glyph_show;

/* The clusters' ends (s->sorted), and for each cluster (a group of glyphs in drawing order)
 * whether it needs ActualText (s->actual); each glyph marked used in the face. Returns what is
 * wrong, NULL when done; the caller frees the arrays either way. */
static const char *mark_clusters(glyph_show *s, bool rtl)
{
    const shape_glyph *g = s->g;
    size_t n = s->n;
    s->sorted = malloc(n * sizeof *s->sorted);
    s->actual = malloc(n);
    if (!s->sorted || !s->actual)
        return "out of memory";
    for (size_t i = 0; i < n; i++) {
        if (g[i].id >= s->f->nglyphs || g[i].cluster >= s->len)
            return "a glyph or cluster outside the font or the text";
        s->sorted[i] = g[i].cluster;
        s->f->used[g[i].id / 8] |= (unsigned char)(1u << (g[i].id % 8));
    }
    qsort(s->sorted, n, sizeof *s->sorted, cmp_u32);
    s->nsorted = 0;
    for (size_t i = 0; i < n; i++)
        if (s->nsorted == 0 || s->sorted[s->nsorted - 1] != s->sorted[i])
            s->sorted[s->nsorted++] = s->sorted[i];
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && g[j].cluster == g[i].cluster)
            j++;
        size_t end = cluster_end(s->sorted, s->nsorted, g[i].cluster, s->len);
        size_t nc = decode(s->e, s->text, g[i].cluster, end, 0);
        int r = nc == (size_t)-1 ? -1 : cluster_map(s->e, s->f, g + i, j - i, nc, rtl);
        if (r < 0)
            return "out of memory, or text that is not UTF-8";
        /* left to right, a cluster with a glyph off its pen position (a mark placed by GPOS)
         * is given as ActualText too: poppler reads such a mark's origin as the start of
         * another word, or another line when it is raised (Khmer and Myanmar marks come apart
         * at 8 to 14 pt). Right to left, ActualText would not help: poppler reverses its
         * characters (see fontembed.h) */
        for (size_t m = i; m < j && r == 0 && !rtl; m++)
            if (g[m].dx != 0 || g[m].dy != 0)
                r = 1;
        memset(s->actual + i, r, j - i);
        i = j;
    }
    return NULL;
}

/* Writes the text object's start: colour c, the font (name at size), the text matrix at (x, y)
 * turned by angle. Empties the buffer first. */
static void begin_text(fontembed *e, const char *name, double size, double x, double y, int angle,
                       const colour *c)
{
    e->nbuf = 0;
    e->oom = false;
    puts_(e, "q\n");
    put_colour(e, c);
    puts_(e, "BT\n/");
    puts_(e, name);
    puts_(e, " ");
    put_num(e, size, 3);
    puts_(e, " Tf\n");
    double px = x, py = pdf_page_height(e->p) - y;
    puts_(e, angle == 90 ? "0 1 -1 0 " : angle == 270 ? "0 -1 1 0 " : "1 0 0 1 ");
    put_num(e, px, 3);
    puts_(e, " ");
    put_num(e, py, 3);
    puts_(e, " Tm\n");
}

/* Where each glyph goes (s->at), in 1/1000 em from the run's start; false when out of memory. */
static bool glyph_places(glyph_show *s, double size)
{
    const double te = 1000.0 / size; /* points to 1/1000 em */
    s->at = malloc(2 * s->n * sizeof *s->at);
    if (!s->at)
        return false;
    double pen_x = 0, pen_y = 0;
    for (size_t i = 0; i < s->n; i++) {
        s->at[2 * i] = pen_x + s->g[i].dx * te;
        s->at[2 * i + 1] = pen_y + s->g[i].dy * te;
        pen_x += s->g[i].ax * te;
        pen_y += s->g[i].ay * te;
    }
    return true;
}

/* Glyph i starts a span of consecutive clusters that need ActualText: the span opened over its
 * logical range. False when out of memory or the text is not UTF-8. */
static bool open_actual(glyph_show *s, size_t i)
{
    size_t a = s->len, b = 0;
    for (size_t j = i; j < s->n && s->actual[j]; j++) {
        size_t end = cluster_end(s->sorted, s->nsorted, s->g[j].cluster, s->len);
        a = s->g[j].cluster < a ? s->g[j].cluster : a;
        b = end > b ? end : b;
    }
    close_array(s->e, &s->in_array, &s->in_hex);
    return put_actual(s->e, s->text, a, b);
}

/* Writes glyph i (at size): its rise, its offset from where the last one left the text position,
 * its code, and the ActualText span it opens or closes. False when out of memory or the text is
 * not UTF-8. */
static bool put_glyph(glyph_show *s, size_t i, double size)
{
    fontembed *e = s->e;
    bool ok = true;
    if (s->actual[i] && (i == 0 || !s->actual[i - 1]))
        ok = open_actual(s, i);
    double tx = s->at[2 * i], ty_pt = round(s->at[2 * i + 1] * size) / 1000.0;
    if (ty_pt != s->rise) {
        close_array(e, &s->in_array, &s->in_hex);
        put_num(e, ty_pt, 3);
        puts_(e, " Ts\n");
        s->rise = ty_pt;
    }
    if (!s->in_array) {
        puts_(e, "[");
        s->in_array = true;
    }
    double adj = tx - s->cur_x;
    if (fabs(adj) >= 0.5) {
        double q = round(adj * 100.0) / 100.0;
        if (s->in_hex)
            puts_(e, ">");
        s->in_hex = false;
        put_num(e, -q, 2);
        s->cur_x += q;
    }
    if (!s->in_hex) {
        puts_(e, "<");
        s->in_hex = true;
    }
    put_hex4(e, code_of(s->f, s->g[i].id));
    s->cur_x += width_of(s->f, s->g[i].id);
    if (s->actual[i] && (i + 1 == s->n || !s->actual[i + 1])) {
        close_array(e, &s->in_array, &s->in_hex);
        puts_(e, "EMC\n");
    }
    return ok;
}

bool fontembed_show(fontembed *e, fontembed_face *f, double size, double x, double y, int angle,
                    const colour *c, const shape_run *run, const char *text, size_t len,
                    shape_dir dir, char *why, size_t whylen)
{
    HPDF_Page page = NULL;
    const char *name = NULL;
    const char *wrong = font_on_page(e, f, size, &page, &name);
    if (wrong)
        return fail(e, why, whylen, wrong);
    if (run->n == 0)
        return true;
    glyph_show s = { .e = e, .f = f, .g = run->glyphs, .n = run->n, .text = text, .len = len };
    wrong = mark_clusters(&s, dir == SHAPE_RTL);
    if (!wrong) {
        begin_text(e, name, size, x, y, angle, c);
        if (!glyph_places(&s, size))
            wrong = "out of memory";
    }
    if (wrong) {
        free(s.sorted);
        free(s.actual);
        return fail(e, why, whylen, wrong);
    }
    bool ok = true;
    for (size_t i = 0; i < s.n && ok; i++)
        ok = put_glyph(&s, i, size);
    free(s.at);
    close_array(e, &s.in_array, &s.in_hex);
    puts_(e, "ET\nQ\n");
    free(s.sorted);
    free(s.actual);
    if (!ok || e->oom)
        return fail(e, why, whylen, "out of memory, or text that is not UTF-8");
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    if (HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)e->buf, (HPDF_UINT)e->nbuf) != HPDF_OK)
        return fail(e, why, whylen, "cannot write the page's content");
    return true;
}

/* ---- the fonts, at the end ---- */

/* Six capital letters from a SHA-256 of the face (its PostScript name, index, head checksum and
 * glyph count) and the glyph ids of the subset. */
static void make_tag(fontembed_face *f, uint32_t checksum)
{
    sha256 h;
    sha256_init(&h);
    sha256_update(&h, "handout fontembed 1", 20);
    sha256_update(&h, f->psname, strlen(f->psname) + 1);
    unsigned char word[8] = { (unsigned char)(f->index >> 24), (unsigned char)(f->index >> 16),
                              (unsigned char)(f->index >> 8), (unsigned char)f->index,
                              (unsigned char)(checksum >> 24), (unsigned char)(checksum >> 16),
                              (unsigned char)(checksum >> 8), (unsigned char)checksum };
    sha256_update(&h, word, sizeof word);
    unsigned char count[2] = { (unsigned char)(f->nglyphs >> 8), (unsigned char)f->nglyphs };
    sha256_update(&h, count, 2);
    for (unsigned g = 0; g < f->nglyphs; g++)
        if (g == 0 || (f->used[g / 8] >> (g % 8) & 1)) {
            unsigned char id[2] = { (unsigned char)(g >> 8), (unsigned char)g };
            sha256_update(&h, id, 2);
        }
    char hex[SHA256_HEX];
    sha256_hex(&h, hex);
    for (int i = 0; i < 6; i++) {
        unsigned v = 0;
        sscanf(hex + 4 * i, "%4x", &v);
        f->tag[i] = (char)('A' + v % 26);
    }
    f->tag[6] = '\0';
}

/* The table tag of a face as a blob (the empty blob when it has none). */
static hb_blob_t *table(hb_face_t *face, hb_tag_t tag, unsigned min_len, const unsigned char **data)
{
    hb_blob_t *b = hb_face_reference_table(face, tag);
    unsigned len = 0;
    *data = (const unsigned char *)hb_blob_get_data(b, &len);
    if (len < min_len)
        *data = NULL;
    return b;
}

/* Whether the subset keeps every glyph drawn where its code says: at the same glyph id (the
 * glyph ids kept), or, in a CID-keyed CFF font, at the new id (old_to_new, hb-subset's plan, which
 * also adds glyphs of its own) whose CID in the subset's charset is the CID drawn. */
static bool codes_kept(const fontembed_face *f, const hb_map_t *old_to_new, hb_blob_t *cff)
{
    uint16_t *sub = NULL;
    unsigned count = 0;
    if (f->cid) {
        unsigned len = 0;
        const unsigned char *d = (const unsigned char *)hb_blob_get_data(cff, &len);
        if (!cff_read(d, len, &count, &sub) || !sub) {
            free(sub);
            return false;
        }
    }
    bool same = true;
    for (unsigned g = 0; g < f->nglyphs && same; g++)
        if (f->used[g / 8] >> (g % 8) & 1) {
            hb_codepoint_t n = hb_map_get(old_to_new, g);
            same = f->cid ? n < count && sub[n] == f->cid[g] : n == g;
        }
    free(sub);
    return same;
}

static hb_blob_t *subset_program(fontembed_face *f, char *why, size_t whylen)
{
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    hb_set_t *glyphs = hb_subset_input_glyph_set(in);
    hb_set_add(glyphs, 0);
    for (unsigned g = 1; g < f->nglyphs; g++)
        if (f->used[g / 8] >> (g % 8) & 1)
            hb_set_add(glyphs, g);
    /* what a PDF font program does not use: shaping (done already) and metadata tables */
    static const char *const DROP[] = { "GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern", "morx",
                                        "mort", "kerx", "feat", "trak", "DSIG", "vhea", "vmtx", "VORG",
                                        "meta", "STAT", "hdmx", "LTSH", "VDMX", "gasp" };
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof DROP / sizeof DROP[0]; i++)
        hb_set_add(drop, hb_tag_from_string(DROP[i], 4));
    /* the glyph ids stay, so that the codes drawn stay right, but in a CID-keyed CFF font, whose
     * codes are CIDs that its charset keeps: there keeping the ids would keep an entry for every
     * glyph of the font (a CJK font's 65,535) */
    hb_subset_input_set_flags(in, (f->cid ? 0 : HB_SUBSET_FLAGS_RETAIN_GIDS) | HB_SUBSET_FLAGS_NO_HINTING);
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(f->face, in);
    hb_subset_input_destroy(in);
    hb_face_t *sub = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
    if (!sub) {
        hb_subset_plan_destroy(plan);
        snprintf(why, whylen, "%s: hb-subset could not subset face %d", f->file, f->index);
        return NULL;
    }
    hb_blob_t *b = f->cff ? hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' ')) : hb_face_reference_blob(sub);
    hb_face_destroy(sub);
    bool kept = hb_blob_get_length(b) > 0 && codes_kept(f, hb_subset_plan_old_to_new_glyph_mapping(plan), b);
    hb_subset_plan_destroy(plan);
    if (!kept) {
        snprintf(why, whylen, "%s: the subset of face %d %s", f->file, f->index,
                 hb_blob_get_length(b) == 0 ? "is empty" : "does not keep the glyphs drawn where their codes say");
        hb_blob_destroy(b);
        return NULL;
    }
    return b;
}

/* The glyphs drawn, sorted by the code they are drawn with (as /W and the ToUnicode map list
 * them); malloc'd, *n of them. */
static uint32_t *used_by_code(const fontembed_face *f, size_t *n)
{
    uint32_t *list = malloc(((size_t)f->nglyphs + 1) * sizeof *list);
    *n = 0;
    if (!list)
        return NULL;
    for (unsigned g = 0; g < f->nglyphs; g++)
        if (f->used[g / 8] >> (g % 8) & 1)
            list[(*n)++] = g;
    /* insertion by code: a CID-keyed font's charset is nearly always in glyph order already */
    for (size_t i = 1; i < *n; i++) {
        uint32_t g = list[i];
        size_t j = i;
        while (j > 0 && code_of(f, list[j - 1]) > code_of(f, g)) {
            list[j] = list[j - 1];
            j--;
        }
        list[j] = g;
    }
    return list;
}

/* The ToUnicode CMap (PDF 32000-1, 9.10.3): one bfchar per glyph that stands for text. */
static bool write_tounicode(fontembed *e, fontembed_face *f, HPDF_Stream st)
{
    e->nbuf = 0;
    e->oom = false;
    puts_(e, "/CIDInit /ProcSet findresource begin\n"
             "12 dict begin\n"
             "begincmap\n"
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
             "/CMapName /Adobe-Identity-UCS def\n"
             "/CMapType 2 def\n"
             "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    size_t n;
    uint32_t *list = used_by_code(f, &n);
    if (!list)
        return false;
    size_t i = 0;
    while (i < n) {
        uint32_t block[100];
        unsigned k = 0;
        for (; i < n && k < 100; i++)
            if (f->map[list[i]].off != NO_TEXT)
                block[k++] = list[i];
        if (k == 0)
            break;
        char line[32];
        snprintf(line, sizeof line, "%u beginbfchar\n", k);
        puts_(e, line);
        for (unsigned j = 0; j < k; j++) {
            const glyph_text *t = &f->map[block[j]];
            puts_(e, "<");
            put_hex4(e, code_of(f, block[j]));
            puts_(e, "> <");
            for (uint32_t c = 0; c < t->len; c++)
                put_utf16(e, f->pool[t->off + c]);
            puts_(e, ">\n");
        }
        puts_(e, "endbfchar\n");
    }
    free(list);
    puts_(e, "endcmap\n"
             "CMapName currentdict /CMap defineresource pop\n"
             "end\n"
             "end\n");
    return !e->oom && HPDF_Stream_Write(st, (const HPDF_BYTE *)e->buf, (HPDF_UINT)e->nbuf) == HPDF_OK;
}

/* /W: runs of consecutive codes, "first [w w ...]". */
static HPDF_Array widths(fontembed_face *f, HPDF_MMgr mmgr)
{
    size_t n;
    uint32_t *list = used_by_code(f, &n);
    HPDF_Array w = list ? HPDF_Array_New(mmgr) : NULL;
    for (size_t i = 0; w && i < n;) {
        HPDF_Array run = HPDF_Array_New(mmgr);
        if (!run || HPDF_Array_AddNumber(w, (HPDF_INT32)code_of(f, list[i])) != HPDF_OK || HPDF_Array_Add(w, run) != HPDF_OK) {
            w = NULL;
            break;
        }
        do {
            if (HPDF_Array_AddReal(run, (HPDF_REAL)width_of(f, list[i])) != HPDF_OK)
                w = NULL;
            i++;
        } while (w && i < n && code_of(f, list[i]) == code_of(f, list[i - 1]) + 1);
    }
    free(list);
    return w;
}

static HPDF_Array number_array(HPDF_MMgr mmgr, const double *v, int n)
{
    HPDF_Array a = HPDF_Array_New(mmgr);
    for (int i = 0; a && i < n; i++)
        if (HPDF_Array_AddNumber(a, (HPDF_INT32)lround(v[i])) != HPDF_OK)
            return NULL;
    return a;
}

static bool finish_face(fontembed *e, fontembed_face *f, char *why, size_t whylen)
{
    HPDF_MMgr mmgr = e->mmgr;
    HPDF_Xref xref = e->xref;
    if (pdf_failed(e->p)) {
        snprintf(why, whylen, "the document failed before its fonts were written: %s", pdf_error(e->p));
        return false;
    }

    const unsigned char *head, *post, *os2;
    hb_blob_t *bhead = table(f->face, HB_TAG('h', 'e', 'a', 'd'), 54, &head);
    hb_blob_t *bpost = table(f->face, HB_TAG('p', 'o', 's', 't'), 16, &post);
    hb_blob_t *bos2 = table(f->face, HB_TAG('O', 'S', '/', '2'), 8, &os2);
    double k = 1000.0 / f->upem;
    double bbox[4] = { 0, 0, 1000, 1000 };
    uint32_t checksum = 0;
    if (head) {
        checksum = be32(head + 8);
        for (int i = 0; i < 4; i++)
            bbox[i] = (int16_t)be16(head + 36 + 2 * i) * k;
    }
    double italic = post ? (int32_t)be32(post + 4) / 65536.0 : 0;
    bool fixed = post && be32(post + 12) != 0;
    unsigned weight = os2 ? be16(os2 + 4) : 400;
    hb_blob_destroy(bhead);
    hb_blob_destroy(bpost);
    hb_blob_destroy(bos2);
    hb_position_t asc = 0, desc = 0, cap = 0;
    if (!hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &asc))
        asc = (hb_position_t)(bbox[3] / k);
    if (!hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &desc))
        desc = (hb_position_t)(bbox[1] / k);
    if (!hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap) || cap <= 0)
        cap = asc;

    make_tag(f, checksum);
    char base[sizeof f->tag + sizeof f->psname + 16];
    snprintf(base, sizeof base, "%s+%s", f->tag, f->psname);
    char type0_name[sizeof base + 16];
    /* 9.7.6.1: a Type 0 font over a CIDFontType0 is named after the CIDFont and the CMap */
    snprintf(type0_name, sizeof type0_name, f->cff ? "%s-Identity-H" : "%s", base);

    hb_blob_t *program = subset_program(f, why, whylen);
    if (!program)
        return false;
    unsigned plen = 0;
    const char *pdata = hb_blob_get_data(program, &plen);

    bool ok = true;
    HPDF_Dict file = HPDF_DictStream_New(mmgr, xref);
    ok = file != NULL;
    if (ok) {
        file->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
        ok = (f->cff ? HPDF_Dict_AddName(file, "Subtype", "CIDFontType0C")
                     : HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)plen)) == HPDF_OK &&
             HPDF_Stream_Write(file->stream, (const HPDF_BYTE *)pdata, plen) == HPDF_OK;
    }
    hb_blob_destroy(program);

    HPDF_Dict desc_d = ok ? HPDF_Dict_New(mmgr) : NULL;
    ok = ok && desc_d && HPDF_Xref_Add(xref, desc_d) == HPDF_OK;
    if (ok) {
        /* Flags (9.8.2): symbolic (glyphs outside the standard Latin set), fixed pitch, italic */
        HPDF_INT32 flags = 4 | (fixed ? 1 : 0) | (italic != 0 ? 64 : 0);
        /* StemV: no table gives it; a guess from the weight class, used only by a viewer
         * that replaces the font, which an embedded font never is */
        double stemv = 50 + (weight > 900 ? 900 : weight) / 5.0;
        double adc[3] = { asc * k, desc * k, cap * k };
        ok = HPDF_Dict_AddName(desc_d, "Type", "FontDescriptor") == HPDF_OK &&
             HPDF_Dict_AddName(desc_d, "FontName", base) == HPDF_OK &&
             HPDF_Dict_AddNumber(desc_d, "Flags", flags) == HPDF_OK &&
             HPDF_Dict_Add(desc_d, "FontBBox", number_array(mmgr, bbox, 4)) == HPDF_OK &&
             HPDF_Dict_AddReal(desc_d, "ItalicAngle", (HPDF_REAL)italic) == HPDF_OK &&
             HPDF_Dict_AddNumber(desc_d, "Ascent", (HPDF_INT32)lround(adc[0])) == HPDF_OK &&
             HPDF_Dict_AddNumber(desc_d, "Descent", (HPDF_INT32)lround(adc[1])) == HPDF_OK &&
             HPDF_Dict_AddNumber(desc_d, "CapHeight", (HPDF_INT32)lround(adc[2])) == HPDF_OK &&
             HPDF_Dict_AddNumber(desc_d, "StemV", (HPDF_INT32)lround(stemv)) == HPDF_OK &&
             HPDF_Dict_Add(desc_d, f->cff ? "FontFile3" : "FontFile2", file) == HPDF_OK;
    }

    HPDF_Dict cid = ok ? HPDF_Dict_New(mmgr) : NULL;
    ok = ok && cid && HPDF_Xref_Add(xref, cid) == HPDF_OK;
    HPDF_Dict info = ok ? HPDF_Dict_New(mmgr) : NULL;
    ok = ok && info && HPDF_Dict_Add(info, "Registry", HPDF_String_New(mmgr, "Adobe", NULL)) == HPDF_OK &&
         HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mmgr, "Identity", NULL)) == HPDF_OK &&
         HPDF_Dict_AddNumber(info, "Supplement", 0) == HPDF_OK;
    ok = ok && HPDF_Dict_AddName(cid, "Type", "Font") == HPDF_OK &&
         HPDF_Dict_AddName(cid, "Subtype", f->cff ? "CIDFontType0" : "CIDFontType2") == HPDF_OK &&
         HPDF_Dict_AddName(cid, "BaseFont", base) == HPDF_OK && HPDF_Dict_Add(cid, "CIDSystemInfo", info) == HPDF_OK &&
         HPDF_Dict_Add(cid, "FontDescriptor", desc_d) == HPDF_OK && HPDF_Dict_Add(cid, "W", widths(f, mmgr)) == HPDF_OK &&
         (f->cff || HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity") == HPDF_OK);

    HPDF_Dict tu = ok ? HPDF_DictStream_New(mmgr, xref) : NULL;
    ok = ok && tu;
    if (ok) {
        tu->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
        ok = write_tounicode(e, f, tu->stream);
    }
    HPDF_Array kids = ok ? HPDF_Array_New(mmgr) : NULL;
    ok = ok && kids && HPDF_Array_Add(kids, cid) == HPDF_OK && HPDF_Dict_AddName(f->type0, "BaseFont", type0_name) == HPDF_OK &&
         HPDF_Dict_Add(f->type0, "DescendantFonts", kids) == HPDF_OK && HPDF_Dict_Add(f->type0, "ToUnicode", tu) == HPDF_OK;
    if (!ok)
        snprintf(why, whylen, "%s: cannot write the font into the document%s%s", f->file,
                 pdf_failed(e->p) ? ": " : "", pdf_failed(e->p) ? pdf_error(e->p) : "");
    return ok;
}

bool fontembed_finish(fontembed *e, char *why, size_t whylen)
{
    if (e->finished) {
        snprintf(why, whylen, "the fonts were written already");
        return false;
    }
    e->finished = true;
    for (size_t i = 0; i < e->nfaces; i++)
        if (e->faces[i]->type0 && !finish_face(e, e->faces[i], why, whylen))
            return false;
    return true;
}
