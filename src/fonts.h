/* fonts: finding fonts. The only room that includes fontconfig. A font spec is either a
 * fontconfig pattern naming a family ("Liberation Sans", "Liberation Sans:bold") or a path to a
 * font file, .ttf, .otf or .ttc (relative to the current folder, or to the project folder above
 * layouts/). TrueType outlines and CID-keyed CFF outlines (Noto CJK) are accepted, the fonts the
 * text layer embeds (fontembed.h); a name-keyed CFF font (most Latin .otf) is refused. Owns each
 * face's character set, which tells whether a character has a glyph, and the fallback faces
 * fontconfig chooses for characters a list of fonts lacks (fonts_fallback). */
#ifndef HANDOUT_FONTS_H
#define HANDOUT_FONTS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct fonts fonts;
typedef struct font_face font_face;

/* root: the folder that font paths such as fonts/X.ttf are also tried against. */
fonts *fonts_new(const char *root);
void fonts_free(fonts *f);

/* Finds the face for spec (cached). NULL with a reason in why (a static or internal string). A
 * face found stays valid, at the same address, until fonts_free: later lookups do not move it. */
const font_face *fonts_find(fonts *f, const char *spec, const char **why);

const char *font_face_file(const font_face *face);
int font_face_index(const font_face *face);
const char *font_face_name(const font_face *face); /* "Family Style" */
bool font_face_has(const font_face *face, uint32_t cp);
/* Whether the glyph of cp (a character the face has) loads and has an outline to print: false
 * for a damaged glyph table, which fontconfig does not read (a space or other character blank by
 * design needs no outline). */
bool font_face_draws(const font_face *face, uint32_t cp);
/* fontconfig's weight: 80 regular, 200 bold (FC_WEIGHT_*). */
int font_face_weight(const font_face *face);

/* Fallback by script: a face for the character cp, which the fonts of an element's list lack.
 * fontconfig sorts the installed fonts (FcFontSort) for a pattern of like's family, then the
 * family made for cp's script where there is one (Noto Sans Arabic, Noto Sans Devanagari, Noto
 * Sans CJK SC, JP for Japanese, KR for Hangul...), like's weight and slant, the character, and a
 * language: lang (a BCP 47 tag, the text's language) when its
 * orthography writes cp, else the language of cp's script (script: its ISO 15924 tag, or NULL
 * for a character of no script), "hi" for Devanagari, "zh-cn" for Han, "th" for Thai; the first
 * scalable face that has cp and can be embedded is taken. The choice is cached per (like,
 * language): a later character that the face chosen has takes the same face, so a run stays in
 * one font. The same fonts and configuration give the same choice. NULL with a reason in why
 * (naming fontconfig's best match, which lacks it too) when no installed font has cp. */
const font_face *fonts_fallback(fonts *f, const font_face *like, uint32_t cp, const char *script,
                                const char *lang, const char **why);

#endif
