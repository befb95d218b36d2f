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
    int weight;
    char *name;
    FcCharSet *charset;
    /* the outlines, read on first use: FreeType's face, and for the Basic Multilingual Plane
     * which characters were looked at and which of them draw */
    FT_Library ft;
    FT_Face ft_face;
    bool ft_tried;
    unsigned char checked[0x10000 / 8], draws[0x10000 / 8];
};

struct fonts {
    char *root;
    FcConfig *config;
    font_face **faces; /* each allocated once: a face's address lasts until fonts_free */
    int n, cap;
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
        if (f->faces[i]->charset)
            FcCharSetDestroy(f->faces[i]->charset);
        if (f->faces[i]->ft_face)
            FT_Done_Face(f->faces[i]->ft_face);
        if (f->faces[i]->ft)
            FT_Done_FreeType(f->faces[i]->ft);
        free(f->faces[i]);
    }
    free(f->faces);
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
    face->charset = FcCharSetCopy(cs);
    return face->file && face->name;
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

const font_face *fonts_find(fonts *f, const char *spec, const char **why)
{
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->faces[i]->spec, spec) == 0)
            return f->faces[i];
    font_face face = { 0 };
    bool ok = is_path(spec) ? find_by_path(f, spec, &face, why) : find_by_name(f, spec, &face, why);
    if (!ok) {
        free(face.file);
        free(face.name);
        if (face.charset)
            FcCharSetDestroy(face.charset);
        return NULL;
    }
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
    face.spec = strdup(spec);
    if (f->n < f->cap && face.spec)
        nf = malloc(sizeof *nf);
    if (!nf) {
        free(face.spec);
        free(face.file);
        free(face.name);
        if (face.charset)
            FcCharSetDestroy(face.charset);
        *why = "out of memory";
        return NULL;
    }
    *nf = face;
    f->faces[f->n++] = nf;
    return nf;
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
