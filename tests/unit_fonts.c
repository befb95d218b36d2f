/* Unit tests for fonts: a face found keeps its address while more faces are looked up (render
 * keeps the faces of a font list while it finds the next one; the cache once grew by realloc and
 * moved them, a use after free that a layout with nine fonts showed). Needs fonts-liberation2.
 * Fallback by script: the faces issue 12 names for each script (fonts-noto-core, fonts-noto-cjk),
 * for characters Liberation Sans lacks, and none for a character no installed font has. */
#include "unit.h"
#include "fonts.h"

#include <stdio.h>
#include <string.h>

void test_fonts(void)
{
    static const char *const SPECS[] = {
        "Liberation Sans",  "Liberation Sans:bold",  "Liberation Sans:italic",  "Liberation Sans:bold:italic",
        "Liberation Serif", "Liberation Serif:bold", "Liberation Serif:italic", "Liberation Serif:bold:italic",
        "Liberation Mono",  "Liberation Mono:bold",  "Liberation Mono:italic",  "Liberation Mono:bold:italic",
    };
    enum { N = sizeof SPECS / sizeof SPECS[0] };
    fonts *f = fonts_new(".");
    if (!f) {
        check(0, "fonts: fontconfig starts", NULL);
        return;
    }
    const font_face *face[N];
    int found = 0;
    char detail[300] = "";
    for (int i = 0; i < N; i++) {
        const char *why = NULL;
        face[i] = fonts_find(f, SPECS[i], &why);
        found += face[i] != NULL;
        if (!face[i] && !detail[0])
            snprintf(detail, sizeof detail, "%s: %s", SPECS[i], why ? why : "?");
    }
    check(found == N, "fonts: twelve Liberation faces are found", detail);
    int same = 1;
    for (int i = 0; i < N; i++)
        same = same && face[i] && fonts_find(f, SPECS[i], &(const char *){ NULL }) == face[i];
    check(same, "fonts: every face keeps its address after eleven more were looked up", NULL);
    /* read through the first face after the cache grew (a use after free under make check-asan) */
    check(face[0] && font_face_has(face[0], 'A') && strcmp(font_face_name(face[0]), "Liberation Sans Regular") == 0,
          "fonts: the first face is still readable", face[0] ? font_face_name(face[0]) : NULL);
    
    /* fallback: script (ISO 15924), the text's language, a character, the family expected */
    static const struct {
        const char *script, *lang;
        uint32_t cp;
        const char *family;
    } FB[] = {
        { "Deva", "en", 0x0915, "Noto Sans Devanagari" }, { "Deva", "hi", 0x0915, "Noto Sans Devanagari" },
        { "Arab", "ar", 0x0627, "Noto Sans Arabic" },     { "Arab", "fa", 0x06CC, "Noto Sans Arabic" },
        { "Arab", "en", 0x0627, "Noto Sans Arabic" },     { "Thai", "th", 0x0E01, "Noto Sans Thai" },
        { "Khmr", "km", 0x1780, "Noto Sans Khmer" },      { "Mymr", "my", 0x1000, "Noto Sans Myanmar" },
        { "Hani", "zh", 0x4E2D, "Noto Sans CJK SC" },     { "Hani", "en", 0x4E2D, "Noto Sans CJK SC" },
        { "Hani", "zh-Hant", 0x4E2D, "Noto Sans CJK TC" }, { "Hani", "ja", 0x4E2D, "Noto Sans CJK JP" },
        { "Hira", "en", 0x3042, "Noto Sans CJK JP" },     { "Hang", "ko", 0xD55C, "Noto Sans CJK KR" },
        { "Beng", "bn", 0x0995, "Noto Sans Bengali" },
    };
    const font_face *sans = face[0], *bold = face[1];
    for (size_t i = 0; sans && i < sizeof FB / sizeof FB[0]; i++) {
        const char *why = NULL;
        const font_face *fb = fonts_fallback(f, sans, FB[i].cp, FB[i].script, FB[i].lang, &why);
        char name[200];
        snprintf(name, sizeof name, "fonts: fallback for U+%04X in \"%s\" text is %s", (unsigned)FB[i].cp, FB[i].lang,
                 FB[i].family);
        check(fb && font_face_has(fb, FB[i].cp) && strncmp(font_face_name(fb), FB[i].family, strlen(FB[i].family)) == 0,
              name, fb ? font_face_name(fb) : why);
    }
    const font_face *b = bold ? fonts_fallback(f, bold, 0x0915, "Deva", "hi", &(const char *){ NULL }) : NULL;
    check(b && strcmp(font_face_name(b), "Noto Sans Devanagari Bold") == 0 && font_face_weight(b) == 200,
          "fonts: the fallback of a bold face is bold", b ? font_face_name(b) : NULL);
    const font_face *again = sans ? fonts_fallback(f, sans, 0x0916, "Deva", "en", &(const char *){ NULL }) : NULL;
    check(again && again == fonts_fallback(f, sans, 0x0915, "Deva", "en", &(const char *){ NULL }),
          "fonts: a script's characters keep one fallback face", NULL);
    const char *why = NULL;
    check(sans && !fonts_fallback(f, sans, 0x20000, "Hani", "en", &why) && why && strstr(why, "lacks it too"),
          "fonts: no fallback for a character no installed font has", why);
    fonts_free(f);
}
