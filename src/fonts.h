/* fonts: finding fonts. The only room that includes fontconfig. A font spec is either a
 * fontconfig pattern naming a family ("Liberation Sans", "Liberation Sans:bold") or a path to a
 * .ttf file (relative to the current folder, or to the project folder above layouts/). Only
 * TrueType outlines are accepted (libharu cannot embed CFF). Owns each face's character set,
 * which tells whether a character has a glyph. */
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

#endif
