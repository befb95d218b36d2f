/* ink: see ink.h. */
#include "ink.h"
#include "layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INK_EPS 0.0005          /* below a twentieth of a percent, an ink is not there */
#define INK_RICH_BLACK_K 0.8    /* K at or above this with another ink: rich black */

colour ink_cmyk(const colour *c)
{
    colour out = *c;
    if (c->space != COLOUR_RGB)
        return out;
    double r = c->c[0], g = c->c[1], b = c->c[2];
    double max = r > g ? r : g;
    if (b > max)
        max = b;
    double k = 1 - max;
    out.space = COLOUR_CMYK;
    if (k >= 1 - INK_EPS) { /* black: K alone */
        out.c[0] = out.c[1] = out.c[2] = 0;
        out.c[3] = 1;
        return out;
    }
    out.c[0] = (1 - r - k) / (1 - k);
    out.c[1] = (1 - g - k) / (1 - k);
    out.c[2] = (1 - b - k) / (1 - k);
    out.c[3] = k;
    for (int i = 0; i < 4; i++) /* snap what rounding left */
        if (out.c[i] < INK_EPS)
            out.c[i] = 0;
    return out;
}

double ink_coverage(const colour *c)
{
    if (c->space == COLOUR_NONE)
        return 0;
    colour k = ink_cmyk(c);
    return 100 * (k.c[0] + k.c[1] + k.c[2] + k.c[3]);
}

bool ink_parse_limit(const char *s, double *limit, const char **expected)
{
    static const char WHAT[] = "an ink limit in percent from 100 to 400, such as 300 or 280%";
    size_t n = strlen(s);
    char buf[32];
    if (n == 0 || n >= sizeof buf) {
        *expected = WHAT;
        return false;
    }
    memcpy(buf, s, n + 1);
    if (buf[n - 1] == '%')
        buf[--n] = '\0';
    double v;
    if (!units_number(buf, &v, NULL) || v < INK_LIMIT_MIN || v > INK_LIMIT_MAX) {
        *expected = WHAT;
        return false;
    }
    *limit = v;
    return true;
}

/* The colour as written and as inks, for messages. */
static void describe(const layout *l, const element *e, const char *key, const colour *c, char *out, size_t n)
{
    colour k = ink_cmyk(c);
    const char *raw = e ? layout_raw(l, e, key) : NULL;
    if (raw && strchr(raw, '{')) /* a placeholder: its value is what the inks say */
        raw = NULL;
    snprintf(out, n, "%s%scmyk(%.0f,%.0f,%.0f,%.0f)", raw ? raw : "", raw ? " = " : "", 100 * k.c[0],
             100 * k.c[1], 100 * k.c[2], 100 * k.c[3]);
}

static diag_loc loc_of(const layout *l, const element *e, const char *key)
{
    return e ? layout_loc(l, e, key) : diag_at(l->path, 0);
}

/* One ink needed (small text, a thin rule): false after reporting rich black or four inks. */
static bool one_ink(const layout *l, const element *e, const char *key, const colour *c, const char *why, diag *d)
{
    if (c->space == COLOUR_NONE)
        return true;
    colour k = ink_cmyk(c);
    int inks = 0;
    for (int i = 0; i < 4; i++)
        inks += k.c[i] > INK_EPS;
    bool rich = k.c[3] >= INK_RICH_BLACK_K && inks > 1;
    if (!rich && inks < 4)
        return true;
    char desc[160];
    describe(l, e, key, c, desc, sizeof desc);
    diag_error(d, "ink-rich-black", loc_of(l, e, key),
               "expected one ink for %s in CMYK output (black as K alone: %s misregisters on "
               "press), found %s in [%s]; use \"#000000\" or cmyk(0,0,0,100)",
               why, rich ? "rich black" : "a colour of all four inks", desc, e->name);
    return false;
}

/* A colour over the ink limit: false after reporting. */
static bool within(const layout *l, const element *e, const char *key, const colour *c, double limit, diag *d)
{
    double tac = ink_coverage(c);
    if (tac <= limit + 0.05)
        return true;
    char desc[160];
    describe(l, e, key, c, desc, sizeof desc);
    diag_error(d, "ink-over-limit", loc_of(l, e, key),
               "expected a total ink coverage of at most %.0f%% (C+M+Y+K, the printer's ink limit), "
               "found %.0f%% in [%s] %s: %s; lighten the colour, or raise the limit (ink_limit, --ink-limit) if the printer allows",
               limit, tac, e ? e->name : "page", key, desc);
    return false;
}

bool ink_check_layout(const layout *l, double limit, diag *d)
{
    bool ok = within(l, NULL, "background", &l->background, limit, d);
    char why[96];
    for (int i = 0; i < l->nelements; i++) {
        const element *e = &l->elements[i];
        switch (e->type) {
        case EL_TEXT:
        case EL_MARKDOWN:
            ok &= within(l, e, "color", &e->color, limit, d);
            if (e->size < INK_SMALL_TEXT_PT - 1e-9) {
                snprintf(why, sizeof why, "text below %.0f pt (size %.4g pt)", INK_SMALL_TEXT_PT, e->size);
                ok &= one_ink(l, e, "color", &e->color, why, d);
            }
            if (e->type == EL_MARKDOWN) {
                ok &= within(l, e, "heading_color", &e->heading_color, limit, d);
                double smallest = e->heading_scale[0];
                for (int h = 1; h < 3; h++)
                    if (e->heading_scale[h] < smallest)
                        smallest = e->heading_scale[h];
                if (e->size * smallest < INK_SMALL_TEXT_PT - 1e-9) {
                    snprintf(why, sizeof why, "headings below %.0f pt (%.4g pt)", INK_SMALL_TEXT_PT, e->size * smallest);
                    ok &= one_ink(l, e, "heading_color", &e->heading_color, why, d);
                }
            }
            break;
        case EL_QR: {
            ok &= within(l, e, "background", &e->background, limit, d);
            colour k = ink_cmyk(&e->color);
            if (k.c[0] > INK_EPS || k.c[1] > INK_EPS || k.c[2] > INK_EPS) {
                char desc[160];
                describe(l, e, "color", &e->color, desc, sizeof desc);
                diag_error(d, "ink-qr-not-black", layout_loc(l, e, "color"),
                           "expected a QR code's modules in K alone in CMYK output (a module made of "
                           "several inks misregisters and scans badly), found %s in [%s]; use \"#000000\"",
                           desc, e->name);
                ok = false;
            }
            break;
        }
        case EL_RULE:
            ok &= within(l, e, "color", &e->color, limit, d);
            if (e->thickness < INK_THIN_RULE_PT - 1e-9) {
                snprintf(why, sizeof why, "a rule thinner than %.0f pt (%.4g pt)", INK_THIN_RULE_PT, e->thickness);
                ok &= one_ink(l, e, "color", &e->color, why, d);
            }
            break;
        case EL_BOX:
            ok &= within(l, e, "fill", &e->fill, limit, d);
            ok &= within(l, e, "stroke", &e->stroke, limit, d);
            if (e->stroke.space != COLOUR_NONE && e->thickness < INK_THIN_RULE_PT - 1e-9) {
                snprintf(why, sizeof why, "a box stroke thinner than %.0f pt (%.4g pt)", INK_THIN_RULE_PT, e->thickness);
                ok &= one_ink(l, e, "stroke", &e->stroke, why, d);
            }
            break;
        case EL_IMAGE:
            break;
        }
    }
    return ok;
}
