/* Unit tests: themes (theme.h) and {theme.KEY} in content expansion (content.h). Expected values
 * from themes/default.ini as written and docs/formats.md ("Themes", "Placeholders"). */
#include "content.h"
#include "theme.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* expands in with c; the result, or NULL with the id of the error in *id */
static char *expand(const content *c, const char *in, char *id, size_t idlen)
{
    diag *d = diag_new(NULL);
    diag_loc loc = { "layout.ini", 3, "el", "color" };
    char *out = content_expand(c, in, d, loc);
    snprintf(id, idlen, "%s", diag_last_id(d));
    diag_free(d);
    return out;
}

void test_theme(void)
{
    diag *d = diag_new(NULL);
    theme *t = theme_load("themes/default.ini", d);
    check(t && diag_errors(d) == 0, "theme: themes/default.ini loads without a message", diag_last(d));
    diag_free(d);
    if (!t)
        return;
    /* the values as themes/default.ini writes them */
    CHECK_STR("theme: accent", theme_get(t, "accent"), "#b3202c");
    CHECK_STR("theme: accent_on_dark", theme_get(t, "accent_on_dark"), "#ffd166");
    CHECK_STR("theme: font_bold", theme_get(t, "font_bold"), "Liberation Sans:bold");
    CHECK_STR("theme: an empty logo is empty", theme_get(t, "logo"), "");
    CHECK_STR("theme: no key nope", theme_get(t, "nope"), NULL);
    CHECK_NEAR("theme: line_height", theme_number(t, "line_height"), 1.2, 1e-9);
    CHECK_NEAR("theme: column_gap 18pt in points", theme_number(t, "column_gap"), 18, 1e-9);
    CHECK_NEAR("theme: h1_scale", theme_number(t, "h1_scale"), 1.6, 1e-9);

    content *c = content_new("tests/fixtures/content");
    if (!c) {
        theme_free(t);
        return;
    }
    char id[64];
    char *out = expand(c, "{theme.accent}", id, sizeof id);
    check(!out && strcmp(id, "theme-none") == 0, "theme: {theme.accent} without a theme is theme-none", id);
    free(out);
    content_use_theme(c, t);
    static const struct {
        const char *in, *want, *id; /* want NULL: an error with the id */
    } rows[] = {
        { "{theme.accent}", "#b3202c", NULL },
        { "{THEME.Accent}", "#b3202c", NULL },                         /* names are case-insensitive */
        { "{theme.font_bold}, NanumGothic:bold", "Liberation Sans:bold, NanumGothic:bold", NULL },
        { "{{theme.accent}}", "{theme.accent}", NULL },                /* doubled braces: literal */
        { "a {theme.primary} b", "a #1f3a5f b", NULL },
        { "{theme.acent}", NULL, "theme-unknown-reference" },
        { "{theme.}", NULL, "content-bad-placeholder" },
        { "{theme.accent", NULL, "content-bad-placeholder" },
        { "{theme.accent-x}", NULL, "content-bad-placeholder" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char name[160];
        out = expand(c, rows[i].in, id, sizeof id);
        if (rows[i].want) {
            snprintf(name, sizeof name, "theme: %s gives %s", rows[i].in, rows[i].want);
            CHECK_STR(name, out, rows[i].want);
        } else {
            snprintf(name, sizeof name, "theme: %s is an error (%s)", rows[i].in, rows[i].id);
            check(!out && strcmp(id, rows[i].id) == 0, name, id);
        }
        free(out);
    }
    check(!content_varies(c, "{theme.accent}"), "theme: {theme.accent} is the same for every item", NULL);
    content_free(c);
    theme_free(t);
}
