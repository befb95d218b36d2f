/* art: what is the same on every item of a build drawn once, as a form XObject, and placed on
 * each item; the fourth room of drawing (render_int.h). An element is the same on every item
 * when none of the values it is drawn from reads the record or the item: its text, payload, SMS
 * body, image file or alternative text holds no {column} of the data file, no {serial} and no
 * {record_serial}, directly or through the content's fields (content_varies), and every element
 * of its fit group is the same too (a group shares one size, which a varying member changes).
 * Markdown elements and codes made from a link of a Markdown file are drawn per item (several
 * structure elements, or a file's text, come into them).
 *
 * The first item that needs the element draws it into a form (pdf_form_begin: the item's own
 * coordinates, so that the form needs no matrix of its own: it is placed inside the item's
 * translation, mirror or clip as the element's drawing would be), with the structure calls
 * captured (tags_capture_begin). The form is kept only when what it asked for can be tagged as
 * a whole, one placement at a time: one structure element holding all of its content (a
 * paragraph, a heading, a figure with its alternative text) or artifacts alone (boxes, rules, a
 * decorative image). Each placement is then marked content of a structure element of its own
 * on the page, around the "Do", and the form holds no marked content itself: a form painted by
 * several Do operators can be in the structure only that way, each Do in a marked-content
 * sequence of its element (ISO 32000-1 14.7.4.3; PDF Reference 1.7, 10.6.3). Anything else
 * (several elements, nested ones) is drawn per item as before. docs/accessibility.md and
 * docs/printing.md say why.
 *
 * A part (one output file) of one item per content set makes no form; nor does a build whose
 * check reads what each page sets (a compliance profile: render_stats). With a dump, each
 * placement also runs the
 * element's drawing into a form that is thrown away, so that the dump says what it said before
 * (the PDF does not depend on the dump). */
#include "render_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct art_form {
    int element;
    const content *c;   /* the content set it was made with */
    double page_h, allowance;
    bool same;          /* the same on every item */
    pdf_form *form;     /* NULL: drawn per item */
    tags_shape shape;
} art_form;

struct art {
    bool on;
    art_form *f;
    size_t n, cap;
};

art *art_new(const render *r, long items)
{
    art *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    const render_opts *o = r->o;
    long per_set = o->nlanguages > 0 ? items / o->nlanguages : items;
    a->on = per_set > 1 && !o->check;
    return a;
}

void art_free(art *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++) {
        pdf_form_free(a->f[i].form);
        tags_shape_free(&a->f[i].shape);
    }
    free(a->f);
    free(a);
}

/* Whether an element's own values read the record or the item (see the top of the file). */
static bool values_vary(const render *r, const element *e)
{
    switch (e->type) {
    case EL_TEXT:
        return content_varies(r->c, e->text);
    case EL_QR:
        return e->payload_kind == QR_PAYLOAD_LINK || content_varies(r->c, e->payload) ||
               content_varies(r->c, e->sms_body);
    case EL_IMAGE:
        return content_varies(r->c, e->file) || content_varies(r->c, e->fallback) || content_varies(r->c, e->alt);
    case EL_RULE:
    case EL_BOX:
        return false;
    case EL_MARKDOWN:
    default:
        return true;
    }
}

static bool element_same(const render *r, const element *e)
{
    if (values_vary(r, e))
        return false;
    for (int i = 0; e->fit_group && i < r->l->nelements; i++) {
        const element *o = &r->l->elements[i];
        if (o != e && o->fit_group && o->side == e->side && strcmp(o->fit_group, e->fit_group) == 0 &&
            values_vary(r, o))
            return false;
    }
    return true;
}

/* The form's box: the item's trim plus the allowance of bleed, in the item's coordinates. */
static pdf_form *begin_form(render *r, double allowance)
{
    return pdf_form_begin(r->pdf, -allowance, -allowance, r->l->page_w + 2 * allowance,
                          r->l->page_h + 2 * allowance);
}

/* With a dump: the element drawn into a form thrown away, for the dump's lines alone. */
static void dump_only(render *r, const element *e, double allowance)
{
    if (!r->dump)
        return;
    pdf_form *f = begin_form(r, allowance);
    if (!f)
        return;
    render_stats *st = r->stats;
    r->stats = NULL;
    tags_shape s;
    tags_capture_begin(r->tags);
    render_draw_element(r, e, allowance);
    tags_capture_end(r->tags, &s);
    tags_shape_free(&s);
    pdf_form_end(r->pdf, f);
    pdf_form_free(f);
    r->stats = st;
}

/* Draws e into a form for af; keeps it when it can be placed tagged as a whole. False when
 * drawing reported an error (nothing more to do for this item). */
static bool make_form(render *r, const element *e, double allowance, art_form *af)
{
    int before = diag_errors(r->d);
    FILE *dump = r->dump;
    r->dump = NULL;
    pdf_form *f = begin_form(r, allowance);
    if (f) {
        tags_capture_begin(r->tags);
        render_draw_element(r, e, allowance);
        tags_capture_end(r->tags, &af->shape);
    }
    bool ended = f && pdf_form_end(r->pdf, f);
    r->dump = dump;
    bool whole = af->shape.kind == TAGS_SHAPE_ONE || af->shape.kind == TAGS_SHAPE_ARTIFACT ||
                 af->shape.kind == TAGS_SHAPE_UNTAGGED;
    if (ended && whole && !pdf_form_empty(f) && diag_errors(r->d) == before && !pdf_failed(r->pdf) &&
        pdf_form_keep(r->pdf, f)) {
        af->form = f;
        return true;
    }
    pdf_form_free(f);
    tags_shape_free(&af->shape);
    af->same = false;
    return diag_errors(r->d) == before;
}

void art_draw_element(render *r, const element *e, double allowance)
{
    art *a = r->art;
    if (!a || !a->on || r->measuring) {
        render_draw_element(r, e, allowance);
        return;
    }
    int ei = (int)(e - r->l->elements);
    double ph = pdf_page_height(r->pdf);
    art_form *af = NULL;
    for (size_t i = 0; i < a->n && !af; i++)
        if (a->f[i].element == ei && a->f[i].c == r->c && a->f[i].page_h == ph && a->f[i].allowance == allowance)
            af = &a->f[i];
    if (!af) {
        if (a->n == a->cap) {
            size_t cap = a->cap ? a->cap * 2 : 16;
            art_form *nf = realloc(a->f, cap * sizeof *nf);
            if (!nf) { /* no room to remember: drawn per item */
                render_draw_element(r, e, allowance);
                return;
            }
            a->f = nf;
            a->cap = cap;
        }
        af = &a->f[a->n++];
        memset(af, 0, sizeof *af);
        af->element = ei;
        af->c = r->c;
        af->page_h = ph;
        af->allowance = allowance;
        af->same = element_same(r, e);
        if (af->same && !make_form(r, e, allowance, af))
            return; /* reported: the build stops at this item */
    }
    if (!af->form) {
        render_draw_element(r, e, allowance);
        return;
    }
    tags_place_begin(r->tags, r->pdf, &af->shape);
    pdf_form_place(r->pdf, af->form);
    tags_place_end(r->tags, r->pdf, &af->shape);
    dump_only(r, e, allowance);
}
