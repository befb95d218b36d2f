/* Unit tests for fonts: a face found keeps its address while more faces are looked up (render
 * keeps the faces of a font list while it finds the next one; the cache once grew by realloc and
 * moved them, a use after free that a layout with nine fonts showed). Needs fonts-liberation2. */
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
    fonts_free(f);
}
