/* render: from the page model to drawing calls. The order: whole-page geometry checks; then
 * each element in file order (text is fitted, every character checked against its font, QR codes
 * encoded and sized); then, only when nothing failed, the part saved. This room owns the state of
 * one build's drawing, the elements other than text (QR codes, images, rules, boxes), one item's
 * drawing and a part's life; text is typeset.c's, page planning pages.c's (render_int.h). */
#include "render.h"
#include "render_int.h"
#include "atomic.h"
#include "crowd.h"
#include "design.h"
#include "ini.h"
#include "escape.h"
#include "image.h"
#include "inputs.h"
#include "markdown.h"
#include "ink.h"
#include "gamut.h"
#include "data.h"
#include "pdfx.h"
#include "preflight.h"
#include "payload.h"
#include "qr.h"
#include "sha256.h"
#include "utf8.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

void render_stats_free(render_stats *st)
{
    for (size_t i = 0; i < st->n; i++) {
        free(st->runs[i].element);
        free(st->runs[i].lang);
        free(st->runs[i].text);
    }
    free(st->runs);
    memset(st, 0, sizeof *st);
}

/* A number one keystroke from a known hotline or text number is an error. */
bool render_check_numbers(render *r, const char *text, diag_loc loc)
{
    number_miss m;
    if (!r->numbers)
        return true;
    if (numbers_near_miss(r->numbers, text, &m)) {
        diag_error(r->d, "numbers-near-miss", loc,
                   "expected the %s, %s (source: %s), found \"%s\", one keystroke away; correct it, or "
                   "if it really is another number, add it to data/known-numbers.ini",
                   m.label, m.known, m.source, m.found);
        return false;
    }
    /* a keyword the number does not document: an error where a person in danger reads it */
    keyword_miss k;
    if (!numbers_bad_keyword(r->numbers, text, &k))
        return true;
    if (r->l->audience == AUDIENCE_VICTIM) {
        diag_error(r->d, "numbers-keyword-undocumented", loc,
                   "expected a keyword the %s, %s, documents (%s; source: %s), found \"%s\"; a reader in "
                   "danger who texts it may get no answer",
                   k.label, k.known, k.keywords, k.source, k.keyword);
        return false;
    }
    diag_warn(r->d, "numbers-keyword-unconfirmed", loc,
              "expected a keyword the %s, %s, documents (%s; source: %s), found \"%s\"", k.label, k.known,
              k.keywords, k.source, k.keyword);
    return true;
}

/* ---- QR, images, rules, boxes ---- */

/* ---- QR payloads ---- */

static const char *const QR_KEY_NAMES[] = { "payload", "url", "tel", "sms", "link_file" };

/* The payload of a QR element for the current item; NULL after reporting. */
static char *qr_payload(render *r, const element *e)
{
    const char *key = QR_KEY_NAMES[e->payload_kind];
    diag_loc loc = layout_loc(r->l, e, key);
    char *v = content_expand(r->c, e->payload, r->d, loc);
    if (!v)
        return NULL;
    char *out = v;
    char why[1024];
    if (e->payload_kind == QR_PAYLOAD_TEL) {
        errno = 0;
        out = payload_tel(v, why, sizeof why);
        if (!out) /* the number refused, or no memory for the payload */
            diag_error(r->d, errno == ENOMEM ? "internal-out-of-memory" : "payload-bad-tel", layout_loc(r->l, e, "tel"),
                       "%s", why);
        free(v);
    } else if (e->payload_kind == QR_PAYLOAD_SMS) {
        char *body = e->sms_body ? content_expand(r->c, e->sms_body, r->d, layout_loc(r->l, e, "sms_body")) : NULL;
        const char *bad_key = "sms";
        errno = 0;
        out = e->sms_body && !body ? NULL : payload_sms(v, body, &bad_key, why, sizeof why);
        if (!out && (!e->sms_body || body))
            diag_error(r->d,
                       errno == ENOMEM                    ? "internal-out-of-memory"
                       : strcmp(bad_key, "sms_body") == 0 ? "payload-bad-sms-body"
                                                          : "payload-bad-sms",
                       layout_loc(r->l, e, bad_key), "%s", why);
        free(body);
        free(v);
    } else if (e->payload_kind == QR_PAYLOAD_LINK) {
        /* a link of a Markdown file of the content set: the code carries its destination */
        char *path = NULL;
        char *raw = content_read_file(r->c, v, &path, r->d, loc);
        char *text = raw ? content_expand(r->c, raw, r->d, diag_at(path, 1)) : NULL;
        md_doc doc = { 0 };
        out = NULL;
        if (text && markdown_parse(text, strlen(text), path, &doc, r->d)) {
            if ((size_t)e->link > doc.nlinks)
                diag_error(r->d, "payload-link-missing", layout_loc(r->l, e, "link"),
                           "expected link %d of %s, found %zu link%s there", e->link, path, doc.nlinks,
                           doc.nlinks == 1 ? "" : "s");
            else
                out = strdup(doc.links[e->link - 1]);
            markdown_free(&doc);
        }
        free(text);
        free(raw);
        free(path);
        free(v);
        if (out && strncmp(out, "https://", 8) != 0 && strncmp(out, "http://", 7) != 0 &&
            strncmp(out, "tel:", 4) != 0) {
            diag_error(r->d, "payload-link-not-http", layout_loc(r->l, e, "link"),
                       "expected a link to an http(s) address or a tel: number, found \"%s\"", out);
            free(out);
            out = NULL;
        }
    } else if (e->payload_kind == QR_PAYLOAD_URL) {
        const char *problem = payload_url_problem(v);
        if (problem) {
            diag_error(r->d, "payload-bad-url", loc, "%s, found \"%s\"", problem, v);
            free(v);
            return NULL;
        }
    }
    if (out && !payload_text_ok(out, why, sizeof why)) {
        diag_error(r->d, "qr-payload-not-utf8", loc, "%s", why);
        free(out);
        return NULL;
    }
    if (out && !render_check_numbers(r, out, loc)) {
        free(out);
        return NULL;
    }
    if (out && r->l->audience == AUDIENCE_VICTIM) {
        char found[64];
        const char *t = payload_tracking_parameter(out, found, sizeof found);
        if (t) {
            diag_error(r->d, "payload-tracking-parameter", loc,
                       "expected no tracking parameters in a code for audience = victim (a person in "
                       "danger may carry this), found \"%s\" in \"%s\"",
                       t, out);
            free(out);
            return NULL;
        }
    }
    return out;
}

static void draw_qr(render *r, const element *e)
{
    qr_code q = { 0 };
    char *payload = qr_payload(r, e);
    if (!payload)
        return;
    preflight_qr_colours(r->l, e, r->d);
    if (e->payload_kind == QR_PAYLOAD_RAW && strncmp(payload, "https://", 8) != 0 &&
        strncmp(payload, "http://", 7) != 0 && strncmp(payload, "tel:+", 5) != 0 &&
        strncmp(payload, "SMSTO:", 6) != 0 && strncmp(payload, "mailto:", 7) != 0)
        diag_warn(r->d, "payload-not-actionable", layout_loc(r->l, e, "payload"),
                  "expected a link a phone can act on (https://, tel:+, SMSTO:), found \"%.60s\"; use "
                  "url, tel or sms to have it checked",
                  payload);
    diag_loc loc = layout_loc(r->l, e, QR_KEY_NAMES[e->payload_kind]);
    qr_status st = qr_encode(payload, e->ecc, &q);
    if (st == QR_TOO_LONG) {
        diag_error(r->d, "qr-payload-too-long", loc,
                   "expected a payload that fits a QR code (at most about 2,300 bytes at ecc M, "
                   "2,950 at L), found %zu bytes",
                   strlen(payload));
        free(payload);
        return;
    }
    if (st != QR_OK) {
        diag_error(r->d, "qr-empty-payload", loc, "expected a non-empty payload, found \"%s\"", payload);
        free(payload);
        return;
    }
    int side = q.width + 2 * e->quiet_zone;
    double module = e->w / side;
    if (!preflight_qr_size(r->l, e, q.version, q.width, r->d)) {
        qr_code_free(&q);
        free(payload);
        return;
    }
    qr_run *runs = NULL;
    size_t nruns = qr_runs(&q, &runs);
    /* a figure whose alternative text says what the code does */
    char *alt = payload_alt(payload);
    tags_open(r->tags, "Figure", alt ? alt : "QR code", NULL);
    tags_set_bbox(r->tags, r->pdf, e->x, e->y, e->w, e->h);
    free(alt);
    tags_begin(r->tags, r->pdf);
    pdf_fill_rect(r->pdf, e->x, e->y, e->w, e->h, &e->background);
    pdf_qr(r->pdf, e->x + e->quiet_zone * module, e->y + e->quiet_zone * module, module, &q,
           &e->color);
    tags_end(r->tags, r->pdf);
    tags_close(r->tags);
    if (r->dump) {
        fprintf(r->dump, "qr %s x %.2f y %.2f size %.2f version %d modules %d quiet %d module %.3f runs %zu %spayload ",
                e->name, r->ox + e->x, r->oy + e->y, e->w, q.version, q.width, e->quiet_zone,
                module, nruns, q.eci == QR_ECI_UTF8 ? "eci 26 " : "");
        escape_fputs(payload, r->dump); /* a payload may hold a newline (a CSV value) */
        fputc('\n', r->dump);
    }
    free(runs);
    qr_code_free(&q);
    free(payload);
}

/* A PDF/X build: an RGB image whose colours the press cannot print (gamut.h, a share of its
 * pixels past GAMUT_DE_MAX) is a warning, once per file and element. A picture that cannot be
 * decoded here (a CMYK JPEG, whose colours are the press's own) is not checked. */
static void warn_image_gamut(render *r, const element *e, const char *path, diag_loc loc)
{
    image_pixels px;
    char why[256];
    if (!image_decode(path, &px, why, sizeof why))
        return;
    if (px.channels == 3) {
        if (!r->gamut)
            r->gamut = gamut_new(PDFX_CMYK_PROFILE, why, sizeof why);
        unsigned char worst[3];
        double de = 0;
        double share = gamut_image(r->gamut, px.color, px.alpha, (size_t)px.width * (size_t)px.height, worst, &de);
        if (share >= GAMUT_IMAGE_SHARE)
            diag_warn(r->d, "image-out-of-gamut", loc,
                      "expected an image whose colours the press's CMYK profile can print (CIE dE2000 at most "
                      "%.0f between a colour and its round trip through the profile), found %.0f%% of the "
                      "pixels of %s in [%s] past it, the worst #%02x%02x%02x at dE2000 %.1f; they print "
                      "duller than on screen: ask for the logo in CMYK, or convert it with the shop's profile",
                      GAMUT_DE_MAX, share * 100 < 1 ? 1 : floor(share * 100), path, e->name, worst[0], worst[1],
                      worst[2], de);
    }
    image_pixels_free(&px);
}

/* The file an image element draws: its file, or, when that is empty once placeholders are filled,
 * its fallback (a partner's {logo}, else the theme's {theme.logo}). NULL after reporting; "" for
 * nothing. LOC is set to the key the name came from. */
static char *image_file(render *r, const element *e, diag *d, diag_loc *loc)
{
    *loc = layout_loc(r->l, e, "file");
    char *file = content_expand(r->c, e->file, d, *loc);
    if (file && file[0] == '\0' && e->fallback) {
        free(file);
        *loc = layout_loc(r->l, e, "fallback");
        file = content_expand(r->c, e->fallback, d, *loc);
    }
    return file;
}

static void draw_image(render *r, const element *e)
{
    diag_loc loc;
    char *file = image_file(r, e, r->d, &loc);
    if (!file)
        return;
    if (file[0] == '\0' && e->optional) {
        free(file);
        return;
    }
    const char *dir = content_dir(r->c);
    size_t n = strlen(dir) + strlen(file) + 2;
    char *path = malloc(n);
    if (!path) {
        free(file);
        return;
    }
    if (file[0] == '/')
        snprintf(path, n, "%s", file);
    else
        snprintf(path, n, "%s/%s", dir, file);
    free(file);
    /* checked once per file: a data merge may place the same logo thousands of times */
    md_cache *mc = &r->md[e - r->l->elements];
    image_info info;
    if (mc->path && strcmp(mc->path, path) == 0) {
        memcpy(&info, mc->raw, sizeof info);
    } else {
        char why[512];
        if (!image_check(path, &info, why, sizeof why)) {
            diag_error(r->d, "image-unreadable", loc, "expected a PNG or JPEG image, found %s: %s", path, why);
            free(path);
            return;
        }
        free(mc->path);
        free(mc->raw);
        mc->path = strdup(path);
        mc->raw = malloc(sizeof info);
        if (mc->raw)
            memcpy(mc->raw, &info, sizeof info);
        if (r->o->pdfx)
            warn_image_gamut(r, e, path, loc);
    }
    /* with a backdrop, the image fits inside the box less its padding (preflight_geometry has
     * checked it leaves room), and the panel fills the image's place grown by it */
    double pad = e->backdrop.space != COLOUR_NONE ? e->backdrop_pad : 0;
    double sx = (e->w - 2 * pad) / info.width, sy = (e->h - 2 * pad) / info.height;
    double sc = sx < sy ? sx : sy;
    if (72.0 / sc < 300 - 0.5)
        diag_warn(r->d, "image-low-resolution", loc,
                  "expected an image of at least 300 dpi at its placed size, found %.0f dpi "
                  "(%d x %d pixels in %.4g x %.4g pt); use a larger image or a smaller box",
                  72.0 / sc, info.width, info.height, info.width * sc, info.height * sc);
    double w = info.width * sc, h = info.height * sc;
    double x = e->x + (e->w - w) / 2, y = e->y + (e->h - h) / 2;
    int untagged = pdf_untagged_rgb_images(r->pdf);
    char *alt = e->alt ? content_expand(r->c, e->alt, r->d, layout_loc(r->l, e, "alt")) : NULL;
    /* once per build (a data merge places the image on every item) */
    if (!e->alt && r->item == 0 && r->l->audience == AUDIENCE_VICTIM) {
        diag_error(r->d, "image-no-alt-victim", layout_loc(r->l, e, "alt"),
                   "expected alt = a description of the image for a reader who cannot see it "
                   "(required for audience = victim), found none; write what the image shows, or "
                   "alt = \"\" for a decoration");
        free(path);
        return;
    }
    if (!e->alt && r->item == 0)
        diag_warn(r->d, "image-no-alt", layout_loc(r->l, e, "alt"),
                  "expected alt = a description of the image for a reader who cannot see it, found "
                  "none; it is tagged as a decoration (artifact)");
    if (e->backdrop.space != COLOUR_NONE) { /* the panel is no content: an artifact */
        tags_artifact_begin(r->tags, r->pdf);
        pdf_fill_rect(r->pdf, x - pad, y - pad, w + 2 * pad, h + 2 * pad, &e->backdrop);
        tags_end(r->tags, r->pdf);
    }
    if (alt && *alt) {
        tags_open(r->tags, "Figure", alt, NULL);
        tags_set_bbox(r->tags, r->pdf, x, y, w, h);
        tags_begin(r->tags, r->pdf);
    } else {
        tags_artifact_begin(r->tags, r->pdf);
    }
    bool placed = pdf_image(r->pdf, path, info.kind == IMAGE_PNG, info.depth == 16, x, y, w, h);
    tags_end(r->tags, r->pdf);
    if (alt && *alt)
        tags_close(r->tags);
    free(alt);
    if (placed && pdf_untagged_rgb_images(r->pdf) > untagged)
        diag_warn(r->d, "image-device-rgb", loc,
                  "expected an RGB image that PDF/X can take (tagged as sRGB), found %s left in "
                  "DeviceRGB, which a PDF/X preflight rejects; convert it to CMYK or greyscale",
                  path);
    if (!placed)
        diag_error(r->d, "image-place-failed", loc, "cannot place image %s: %s", path, pdf_error(r->pdf));
    else if (r->dump)
        fprintf(r->dump, "image %s x %.2f y %.2f width %.2f height %.2f pixels %dx%d dpi %.0f\n",
                e->name, r->ox + x, r->oy + y, w, h, info.width, info.height, 72.0 / sc);
    free(path);
}

static void draw_box(render *r, const element *e, double allowance)
{
    double x0 = e->x, y0 = e->y, x1 = e->x + e->w, y1 = e->y + e->h;
    if (e->bleed) {
        /* sides that lie on the trim reach out into the bleed */
        if (x0 <= EPS)
            x0 -= allowance;
        if (y0 <= EPS)
            y0 -= allowance;
        if (x1 >= r->l->page_w - EPS)
            x1 += allowance;
        if (y1 >= r->l->page_h - EPS)
            y1 += allowance;
    }
    if (e->fill.space != COLOUR_NONE)
        pdf_fill_rect(r->pdf, x0, y0, x1 - x0, y1 - y0, &e->fill);
    if (e->stroke.space != COLOUR_NONE)
        pdf_stroke_rect(r->pdf, e->x + e->thickness / 2, e->y + e->thickness / 2,
                        e->w - e->thickness, e->h - e->thickness, e->thickness, &e->stroke);
}

/* " KEY COLOUR" for the dump: #rrggbb, or cmyk(C,M,Y,K) in percent as written; nothing for none. */
static void dump_colour(FILE *f, const char *key, const colour *c)
{
    if (c->space == COLOUR_RGB)
        fprintf(f, " %s #%02x%02x%02x", key, (int)lround(c->c[0] * 255), (int)lround(c->c[1] * 255),
                (int)lround(c->c[2] * 255));
    else if (c->space == COLOUR_CMYK)
        fprintf(f, " %s cmyk(%g,%g,%g,%g)", key, 100 * c->c[0], 100 * c->c[1], 100 * c->c[2], 100 * c->c[3]);
}

/* The dump's "colors NAME KEY COLOUR..." line: the colours an element is drawn in (a theme's
 * colours show here, docs/formats.md "Themes"); none for an image without a backdrop. */
static void dump_colours(FILE *f, const element *e)
{
    if (e->type == EL_IMAGE && e->backdrop.space == COLOUR_NONE)
        return;
    fprintf(f, "colors %s", e->name);
    switch (e->type) {
    case EL_TEXT:
        dump_colour(f, "color", &e->color);
        break;
    case EL_MARKDOWN:
        dump_colour(f, "color", &e->color);
        dump_colour(f, "heading_color", &e->heading_color);
        break;
    case EL_QR:
        dump_colour(f, "color", &e->color);
        dump_colour(f, "background", &e->background);
        break;
    case EL_RULE:
        dump_colour(f, "color", &e->color);
        break;
    case EL_BOX:
        dump_colour(f, "fill", &e->fill);
        dump_colour(f, "stroke", &e->stroke);
        break;
    case EL_IMAGE:
        dump_colour(f, "backdrop", &e->backdrop);
        break;
    }
    fputc('\n', f);
}

void render_draw_element(render *r, const element *e, double allowance)
{
    if (r->dump) {
        fprintf(r->dump, "element %s %s x %.2f y %.2f width %.2f height %.2f\n", e->name,
                layout_type_name(e->type), r->ox + e->x, r->oy + e->y, e->w, e->h);
        dump_colours(r->dump, e);
    }
    switch (e->type) {
    case EL_TEXT:
        pdf_text_owner(r->pdf, (int)(e - r->l->elements)); /* its runs kept for check_crowding */
        typeset_text(r, e);
        pdf_text_owner(r->pdf, -1);
        break;
    case EL_MARKDOWN:
        pdf_text_owner(r->pdf, (int)(e - r->l->elements));
        typeset_markdown(r, e);
        pdf_text_owner(r->pdf, -1);
        break;
    case EL_QR:
        draw_qr(r, e);
        break;
    case EL_IMAGE:
        draw_image(r, e);
        break;
    case EL_RULE: {
        tags_artifact_begin(r->tags, r->pdf);
        double x2 = e->w > 0 ? e->x + e->w : e->x, y2 = e->w > 0 ? e->y : e->y + e->h;
        if (e->dash[0] > 0)
            pdf_line_dashed(r->pdf, e->x, e->y, x2, y2, e->thickness, e->dash, &e->color);
        else
            pdf_line(r->pdf, e->x, e->y, x2, y2, e->thickness, &e->color);
        tags_end(r->tags, r->pdf);
        break;
    }
    case EL_BOX:
        tags_artifact_begin(r->tags, r->pdf);
        draw_box(r, e, allowance);
        tags_end(r->tags, r->pdf);
        break;
    }
}

/* Draws one side of the current item with its trim's top-left corner at (x, y) of the page,
 * clipped to the trim plus `allowance` of bleed, or to `window` (page coordinates) when given. */
/* Crowding (issue 16, item 5): the set text of two elements nearer than a gutter, half the
 * smaller type size (crowd.h), measured on the runs of text the item side drew: a warning naming
 * both elements, the distance and the words. */
static void check_crowding(render *r)
{
    size_t n;
    const pdf_text_mark *m = pdf_text_marks(r->pdf, &n);
    crowd_run *runs = n ? malloc(n * sizeof *runs) : NULL;
    if (!runs)
        return;
    for (size_t i = 0; i < n; i++)
        runs[i] = crowd_box(m[i].owner, m[i].x, m[i].y, m[i].width, m[i].size, m[i].angle, m[i].above, m[i].below);
    crowd_hit *hits = NULL;
    size_t nh = crowd_find(runs, n, 0, 0.5, &hits);
    for (size_t k = 0; nh != (size_t)-1 && k < nh; k++) {
        const element *a = &r->l->elements[hits[k].a], *b = &r->l->elements[hits[k].b];
        const pdf_text_mark *ma = &m[hits[k].ra], *mb = &m[hits[k].rb];
        diag_warn(r->d, "text-crowded", layout_loc(r->l, a, a->type == EL_MARKDOWN ? "file" : "text"),
                  "expected its set text at least %.1fpt (half the smaller type size) from [%s]'s, "
                  "found %.1fpt between \"%s\" and \"%s\"",
                  hits[k].gutter, b->name, hits[k].distance, ma->text, mb->text);
    }
    free(hits);
    free(runs);
}

/* ---- checks a designer would make (issue 16, item 5; design.h) on what an item side drew ---- */

/* A length on the page in the page's own units: inches on a page whose sides are whole eighths of
 * an inch (letter, tabloid, 18 x 24 in), millimetres on any other (A4, A3). */
static const char *page_length(const layout *l, double pt, char *buf, size_t size)
{
    bool inches = fabs(fmod(l->page_w, 9)) < 0.01 && fabs(fmod(l->page_h, 9)) < 0.01;
    if (inches)
        snprintf(buf, size, "%.2fin", pt / 72);
    else
        snprintf(buf, size, "%.0fmm", pt / UNITS_PT_PER_MM);
    return buf;
}

/* A type size, "17.0pt". */
static const char *pt_text(double pt, char *buf, size_t size)
{
    snprintf(buf, size, "%.1fpt", pt);
    return buf;
}

/* A distance in the room, in metres and feet. */
static const char *room_distance(double pt, char *buf, size_t size)
{
    snprintf(buf, size, "%.1fm (%.1fft)", pt / UNITS_PT_PER_MM / 1000, pt / 72 / 12);
    return buf;
}

static diag_loc page_loc(const layout *l, const char *key)
{
    diag_loc loc = { l->path, ini_line(l->ini, "page", key), "page", key };
    if (loc.line == 0)
        loc.line = ini_line(l->ini, "page", NULL);
    return loc;
}

/* Whether an element drew something on this item: an optional image whose file is empty did not. */
static bool element_drawn(render *r, const element *e)
{
    if (e->type != EL_IMAGE || !e->optional)
        return true;
    diag *quiet = diag_new(NULL);
    diag_loc loc;
    char *file = quiet ? image_file(r, e, quiet, &loc) : NULL;
    bool drawn = file && file[0];
    free(file);
    diag_free(quiet);
    return drawn;
}

/* Emptiness: on a poster or notice (a layout stating a viewing distance or a compliance profile,
 * or an empty_band of its own), the widest band of the printable area, across its height and
 * across its width, that nothing drawn reaches: the set text (its runs' boxes), QR codes, images,
 * rules, and boxes smaller than half the page (a larger one is a background). */
static void check_empty(render *r, item_side side, const crowd_run *runs, size_t n)
{
    const layout *l = r->l;
    if (l->empty_reason || !(l->viewing_distance > 0 || l->compliance || l->empty_band > 0))
        return;
    double share = l->empty_band > 0 ? l->empty_band : DESIGN_EMPTY_BAND;
    size_t cap = n + (size_t)l->nelements;
    double(*sy)[2] = malloc((cap ? cap : 1) * sizeof *sy), (*sx)[2] = malloc((cap ? cap : 1) * sizeof *sx);
    if (!sy || !sx) {
        free(sy);
        free(sx);
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++, k++) {
        sx[k][0] = runs[i].x0, sx[k][1] = runs[i].x1;
        sy[k][0] = runs[i].y0, sy[k][1] = runs[i].y1;
    }
    for (int i = 0; i < l->nelements; i++) {
        const element *e = &l->elements[i];
        if (e->side != side || e->type == EL_TEXT || e->type == EL_MARKDOWN || !element_drawn(r, e))
            continue;
        if (e->type == EL_BOX && e->w * e->h >= 0.5 * l->page_w * l->page_h)
            continue;
        double w = e->w, h = e->type == EL_QR ? e->w : e->h;
        if (e->type == EL_RULE) /* a line: its length one way, its thickness the other */
            w = e->w > 0 ? e->w : e->thickness, h = e->w > 0 ? e->thickness : e->h;
        sx[k][0] = e->x, sx[k][1] = e->x + w;
        sy[k][0] = e->y, sy[k][1] = e->y + h;
        k++;
    }
    static const char *const AXIS[2] = { "height", "width" };
    double lo[2] = { l->margin[0], l->margin[3] }, hi[2] = { l->page_h - l->margin[2], l->page_w - l->margin[1] };
    for (int a = 0; a < 2; a++) {
        double from, to;
        double band = design_empty_band(a == 0 ? (const double(*)[2])sy : (const double(*)[2])sx, k, lo[a], hi[a], &from, &to);
        double whole = hi[a] - lo[a];
        if (whole <= 0 || band <= share * whole + 0.01)
            continue;
        char b1[32], b2[32], b3[32], b4[32];
        diag_warn(r->d, "design-empty-band", page_loc(l, "empty_band"),
                  "expected no empty band across more than %.0f%% of the printable %s (%s), found %s empty "
                  "(%.0f%%) from %s to %s %s on page %d; fill it, or say why in [page] empty_band_reason",
                  share * 100, AXIS[a], page_length(l, share * whole, b1, sizeof b1), page_length(l, band, b2, sizeof b2),
                  band / whole * 100, page_length(l, from, b3, sizeof b3), page_length(l, to, b4, sizeof b4),
                  a == 0 ? "from the top" : "from the left", r->page);
    }
    free(sy);
    free(sx);
}

/* Reading distance: on a layout stating its viewing distance (and no reading_distance_reason), the
 * largest text (the headline) with letters at least 1 in tall per 10 ft, and every other text, but
 * fine print, at least the size a visual angle of 0.003 rad calls for (design.h). One finding per
 * element. */
static void check_reading(render *r, const pdf_text_mark *m, size_t n)
{
    const layout *l = r->l;
    double vd = l->viewing_distance;
    if (vd <= 0 || n == 0 || l->reading_reason)
        return;
    size_t head = n;
    for (size_t i = 0; i < n; i++)
        if (m[i].owner >= 0 && m[i].owner < l->nelements && (head == n || m[i].size > m[head].size))
            head = i;
    if (head == n)
        return;
    int hel = m[head].owner;
    double height = 0; /* the ink above the baseline of the headline's runs: its letter height */
    size_t tallest = head;
    for (size_t i = 0; i < n; i++)
        if (m[i].owner == hel && m[i].above * m[i].size > height)
            height = m[i].above * m[i].size, tallest = i;
    char d1[48], b1[32], b2[32];
    double want = design_headline_height(vd);
    const element *he = &l->elements[hel];
    if (height + 0.05 < want)
        diag_warn(r->d, "design-reading-distance", layout_loc(l, he, "size"),
                  "expected the largest text's letters at least %.2fin tall for a viewing distance of %s (1 in "
                  "per 10 ft, the sign trade's rule of thumb), found %.2fin in \"%s\"",
                  want / 72, room_distance(vd, d1, sizeof d1), height / 72, m[tallest].text);
    double body = design_body_size(vd);
    for (int el = 0; el < l->nelements; el++) {
        const element *e = &l->elements[el];
        if (e->fine_print || el == hel)
            continue;
        size_t small = n;
        for (size_t i = 0; i < n; i++)
            if (m[i].owner == el && (small == n || m[i].size < m[small].size))
                small = i;
        if (small < n && m[small].size + 0.05 < body)
            diag_warn(r->d, "design-reading-distance", layout_loc(l, e, e->type == EL_MARKDOWN ? "file" : "size"),
                      "expected type at least %s for a viewing distance of %s (a visual angle of 0.003 rad), "
                      "found %s in \"%s\"; set it larger, or say fine_print = yes if it is read up close",
                      pt_text(body, b1, sizeof b1), room_distance(vd, d1, sizeof d1),
                      pt_text(m[small].size, b2, sizeof b2), m[small].text);
    }
}

/* Hierarchy: on the front of a victim-facing item (audience = victim), a hotline number (a known
 * phone number, data/known-numbers.ini) set larger than, or as large as, every other text there.
 * The back is read once the item is in hand (a wallet card's back lists the signs). */
static void check_hierarchy(render *r, item_side side, const pdf_text_mark *m, size_t n)
{
    const layout *l = r->l;
    if (l->audience != AUDIENCE_VICTIM || side != SIDE_FRONT || !r->numbers || n == 0)
        return;
    double *big = calloc((size_t)l->nelements + 1, sizeof *big);
    diag *quiet = diag_new(NULL);
    if (!big || !quiet) {
        free(big);
        diag_free(quiet);
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (m[i].owner >= 0 && m[i].owner < l->nelements && m[i].size > big[m[i].owner])
            big[m[i].owner] = m[i].size;
    int hel = -1, other = -1;
    for (int el = 0; el < l->nelements; el++) {
        const element *e = &l->elements[el];
        if (e->side != side || big[el] <= 0)
            continue;
        bool shows = false;
        if (e->type == EL_TEXT) {
            char *t = content_expand(r->c, e->text, quiet, layout_loc(l, e, "text"));
            shows = t && numbers_shows_phone(r->numbers, t);
            free(t);
        }
        if (shows && (hel < 0 || big[el] > big[hel]))
            hel = el;
        else if (!shows && (other < 0 || big[el] > big[other]))
            other = el;
    }
    if (hel >= 0 && other >= 0 && big[other] > big[hel] + 0.05) {
        char b1[32], b2[32];
        const element *o = &l->elements[other];
        diag_warn(r->d, "design-hotline-not-largest", layout_loc(l, o, o->type == EL_MARKDOWN ? "file" : "size"),
                  "expected the hotline number ([%s], %s) to be the largest text on a victim-facing item, "
                  "found this element set at %s",
                  l->elements[hel].name, pt_text(big[hel], b1, sizeof b1), pt_text(big[other], b2, sizeof b2));
    }
    free(big);
    diag_free(quiet);
}

/* On the first item (with several languages, each language's first): later items place the text
 * they share with it as a form drawn once (art.c), which leaves no runs to measure. */
static void check_design(render *r, item_side side)
{
    long firsts = r->o->nlanguages > 0 ? r->o->nlanguages : 1;
    if (r->measuring || r->item >= firsts)
        return;
    size_t n;
    const pdf_text_mark *m = pdf_text_marks(r->pdf, &n);
    crowd_run *runs = malloc((n ? n : 1) * sizeof *runs);
    if (!runs)
        return;
    for (size_t i = 0; i < n; i++)
        runs[i] = crowd_box(m[i].owner, m[i].x, m[i].y, m[i].width, m[i].size, m[i].angle, m[i].above, m[i].below);
    check_empty(r, side, runs, n);
    free(runs);
    check_reading(r, m, n);
    check_hierarchy(r, side, m, n);
}

void render_draw_item_in(render *r, item_side side, double x, double y, double allowance,
                         const double *window)
{
    pdf_text_marks_clear(r->pdf);
    const layout *l = r->l;
    r->ox = x;
    r->oy = y;
    if (r->dump)
        fprintf(r->dump, "item %ld %s x %.2f y %.2f width %.2f height %.2f\n", r->item + 1,
                side == SIDE_BACK ? "back" : "front", x, y, l->page_w, l->page_h);
    pdf_push(r->pdf, 0, 0, 1, 1);
    if (window)
        pdf_clip(r->pdf, window[0], window[1], window[2], window[3]);
    else
        pdf_clip(r->pdf, x - allowance, y - allowance, l->page_w + 2 * allowance, l->page_h + 2 * allowance);
    if (l->mirror) /* for reading through glass: u -> x + width - u */
        pdf_push(r->pdf, x + l->page_w, y, -1, 1);
    else
        pdf_push(r->pdf, x, y, 1, 1);
    if (l->background.space != COLOUR_NONE) {
        tags_artifact_begin(r->tags, r->pdf);
        pdf_fill_rect(r->pdf, -allowance, -allowance, l->page_w + 2 * allowance,
                      l->page_h + 2 * allowance, &l->background);
        tags_end(r->tags, r->pdf);
    }
    typeset_fit_groups(r, side);
    /* a sheet holds many items, and a page of a set of languages is in its own language: each
     * item side is a section of the structure */
    bool sect = r->o->mode == OUTPUT_SHEET || r->o->nlanguages > 0;
    int k = (int)(r->item % SECT_SLOTS);
    if (sect && side == SIDE_BACK && r->sect_item[k] == r->item + 1) {
        tags_reopen(r->tags, r->sect_node[k]); /* the back goes on with its front's section */
    } else if (sect) {
        tags_open(r->tags, "Sect", NULL, r->o->nlanguages > 0 ? content_get(r->c, "language") : NULL);
        r->sect_item[k] = r->item + 1;
        r->sect_node[k] = tags_current(r->tags);
    }
    /* an order key: groups in the structure in reading order (those with order by it, then the
     * others in file order), filled as the elements are drawn in file order */
    bool ordered = false;
    for (int i = 0; i < l->nelements; i++)
        ordered = ordered || (l->elements[i].side == side && l->elements[i].order > 0);
    ordered = ordered && r->tags && r->group;
    for (int pass = 0; ordered && pass < 2; pass++) {
        int last = 0;
        for (;;) { /* the next order number after last (pass 0), or file order (pass 1) */
            int next = 0;
            for (int i = 0; pass == 0 && i < l->nelements; i++) {
                int o = l->elements[i].order;
                if (l->elements[i].side == side && o > last && (next == 0 || o < next))
                    next = o;
            }
            if (pass == 0 && next == 0)
                break;
            for (int i = 0; i < l->nelements; i++)
                if (l->elements[i].side == side && (pass == 0 ? l->elements[i].order == next : l->elements[i].order == 0)) {
                    tags_open(r->tags, "", NULL, NULL);
                    r->group[i] = tags_current(r->tags);
                    tags_close(r->tags);
                }
            if (pass == 1)
                break;
            last = next;
        }
    }
    for (int i = 0; i < l->nelements; i++)
        if (l->elements[i].side == side) {
            if (ordered)
                tags_reopen(r->tags, r->group[i]);
            art_draw_element(r, &l->elements[i], allowance);
            if (ordered)
                tags_close(r->tags);
        }
    if (sect)
        tags_close(r->tags);
    pdf_pop(r->pdf);
    pdf_pop(r->pdf);
    check_crowding(r);
    check_design(r, side);
}

void render_draw_item(render *r, item_side side, double x, double y, double allowance)
{
    int before = diag_errors(r->d);
    render_draw_item_in(r, side, x, y, allowance, NULL);
    if (diag_errors(r->d) > before && r->failed_item < 0)
        r->failed_item = r->item;
}

/* Sets the current item: its record (when merging data) and serial number. */
void render_use_item(render *r, const render_opts *o, long i)
{
    r->item = i;
    long rec = i;
    if (o->nlanguages > 0) {
        /* one item per language in turn: items i*n .. i*n+n-1 are record i in each language */
        content_use_record(r->c, NULL, 0, 0);
        r->c = o->languages[i % o->nlanguages];
        rec = i / o->nlanguages;
    }
    long copy = 1; /* with quantities, item rec is a copy of a record: {serial} counts items */
    size_t row = o->data ? data_item_record(o->data, rec, &copy) : (size_t)rec;
    content_use_record(r->c, o->data, row, rec + 1);
    content_use_copy(r->c, copy);
}

/* ---- one part: a run of items drawn into one document ---- */

static int compare_paths(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The files this process has read for the build, each with its SHA-256 as it is now: one line
 * "input SHA PATH" each (PATH escaped), the last lines of a part's dump. The batch keeps them in
 * an item's stamp and rebuilds the item when one of them changes. */
static void dump_inputs(FILE *dump)
{
    char sha[SHA256_HEX], why[256];
    size_t n = inputs_count();
    const char **paths = malloc((n ? n : 1) * sizeof *paths);
    if (!paths)
        return;
    for (size_t i = 0; i < n; i++)
        paths[i] = inputs_path(i);
    qsort(paths, n, sizeof *paths, compare_paths); /* in the order of their paths, as parts are joined */
    for (size_t i = 0; i < n; i++) {
        const char *path = paths[i];
        if (!sha256_file(path, sha, why, sizeof why))
            snprintf(sha, sizeof sha, "%s", "unreadable");
        fprintf(dump, "input %s ", sha);
        escape_fputs(path, dump);
        fputc('\n', dump);
    }
    free(paths);
}

/* A part's dump: kept in memory while the part is drawn, then written to its temporary file. */
typedef struct part_dump {
    char *buf;
    size_t len;
    const char *tmp; /* the temporary file, or NULL (no dump, or the dump goes to stdout) */
} part_dump;

/* Starts a part's document, its per-element caches and its dump; false after reporting. */
static bool part_start(render *r, long first, long last, part_dump *pd)
{
    const render_opts *o = r->o;
    r->pdf = pdf_new();
    r->md = calloc((size_t)r->l->nelements + 1, sizeof *r->md);
    r->scale = calloc((size_t)r->l->nelements + 1, sizeof *r->scale);
    r->group = calloc((size_t)r->l->nelements + 1, sizeof *r->group);
    r->dump = NULL;
    if (r->pdf && r->md && r->scale && pd->tmp)
        r->dump = open_memstream(&pd->buf, &pd->len);
    else if (o->dump && strcmp(o->dump, "-") == 0)
        r->dump = stdout;
    if (!r->pdf || !r->md || !r->scale || !r->group || (pd->tmp && !r->dump)) {
        diag_error(r->d, "internal-out-of-memory", diag_at(o->output, 0), "cannot start a PDF document: out of memory");
        return false;
    }
    /* the pages this part will hold, for a page tree that has room for them */
    long per_unit;
    int pages_per_unit;
    render_unit(r, &per_unit, &pages_per_unit);
    pdf_expect_pages(r->pdf, (last - first + per_unit - 1) / per_unit * pages_per_unit);
    const layout *l = r->l;
    pdf_set_cmyk_output(r->pdf, o->pdfx);
    pdf_set_overprint_black(r->pdf, o->pdfx && o->overprint_black);
    r->tags = tags_new();
    r->art = art_new(r, last - first);
    memset(r->sect_item, 0, sizeof r->sect_item);
    if (!r->tags || !r->art) {
        diag_error(r->d, "internal-out-of-memory", diag_at(o->output, 0), "cannot start a PDF document: out of memory");
        return false;
    }
    if (r->dump && first == 0) {
        fprintf(r->dump, "layout %s trim %.3f %.3f bleed %.3f margins %.2f %.2f %.2f %.2f", l->path,
                l->page_w, l->page_h, l->bleed, l->margin[0], l->margin[1], l->margin[2], l->margin[3]);
        if (l->size_name) /* one of the sizes the layout lists, and its width over the design's */
            fprintf(r->dump, " size %s ratio %.6f", l->size_name, l->ratio);
        fputc('\n', r->dump);
    }
    return true;
}

/* Draws items first..last-1 onto the part's pages and runs the options' check; a status. */
static int part_draw(render *r, long first, long last, long pages_before)
{
    const render_opts *o = r->o;
    int before = diag_errors(r->d);
    int pages = (int)pages_before;
    render_stats stats;
    memset(&stats, 0, sizeof stats);
    r->stats = o->check ? &stats : NULL;
    r->page = 0;
    if (o->mode == OUTPUT_SHEET)
        pages_sheets(r, o, first, last, &pages);
    else if (o->mode == OUTPUT_TILES)
        pages_tiles(r, o, first, last, &pages);
    else if (o->mode == OUTPUT_PRINT_SHOP)
        pages_print_shop(r, o, first, last, &pages);
    else
        pages_plain(r, o, first, last, &pages);
    content_use_record(r->c, NULL, 0, 0);
    if (o->check && diag_errors(r->d) == before)
        o->check(o->check_ctx, &stats, r->d);
    render_stats_free(&stats);
    r->stats = NULL;
    if (o->appendix && last == o->count && diag_errors(r->d) == before)
        pages_appendix(r, o, last, &pages);
    if (diag_errors(r->d) > before) {
        if (o->count > 1)
            fprintf(stderr, "handout: stopped at item %ld of %ld\n",
                    (r->failed_item >= 0 ? r->failed_item : r->item) + 1, o->count);
        return EXIT_INPUT;
    }
    if (pdf_failed(r->pdf)) {
        diag_error(r->d, "internal-pdf-error", diag_at(r->l->path, 0), "drawing failed: %s", pdf_error(r->pdf));
        return EXIT_INTERNAL;
    }
    return EXIT_OK;
}

/* Ends the part's dump: its inputs (when the part succeeded), then its temporary file (written
 * even after an input error, to show how far the build got). The status, made worse on failure. */
static int part_end_dump(render *r, long last, part_dump *pd, int status)
{
    if (r->dump && status == EXIT_OK && (pd->tmp || last == r->o->count))
        dump_inputs(r->dump);
    if (r->dump == stdout || !r->dump) {
        r->dump = NULL;
        return status;
    }
    char why[1024] = "out of memory";
    bool ok = fclose(r->dump) == 0;
    r->dump = NULL;
    atomic_file a;
    if (ok && (ok = atomic_open_at(&a, pd->tmp, pd->tmp, why, sizeof why))) {
        atomic_write(&a, pd->buf, pd->len);
        ok = atomic_finish(&a, why, sizeof why);
    }
    if (!ok) {
        diag_error(r->d, "output-dump-failed", diag_at(r->o->dump, 0), "expected to write the dump, found an error: %s", why);
        if (status == EXIT_OK)
            status = EXIT_OUTPUT;
    }
    return status;
}

/* PDF/X: the document's identity, a digest of what made it (the part's items, its title, the
 * tool, and the contents of every input file, in the order of their digests so that where the
 * files lie does not matter), and its date: SOURCE_DATE_EPOCH, or else the newest input's
 * modification time. Never random, never the clock: the same inputs give the same bytes. */
static void pdfx_identity(const render *r, long first, const char *title, pdfx_meta *m)
{
    sha256 s;
    sha256_init(&s);
    char line[256];
    snprintf(line, sizeof line, "handout %s\n%s\nmode %d from item %ld of %ld\n", PDFX_VERSION,
             r->o->creator ? r->o->creator : "", (int)r->o->mode, first, r->o->count);
    sha256_update(&s, line, strlen(line));
    sha256_update(&s, title, strlen(title) + 1);
    size_t n = inputs_count();
    char(*sums)[SHA256_HEX] = calloc(n ? n : 1, sizeof *sums);
    long long newest = 0;
    for (size_t i = 0; sums && i < n; i++) {
        char why[256];
        struct stat sb;
        if (!sha256_file(inputs_path(i), sums[i], why, sizeof why))
            snprintf(sums[i], SHA256_HEX, "%s", "unreadable");
        if (stat(inputs_path(i), &sb) == 0 && (long long)sb.st_mtime > newest)
            newest = (long long)sb.st_mtime;
    }
    if (sums) {
        qsort(sums, n, sizeof *sums, (int (*)(const void *, const void *))strcmp);
        for (size_t i = 0; i < n; i++)
            sha256_update(&s, sums[i], SHA256_HEX);
    }
    free(sums);
    char hex[SHA256_HEX];
    sha256_hex(&s, hex);
    for (int i = 0; i < 32; i++) {
        unsigned v = 0;
        sscanf(hex + 2 * i, "%2x", &v);
        m->id[i] = (unsigned char)v;
    }
    m->epoch = r->o->epoch >= 0 ? r->o->epoch : newest;
}

/* The layout's file name without its directory and extension (a title for a layout without
 * one); NULL when out of memory. */
static char *layout_base(const char *path)
{
    const char *base = strrchr(path, '/');
    char *s = strdup(base ? base + 1 : path);
    if (s && strrchr(s, '.'))
        *strrchr(s, '.') = '\0';
    return s;
}

/* Gives the document its title (from the part's first item) and saves it to pdf_tmp. */
static int part_save(render *r, long first, const char *pdf_tmp)
{
    const render_opts *o = r->o;
    char *title = NULL;
    render_use_item(r, o, first);
    /* the document's language: its first item's content set */
    char *lang = content_get(r->c, "language") ? strdup(content_get(r->c, "language")) : NULL;
    if (r->l->title)
        title = content_expand(r->c, r->l->title, r->d, diag_at(r->l->path, 0));
    content_use_record(r->c, NULL, 0, 0);
    if (r->l->title && !title) {
        free(lang);
        return EXIT_INPUT;
    }
    int status = EXIT_OK;
    char why[1024];
    if (!o->dry_run && !tags_finish(r->tags, r->pdf, lang, why, sizeof why)) {
        diag_error(r->d, "output-write-failed", diag_at(o->output, 0), "expected to write the PDF, found an error: %s", why);
        free(lang);
        free(title);
        return EXIT_OUTPUT;
    }
    free(lang);
    if (!o->dry_run && o->pdfx) {
        /* PDF/X needs a title and dates: the layout's file name stands in for a missing title */
        if (!title || !*title) {
            free(title);
            title = layout_base(r->l->path);
        }
        pdfx_meta m = { title ? title : "handout", o->creator, 0, { 0 }, r->tags != NULL };
        pdfx_identity(r, first, m.title, &m);
        pdf_set_info(r->pdf, m.title, o->creator, m.epoch);
        if (!pdfx_finish(r->pdf, &m, why, sizeof why)) {
            diag_error(r->d, "output-pdfx-failed", diag_at(o->output, 0), "expected to write a PDF/X-4 file, found an error: %s", why);
            free(title);
            return EXIT_OUTPUT;
        }
    }
    if (!o->dry_run && !o->pdfx && r->tags) {
        /* PDF/UA-1's identification and dc:title; the layout's file name for a missing title */
        char *xt = title && *title ? strdup(title) : layout_base(r->l->path);
        if (!xt)
            snprintf(why, sizeof why, "out of memory");
        bool ok = xt && pdfx_ua_metadata(r->pdf, xt, why, sizeof why);
        free(xt);
        if (!ok) {
            diag_error(r->d, "output-write-failed", diag_at(o->output, 0), "expected to write the PDF, found an error: %s",
                       why);
            free(title);
            return EXIT_OUTPUT;
        }
    }
    if (!o->dry_run) {
        if (!o->pdfx)
            pdf_set_info(r->pdf, title ? title : "", o->creator, o->epoch);
        /* the forms first: pdf_save frees libharu's document (a form not kept is freed through it) */
        art_free(r->art);
        r->art = NULL;
        if (!pdf_save(r->pdf, pdf_tmp, why, sizeof why)) {
            diag_error(r->d, "output-write-failed", diag_at(o->output, 0), "expected to write the PDF, found an error: %s", why);
            status = EXIT_OUTPUT;
        }
    }
    free(title);
    return status;
}

/* Releases what part_start made (what it could make). */
static void part_release(render *r, part_dump *pd)
{
    if (r->dump && r->dump != stdout)
        fclose(r->dump);
    r->dump = NULL;
    free(pd->buf);
    for (int i = 0; r->md && i < r->l->nelements; i++) {
        free(r->md[i].name);
        free(r->md[i].path);
        free(r->md[i].raw);
    }
    free(r->md);
    r->md = NULL;
    free(r->scale);
    r->scale = NULL;
    free(r->group);
    r->group = NULL;
    art_free(r->art); /* before the document: a form not kept is freed through it */
    r->art = NULL;
    pdf_free(r->pdf);
    r->pdf = NULL;
    tags_free(r->tags);
    r->tags = NULL;
}

int render_part(render *r, long first, long last, long pages_before, const char *pdf_tmp,
                const char *dump_tmp)
{
    part_dump pd = { NULL, 0, dump_tmp };
    int status = EXIT_INTERNAL;
    if (part_start(r, first, last, &pd)) {
        status = part_draw(r, first, last, pages_before);
        status = part_end_dump(r, last, &pd, status);
        if (status == EXIT_OK)
            status = part_save(r, first, pdf_tmp);
    }
    part_release(r, &pd);
    return status;
}

render *render_new(const layout *l, content *c, fonts *f, const render_opts *o, diag *d, int *status)
{
    int before = diag_errors(d);
    *status = EXIT_INPUT;
    preflight_geometry(l, d);
    if (o->pdfx) {
        ink_check_layout(l, o->ink_limit, d);
        /* colours the press cannot print: warnings (the profile's own failure is pdfx_finish's) */
        char why[256];
        gamut *g = gamut_new(PDFX_CMYK_PROFILE, why, sizeof why);
        if (g)
            gamut_check_layout(g, l, d);
        gamut_free(g);
    }
    if (o->mode == OUTPUT_SHEET && !o->sheet) {
        diag_error(d, "output-no-sheet", diag_at(l->path, 0), "expected a sheet for sheet output, found none");
        return NULL;
    }
    if (diag_errors(d) > before)
        return NULL;
    int tiles = 0;
    if (o->mode == OUTPUT_TILES && (tiles = pages_tiles_per_item(l, o, d)) == 0)
        return NULL;
    render *r = calloc(1, sizeof *r);
    if (r) {
        r->hyph = hyphenator_new();
        r->breaker = unicode_breaker_new();
    }
    if (!r || !r->hyph || !r->breaker) {
        diag_error(d, "internal-out-of-memory", diag_at(o->output, 0), "cannot start a PDF document: out of memory");
        render_free(r);
        *status = EXIT_INTERNAL;
        return NULL;
    }
    r->l = l;
    r->c = c;
    r->fonts = f;
    r->o = o;
    r->d = d;
    r->printer = o->printer;
    r->numbers = o->numbers;
    r->failed_item = -1;
    r->tiles_per_item = tiles;
    *status = EXIT_OK;
    return r;
}

void render_free(render *r)
{
    if (!r)
        return;
    hyphenator_free(r->hyph);
    unicode_breaker_free(r->breaker);
    gamut_free(r->gamut);
    free(r);
}

void render_unit(const render *r, long *items, int *pages)
{
    const render_opts *o = r->o;
    *items = o->mode == OUTPUT_SHEET ? sheet_per_page(o->sheet) : 1;
    *pages = o->mode == OUTPUT_TILES ? r->tiles_per_item : r->l->two_sided ? 2 : 1;
}
