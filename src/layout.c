/* layout: the layout INI format. One [page] section and one section per element, drawn in file
 * order. The format is documented key by key in docs/formats.md. */
#include "layout.h"
#include "ini.h"
#include "theme.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_FONT "Liberation Sans"

static const char *const PAGE_KEYS[] = { "description", "size", "orientation", "margin",
                                         "margin_top", "margin_right", "margin_bottom",
                                         "margin_left", "background", "title", "bleed",
                                         "audience", "sheet", "data", "scan_distance",
                                         "viewing_distance", "languages", "mirror", "compliance",
                                         "min_type", "sizes", "empty_band", "empty_band_reason", "reading_distance_reason", NULL };
/* The keys that place an element from another one (docs/formats.md, "Relative geometry"). */
#define PLACE_KEYS "right_of", "left_of", "align_left", "align_right", "align_center", "below", "above", \
                   "align_top", "align_bottom", "align_middle", "gap", "inset"
static const char *const TEXT_KEYS[] = { "type", "side", "x", "y", "width", "height", "text", "font",
                                         "size", "min_size", "max_size", "fit", "align", "valign", "color", "justify_limit", "balance",
                                         "line_height", "rotate", "lang", "columns", "column_gap",
                                         "fit_group", "breaking", "hyphenate", "direction", "font_fallback", "order", "fine_print", PLACE_KEYS, NULL };
static const char *const MARKDOWN_KEYS[] = { "type", "side", "x", "y", "width", "height", "file", "font",
                                             "bold_font", "italic_font", "bold_italic_font",
                                             "heading_font", "size", "min_size", "max_size", "fit", "align", "justify_limit", "balance",
                                             "valign", "color", "heading_color", "line_height",
                                             "paragraph_spacing", "list_indent", "h1_size",
                                             "h2_size", "h3_size", "lang", "columns", "column_gap",
                                             "fit_group", "breaking", "hyphenate", "direction", "font_fallback", "order", "fine_print", PLACE_KEYS, NULL };
static const char *const QR_KEYS[] = { "type", "side", "x", "y", "size", "payload", "url", "tel",
                                       "sms", "sms_body", "link_file", "link", "ecc", "quiet_zone",
                                       "color", "background", "order", PLACE_KEYS, NULL };
static const char *const IMAGE_KEYS[] = { "type", "side", "x", "y", "width", "height", "file", "fallback", "optional", "alt", "backdrop", "backdrop_padding", "order", PLACE_KEYS, NULL };
static const char *const RULE_KEYS[] = { "type", "side", "x", "y", "width", "height", "thickness",
                                         "color", "dash", PLACE_KEYS, NULL };
static const char *const BOX_KEYS[] = { "type", "side", "x", "y", "width", "height", "fill", "stroke",
                                        "stroke_width", "bleed", PLACE_KEYS, NULL };

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
    double W, H;  /* the trim size built, once [page] size is read: what percentages are of */
    double ratio; /* the size built over the design size ([page] sizes): absolute lengths scale by it */
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

/* Keys whose lengths are physical, not part of the design: never scaled, never a percentage. */
static bool fixed_key(const char *key)
{
    return strcmp(key, "bleed") == 0 || strcmp(key, "min_type") == 0;
}

/* The axis a bare percentage in key is of: 'x' (the trim width), 'y' (its height), or 0 (none: the
 * value must say, 10%w or 10%h). */
static char key_axis(const char *key)
{
    static const char *const X[] = { "x", "width", "margin_left", "margin_right", "column_gap", NULL };
    static const char *const Y[] = { "y", "height", "margin_top", "margin_bottom", NULL };
    for (int i = 0; X[i]; i++)
        if (strcmp(key, X[i]) == 0)
            return 'x';
    for (int i = 0; Y[i]; i++)
        if (strcmp(key, Y[i]) == 0)
            return 'y';
    return 0;
}

static const char PERCENT_AXIS_EXPECTED[] =
    "a length with a unit, or a percentage that says of what: 10%w (the trim width) or 10%h (its height)";

/* Points of a length read by units_rel_length along axis ('x', 'y' or 0): an absolute one scaled by
 * the size ratio, a percentage of the trim built. False for a bare percentage without an axis. */
static bool rel_points(const reader *r, double v, units_basis b, char axis, double *out)
{
    switch (b) {
    case UNITS_ABSOLUTE:
        *out = v * r->ratio;
        return true;
    case UNITS_PERCENT:
        if (!axis)
            return false;
        *out = v / 100 * (axis == 'x' ? r->W : r->H);
        return true;
    case UNITS_PERCENT_W:
        *out = v / 100 * r->W;
        return true;
    case UNITS_PERCENT_H:
        *out = v / 100 * r->H;
        return true;
    }
    return false;
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
    bool ok;
    if (fixed_key(key)) {
        ok = units_length(v, out, &why);
    } else {
        double val, pt = 0;
        units_basis b;
        ok = units_rel_length(v, &val, &b, &why);
        if (ok && !rel_points(r, val, b, key_axis(key), &pt)) {
            ok = false;
            why = PERCENT_AXIS_EXPECTED;
        } else if (ok && pt > 14400.0) {
            ok = false;
            why = "a length of at most 200in (the largest PDF page)";
        }
        if (ok)
            *out = pt;
    }
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

/* ---- relative geometry: elements placed from one another ---- */

/* One relation key: the axis it places (0: x, 1: y), the end it gives (0: the near edge, 1: the
 * far one, 2: the centre) and whether the element goes outside the other one (with gap) or is
 * aligned with its edge (with inset). */
static const struct {
    const char *key;
    int axis, end;
    bool outside;
} RELS[] = {
    { "right_of", 0, 0, true },      { "align_left", 0, 0, false },  { "left_of", 0, 1, true },
    { "align_right", 0, 1, false },  { "align_center", 0, 2, false }, { "below", 1, 0, true },
    { "align_top", 1, 0, false },    { "above", 1, 1, true },        { "align_bottom", 1, 1, false },
    { "align_middle", 1, 2, false },
};
#define NRELS (sizeof RELS / sizeof RELS[0])

/* A length of gap or inset, resolved per axis: a value and what it is of. */
typedef struct rel_len {
    double v;
    units_basis b;
} rel_len;

typedef struct placement {
    int rel[2][3];   /* index into RELS per axis and end, or -1 */
    char *ref[2][3]; /* the element named there */
    rel_len gap[2], inset[2]; /* per axis (0: horizontal, 1: vertical) */
} placement;

static void placement_free(placement *p)
{
    for (int a = 0; a < 2; a++)
        for (int k = 0; k < 3; k++)
            free(p->ref[a][k]);
}

/* gap or inset: one length (both axes) or two, vertical then horizontal; a bare percentage is of
 * the trim's dimension along the axis it is used on. */
static bool read_rel_lengths(reader *r, const char *key, rel_len out[2])
{
    char *v = rget(r, key);
    if (!v)
        return false;
    char *sp = strchr(v, ' ');
    rel_len t[2];
    const char *why = NULL;
    bool ok;
    if (sp) {
        *sp = '\0';
        const char *second = sp + 1;
        while (*second == ' ')
            second++;
        ok = units_rel_length(v, &t[0].v, &t[0].b, &why) && units_rel_length(second, &t[1].v, &t[1].b, &why);
        *sp = ' ';
    } else {
        ok = units_rel_length(v, &t[0].v, &t[0].b, &why);
        t[1] = t[0];
    }
    if (!ok) {
        rfail(r, "layout-bad-length", key,
              "one length or two (vertical, then horizontal), each with a unit or a percentage (2%, 2%w, 2%h)", v);
    } else {
        out[1] = t[0]; /* vertical */
        out[0] = t[1]; /* horizontal */
    }
    free(v);
    return ok;
}

/* Reads the relation keys of an element and the x, y, width and height they leave to give. */
static void read_placement(reader *r, element *e, placement *p)
{
    static const char *const POS[2] = { "x", "y" }, *const LEN[2] = { "width", "height" };
    static const char *const EDGES[2][3] = {
        { "x, right_of or align_left (the left edge)", "left_of or align_right (the right edge)", "align_center" },
        { "y, below or align_top (the top edge)", "above or align_bottom (the bottom edge)", "align_middle" },
    };
    memset(p->rel, -1, sizeof p->rel);
    bool outside = false, aligned = false;
    for (size_t k = 0; k < NRELS; k++) {
        char *v = rget(r, RELS[k].key);
        if (!v)
            continue;
        int a = RELS[k].axis, end = RELS[k].end;
        if (p->rel[a][end] >= 0) {
            char expected[160];
            snprintf(expected, sizeof expected, "only one of %s", EDGES[a][end]);
            rfail(r, "layout-keys-conflict", RELS[k].key, expected, v);
            free(v);
            continue;
        }
        p->rel[a][end] = (int)k;
        p->ref[a][end] = v;
        if (RELS[k].outside)
            outside = true;
        else
            aligned = true;
    }
    rel_len zero[2] = { { 0, UNITS_ABSOLUTE }, { 0, UNITS_ABSOLUTE } };
    memcpy(p->gap, zero, sizeof zero);
    memcpy(p->inset, zero, sizeof zero);
    if (read_rel_lengths(r, "gap", p->gap) && !outside)
        rfail(r, "layout-keys-conflict", "gap", "gap only with below, above, right_of or left_of",
              ini_get(r->f, r->section, "gap"));
    if (read_rel_lengths(r, "inset", p->inset) && !aligned)
        rfail(r, "layout-keys-conflict", "inset", "inset only with an align_ key",
              ini_get(r->f, r->section, "inset"));
    /* a qr code's size is its own; a rule's length is read with its keys, unless it is stretched */
    bool own_size = e->type == EL_QR;
    for (int a = 0; a < 2; a++) {
        bool lo = p->rel[a][0] >= 0, hi = p->rel[a][1] >= 0, mid = p->rel[a][2] >= 0;
        if (!lo && !hi && !mid) {
            rlength(r, POS[a], a ? &e->y : &e->x, true);
        } else if (ini_get(r->f, r->section, POS[a])) {
            char expected[160];
            snprintf(expected, sizeof expected, "%s or relations to other elements, not both", POS[a]);
            rfail(r, "layout-keys-conflict", POS[a], expected, ini_get(r->f, r->section, POS[a]));
        } else if (mid && (lo || hi)) {
            rfail(r, "layout-keys-conflict", RELS[p->rel[a][2]].key,
                  a ? "align_middle alone, or the top or bottom edge" : "align_center alone, or the left or right edge",
                  p->ref[a][2]);
        }
    }
    for (int a = 0; a < 2; a++) {
        bool lo = p->rel[a][0] >= 0, hi = p->rel[a][1] >= 0, mid = p->rel[a][2] >= 0;
        if (own_size) {
            if (lo && hi)
                rfail(r, "layout-keys-conflict", RELS[p->rel[a][1]].key,
                      "one edge only: a qr code or a rule has a size of its own", p->ref[a][1]);
        } else if (lo && hi && !mid) {
            /* stretched between the two edges */
            if (ini_get(r->f, r->section, LEN[a])) {
                char expected[200];
                snprintf(expected, sizeof expected, "%s or both edges (%s; %s), not all three", LEN[a],
                         EDGES[a][0], EDGES[a][1]);
                rfail(r, "layout-keys-conflict", LEN[a], expected, ini_get(r->f, r->section, LEN[a]));
            }
        } else if (e->type != EL_RULE) {
            rlength(r, LEN[a], a ? &e->h : &e->w, true);
        }
    }
}

/* Placing elements in the order they depend on one another. */
typedef struct placer {
    layout *l;
    placement *pl;
    int *state; /* 0: not yet, 1: being placed (on the stack), 2: placed */
    int *stack_el; /* the elements being placed, outermost first, and the key each follows */
    const char **stack_key;
    int depth;
    diag *d;
    int errors;
} placer;

static diag_loc ploc(const placer *pc, int i, const char *key)
{
    const element *e = &pc->l->elements[i];
    return layout_loc(pc->l, e, key);
}

/* The box of the element named name, or the trim or the safe area; false when there is none. j is
 * the element's index, or -1 for an area. */
static bool place_target(const layout *l, const char *name, int *j, double box[4])
{
    for (int i = 0; i < l->nelements; i++)
        if (strcasecmp(l->elements[i].name, name) == 0) {
            const element *t = &l->elements[i];
            *j = i;
            box[0] = t->x, box[1] = t->y, box[2] = t->w, box[3] = t->h;
            return true;
        }
    *j = -1;
    if (strcasecmp(name, "trim") == 0) {
        box[0] = 0, box[1] = 0, box[2] = l->page_w, box[3] = l->page_h;
        return true;
    }
    if (strcasecmp(name, "safe") == 0) {
        box[0] = l->margin[3], box[1] = l->margin[0];
        box[2] = l->page_w - l->margin[1] - l->margin[3];
        box[3] = l->page_h - l->margin[0] - l->margin[2];
        return true;
    }
    return false;
}

static double rel_points_axis(const layout *l, rel_len v, int axis)
{
    switch (v.b) {
    case UNITS_ABSOLUTE:
        return v.v * l->ratio;
    case UNITS_PERCENT:
        return v.v / 100 * (axis ? l->page_h : l->page_w);
    case UNITS_PERCENT_W:
        return v.v / 100 * l->page_w;
    case UNITS_PERCENT_H:
        return v.v / 100 * l->page_h;
    }
    return 0;
}

static bool place(placer *pc, int i)
{
    if (pc->state[i] == 2)
        return true;
    pc->state[i] = 1;
    placement *p = &pc->pl[i];
    element *e = &pc->l->elements[i];
    bool ok = true;
    double edge[2][3] = { { 0 } };
    for (int a = 0; a < 2; a++)
        for (int end = 0; end < 3; end++) {
            if (p->rel[a][end] < 0)
                continue;
            const char *key = RELS[p->rel[a][end]].key;
            double box[4];
            int j;
            if (!place_target(pc->l, p->ref[a][end], &j, box)) {
                diag_error(pc->d, "layout-unknown-element", ploc(pc, i, key),
                           "expected the name of another element of the layout, trim or safe, found \"%s\"",
                           p->ref[a][end]);
                pc->errors++;
                ok = false;
                continue;
            }
            if (j >= 0 && pc->state[j] == 1) {
                /* a cycle: from j's place on the stack to this element */
                char chain[1024];
                size_t n = 0;
                int from = 0;
                while (from < pc->depth && pc->stack_el[from] != j)
                    from++;
                for (int s = from; s < pc->depth && n < sizeof chain; s++)
                    n += (size_t)snprintf(chain + n, sizeof chain - n, "[%s] %s = %s, ",
                                          pc->l->elements[pc->stack_el[s]].name, pc->stack_key[s],
                                          s + 1 < pc->depth ? pc->l->elements[pc->stack_el[s + 1]].name : e->name);
                if (n < sizeof chain)
                    snprintf(chain + n, sizeof chain - n, "[%s] %s = %s", e->name, key, p->ref[a][end]);
                diag_error(pc->d, "layout-relation-cycle", ploc(pc, i, key),
                           "expected elements placed from ones placed before them, found a cycle: %s", chain);
                pc->errors++;
                ok = false;
                continue;
            }
            if (j >= 0 && pc->state[j] == 0) {
                pc->stack_el[pc->depth] = i;
                pc->stack_key[pc->depth] = key;
                pc->depth++;
                bool placed = place(pc, j);
                pc->depth--;
                if (!placed) {
                    ok = false;
                    continue;
                }
                box[0] = pc->l->elements[j].x, box[1] = pc->l->elements[j].y;
                box[2] = pc->l->elements[j].w, box[3] = pc->l->elements[j].h;
            }
            double lo = box[a], len = box[a + 2];
            double gap = rel_points_axis(pc->l, p->gap[a], a), inset = rel_points_axis(pc->l, p->inset[a], a);
            bool out = RELS[p->rel[a][end]].outside;
            edge[a][end] = end == 2 ? lo + len / 2
                           : end == 0 ? (out ? lo + len + gap : lo + inset)
                                      : (out ? lo - gap : lo + len - inset);
        }
    if (ok)
        for (int a = 0; a < 2; a++) {
            double *pos = a ? &e->y : &e->x, *len = a ? &e->h : &e->w;
            bool lo = p->rel[a][0] >= 0, hi = p->rel[a][1] >= 0, mid = p->rel[a][2] >= 0;
            if (mid) {
                *pos = edge[a][2] - *len / 2;
            } else if (lo && hi && e->type != EL_QR) {
                *pos = edge[a][0];
                *len = edge[a][1] - edge[a][0];
                if (*len <= 0) {
                    const char *key = RELS[p->rel[a][1]].key;
                    diag_error(pc->d, "layout-relation-no-room", ploc(pc, i, key),
                               "expected room between the two edges it is placed from, found a %s of %.1fpt",
                               a ? "height" : "width", *len);
                    pc->errors++;
                    ok = false;
                }
            } else if (lo) {
                *pos = edge[a][0];
            } else if (hi) {
                *pos = edge[a][1] - *len;
            }
        }
    pc->state[i] = ok ? 2 : 3;
    return ok;
}

/* Places every element that has relations, each after the ones it names. */
static void place_all(layout *l, placement *pl, diag *d)
{
    placer pc = { l, pl, calloc((size_t)l->nelements + 1, sizeof(int)),
                  calloc((size_t)l->nelements + 1, sizeof(int)),
                  calloc((size_t)l->nelements + 1, sizeof(char *)), 0, d, 0 };
    if (pc.state && pc.stack_el && pc.stack_key)
        for (int i = 0; i < l->nelements; i++)
            if (pc.state[i] == 0)
                place(&pc, i);
    free(pc.state);
    free(pc.stack_el);
    free((void *)pc.stack_key);
}

static const colour BLACK = { COLOUR_RGB, { 0, 0, 0, 0 } };
static const colour WHITE = { COLOUR_RGB, { 1, 1, 1, 0 } };

/* What the theme gives a key a layout leaves out (docs/formats.md, "Themes"): its number, or dflt
 * when no theme is loaded. */
static double theme_default(const reader *r, const char *key, double dflt)
{
    const theme *t = content_theme(r->c);
    return t ? theme_number(t, key) : dflt;
}

static void read_text_style(reader *r, element *e)
{
    e->lang = rget(r, "lang");
    e->fit_group = rget(r, "fit_group");
    e->columns = 1;
    e->column_gap = theme_default(r, "column_gap", 18) * r->ratio;
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
    static const char *const FITS[] = { "none", "shrink", "grow", "both", NULL };
    static const char *const ALIGNS[] = { "left", "center", "right", "justify", "start", "end", NULL };
    static const char *const DIRECTIONS[] = { "ltr", "rtl", "auto", NULL };
    static const char *const VALIGNS[] = { "top", "middle", "bottom", NULL };
    e->size = 12 * r->ratio;
    e->line_height = theme_default(r, "line_height", 1.2);
    e->color = BLACK;
    char *font = rget(r, "font");
    const theme *th = content_theme(r->c);
    e->font[FONT_REGULAR] = font ? font : strdup(th ? theme_get(th, "font") : DEFAULT_FONT);
    int before = r->errors;
    if (rlength(r, "size", &e->size, false) && (e->size < 4 || e->size > 1000)) {
        rfail(r, "layout-bad-length", "size", "a font size from 4pt to 1000pt", ini_get(r->f, r->section, "size"));
    }
    bool size_ok = r->errors == before; /* else min_size is not compared with it */
    e->min_size = e->size;
    if (rlength(r, "min_size", &e->min_size, false) && size_ok && (e->min_size < 4 || e->min_size > e->size))
        rfail(r, "layout-bad-length", "min_size", "a size from 4pt up to the element's size",
              ini_get(r->f, r->section, "min_size"));
    e->max_size = e->size;
    if (rlength(r, "max_size", &e->max_size, false) && size_ok && (e->max_size < e->size || e->max_size > 1000))
        rfail(r, "layout-bad-length", "max_size", "a size from the element's size up to 1000pt",
              ini_get(r->f, r->section, "max_size"));
    int fit = rchoice(r, "fit", FITS, "none, shrink, grow or both");
    e->shrink = fit == 1 || fit == 3;
    e->grow = fit == 2 || fit == 3;
    e->justify_limit = 1.5;
    rnumber(r, "justify_limit", &e->justify_limit, 1, 10);
    e->fine_print = ryesno(r, "fine_print", false);
    int bal = rchoice(r, "balance", YESNO, "yes or no");
    e->balance = bal < 0 ? -1 : bal == 0;
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
    e->paragraph_spacing = theme_default(r, "paragraph_spacing", 0.5);
    e->list_indent = theme_default(r, "list_indent", 1.5);
    rnumber(r, "paragraph_spacing", &e->paragraph_spacing, 0, 5);
    rnumber(r, "list_indent", &e->list_indent, 0.5, 10);
    static const double defaults[3] = { 1.6, 1.3, 1.1 };
    static const char *const hkeys[3] = { "h1_size", "h2_size", "h3_size" };
    static const char *const scales[3] = { "h1_scale", "h2_scale", "h3_scale" };
    for (int i = 0; i < 3; i++) {
        double v;
        e->heading_scale[i] = theme_default(r, scales[i], defaults[i]);
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
static void read_rule_keys(reader *r, element *e, const placement *p)
{
    bool hw = rlength(r, "width", &e->w, false);
    bool hh = rlength(r, "height", &e->h, false);
    /* stretched between two edges: horizontal (x) or vertical (y), its length placed later */
    bool sx = p->rel[0][0] >= 0 && p->rel[0][1] >= 0, sy = p->rel[1][0] >= 0 && p->rel[1][1] >= 0;
    if (sx && sy) {
        rfail(r, "layout-keys-conflict", RELS[p->rel[1][1]].key,
              "a rule stretched one way only (a rule is a line)", p->ref[1][1]);
    } else if ((sx || sy) && !hw && !hh && ini_get(r->f, r->section, "width") == NULL &&
               ini_get(r->f, r->section, "height") == NULL) {
        /* its length comes from the edges */
    } else if (hw == hh && ini_get(r->f, r->section, "width") == NULL &&
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
    e->thickness = 1 * r->ratio;
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
        e->dash[0] *= r->ratio;
        e->dash[1] *= r->ratio;
        if (!ok)
            rfail(r, "layout-bad-length", "dash",
                  "two lengths from 0.1pt to 1000pt, dash then gap, such as \"4pt 2pt\"", dash);
        free(dash);
    }
}

/* An image's backdrop: a panel of a colour under it, so that a dark logo on a dark band stays
 * legible; backdrop_padding around the image (the image is fitted inside the box less that
 * padding, so the panel stays in the box; preflight_geometry checks it leaves room). */
static void read_backdrop(reader *r, element *e)
{
    rcolour(r, "backdrop", &e->backdrop);
    if (rlength(r, "backdrop_padding", &e->backdrop_pad, false) && e->backdrop.space == COLOUR_NONE) {
        diag_error(r->d, "layout-keys-conflict", rloc(r, "backdrop_padding"),
                   "expected backdrop = a colour with backdrop_padding, found no backdrop");
        r->errors++;
    }
}

static void read_element(reader *r, element *e, placement *p)
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
    read_placement(r, e, p);
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
        e->fallback = rtemplate(r, "fallback", false);
        e->optional = ryesno(r, "optional", false);
        e->alt = rtemplate(r, "alt", false);
        read_backdrop(r, e);
        break;
    case EL_RULE:
        read_rule_keys(r, e, p);
        break;
    case EL_BOX:
        e->thickness = 1 * r->ratio;
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
        free(e->fallback);
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
    free(l->empty_reason);
    free(l->reading_reason);
    free(l->path);
    free(l->size_name);
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

/* [page] sizes: a comma-separated list of the sizes a layout is made for, each a page size
 * (tabloid, a3) or "NAME: W x H" (18x24: 18in x 24in). Picks want (a name in the list), or without
 * one the entry of the design size dw x dh; sets l->size_name, *w and *h (the size built) and *spec
 * (its size as written, a new string). False after an error. */
static bool read_sizes(reader *r, layout *l, const char *want, double dw, double dh, double *w,
                       double *h, char **spec)
{
    char *list = rget(r, "sizes");
    if (!list) {
        if (want && ini_get(r->f, "page", "sizes") == NULL) {
            diag_loc loc = rloc(r, "sizes");
            loc.line = ini_line(r->f, "page", "size");
            diag_error(r->d, "layout-no-sizes", loc,
                       "expected a [page] sizes list to pick --size %s from, found none", want);
            r->errors++;
        }
        return !want;
    }
    const char *p = list;
    char item[256], names[1024] = "";
    bool found = false, ok = true;
    size_t nn = 0;
    while (units_list_next(&p, item, sizeof item)) {
        char *colon = strchr(item, ':');
        const char *name = item, *size = item;
        if (colon) {
            *colon = '\0';
            size = colon + 1;
            while (*size == ' ')
                size++;
            for (char *t = colon; t > item && t[-1] == ' '; t--)
                t[-1] = '\0';
        }
        double iw, ih;
        const char *why = NULL;
        if (!*name || !units_page_size(size, &iw, &ih, &why)) {
            rfail(r, "layout-bad-page-size", "sizes",
                  "a list of page sizes (tabloid, a3) or NAME: W x H (18x24: 18in x 24in)", list);
            ok = false;
            break;
        }
        nn += (size_t)snprintf(names + nn, nn < sizeof names ? sizeof names - nn : 0, "%s%s",
                               nn ? ", " : "", name);
        if (nn >= sizeof names)
            nn = sizeof names - 1;
        bool match = want ? strcasecmp(name, want) == 0
                          : fabs(iw - dw) < 0.01 && fabs(ih - dh) < 0.01;
        if (match && !found) {
            found = true;
            *w = iw;
            *h = ih;
            free(l->size_name);
            l->size_name = strdup(name);
            free(*spec);
            *spec = strdup(size);
        }
    }
    if (ok && want && !found) {
        diag_error(r->d, "layout-unknown-size", rloc(r, "sizes"),
                   "expected one of the sizes it lists (%s), found \"%s\" (--size)", names, want);
        r->errors++;
        ok = false;
    }
    free(list);
    return ok;
}

static void read_page(reader *r, layout *l, const char *want)
{
    static const char *const ORIENT[] = { "portrait", "landscape", NULL };
    char *size = rstring(r, "size", true);
    double dw = 0, dh = 0; /* the design size */
    if (size) {
        const char *why = NULL;
        if (!units_page_size(size, &dw, &dh, &why))
            rfail(r, "layout-bad-page-size", "size", why, size);
    }
    l->page_w = dw;
    l->page_h = dh;
    char *spec = size ? strdup(size) : NULL; /* the size built, as written */
    if (dw > 0)
        read_sizes(r, l, want, dw, dh, &l->page_w, &l->page_h, &spec);
    free(size);
    int o = rchoice(r, "orientation", ORIENT, "portrait or landscape");
    if ((o == 1) != (l->page_w > l->page_h) && o >= 0) {
        double t = l->page_w;
        l->page_w = l->page_h;
        l->page_h = t;
    }
    if ((o == 1) != (dw > dh) && o >= 0) {
        double t = dw;
        dw = dh;
        dh = t;
    }
    r->W = l->page_w;
    r->H = l->page_h;
    r->ratio = dw > 0 ? l->page_w / dw : 1;
    l->ratio = r->ratio;
    double m = 36 * r->ratio;
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
    /* bleed: 3 mm for metric sizes, 1/8 in otherwise (of the size built) */
    const char *sz = spec;
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
    /* the emptiness check (design.h): a share of the printable area, "15%" */
    l->empty_band = -1;
    char *eb = rget(r, "empty_band");
    if (eb) {
        size_t n = strlen(eb);
        double v = 0;
        char *num = n > 1 && eb[n - 1] == '%' ? strndup(eb, n - 1) : NULL;
        if (!num || !units_number(num, &v, NULL) || v < 1 || v > 100)
            rfail(r, "layout-bad-number", "empty_band", "a share of the printable area from 1% to 100%, such as 15%", eb);
        else
            l->empty_band = v / 100;
        free(num);
        free(eb);
    }
    l->empty_reason = rget(r, "empty_band_reason");
    l->reading_reason = rget(r, "reading_distance_reason");
    static const char *const DIST[2] = { "scan_distance", "viewing_distance" };
    double *dst[2] = { &l->scan_distance, &l->viewing_distance };
    for (int i = 0; i < 2; i++) {
        char *v = rget(r, DIST[i]);
        const char *why = NULL;
        if (v && !units_distance(v, dst[i], &why))
            rfail(r, "layout-bad-length", DIST[i], why, v);
        else
            *dst[i] *= r->ratio; /* a larger size is read and scanned from further away */
        free(v);
    }
    free(spec);
}

layout *layout_load_size(const char *path, const char *size, const content *c, diag *d)
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
    reader r = { f, c, d, "page", 0, 0, 0, 1 };
    l->ratio = 1;
    int page = ini_section_index(f, "page");
    if (page < 0) {
        diag_error(d, "layout-no-page", diag_at(path, 0), "expected a [page] section with the page size, found none");
    } else {
        ini_check_keys(f, page, PAGE_KEYS, "layout-unknown-key", d);
        read_page(&r, l, size);
    }
    if (page < 0 && size)
        diag_error(d, "layout-no-sizes", diag_at(path, 0),
                   "expected a [page] sizes list to pick --size %s from, found none", size);
    l->elements = calloc((size_t)ini_section_count(f) + 1, sizeof *l->elements);
    placement *pl = calloc((size_t)ini_section_count(f) + 1, sizeof *pl);
    if (!l->elements || !pl) {
        free(pl);
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
        read_element(&r, e, &pl[l->nelements - 1]);
        if (e->side == SIDE_BACK)
            l->two_sided = true;
    }
    if (diag_errors(d) == before)
        place_all(l, pl, d);
    for (int i = 0; i < l->nelements; i++)
        placement_free(&pl[i]);
    free(pl);
    if (diag_errors(d) > before) {
        layout_free(l);
        return NULL;
    }
    return l;
}

layout *layout_load(const char *path, const content *c, diag *d)
{
    return layout_load_size(path, NULL, c, d);
}

const char *layout_raw(const layout *l, const element *e, const char *key)
{
    return ini_get(l->ini, e->name, key);
}

char *layout_size_names(const char *path)
{
    diag *d = diag_new(NULL);
    if (!d)
        return NULL;
    ini_file *f = ini_load(path, d);
    char *s = NULL;
    const char *v = f ? ini_get(f, "page", "sizes") : NULL;
    if (v) {
        size_t cap = strlen(v) + 1, n = 0;
        s = malloc(cap);
        char item[256];
        const char *p = v;
        while (s && units_list_next(&p, item, sizeof item)) {
            item[strcspn(item, ":")] = '\0';
            size_t len = strlen(item);
            while (len > 0 && item[len - 1] == ' ')
                item[--len] = '\0';
            n += (size_t)snprintf(s + n, cap - n, "%s%s", n ? "," : "", item);
        }
        if (s && n == 0) {
            free(s);
            s = NULL;
        }
    }
    ini_free(f);
    diag_free(d);
    return s;
}

bool layout_lists_size(const char *path, const char *name)
{
    char *names = layout_size_names(path);
    bool found = false;
    for (char *p = names; p && *p && !found;) {
        size_t k = strcspn(p, ",");
        found = k == strlen(name) && strncasecmp(p, name, k) == 0;
        p += k + (p[k] == ',');
    }
    free(names);
    return found;
}

char *layout_sized_path(const char *dir, const char *name, char **size)
{
    *size = NULL;
    if (strchr(name, '/'))
        return NULL;
    for (const char *dash = strrchr(name, '-'); dash && dash > name;) {
        char *path = malloc(strlen(dir) + strlen(name) + 8);
        if (!path)
            return NULL;
        sprintf(path, "%s/%.*s.ini", dir, (int)(dash - name), name);
        FILE *f = fopen(path, "r");
        if (f)
            fclose(f);
        if (f && layout_lists_size(path, dash + 1)) {
            *size = strdup(dash + 1);
            if (*size)
                return path;
        }
        free(path);
        const char *prev = dash - 1;
        while (prev > name && *prev != '-')
            prev--;
        dash = *prev == '-' ? prev : NULL;
    }
    return NULL;
}

char *layout_renamed_path(const char *path, char **size)
{
    *size = NULL;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(base);
    if (n <= 4 || strcmp(base + n - 4, ".ini") != 0)
        return NULL;
    char *dir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
    char *name = strndup(base, n - 4);
    char *found = dir && name && *dir ? layout_sized_path(dir, name, size) : NULL;
    free(dir);
    free(name);
    return found;
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
