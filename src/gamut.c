/* gamut: see gamut.h. dE2000 is Little CMS's cmsCIE2000DeltaE (CIE 142-2001, with kL = kC =
 * kH = 1); tests/pdfx.sh computes the same round trip with transicc and the difference with
 * its own CIEDE2000 (Sharma, Wu and Dalal 2005). */
#include "gamut.h"
#include "layout.h"

#include <lcms2.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct gamut {
    cmsContext ctx;
    cmsHTRANSFORM to_cmyk; /* sRGB -> CMYK */
    cmsHTRANSFORM to_lab;  /* CMYK -> Lab */
    cmsHTRANSFORM rgb_lab; /* sRGB -> Lab */
};

void gamut_free(gamut *g)
{
    if (!g)
        return;
    if (g->to_cmyk)
        cmsDeleteTransform(g->to_cmyk);
    if (g->to_lab)
        cmsDeleteTransform(g->to_lab);
    if (g->rgb_lab)
        cmsDeleteTransform(g->rgb_lab);
    if (g->ctx)
        cmsDeleteContext(g->ctx);
    free(g);
}

gamut *gamut_new(const char *path, char *why, size_t whylen)
{
    gamut *g = calloc(1, sizeof *g);
    if (!g || !(g->ctx = cmsCreateContext(NULL, NULL))) {
        snprintf(why, whylen, "out of memory");
        gamut_free(g);
        return NULL;
    }
    cmsHPROFILE cmyk = cmsOpenProfileFromFileTHR(g->ctx, path, "r");
    cmsHPROFILE srgb = cmsCreate_sRGBProfileTHR(g->ctx);
    cmsHPROFILE lab = cmsCreateLab4ProfileTHR(g->ctx, NULL); /* D50 */
    const cmsUInt32Number flags = cmsFLAGS_BLACKPOINTCOMPENSATION | cmsFLAGS_NOCACHE;
    if (cmyk && srgb && lab && cmsGetColorSpace(cmyk) == cmsSigCmykData) {
        g->to_cmyk = cmsCreateTransformTHR(g->ctx, srgb, TYPE_RGB_DBL, cmyk, TYPE_CMYK_DBL, INTENT_RELATIVE_COLORIMETRIC, flags);
        g->to_lab = cmsCreateTransformTHR(g->ctx, cmyk, TYPE_CMYK_DBL, lab, TYPE_Lab_DBL, INTENT_RELATIVE_COLORIMETRIC, flags);
        g->rgb_lab = cmsCreateTransformTHR(g->ctx, srgb, TYPE_RGB_DBL, lab, TYPE_Lab_DBL, INTENT_RELATIVE_COLORIMETRIC, flags);
    }
    bool cmyk_ok = cmyk && cmsGetColorSpace(cmyk) == cmsSigCmykData;
    if (cmyk)
        cmsCloseProfile(cmyk);
    if (srgb)
        cmsCloseProfile(srgb);
    if (lab)
        cmsCloseProfile(lab);
    if (!g->to_cmyk || !g->to_lab || !g->rgb_lab) {
        snprintf(why, whylen, "%s", !cmyk_ok ? "expected a CMYK ICC profile that Little CMS can read" : "Little CMS could not make the transforms");
        gamut_free(g);
        return NULL;
    }
    return g;
}

double gamut_delta(const gamut *g, const colour *c)
{
    if (!g || c->space != COLOUR_RGB)
        return 0;
    cmsFloat64Number rgb[3] = { c->c[0], c->c[1], c->c[2] }, cmyk[4];
    cmsCIELab want, got;
    cmsDoTransform(g->rgb_lab, rgb, &want, 1);
    cmsDoTransform(g->to_cmyk, rgb, cmyk, 1);
    cmsDoTransform(g->to_lab, cmyk, &got, 1);
    return cmsCIE2000DeltaE(&want, &got, 1, 1, 1);
}

/* One colour: true when it warned. */
static bool check(const gamut *g, const layout *l, const element *e, const char *key, const colour *c, diag *d)
{
    double de = gamut_delta(g, c);
    if (de <= GAMUT_DE_MAX)
        return false;
    char hex[8];
    snprintf(hex, sizeof hex, "#%02x%02x%02x", (int)lround(c->c[0] * 255), (int)lround(c->c[1] * 255), (int)lround(c->c[2] * 255));
    diag_warn(d, "ink-out-of-gamut", e ? layout_loc(l, e, key) : diag_at(l->path, 0),
              "expected a colour the press's CMYK profile can print (CIE dE2000 at most %.0f between the colour "
              "and its round trip through the profile), found %s in [%s] %s, dE2000 %.1f; it prints duller than "
              "on screen: choose a colour nearer the printable range, or give it in cmyk()",
              GAMUT_DE_MAX, hex, e ? e->name : "page", key, de);
    return true;
}

int gamut_check_layout(const gamut *g, const layout *l, diag *d)
{
    int n = check(g, l, NULL, "background", &l->background, d);
    for (int i = 0; i < l->nelements; i++) {
        const element *e = &l->elements[i];
        switch (e->type) {
        case EL_TEXT:
            n += check(g, l, e, "color", &e->color, d);
            break;
        case EL_MARKDOWN:
            n += check(g, l, e, "color", &e->color, d);
            n += check(g, l, e, "heading_color", &e->heading_color, d);
            break;
        case EL_QR:
            n += check(g, l, e, "background", &e->background, d);
            break;
        case EL_RULE:
            n += check(g, l, e, "color", &e->color, d);
            break;
        case EL_BOX:
            n += check(g, l, e, "fill", &e->fill, d);
            n += check(g, l, e, "stroke", &e->stroke, d);
            break;
        case EL_IMAGE:
            break;
        }
    }
    return n;
}

double gamut_image(const gamut *g, const unsigned char *rgb, const unsigned char *alpha, size_t npix,
                   unsigned char worst[3], double *worst_de)
{
    *worst_de = 0;
    worst[0] = worst[1] = worst[2] = 0;
    if (!g || !rgb || npix == 0)
        return 0;
    enum { BINS = 32 * 32 * 32 };
    uint32_t *count = calloc(BINS, sizeof *count);
    uint32_t *first = malloc(BINS * sizeof *first); /* the first pixel of each bin */
    if (!count || !first) {
        free(count);
        free(first);
        return 0;
    }
    size_t visible = 0;
    for (size_t i = 0; i < npix; i++) {
        if (alpha && alpha[i] < 128)
            continue;
        const unsigned char *p = rgb + 3 * i;
        unsigned b = (unsigned)(p[0] >> 3) << 10 | (unsigned)(p[1] >> 3) << 5 | (unsigned)(p[2] >> 3);
        if (count[b]++ == 0)
            first[b] = (uint32_t)i;
        visible++;
    }
    size_t past = 0;
    for (unsigned b = 0; b < BINS; b++) {
        if (!count[b])
            continue;
        const unsigned char *p = rgb + 3 * (size_t)first[b];
        colour c = { COLOUR_RGB, { p[0] / 255.0, p[1] / 255.0, p[2] / 255.0, 0 } };
        double de = gamut_delta(g, &c);
        if (de <= GAMUT_DE_MAX)
            continue;
        past += count[b];
        if (de > *worst_de) {
            *worst_de = de;
            worst[0] = p[0];
            worst[1] = p[1];
            worst[2] = p[2];
        }
    }
    free(count);
    free(first);
    return visible ? (double)past / (double)visible : 0;
}
