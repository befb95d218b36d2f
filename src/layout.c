/* layout: the layout INI format. One [page] section and one section per element, drawn in file
 * order. The format is documented key by key in docs/formats.md. */
#include "layout.h"
#include "ini.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_FONT "Liberation Sans"

static const char *const PAGE_KEYS[] = { "description", "size", "orientation", "margin",
                                         "margin_top", "margin_right", "margin_bottom",
                                         "margin_left", "background", "title", "bleed",
                                         "audience", "sheet", "data", "scan_distance",
                                         "viewing_distance", "languages", "mirror", "compliance",
                                         "min_type", NULL };
static const char *const TEXT_KEYS[] = { "type", "side", "x", "y", "width", "height", "text", "font",
                                         "size", "min_size", "fit", "align", "valign", "color",
                                         "line_height", "rotate", "lang", "columns", "column_gap",
                                         "fit_group", "breaking", "hyphenate", "direction", "font_fallback", "order", NULL };
static const char *const MARKDOWN_KEYS[] = { "type", "side", "x", "y", "width", "height", "file", "font",
                                             "bold_font", "italic_font", "bold_italic_font",
                                             "heading_font", "size", "min_size", "fit", "align",
                                             "valign", "color", "heading_color", "line_height",
                                             "paragraph_spacing", "list_indent", "h1_size",
                                             "h2_size", "h3_size", "lang", "columns", "column_gap",
                                             "fit_group", "breaking", "hyphenate", "direction", "font_fallback", "order", NULL };
static const char *const QR_KEYS[] = { "type", "side", "x", "y", "size", "payload", "url", "tel",
                                       "sms", "sms_body", "link_file", "link", "ecc", "quiet_zone",
                                       "color", "background", "order", NULL };
static const char *const IMAGE_KEYS[] = { "type", "side", "x", "y", "width", "height", "file", "optional", "alt", "order", NULL };
static const char *const RULE_KEYS[] = { "type", "side", "x", "y", "width", "height", "thickness",
                                         "color", "dash", NULL };
static const char *const BOX_KEYS[] = { "type", "side", "x", "y", "width", "height", "fill", "stroke",
                                        "stroke_width", "bleed", NULL };

static const struct {
    const char *name;
    element_type type;
    const char *const *keys;
} TYPES[] = {
    { "text", EL_TEXT, TEXT_KEYS }, { "markdown", EL_MARKDOWN, MARKDOWN_KEYS },
    { "qr", EL_QR, QR_KEYS },       { "image", EL_IMAGE, IMAGE_KEYS },
    { "rule", EL_RULE, RULE_KEYS }, { "box", EL_BOX, BOX_KEYS },
};
#define NTYPES (sizeof TYPES / sizeof TYPES[0])

const char *layout_type_name(element_type t)
{
    for (size_t i = 0; i < NTYPES; i++)
        if (TYPES[i].type == t)
            return TYPES[i].name;
    return "?";
}

/* Reading values of one section, each expanded against the content first. */
typedef struct reader {
    const ini_file *f;
    const content *c;
    diag *d;
    const char *section;
    int errors;
} reader;

static diag_loc rloc(const reader *r, const char *key)
{
    diag_loc loc = { ini_path(r->f), ini_line(r->f, r->section, key), r->section, key };
    return loc;
}

/* The expanded value of key, or NULL when absent (or after an error, counted). */
static char *rget(reader *r, const char *key)
{
    const char *raw = ini_get(r->f, r->section, key);
    if (!raw)
        return NULL;
    char *v = content_expand(r->c, raw, r->d, rloc(r, key));
    if (!v)
        r->errors++;
    return v;
}

static int rchoice(reader *r, const char *key, const char *const *words, const char *expected);

/* The raw value of a key that is expanded per item (text, payloads, file names), or NULL. */
static char *rtemplate(reader *r, const char *key, bool required)
{
    const char *raw = ini_get(r->f, r->section, key);
    if (!raw) {
        if (required) {
            diag_loc loc = rloc(r, key);
            loc.line = ini_line(r->f, r->section, NULL);
            diag_error(r->d, "layout-missing-key", loc, "expected a value (this key is required), found none");
            r->errors++;
        }
        return NULL;
    }
    return strdup(raw);
}

static bool ryesno(reader *r, const char *key, bool dflt)
{
    static const char *const YESNO[] = { "no", "yes", NULL };
    int v = rchoice(r, key, YESNO, "yes or no");
    return v < 0 ? dflt : v == 1;
}

static void rfail(reader *r, const char *id, const char *key, const char *expected, const char *found)
{
    diag_error(r->d, id, rloc(r, key), "expected %s, found \"%s\"", expected, found);
    r->errors++;
}

static bool rlength(reader *r, const char *key, double *out, bool required)
{
    char *v = rget(r, key);
    if (!v) {
        if (required && ini_get(r->f, r->section, key) == NULL) {
            diag_loc loc = rloc(r, key);
            loc.line = ini_line(r->f, r->section, NULL);
            diag_error(r->d, "layout-missing-key", loc, "expected a length (this key is required), found none");
            r->errors++;
        }
        return false;
    }
    const char *why = NULL;
    bool ok = units_length(v, out, &why);
    if (!ok)
        rfail(r, "layout-bad-length", key, why, v);
    free(v);
    return ok;
}

static bool rcolour(reader *r, const char *key, colour *out)
{
    char *v = rget(r, key);
    if (!v)
        return false;
    const char *why = NULL;
    bool ok = units_colour(v, out, &why);
    if (!ok)
        rfail(r, "layout-bad-colour", key, why, v);
    free(v);
    return ok;
}

static bool rnumber(reader *r, const char *key, double *out, double lo, double hi)
{
    char *v = rget(r, key);
    if (!v)
        return false;
    const char *why = NULL;
    bool ok = units_number(v, out, &why);
    if (ok && (*out < lo || *out > hi)) {
        char expected[96];
        snprintf(expected, sizeof expected, "a number from %g to %g", lo, hi);
        rfail(r, "layout-bad-number", key, expected, v);
        ok = false;
    } else if (!ok) {
        rfail(r, "layout-bad-number", key, why, v);
    }
    free(v);
    return ok;
}

/* One of a list of words; returns its index or -1 (absent or bad). */
static int rchoice(reader *r, const char *key, const char *const *words, const char *expected)
{
    char *v = rget(r, key);
    if (!v)
        return -1;
    for (int i = 0; words[i]; i++)
        if (strcmp(v, words[i]) == 0) {
            free(v);
            return i;
        }
    rfail(r, "layout-bad-choice", key, expected, v);
    free(v);
    return -1;
}

static char *rstring(reader *r, const char *key, bool required)
{
    char *v = rget(r, key);
    if (!v && required && ini_get(r->f, r->section, key) == NULL) {
        diag_loc loc = rloc(r, key);
        loc.line = ini_line(r->f, r->section, NULL);
        diag_error(r->d, "layout-missing-key", loc, "expected a value (this key is required), found none");
        r->errors++;
    }
    return v;
}

static const colour BLACK = { COLOUR_RGB, { 0, 0, 0, 0 } };
static const colour WHITE = { COLOUR_RGB, { 1, 1, 1, 0 } };

static void read_text_style(reader *r, element *e)
{
    e->lang = rget(r, "lang");
    e->fit_group = rget(r, "fit_group");
    e->columns = 1;
    e->column_gap = 18;
    char *cols = rget(r, "columns");
    if (cols) {
        long n;
        if (!units_int(cols, &n, NULL) || n < 1 || n > 6)
            rfail(r, "layout-bad-number", "columns", "a whole number of columns from 1 to 6", cols);
        else
            e->columns = (int)n;
        free(cols);
    }
    rlength(r, "column_gap", &e->column_gap, false);
    static const char *const BREAKING[] = { "total-fit", "greedy", NULL };
    e->greedy = rchoice(r, "breaking", BREAKING, "total-fit or greedy") == 1;
    static const char *const HYPH[] = { "auto", "yes", "no", NULL };
    int hy = rchoice(r, "hyphenate", HYPH, "auto (justified text only), yes or no");
    e->hyphenate = hy < 0 ? HYPHENATE_AUTO : (hyphenate_mode)hy;
    static const char *const YESNO[] = { "yes", "no", NULL };
    e->no_fallback = rchoice(r, "font_fallback", YESNO, "yes or no") == 1;
    static const char *const FITS[] = { "none", "shrink", NULL };
    static const char *const ALIGNS[] = { "left", "center", "right", "justify", "start", "end", NULL };
    static const char *const DIRECTIONS[] = { "ltr", "rtl", "auto", NULL };
    static const char *const VALIGNS[] = { "top", "middle", "bottom", NULL };
    e->size = 12;
    e->line_height = 1.2;
    e->color = BLACK;
    char *font = rget(r, "font");
    e->font[FONT_REGULAR] = font ? font : strdup(DEFAULT_FONT);
    int before = r->errors;
    if (rlength(r, "size", &e->size, false) && (e->size < 4 || e->size > 1000)) {
        rfail(r, "layout-bad-length", "size", "a font size from 4pt to 1000pt", ini_get(r->f, r->section, "size"));
    }
    bool size_ok = r->errors == before; /* else min_size is not compared with it */
    e->min_size = e->size;
    if (rlength(r, "min_size", &e->min_size, false) && size_ok && (e->min_size < 4 || e->min_size > e->size))
        rfail(r, "layout-bad-length", "min_size", "a size from 4pt up to the element's size",
              ini_get(r->f, r->section, "min_size"));
    int fit = rchoice(r, "fit", FITS, "none or shrink");
    e->shrink = fit == 1;
    int a = rchoice(r, "align", ALIGNS, "left, center, right, justify, start or end");
    e->align = a < 0 ? ALIGN_START : (text_align)a;
    int dir = rchoice(r, "direction", DIRECTIONS, "auto, ltr or rtl");
    e->direction = dir == 0 ? DIRECTION_LTR : dir == 1 ? DIRECTION_RTL : DIRECTION_AUTO;
    int va = rchoice(r, "valign", VALIGNS, "top, middle or bottom");
    e->valign = va < 0 ? VALIGN_TOP : (text_valign)va;
    rcolour(r, "color", &e->color);
    rnumber(r, "line_height", &e->line_height, 0.8, 4);
}

/* A font list with ":bold" / ":italic" added to each family, for the derived Markdown faces
 * ("Liberation Sans, NanumGothic" -> "Liberation Sans:bold, NanumGothic:bold"); a .ttf path stays
 * as it is (name its other faces explicitly). */
static char *derive_font(const char *base, const char *style)
{
    size_t cap = strlen(base) * 2 + 64, n = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    out[0] = '\0';
    const char *p = base;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, ",");
        while (len > 0 && p[len - 1] == ' ')
            len--;
        if (len == 0)
            break;
        bool path = memchr(p, '/', len) || (len > 4 && strncmp(p + len - 4, ".ttf", 4) == 0);
        n += (size_t)snprintf(out + n, cap - n, "%s%.*s%s", n ? ", " : "", (int)len, p,
                              path ? "" : style);
        p += len;
        p += strcspn(p, ",");
    }
    return out;
}

/* A Markdown element's own keys: the heading colour, the fonts of its styles (derived from the
 * regular font when not given), paragraph spacing, list indent, heading sizes. */
static void read_markdown_keys(reader *r, element *e)
{
    e->text = rtemplate(r, "file", true);
    read_text_style(r, e);
    e->heading_color = e->color;
    rcolour(r, "heading_color", &e->heading_color);
    static const char *const slots[] = { NULL, "bold_font", "italic_font", "bold_italic_font",
                                         "heading_font" };
    static const char *const styles[] = { NULL, ":bold", ":italic", ":bold:italic", ":bold" };
    for (int i = 1; i < FONT_SLOTS; i++) {
        e->font[i] = rget(r, slots[i]);
        if (!e->font[i])
            e->font[i] = i == FONT_HEADING && e->font[FONT_BOLD]
                             ? strdup(e->font[FONT_BOLD])
                             : derive_font(e->font[FONT_REGULAR], styles[i]);
    }
    e->paragraph_spacing = 0.5;
    e->list_indent = 1.5;
    rnumber(r, "paragraph_spacing", &e->paragraph_spacing, 0, 5);
    rnumber(r, "list_indent", &e->list_indent, 0.5, 10);
    static const double defaults[3] = { 1.6, 1.3, 1.1 };
    static const char *const hkeys[3] = { "h1_size", "h2_size", "h3_size" };
    for (int i = 0; i < 3; i++) {
        double v;
        e->heading_scale[i] = defaults[i];
        if (rlength(r, hkeys[i], &v, false)) {
            if (v < 4 || v > 1000)
                rfail(r, "layout-bad-length", hkeys[i], "a font size from 4pt to 1000pt",
                      ini_get(r->f, r->section, hkeys[i]));
            else
                e->heading_scale[i] = v / e->size;
        }
    }
}

/* A QR element's own keys: its size, exactly one payload key (with sms_body and link where they
 * belong), the error-correction level, the quiet zone, the colours. */
static void read_qr_keys(reader *r, element *e)
{
    static const char *const ECCS[] = { "L", "M", "Q", "H", NULL };
    rlength(r, "size", &e->w, true);
    e->h = e->w;
    static const char *const KINDS[] = { "payload", "url", "tel", "sms", "link_file" };
    int given = 0;
    for (int k = 0; k < 5; k++)
        if (ini_get(r->f, r->section, KINDS[k])) {
            given++;
            e->payload_kind = (qr_payload_kind)k;
        }
    if (given != 1) {
        diag_loc loc = rloc(r, "payload");
        loc.line = ini_line(r->f, r->section, NULL);
        diag_error(r->d, "layout-qr-payload-keys", loc,
                   "expected exactly one of payload, url, tel, sms and link_file, found %d", given);
        r->errors++;
    } else {
        e->payload = rtemplate(r, KINDS[e->payload_kind], true);
    }
    e->sms_body = rtemplate(r, "sms_body", false);
    e->link = 1;
    char *lk = rget(r, "link");
    if (lk) {
        long n;
        if (!units_int(lk, &n, NULL) || n < 1 || n > 1000)
            rfail(r, "layout-bad-number", "link", "the number of a link in the file, from 1", lk);
        else
            e->link = (int)n;
        if (e->payload_kind != QR_PAYLOAD_LINK)
            rfail(r, "layout-keys-conflict", "link", "link only with link_file", lk);
        free(lk);
    }
    if (e->sms_body && e->payload_kind != QR_PAYLOAD_SMS)
        rfail(r, "layout-keys-conflict", "sms_body", "sms_body only with sms", e->sms_body);
    int ecc = rchoice(r, "ecc", ECCS, "an error-correction level L, M, Q or H");
    e->ecc = ecc < 0 ? 'M' : ECCS[ecc][0];
    e->quiet_zone = 4;
    char *q = rget(r, "quiet_zone");
    if (q) {
        long v;
        const char *why = NULL;
        if (!units_int(q, &v, &why) || v < 4 || v > 40)
            rfail(r, "layout-bad-number", "quiet_zone",
                  "a whole number of modules from 4 to 40 (ISO/IEC 18004 asks for 4)", q);
        else
            e->quiet_zone = (int)v;
        free(q);
    }
    e->color = BLACK;
    e->background = WHITE;
    rcolour(r, "color", &e->color);
    rcolour(r, "background", &e->background);
}

/* A rule's own keys: width (horizontal) or height (vertical), thickness, colour, dash. */
static void read_rule_keys(reader *r, element *e)
{
    bool hw = rlength(r, "width", &e->w, false);
    bool hh = rlength(r, "height", &e->h, false);
    if (hw == hh && ini_get(r->f, r->section, "width") == NULL &&
        ini_get(r->f, r->section, "height") == NULL) {
        diag_loc loc = rloc(r, "width");
        loc.line = ini_line(r->f, r->section, NULL);
        diag_error(r->d, "layout-rule-direction", loc,
                   "expected width (a horizontal rule) or height (a vertical one), found neither");
        r->errors++;
    } else if (hw && hh) {
        rfail(r, "layout-keys-conflict", "height", "only one of width and height on a rule",
              ini_get(r->f, r->section, "height"));
    }
    e->thickness = 1;
    if (rlength(r, "thickness", &e->thickness, false) && e->thickness <= 0)
        rfail(r, "layout-bad-length", "thickness", "a thickness above 0", ini_get(r->f, r->section, "thickness"));
    e->color = BLACK;
    rcolour(r, "color", &e->color);
    char *dash = rget(r, "dash");
    if (dash) {
        /* "ON OFF": two lengths separated by spaces */
        char *sp = strchr(dash, ' ');
        const char *why = NULL;
        bool ok = sp != NULL;
        if (ok) {
            *sp = '\0';
            ok = units_length(dash, &e->dash[0], &why) && units_length(sp + 1, &e->dash[1], &why) &&
                 e->dash[0] >= 0.1 && e->dash[1] >= 0.1 && e->dash[0] <= 1000 && e->dash[1] <= 1000;
            *sp = ' ';
        }
        if (!ok)
            rfail(r, "layout-bad-length", "dash",
                  "two lengths from 0.1pt to 1000pt, dash then gap, such as \"4pt 2pt\"", dash);
        free(dash);
    }
}

static void read_element(reader *r, element *e)
{
    static const char *const SIDES[] = { "front", "back", NULL };
    int side = rchoice(r, "side", SIDES, "front or back");
    e->side = side == 1 ? SIDE_BACK : SIDE_FRONT;
    char *ord = e->type == EL_RULE || e->type == EL_BOX ? NULL : rget(r, "order");
    if (ord) {
        long v;
        if (!units_int(ord, &v, NULL) || v < 1 || v > 10000)
            rfail(r, "layout-bad-number", "order", "a whole number from 1 to 10000 (the place in the reading order)", ord);
        else
            e->order = (int)v;
        free(ord);
    }
    bool need_box = e->type != EL_QR && e->type != EL_RULE;
    rlength(r, "x", &e->x, true);
    rlength(r, "y", &e->y, true);
    if (need_box) {
        rlength(r, "width", &e->w, true);
        rlength(r, "height", &e->h, true);
    }
    switch (e->type) {
    case EL_TEXT: {
        static const char *const ROT[] = { "0", "90", "270", NULL };
        e->text = rtemplate(r, "text", true);
        read_text_style(r, e);
        int rot = rchoice(r, "rotate", ROT, "0, 90 (reading upwards) or 270 (reading downwards)");
        e->rotate = rot == 1 ? 90 : rot == 2 ? 270 : 0;
        break;
    }
    case EL_MARKDOWN:
        read_markdown_keys(r, e);
        break;
    case EL_QR:
        read_qr_keys(r, e);
        break;
    case EL_IMAGE:
        e->file = rtemplate(r, "file", true);
        e->optional = ryesno(r, "optional", false);
        e->alt = rtemplate(r, "alt", false);
        break;
    case EL_RULE:
        read_rule_keys(r, e);
        break;
    case EL_BOX:
        e->thickness = 1;
        rcolour(r, "fill", &e->fill);
        rcolour(r, "stroke", &e->stroke);
        rlength(r, "stroke_width", &e->thickness, false);
        e->bleed = ryesno(r, "bleed", false);
        break;
    }
}

void layout_free(layout *l)
{
    if (!l)
        return;
    for (int i = 0; i < l->nelements; i++) {
        element *e = &l->elements[i];
        free(e->name);
        free(e->text);
        for (int k = 0; k < FONT_SLOTS; k++)
            free(e->font[k]);
        free(e->payload);
        free(e->sms_body);
        free(e->file);
        free(e->alt);
        free(e->lang);
        free(e->fit_group);
    }
    free(l->elements);
    free(l->description);
    free(l->title);
    free(l->sheet);
    free(l->data);
    free(l->languages);
    free(l->compliance);
    free(l->path);
    ini_free(l->ini);
    free(l);
}

diag_loc layout_loc(const layout *l, const element *e, const char *key)
{
    diag_loc loc = { l->path, ini_line(l->ini, e->name, key), e->name, key };
    if (loc.line == 0)
        loc.line = e->line;
    return loc;
}

static void read_page(reader *r, layout *l)
{
    static const char *const ORIENT[] = { "portrait", "landscape", NULL };
    char *size = rstring(r, "size", true);
    if (size) {
        const char *why = NULL;
        if (!units_page_size(size, &l->page_w, &l->page_h, &why))
            rfail(r, "layout-bad-page-size", "size", why, size);
        free(size);
    }
    int o = rchoice(r, "orientation", ORIENT, "portrait or landscape");
    if ((o == 1) != (l->page_w > l->page_h) && o >= 0) {
        double t = l->page_w;
        l->page_w = l->page_h;
        l->page_h = t;
    }
    double m = 36;
    rlength(r, "margin", &m, false);
    static const char *const sides[4] = { "margin_top", "margin_right", "margin_bottom",
                                          "margin_left" };
    for (int i = 0; i < 4; i++) {
        l->margin[i] = m;
        rlength(r, sides[i], &l->margin[i], false);
    }
    if (l->page_w > 0 && (l->margin[1] + l->margin[3] >= l->page_w ||
                          l->margin[0] + l->margin[2] >= l->page_h))
        rfail(r, "layout-margins-too-large", "margin", "margins that leave room on the page",
              ini_get(r->f, r->section, "margin") ? ini_get(r->f, r->section, "margin") : "the side margins");
    rcolour(r, "background", &l->background);
    l->description = rget(r, "description");
    l->title = rtemplate(r, "title", false); /* expanded when the PDF is saved */
    /* bleed: 3 mm for metric sizes, 1/8 in otherwise */
    const char *sz = ini_get(r->f, "page", "size");
    bool metric = sz && (strchr(sz, 'm') || strchr(sz, 'M') || sz[0] == 'a' || sz[0] == 'A' ||
                         sz[0] == 'b' || sz[0] == 'B');
    l->bleed = metric ? 3 * UNITS_PT_PER_MM : 9;
    if (rlength(r, "bleed", &l->bleed, false) && l->bleed > 36)
        rfail(r, "layout-bad-length", "bleed", "a bleed of at most 0.5in", ini_get(r->f, "page", "bleed"));
    static const char *const AUD[] = { "public", "victim", "donor", NULL };
    int a = rchoice(r, "audience", AUD, "public, victim or donor");
    l->audience = a < 0 ? AUDIENCE_PUBLIC : (audience)a;
    l->sheet = rget(r, "sheet");
    l->data = rget(r, "data");
    l->languages = rget(r, "languages");
    l->compliance = rget(r, "compliance");
    l->mirror = ryesno(r, "mirror", false);
    rlength(r, "min_type", &l->min_type, false);
    static const char *const DIST[2] = { "scan_distance", "viewing_distance" };
    double *dst[2] = { &l->scan_distance, &l->viewing_distance };
    for (int i = 0; i < 2; i++) {
        char *v = rget(r, DIST[i]);
        const char *why = NULL;
        if (v && !units_distance(v, dst[i], &why))
            rfail(r, "layout-bad-length", DIST[i], why, v);
        free(v);
    }
}

layout *layout_load(const char *path, const content *c, diag *d)
{
    int before = diag_errors(d);
    ini_file *f = ini_load(path, d);
    if (!f)
        return NULL;
    layout *l = calloc(1, sizeof *l);
    if (!l) {
        ini_free(f);
        return NULL;
    }
    l->ini = f;
    l->path = strdup(path);
    reader r = { f, c, d, "page", 0 };
    int page = ini_section_index(f, "page");
    if (page < 0) {
        diag_error(d, "layout-no-page", diag_at(path, 0), "expected a [page] section with the page size, found none");
    } else {
        ini_check_keys(f, page, PAGE_KEYS, "layout-unknown-key", d);
        read_page(&r, l);
    }
    l->elements = calloc((size_t)ini_section_count(f) + 1, sizeof *l->elements);
    if (!l->elements) {
        layout_free(l);
        return NULL;
    }
    for (int s = 0; s < ini_section_count(f); s++) {
        if (s == page)
            continue;
        const char *name = ini_section_name(f, s);
        r.section = name;
        diag_loc tloc = { path, ini_line(f, name, "type"), name, "type" };
        const char *type = ini_get(f, name, "type");
        if (!type) {
            tloc.line = ini_section_line(f, s);
            diag_error(d, "layout-no-type", tloc, "expected a type (text, markdown, qr, image, rule, box), found none");
            continue;
        }
        size_t t;
        for (t = 0; t < NTYPES; t++)
            if (strcmp(type, TYPES[t].name) == 0)
                break;
        if (t == NTYPES) {
            diag_error(d, "layout-unknown-type", tloc,
                       "expected a section type text, markdown, qr, image, rule or box, found \"%s\"", type);
            continue;
        }
        ini_check_keys(f, s, TYPES[t].keys, "layout-unknown-key", d);
        element *e = &l->elements[l->nelements++];
        e->name = strdup(name);
        e->line = ini_section_line(f, s);
        e->type = TYPES[t].type;
        read_element(&r, e);
        if (e->side == SIDE_BACK)
            l->two_sided = true;
    }
    if (diag_errors(d) > before) {
        layout_free(l);
        return NULL;
    }
    return l;
}

const char *layout_raw(const layout *l, const element *e, const char *key)
{
    return ini_get(l->ini, e->name, key);
}

char *layout_description(const char *path)
{
    diag *d = diag_new(NULL);
    if (!d)
        return NULL;
    ini_file *f = ini_load(path, d);
    char *s = NULL;
    if (f) {
        const char *v = ini_get(f, "page", "description");
        s = strdup(v ? v : "");
    }
    ini_free(f);
    diag_free(d);
    return s;
}
