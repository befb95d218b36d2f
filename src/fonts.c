/* fonts: fontconfig lookups, character coverage, and the glyph outlines behind them (FreeType:
 * a font whose glyph table is damaged has the characters in its map but prints nothing). */
#include "fonts.h"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include FT_CID_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

struct font_face {
    char *spec;
    char *file;
    int index;
    int weight, slant;
    char *name;
    char *family; /* the first family name, for fallback queries */
    FcCharSet *charset;
    /* the outlines, read on first use: FreeType's face, and for the Basic Multilingual Plane
     * which characters were looked at and which of them draw */
    FT_Library ft;
    FT_Face ft_face;
    bool ft_tried;
    unsigned char checked[0x10000 / 8], draws[0x10000 / 8];
};

/* A fallback chosen: for faces like `like`, with lang "LANG|FAMILY" (the language and the script's
 * family asked for, each "" for none), fontconfig offered face. */
typedef struct fonts_fallback_entry {
    const font_face *like;
    char *lang;
    const font_face *face;
} fonts_fallback_entry;

struct fonts {
    char *root;
    FcConfig *config;
    font_face **faces; /* each allocated once: a face's address lasts until fonts_free */
    int n, cap;
    fonts_fallback_entry *fb;
    int nfb, capfb;
    char why[8800];
};

fonts *fonts_new(const char *root)
{
    fonts *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->root = strdup(root ? root : ".");
    f->config = FcInitLoadConfigAndFonts();
    if (!f->root || !f->config) {
        fonts_free(f);
        return NULL;
    }
    return f;
}

void fonts_free(fonts *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->n; i++) {
        free(f->faces[i]->spec);
        free(f->faces[i]->file);
        free(f->faces[i]->name);
        free(f->faces[i]->family);
        if (f->faces[i]->charset)
            FcCharSetDestroy(f->faces[i]->charset);
        if (f->faces[i]->ft_face)
            FT_Done_Face(f->faces[i]->ft_face);
        if (f->faces[i]->ft)
            FT_Done_FreeType(f->faces[i]->ft);
        free(f->faces[i]);
    }
    free(f->faces);
    for (int i = 0; i < f->nfb; i++)
        free(f->fb[i].lang);
    free(f->fb);
    free(f->root);
    if (f->config)
        FcConfigDestroy(f->config);
    free(f);
}

static bool is_path(const char *spec)
{
    size_t n = strlen(spec);
    return strchr(spec, '/') || (n > 4 && (strcasecmp(spec + n - 4, ".ttf") == 0 ||
                                           strcasecmp(spec + n - 4, ".otf") == 0 ||
                                           strcasecmp(spec + n - 4, ".ttc") == 0));
}

/* Whether the CFF outlines of a face are CID-keyed (a ROS operator in the CFF's top dictionary),
 * which the text layer embeds (fontembed.h); a name-keyed CFF font is not embedded yet. */
static bool cid_keyed(const char *file, int index)
{
    FT_Library ft;
    FT_Face face;
    FT_Bool cid = 0;
    if (FT_Init_FreeType(&ft) != 0)
        return false;
    if (FT_New_Face(ft, file, index, &face) == 0) {
        if (FT_Get_CID_Is_Internally_CID_Keyed(face, &cid) != 0)
            cid = 0;
        FT_Done_Face(face);
    }
    FT_Done_FreeType(ft);
    return cid != 0;
}

/* Fills face from a pattern that names one font file. */
static bool face_from_pattern(fonts *f, FcPattern *p, font_face *face, const char **why)
{
    FcChar8 *file = NULL, *family = NULL, *style = NULL, *format = NULL;
    FcCharSet *cs = NULL;
    int index = 0;
    FcPatternGetString(p, FC_FILE, 0, &file);
    FcPatternGetInteger(p, FC_INDEX, 0, &index);
    face->weight = 80;
    FcPatternGetInteger(p, FC_WEIGHT, 0, &face->weight);
    face->slant = 0;
    FcPatternGetInteger(p, FC_SLANT, 0, &face->slant);
    FcPatternGetString(p, FC_FAMILY, 0, &family);
    FcPatternGetString(p, FC_STYLE, 0, &style);
    FcPatternGetString(p, FC_FONTFORMAT, 0, &format);
    FcPatternGetCharSet(p, FC_CHARSET, 0, &cs);
    if (!file || !cs) {
        *why = "fontconfig gave no file or character set for it";
        return false;
    }
    bool cff = format && strcmp((const char *)format, "CFF") == 0;
    if (!format || (strcmp((const char *)format, "TrueType") != 0 && !cff)) {
        snprintf(f->why, sizeof f->why,
                 "%s has %s outlines; only TrueType (glyf) fonts can be embedded", file,
                 format ? (const char *)format : "unknown");
        *why = f->why;
        return false;
    }
    if (cff && !cid_keyed((const char *)file, index)) {
        snprintf(f->why, sizeof f->why,
                 "%s has CFF outlines that are not CID-keyed; only TrueType (glyf) and CID-keyed "
                 "CFF fonts (such as Noto CJK) can be embedded", file);
        *why = f->why;
        return false;
    }
    face->file = strdup((const char *)file);
    face->index = index;
    size_t n = (family ? strlen((const char *)family) : 0) + (style ? strlen((const char *)style) : 0) + 2;
    face->name = malloc(n);
    if (face->name)
        snprintf(face->name, n, "%s%s%s", family ? (const char *)family : "", style ? " " : "",
                 style ? (const char *)style : "");
    face->family = strdup(family ? (const char *)family : "");
    face->charset = FcCharSetCopy(cs);
    return face->file && face->name && face->family;
}

static bool find_by_path(fonts *f, const char *spec, font_face *face, const char **why)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s", spec);
    if (stat(path, &st) != 0 && spec[0] != '/') {
        snprintf(path, sizeof path, "%s/%s", f->root, spec);
        if (stat(path, &st) != 0) {
            snprintf(f->why, sizeof f->why, "no font file at %s (nor at %s)", spec, path);
            *why = f->why;
            return false;
        }
    } else if (stat(path, &st) != 0) {
        snprintf(f->why, sizeof f->why, "no font file at %s", spec);
        *why = f->why;
        return false;
    }
    int count = 0;
    FcPattern *p = FcFreeTypeQuery((const FcChar8 *)path, 0, NULL, &count);
    if (!p) {
        snprintf(f->why, sizeof f->why, "%s is not a font file that can be read", path);
        *why = f->why;
        return false;
    }
    bool ok = face_from_pattern(f, p, face, why);
    FcPatternDestroy(p);
    return ok;
}

static bool find_by_name(fonts *f, const char *spec, font_face *face, const char **why)
{
    FcPattern *want = FcNameParse((const FcChar8 *)spec);
    if (!want) {
        snprintf(f->why, sizeof f->why, "\"%s\" is not a fontconfig pattern such as \"Liberation Sans:bold\"", spec);
        *why = f->why;
        return false;
    }
    FcChar8 *want_family = NULL;
    int want_weight = -1, want_slant = -1;
    FcPatternGetString(want, FC_FAMILY, 0, &want_family);
    FcPatternGetInteger(want, FC_WEIGHT, 0, &want_weight);
    FcPatternGetInteger(want, FC_SLANT, 0, &want_slant);
    FcConfigSubstitute(f->config, want, FcMatchPattern);
    FcDefaultSubstitute(want);
    FcResult res;
    FcPattern *got = FcFontMatch(f->config, want, &res);
    bool ok = false;
    if (got) {
        FcChar8 *fam = NULL;
        int weight = -1, slant = -1;
        FcPatternGetString(got, FC_FAMILY, 0, &fam);
        FcPatternGetInteger(got, FC_WEIGHT, 0, &weight);
        FcPatternGetInteger(got, FC_SLANT, 0, &slant);
        bool family_ok = false;
        for (int i = 0; want_family && FcPatternGetString(got, FC_FAMILY, i, &fam) == FcResultMatch; i++)
            if (strcasecmp((const char *)fam, (const char *)want_family) == 0)
                family_ok = true;
        if (!want_family || !family_ok) {
            snprintf(f->why, sizeof f->why,
                     "no installed font family \"%s\" (fontconfig offered a substitute; `fc-list : family` lists the families)",
                     want_family ? (const char *)want_family : spec);
            *why = f->why;
        } else if ((want_weight >= 0 && weight != want_weight) || (want_slant >= 0 && slant != want_slant)) {
            snprintf(f->why, sizeof f->why, "family \"%s\" has no face with the style asked for in \"%s\"",
                     want_family, spec);
            *why = f->why;
        } else {
            ok = face_from_pattern(f, got, face, why);
        }
        FcPatternDestroy(got);
    } else {
        snprintf(f->why, sizeof f->why, "fontconfig found nothing for \"%s\"", spec);
        *why = f->why;
    }
    FcPatternDestroy(want);
    return ok;
}

static void face_clear(font_face *face)
{
    free(face->spec);
    free(face->file);
    free(face->name);
    free(face->family);
    if (face->charset)
        FcCharSetDestroy(face->charset);
}

/* Keeps a face found under spec in the list; NULL (and face cleared) when memory runs out. */
static const font_face *keep_face(fonts *f, font_face *face, const char *spec, const char **why)
{
    /* the list grows; the faces stay where they are, since callers keep earlier faces while
     * they look up the next font of a list */
    font_face *nf = NULL;
    if (f->n == f->cap) {
        int cap = f->cap ? f->cap * 2 : 8;
        font_face **grown = realloc(f->faces, (size_t)cap * sizeof *grown);
        if (grown) {
            f->faces = grown;
            f->cap = cap;
        }
    }
    face->spec = strdup(spec);
    if (f->n < f->cap && face->spec)
        nf = malloc(sizeof *nf);
    if (!nf) {
        face_clear(face);
        *why = "out of memory";
        return NULL;
    }
    *nf = *face;
    f->faces[f->n++] = nf;
    return nf;
}

const font_face *fonts_find(fonts *f, const char *spec, const char **why)
{
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->faces[i]->spec, spec) == 0)
            return f->faces[i];
    font_face face = { 0 };
    bool ok = is_path(spec) ? find_by_path(f, spec, &face, why) : find_by_name(f, spec, &face, why);
    if (!ok) {
        face_clear(&face);
        return NULL;
    }
    return keep_face(f, &face, spec, why);
}

/* ---- fallback ---- */

/* The language whose fonts a script's characters are looked for in, when the text's own
 * language does not write that script: fontconfig's orthographies (FcLangGetCharSet) tell
 * which fonts are made for it. Han goes to Simplified Chinese unless the text is Japanese,
 * Korean or Traditional Chinese (its own language then writes it). */
static const char *const SCRIPT_LANGS[][2] = {
    { "Arab", "ar" }, { "Armn", "hy" }, { "Beng", "bn" }, { "Cher", "chr" }, { "Cyrl", "ru" },
    { "Deva", "hi" }, { "Ethi", "am" }, { "Geor", "ka" }, { "Grek", "el" }, { "Gujr", "gu" },
    { "Guru", "pa" }, { "Hang", "ko" }, { "Hani", "zh-cn" }, { "Hebr", "he" }, { "Hira", "ja" },
    { "Kana", "ja" }, { "Khmr", "km" }, { "Knda", "kn" }, { "Laoo", "lo" }, { "Mlym", "ml" },
    { "Mong", "mn-cn" }, { "Mymr", "my" }, { "Orya", "or" }, { "Sinh", "si" }, { "Syrc", "syr" },
    { "Taml", "ta" }, { "Telu", "te" }, { "Thaa", "dv" }, { "Thai", "th" }, { "Tibt", "bo" },
};

/* A BCP 47 tag as fontconfig's language names have it: lower case, "zh" with its region. */
static void fc_lang_name(const char *tag, char *out, size_t size)
{
    size_t n = 0;
    for (; tag[n] && n + 1 < size; n++)
        out[n] = tag[n] == '_' ? '-' : (char)(tag[n] >= 'A' && tag[n] <= 'Z' ? tag[n] + 32 : tag[n]);
    out[n] = '\0';
    if (strncmp(out, "zh", 2) == 0 && (out[2] == '\0' || out[2] == '-')) {
        const char *region = strstr(out, "-tw") || strstr(out, "hant") ? "zh-tw"
                             : strstr(out, "-hk")                     ? "zh-hk"
                             : strstr(out, "-mo")                     ? "zh-mo"
                                                                      : "zh-cn";
        snprintf(out, size, "%s", region);
    }
}

/* Whether fontconfig's orthography of lang holds cp (a language written with the character). */
static bool lang_writes(const char *lang, uint32_t cp)
{
    const FcCharSet *cs = FcLangGetCharSet((const FcChar8 *)lang);
    if (!cs && strchr(lang, '-')) {
        char base[16];
        snprintf(base, sizeof base, "%.*s", (int)(strchr(lang, '-') - lang), lang);
        cs = FcLangGetCharSet((const FcChar8 *)base);
    }
    return cs && FcCharSetHasChar(cs, cp) == FcTrue;
}

/* The language to prefer fonts of, for cp of script in text of language lang; "" for none. */
static void fallback_lang(uint32_t cp, const char *script, const char *lang, char *out, size_t size)
{
    out[0] = '\0';
    if (lang && lang[0]) {
        fc_lang_name(lang, out, size);
        if (lang_writes(out, cp))
            return;
    }
    out[0] = '\0';
    for (size_t i = 0; script && i < sizeof SCRIPT_LANGS / sizeof SCRIPT_LANGS[0]; i++)
        if (strcmp(SCRIPT_LANGS[i][0], script) == 0 && lang_writes(SCRIPT_LANGS[i][1], cp))
            snprintf(out, size, "%s", SCRIPT_LANGS[i][1]);
}

/* The family made for a script, asked for after the element's own (fontconfig's generic
 * families, such as DejaVu Sans, come after it): fonts-noto-core's Noto Sans of the script,
 * fonts-noto-cjk's Noto Sans CJK of the language (lang: fallback_lang's) for Han, kana and
 * Hangul. A font that lacks the character is passed over whatever its family (the character
 * set comes first in fontconfig's order); a family not installed matches nothing. NULL: none. */
static const char *fallback_family(const char *script, const char *lang)
{
    static const char *const SCRIPT_FAMILIES[][2] = {
        { "Arab", "Noto Sans Arabic" },     { "Armn", "Noto Sans Armenian" }, { "Beng", "Noto Sans Bengali" },
        { "Deva", "Noto Sans Devanagari" }, { "Ethi", "Noto Sans Ethiopic" }, { "Geor", "Noto Sans Georgian" },
        { "Gujr", "Noto Sans Gujarati" },   { "Guru", "Noto Sans Gurmukhi" }, { "Hebr", "Noto Sans Hebrew" },
        { "Khmr", "Noto Sans Khmer" },      { "Knda", "Noto Sans Kannada" },  { "Laoo", "Noto Sans Lao" },
        { "Mlym", "Noto Sans Malayalam" },  { "Mymr", "Noto Sans Myanmar" },  { "Orya", "Noto Sans Oriya" },
        { "Sinh", "Noto Sans Sinhala" },    { "Taml", "Noto Sans Tamil" },    { "Telu", "Noto Sans Telugu" },
        { "Thaa", "Noto Sans Thaana" },     { "Thai", "Noto Sans Thai" },
    };
    if (!script)
        return NULL;
    if (strcmp(script, "Hani") == 0 || strcmp(script, "Hira") == 0 || strcmp(script, "Kana") == 0 ||
        strcmp(script, "Hang") == 0) {
        if (strcmp(script, "Hira") == 0 || strcmp(script, "Kana") == 0 || strcmp(lang, "ja") == 0)
            return "Noto Sans CJK JP";
        if (strcmp(script, "Hang") == 0 || strcmp(lang, "ko") == 0)
            return "Noto Sans CJK KR";
        if (strcmp(lang, "zh-tw") == 0)
            return "Noto Sans CJK TC";
        if (strcmp(lang, "zh-hk") == 0 || strcmp(lang, "zh-mo") == 0)
            return "Noto Sans CJK HK";
        return "Noto Sans CJK SC";
    }
    for (size_t i = 0; i < sizeof SCRIPT_FAMILIES / sizeof SCRIPT_FAMILIES[0]; i++)
        if (strcmp(SCRIPT_FAMILIES[i][0], script) == 0)
            return SCRIPT_FAMILIES[i][1];
    return NULL;
}

const font_face *fonts_fallback(fonts *f, const font_face *like, uint32_t cp, const char *script,
                                const char *lang, const char **why)
{
    char fl[32], key[96];
    fallback_lang(cp, script, lang, fl, sizeof fl);
    const char *hint = fallback_family(script, fl);
    snprintf(key, sizeof key, "%s|%s", fl, hint ? hint : "");
    for (int i = 0; i < f->nfb; i++)
        if (f->fb[i].like == like && strcmp(f->fb[i].lang, key) == 0 && font_face_has(f->fb[i].face, cp))
            return f->fb[i].face;
    /* the best match for the face's family (then the script's, fallback_family) and style, in
     * that language, among the fonts that have the character: fontconfig sorts every font
     * (FcFontSort), the character set first (fontconfig's match priorities), then family,
     * language, weight and slant; as `fc-match "Liberation Sans,Noto Sans Arabic:charset=0627:
     * lang=ar"` */
    FcPattern *want = FcPatternCreate();
    FcCharSet *cs = FcCharSetCreate();
    if (!want || !cs || !FcCharSetAddChar(cs, cp) || !FcPatternAddCharSet(want, FC_CHARSET, cs) ||
        !FcPatternAddString(want, FC_FAMILY, (const FcChar8 *)like->family) ||
        (hint && !FcPatternAddString(want, FC_FAMILY, (const FcChar8 *)hint)) ||
        !FcPatternAddInteger(want, FC_WEIGHT, like->weight) || !FcPatternAddInteger(want, FC_SLANT, like->slant) ||
        !FcPatternAddBool(want, FC_SCALABLE, FcTrue) ||
        (fl[0] && !FcPatternAddString(want, FC_LANG, (const FcChar8 *)fl))) {
        if (want)
            FcPatternDestroy(want);
        if (cs)
            FcCharSetDestroy(cs);
        *why = "out of memory";
        return NULL;
    }
    FcCharSetDestroy(cs);
    FcConfigSubstitute(f->config, want, FcMatchPattern);
    FcDefaultSubstitute(want);
    FcResult res;
    FcFontSet *set = FcFontSort(f->config, want, FcFalse, NULL, &res);
    font_face face = { 0 };
    bool found = false;
    char first[512] = "";
    for (int i = 0; set && !found && i < set->nfont; i++) {
        FcPattern *p = set->fonts[i];
        FcCharSet *pcs = NULL;
        FcBool scalable = FcFalse;
        FcChar8 *file = NULL, *family = NULL, *style = NULL;
        FcPatternGetString(p, FC_FILE, 0, &file);
        FcPatternGetString(p, FC_FAMILY, 0, &family);
        if (!first[0] && file && family && strcasecmp((const char *)family, like->family) != 0) {
            FcPatternGetString(p, FC_STYLE, 0, &style);
            snprintf(first, sizeof first, "\"%s%s%s\" (%s)", family ? (const char *)family : "",
                     style ? " " : "", style ? (const char *)style : "", file ? (const char *)file : "");
        }
        if (FcPatternGetCharSet(p, FC_CHARSET, 0, &pcs) != FcResultMatch || !FcCharSetHasChar(pcs, cp) ||
            FcPatternGetBool(p, FC_SCALABLE, 0, &scalable) != FcResultMatch || !scalable)
            continue; /* sorted by coverage first: the rest lack it too, but a bitmap font may come first */
        const char *skip = NULL;
        memset(&face, 0, sizeof face);
        if (face_from_pattern(f, p, &face, &skip))
            found = true;
        else
            face_clear(&face);
    }
    if (set)
        FcFontSetDestroy(set);
    FcPatternDestroy(want);
    if (!found) {
        snprintf(f->why, sizeof f->why, "fontconfig's best fallback, %s, lacks it too",
                 first[0] ? first : "none");
        *why = f->why;
        return NULL;
    }
    /* a face already kept for this file (a font of some list) is the same face */
    const font_face *kept = NULL;
    for (int i = 0; i < f->n && !kept; i++)
        if (f->faces[i]->index == face.index && strcmp(f->faces[i]->file, face.file) == 0)
            kept = f->faces[i];
    if (kept) {
        face_clear(&face);
    } else {
        char spec[4200];
        snprintf(spec, sizeof spec, "\x01 fallback %s:%d", face.file, face.index);
        kept = keep_face(f, &face, spec, why);
        if (!kept)
            return NULL;
    }
    if (f->nfb == f->capfb) {
        int cap = f->capfb ? f->capfb * 2 : 8;
        fonts_fallback_entry *grown = realloc(f->fb, (size_t)cap * sizeof *grown);
        if (!grown)
            return kept; /* not cached: found again next time */
        f->fb = grown;
        f->capfb = cap;
    }
    char *l = strdup(key);
    if (l) {
        f->fb[f->nfb].like = like;
        f->fb[f->nfb].lang = l;
        f->fb[f->nfb].face = kept;
        f->nfb++;
    }
    return kept;
}

const char *font_face_file(const font_face *face)
{
    return face->file;
}

int font_face_index(const font_face *face)
{
    return face->index;
}

const char *font_face_name(const font_face *face)
{
    return face->name;
}

int font_face_weight(const font_face *face)
{
    return face->weight;
}

bool font_face_has(const font_face *face, uint32_t cp)
{
    return FcCharSetHasChar(face->charset, cp) == FcTrue;
}

/* Characters that print nothing by design: spaces, controls, format characters, selectors. */
static bool blank_by_design(uint32_t cp)
{
    return cp <= 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD || cp == 0x034F ||
           (cp >= 0x115F && cp <= 0x1160) || (cp >= 0x17B4 && cp <= 0x17B5) || cp == 0x180E ||
           (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
           (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F) ||
           cp == 0xFEFF || cp == 0xFFA0 || (cp >= 0xE0000 && cp <= 0xE0FFF);
}

/* Whether the glyph of cp loads and has an outline (one contour at least, or is blank by design). */
static bool glyph_draws(font_face *face, uint32_t cp)
{
    if (!face->ft_tried) {
        face->ft_tried = true;
        if (FT_Init_FreeType(&face->ft) != 0)
            face->ft = NULL;
        else if (FT_New_Face(face->ft, face->file, face->index, &face->ft_face) != 0)
            face->ft_face = NULL;
    }
    if (blank_by_design(cp))
        return true;
    if (!face->ft_face)
        return false; /* fontconfig read the file, FreeType cannot: damaged */
    FT_UInt gid = FT_Get_Char_Index(face->ft_face, cp);
    if (gid == 0)
        return false;
    if (FT_Load_Glyph(face->ft_face, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) != 0)
        return false;
    FT_GlyphSlot g = face->ft_face->glyph;
    return g->format == FT_GLYPH_FORMAT_OUTLINE && g->outline.n_contours > 0 && g->outline.n_points > 0 &&
           FT_Outline_Check(&g->outline) == 0;
}

bool font_face_draws(const font_face *face, uint32_t cp)
{
    font_face *mf = (font_face *)face; /* the outlines are a cache of what the file holds */
    if (cp >= 0x10000)
        return glyph_draws(mf, cp);
    unsigned bit = 1u << (cp & 7);
    if (!(mf->checked[cp >> 3] & bit)) {
        mf->checked[cp >> 3] |= (unsigned char)bit;
        if (glyph_draws(mf, cp))
            mf->draws[cp >> 3] |= (unsigned char)bit;
    }
    return (mf->draws[cp >> 3] & bit) != 0;
}
