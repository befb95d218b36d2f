/* tags: see tags.h. Keys from ISO 32000-1 (14.7.2 StructTreeRoot and StructElem, 14.7.4.4
 * ParentTree, 14.8 tagged PDF, 12.2 ViewerPreferences) and ISO 14289-1 (PDF/UA-1); the code is
 * ours. The objects are made through libharu's internal object layer (hpdf_objects.h), as
 * pdf_boxes.c, pdfx.c and fontembed.c do; marked content is written raw into the page's
 * content stream between graphics objects (never inside a path or a text object). */
#include "tags.h"
#include "utf8.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* TAGS_GROUP: kids per element, and twice the pages per parent tree leaf, kept under libharu's
 * largest array (HPDF_LIMIT_MAX_ARRAY, 32767). */
enum { TAGS_STACK = 128, TAGS_GROUP = 8192 };

typedef struct tnode {
    char role[12];
    char *alt, *lang;
    int parent; /* -1 for the Document */
    bool used;  /* it, or a child of it, has content */
    bool has_bbox;
    double bbox[4]; /* llx lly urx ury, default user space (tags_set_bbox) */
    HPDF_Dict dict;
} tnode;

/* A node's kid, in the order they came: a child element (child >= 0) or marked content. */
typedef struct tkid {
    int node, child, page, mcid;
} tkid;

typedef struct tpage {
    HPDF_Page page;
    int nmcid;
} tpage;

struct tags {
    tnode *n;
    size_t nn, capn;
    tkid *k;
    size_t nk, capk;
    tpage *pg;
    size_t npg, cappg;
    int stack[TAGS_STACK];
    int depth;    /* open elements on the stack, the Document included */
    int overflow; /* opens past the stack's room: their content goes to the innermost kept */
    bool mc[TAGS_STACK]; /* per open marked-content sequence: was BDC written */
    int nmc;
    bool oom;
    /* capture (tags_capture_begin): what an element drawn into a form XObject asked for */
    bool capturing;
    bool cap_bad;             /* content outside its element, or elements nested */
    int cap_level;            /* elements opened during the capture and still open */
    int cap_opens, cap_content, cap_artifacts;
    tags_shape cap;           /* the first element opened */
};

static bool grow(void **v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap * 2 : 16;
    while (c < need)
        c *= 2;
    void *nv = realloc(*v, c * size);
    if (!nv)
        return false;
    *v = nv;
    *cap = c;
    return true;
}

tags *tags_new(void)
{
    tags *t = calloc(1, sizeof *t);
    if (t && !tags_open(t, "Document", NULL, NULL)) {
        tags_free(t);
        return NULL;
    }
    return t;
}

void tags_free(tags *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nn; i++) {
        free(t->n[i].alt);
        free(t->n[i].lang);
    }
    free(t->cap.alt);
    free(t->cap.lang);
    free(t->n);
    free(t->k);
    free(t->pg);
    free(t);
}

static bool add_kid(tags *t, tkid k)
{
    if (!grow((void **)&t->k, &t->capk, t->nk + 1, sizeof *t->k)) {
        t->oom = true;
        return false;
    }
    t->k[t->nk++] = k;
    return true;
}

bool tags_open(tags *t, const char *role, const char *alt, const char *lang)
{
    if (!t)
        return true;
    if (t->capturing) { /* recorded, not made: its depth counts as an overflow's does */
        if (t->cap_level == 0 && t->cap_opens++ == 0) {
            snprintf(t->cap.role, sizeof t->cap.role, "%s", role);
            t->cap.alt = alt ? strdup(alt) : NULL;
            t->cap.lang = lang && *lang ? strdup(lang) : NULL;
            if ((alt && !t->cap.alt) || (lang && *lang && !t->cap.lang) || !role[0])
                t->cap_bad = true;
        } else if (t->cap_level > 0) {
            t->cap_bad = true;
        }
        t->cap_level++;
        t->overflow++;
        return true;
    }
    if (t->depth == TAGS_STACK || t->oom) {
        t->overflow++;
        return !t->oom;
    }
    if (!grow((void **)&t->n, &t->capn, t->nn + 1, sizeof *t->n)) {
        t->oom = true;
        t->overflow++;
        return false;
    }
    tnode *n = &t->n[t->nn];
    memset(n, 0, sizeof *n);
    snprintf(n->role, sizeof n->role, "%s", role);
    n->parent = t->depth ? t->stack[t->depth - 1] : -1;
    n->alt = alt ? strdup(alt) : NULL;
    n->lang = lang && *lang ? strdup(lang) : NULL;
    if ((alt && !n->alt) || (lang && *lang && !n->lang) ||
        (n->parent >= 0 && !add_kid(t, (tkid){ n->parent, (int)t->nn, -1, -1 }))) {
        free(n->alt);
        free(n->lang);
        t->oom = true;
        t->overflow++;
        return false;
    }
    t->stack[t->depth++] = (int)t->nn++;
    return true;
}

int tags_current(const tags *t)
{
    return t && t->overflow == 0 && t->depth > 0 ? t->stack[t->depth - 1] : -1;
}

bool tags_reopen(tags *t, int node)
{
    if (!t)
        return true;
    if (node < 0 || (size_t)node >= t->nn || t->depth == TAGS_STACK || t->overflow > 0) {
        t->overflow++;
        return false;
    }
    t->stack[t->depth++] = node;
    return true;
}

void tags_close(tags *t)
{
    if (!t)
        return;
    if (t->capturing && t->cap_level > 0)
        t->cap_level--;
    if (t->overflow > 0)
        t->overflow--;
    else if (t->depth > 1)
        t->depth--;
}

int tags_depth(const tags *t)
{
    return t ? t->depth + t->overflow : 0;
}

/* Writes raw operators into the current page's content stream, between graphics objects. */
static bool raw(pdf_doc *p, const char *s)
{
    HPDF_Page page = pdf_current_page(p);
    if (!page)
        return false;
    HPDF_PageAttr a = (HPDF_PageAttr)page->attr;
    if (a->gmode != HPDF_GMODE_PAGE_DESCRIPTION)
        return false;
    return HPDF_Stream_WriteStr(a->stream, s) == HPDF_OK;
}

static void push_mc(tags *t, bool written)
{
    if (t->nmc < TAGS_STACK)
        t->mc[t->nmc] = written;
    t->nmc++;
}

void tags_begin(tags *t, pdf_doc *p)
{
    if (!t)
        return;
    if (t->capturing) {
        push_mc(t, false);
        if (t->cap_level == 1)
            t->cap_content++;
        else
            t->cap_bad = true;
        return;
    }
    HPDF_Page page = pdf_current_page(p);
    if (!page || t->oom) {
        push_mc(t, false);
        return;
    }
    size_t pi = t->npg;
    while (pi > 0 && t->pg[pi - 1].page != page)
        pi--;
    if (pi == 0) {
        if (!grow((void **)&t->pg, &t->cappg, t->npg + 1, sizeof *t->pg) ||
            HPDF_Dict_AddNumber(page, "StructParents", (HPDF_INT32)t->npg) != HPDF_OK) {
            t->oom = true;
            push_mc(t, false);
            return;
        }
        t->pg[t->npg].page = page;
        t->pg[t->npg].nmcid = 0;
        pi = ++t->npg;
    }
    tpage *pg = &t->pg[pi - 1];
    int node = t->stack[t->depth - 1];
    char op[96];
    const char *lang = t->n[node].lang;
    bool span_lang = lang && strcmp(t->n[node].role, "Span") == 0 && strlen(lang) < 32 &&
                     strspn(lang, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") == strlen(lang);
    if (span_lang) /* a run in another language: its /Lang in the property list too (ISO 32000-1
                    * 14.9.2), for readers of the content stream alone */
        snprintf(op, sizeof op, "/Span <</Lang (%s) /MCID %d>> BDC\n", lang, pg->nmcid);
    else
        snprintf(op, sizeof op, "/%s <</MCID %d>> BDC\n", t->n[node].role, pg->nmcid);
    if (!raw(p, op)) {
        push_mc(t, false);
        return;
    }
    push_mc(t, true);
    if (!add_kid(t, (tkid){ node, -1, (int)(pi - 1), pg->nmcid }))
        return;
    pg->nmcid++;
    t->n[node].used = true;
}

void tags_artifact_begin(tags *t, pdf_doc *p)
{
    if (t && t->capturing) {
        push_mc(t, false);
        t->cap_artifacts++;
        if (t->cap_level != 0)
            t->cap_bad = true;
    } else if (t) {
        push_mc(t, raw(p, "/Artifact BMC\n"));
    }
}

void tags_capture_begin(tags *t)
{
    if (!t)
        return;
    t->capturing = true;
    t->cap_bad = false;
    t->cap_level = t->cap_opens = t->cap_content = t->cap_artifacts = 0;
    memset(&t->cap, 0, sizeof t->cap);
}

void tags_capture_end(tags *t, tags_shape *out)
{
    memset(out, 0, sizeof *out);
    if (!t) {
        out->kind = TAGS_SHAPE_UNTAGGED;
        return;
    }
    t->capturing = false;
    while (t->cap_level > 0) { /* left open: closed here, and not one element */
        t->cap_level--;
        t->overflow--;
        t->cap_bad = true;
    }
    *out = t->cap;
    memset(&t->cap, 0, sizeof t->cap);
    if (t->cap_bad || t->oom || t->cap_opens > 1 || (t->cap_opens == 1 && t->cap_artifacts > 0))
        out->kind = TAGS_SHAPE_OTHER;
    else if (t->cap_opens == 1 && t->cap_content > 0)
        out->kind = TAGS_SHAPE_ONE;
    else if (t->cap_opens == 0 && t->cap_artifacts > 0)
        out->kind = TAGS_SHAPE_ARTIFACT;
    else
        out->kind = TAGS_SHAPE_NONE;
}

void tags_shape_free(tags_shape *s)
{
    free(s->alt);
    free(s->lang);
    memset(s, 0, sizeof *s);
}

void tags_place_begin(tags *t, pdf_doc *p, const tags_shape *s)
{
    if (s->kind == TAGS_SHAPE_ONE) {
        tags_open(t, s->role, s->alt, s->lang);
        if (s->has_box)
            tags_set_bbox(t, p, s->box[0], s->box[1], s->box[2], s->box[3]);
        tags_begin(t, p);
    } else if (s->kind == TAGS_SHAPE_ARTIFACT) {
        tags_artifact_begin(t, p);
    }
}

void tags_place_end(tags *t, pdf_doc *p, const tags_shape *s)
{
    if (s->kind == TAGS_SHAPE_ONE) {
        tags_end(t, p);
        tags_close(t);
    } else if (s->kind == TAGS_SHAPE_ARTIFACT) {
        tags_end(t, p);
    }
}

void tags_set_bbox(tags *t, pdf_doc *p, double x, double y, double w, double h)
{
    if (!t)
        return;
    if (t->capturing) { /* the one element of a form: its box goes with the shape */
        if (t->cap_level == 1 && t->cap_opens == 1) {
            t->cap.has_box = true;
            t->cap.box[0] = x, t->cap.box[1] = y, t->cap.box[2] = w, t->cap.box[3] = h;
        }
        return;
    }
    HPDF_Page page = pdf_current_page(p);
    if (t->overflow > 0 || t->depth < 2 || !page)
        return;
    /* the corners in PDF's bottom-left frame, then through the current transformation */
    HPDF_TransMatrix m = HPDF_Page_GetTransMatrix(page);
    double H = pdf_page_height(p);
    double cx[4] = { x, x + w, x, x + w }, cy[4] = { H - y, H - y, H - y - h, H - y - h };
    double b[4] = { 0, 0, 0, 0 };
    for (int i = 0; i < 4; i++) {
        double X = m.a * cx[i] + m.c * cy[i] + m.x, Y = m.b * cx[i] + m.d * cy[i] + m.y;
        if (i == 0 || X < b[0])
            b[0] = X;
        if (i == 0 || Y < b[1])
            b[1] = Y;
        if (i == 0 || X > b[2])
            b[2] = X;
        if (i == 0 || Y > b[3])
            b[3] = Y;
    }
    tnode *n = &t->n[t->stack[t->depth - 1]];
    n->has_bbox = true;
    memcpy(n->bbox, b, sizeof b);
}

void tags_end(tags *t, pdf_doc *p)
{
    if (!t || t->nmc == 0)
        return;
    t->nmc--;
    if (t->nmc >= TAGS_STACK || t->mc[t->nmc])
        raw(p, "EMC\n");
}

/* A text string: literal when ASCII, else UTF-16BE with its byte-order mark; NULL when out of
 * memory. */
static void *text_string(HPDF_MMgr mm, const char *s)
{
    size_t n = strlen(s);
    bool ascii = true;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80 || (unsigned char)s[i] < 0x20)
            ascii = false;
    if (ascii)
        return HPDF_String_New(mm, s, NULL);
    unsigned char *b = malloc(2 + 4 * n);
    if (!b)
        return NULL;
    size_t m = 0;
    b[m++] = 0xFE;
    b[m++] = 0xFF;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (l == 0) {
            cp = 0xFFFD;
            l = 1;
        }
        i += l;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            uint32_t hi = 0xD800 + (cp >> 10), lo = 0xDC00 + (cp & 0x3FF);
            b[m++] = (unsigned char)(hi >> 8);
            b[m++] = (unsigned char)hi;
            b[m++] = (unsigned char)(lo >> 8);
            b[m++] = (unsigned char)lo;
        } else {
            b[m++] = (unsigned char)(cp >> 8);
            b[m++] = (unsigned char)cp;
        }
    }
    void *obj = HPDF_Binary_New(mm, b, (HPDF_UINT)m);
    free(b);
    return obj;
}

static bool add_text(HPDF_Dict d, const char *key, const char *s)
{
    void *obj = text_string(d->mmgr, s);
    return obj && HPDF_Dict_Add(d, key, obj) == HPDF_OK;
}

/* The work of tags_finish: the document's object layer and the arrays it builds. */
typedef struct finisher {
    tags *t;
    HPDF_MMgr mm;
    HPDF_Xref xref;
    size_t *start; /* node i's kids are byn[start[i]] .. byn[start[i + 1] - 1] */
    size_t *byn;   /* kid indexes grouped by node, each node's in the order they came */
    size_t *flat;  /* one node's kids with its groups opened in place */
    struct frame {
        int node;
        size_t at;
    } *stk;
    HPDF_Dict *owner;  /* per kid: the element (or group) its marked content belongs to */
    HPDF_Array *pages; /* per page: the owners of its marked content, by MCID */
} finisher;

/* An element is kept when it, or a child of it, has content: children come after parents. */
static void mark_used(tags *t)
{
    for (size_t i = t->nn; i-- > 1;)
        if (t->n[i].used && t->n[i].parent >= 0)
            t->n[t->n[i].parent].used = true;
    t->n[0].used = true;
}

/* /A << /O /Layout /BBox [...] >>: the element's layout attributes (ISO 32000-1 14.8.5.4). */
static bool add_layout_bbox(HPDF_MMgr mm, const tnode *n)
{
    HPDF_Dict a = HPDF_Dict_New(mm);
    HPDF_Array box = a ? HPDF_Array_New(mm) : NULL;
    bool ok = box && HPDF_Dict_AddName(a, "O", "Layout") == HPDF_OK && HPDF_Dict_Add(a, "BBox", box) == HPDF_OK;
    for (int i = 0; ok && i < 4; i++)
        ok = HPDF_Array_AddReal(box, (HPDF_REAL)n->bbox[i]) == HPDF_OK;
    return ok && HPDF_Dict_Add(n->dict, "A", a) == HPDF_OK;
}

/* The StructElem of every kept element with a role (a group, role "", is no element). No /Type:
 * ISO 32000-1 Table 323 makes it optional, and in a merge of many items it was a sixth of the
 * file; readers know an element by its place under /K and its /S and /P. */
static bool make_elements(finisher *f, HPDF_Dict root)
{
    tags *t = f->t;
    bool ok = true;
    for (size_t i = 0; ok && i < t->nn; i++) {
        tnode *n = &t->n[i];
        if (!n->used || !n->role[0])
            continue;
        n->dict = HPDF_Dict_New(f->mm);
        ok = n->dict && HPDF_Xref_Add(f->xref, n->dict) == HPDF_OK &&
             HPDF_Dict_AddName(n->dict, "S", n->role) == HPDF_OK &&
             (!n->alt || add_text(n->dict, "Alt", n->alt)) && (!n->lang || add_text(n->dict, "Lang", n->lang)) &&
             (!n->has_bbox || add_layout_bbox(f->mm, n));
    }
    return ok && HPDF_Dict_Add(t->n[0].dict, "P", root) == HPDF_OK;
}

/* The work arrays, and the kids grouped by node (a counting sort that keeps their order). */
static bool index_kids(finisher *f)
{
    tags *t = f->t;
    f->start = calloc(t->nn + 1, sizeof *f->start);
    f->byn = malloc((t->nk + 1) * sizeof *f->byn);
    f->flat = malloc((t->nk + 1) * sizeof *f->flat);
    f->stk = malloc((t->nn + 1) * sizeof *f->stk);
    f->owner = calloc(t->nk + 1, sizeof *f->owner);
    f->pages = calloc(t->npg + 1, sizeof *f->pages);
    size_t *fill = calloc(t->nn + 1, sizeof *fill);
    bool ok = f->start && f->byn && f->flat && f->stk && f->owner && f->pages && fill;
    for (size_t i = 0; ok && i < t->nk; i++)
        f->start[t->k[i].node + 1]++;
    for (size_t i = 0; ok && i < t->nn; i++)
        f->start[i + 1] += f->start[i];
    for (size_t i = 0; ok && i < t->nk; i++)
        f->byn[f->start[t->k[i].node] + fill[t->k[i].node]++] = i;
    free(fill);
    return ok;
}

/* Node ni's kids into f->flat, groups opened in place (a group's kids take its place in its
 * parent's); children that were not kept are left out. Returns how many. */
static size_t flatten_kids(finisher *f, size_t ni)
{
    tags *t = f->t;
    size_t nf = 0;
    int sp = 0;
    f->stk[sp++] = (struct frame){ (int)ni, f->start[ni] };
    while (sp > 0) {
        struct frame *fr = &f->stk[sp - 1];
        if (fr->at == f->start[fr->node + 1]) {
            sp--;
            continue;
        }
        size_t ki = f->byn[fr->at++];
        const tkid *k = &t->k[ki];
        if (k->child >= 0 && !t->n[k->child].used)
            continue;
        if (k->child >= 0 && !t->n[k->child].role[0] && sp < (int)t->nn)
            f->stk[sp++] = (struct frame){ k->child, f->start[k->child] };
        else
            f->flat[nf++] = ki;
    }
    return nf;
}

/* A group of kids under n (Part under the Document, Div elsewhere), added to kids. */
static HPDF_Dict new_group(finisher *f, size_t ni, HPDF_Array kids, HPDF_Array *ga)
{
    HPDF_Dict g = HPDF_Dict_New(f->mm);
    *ga = HPDF_Array_New(f->mm);
    bool ok = g && *ga && HPDF_Xref_Add(f->xref, g) == HPDF_OK &&
              HPDF_Dict_AddName(g, "S", ni == 0 ? "Part" : "Div") == HPDF_OK &&
              HPDF_Dict_Add(g, "P", f->t->n[ni].dict) == HPDF_OK && HPDF_Dict_Add(g, "K", *ga) == HPDF_OK &&
              HPDF_Array_Add(kids, g) == HPDF_OK;
    return ok ? g : NULL;
}

/* Node ni's /K, in order: child elements, and marked content by MCID on the element's first
 * page, by MCR elsewhere. An element with more kids than a libharu array holds (a document of
 * many items) gets them in groups of TAGS_GROUP. */
static bool write_kids(finisher *f, size_t ni)
{
    tags *t = f->t;
    tnode *n = &t->n[ni];
    size_t nf = flatten_kids(f, ni);
    if (nf == 0)
        return true;
    HPDF_Array kids = HPDF_Array_New(f->mm);
    bool ok = kids && HPDF_Dict_Add(n->dict, "K", kids) == HPDF_OK;
    HPDF_Dict to = n->dict;
    HPDF_Array toa = kids;
    size_t in = 0;
    int pg0 = -1;
    for (size_t j = 0; ok && j < nf; j++) {
        const tkid *k = &t->k[f->flat[j]];
        if (nf > TAGS_GROUP && (to == n->dict || in == TAGS_GROUP)) {
            ok = (to = new_group(f, ni, kids, &toa)) != NULL;
            in = 0;
            if (!ok)
                break;
        }
        in++;
        if (k->child >= 0) {
            ok = HPDF_Array_Add(toa, t->n[k->child].dict) == HPDF_OK && HPDF_Dict_Add(t->n[k->child].dict, "P", to) == HPDF_OK;
            continue;
        }
        if (to == n->dict && pg0 < 0) {
            pg0 = k->page;
            ok = HPDF_Dict_Add(n->dict, "Pg", t->pg[k->page].page) == HPDF_OK;
        }
        if (ok && to == n->dict && pg0 == k->page) {
            ok = HPDF_Array_AddNumber(toa, k->mcid) == HPDF_OK;
        } else if (ok) {
            HPDF_Dict mcr = HPDF_Dict_New(f->mm);
            ok = mcr && HPDF_Array_Add(toa, mcr) == HPDF_OK && HPDF_Dict_AddName(mcr, "Type", "MCR") == HPDF_OK &&
                 HPDF_Dict_Add(mcr, "Pg", t->pg[k->page].page) == HPDF_OK && HPDF_Dict_AddNumber(mcr, "MCID", k->mcid) == HPDF_OK;
        }
        f->owner[f->flat[j]] = to;
    }
    return ok;
}

/* Each page's array of owners: MCIDs of a page come in the kids' order, so the array takes the
 * owner at index mcid (marked content of a group's own is no one's: never made, tags_begin is
 * inside elements). */
static bool write_page_arrays(finisher *f)
{
    tags *t = f->t;
    bool ok = true;
    for (size_t i = 0; ok && i < t->npg; i++)
        ok = (f->pages[i] = HPDF_Array_New(f->mm)) != NULL;
    for (size_t i = 0; ok && i < t->nk; i++)
        if (t->k[i].child < 0 && t->n[t->k[i].node].used)
            ok = f->owner[i] ? HPDF_Array_Add(f->pages[t->k[i].page], f->owner[i]) == HPDF_OK
                             : HPDF_Array_Add(f->pages[t->k[i].page], HPDF_Null_New(f->mm)) == HPDF_OK;
    return ok;
}

/* The parent tree: page index -> its array of owners; one node with /Nums, or leaves of
 * TAGS_GROUP / 2 pages under a root with /Kids when there are more. NULL on failure. */
static HPDF_Dict write_parent_tree(finisher *f)
{
    tags *t = f->t;
    HPDF_Dict ptree = HPDF_Dict_New(f->mm);
    bool ok = ptree && HPDF_Xref_Add(f->xref, ptree) == HPDF_OK;
    HPDF_Array leaves = NULL;
    if (ok && t->npg > TAGS_GROUP / 2)
        ok = (leaves = HPDF_Array_New(f->mm)) != NULL && HPDF_Dict_Add(ptree, "Kids", leaves) == HPDF_OK;
    for (size_t i0 = 0; ok && (i0 < t->npg || i0 == 0); i0 += TAGS_GROUP / 2) {
        size_t i1 = i0 + TAGS_GROUP / 2 < t->npg ? i0 + TAGS_GROUP / 2 : t->npg;
        HPDF_Dict leaf = ptree;
        if (leaves) {
            HPDF_Array lim = HPDF_Array_New(f->mm);
            ok = (leaf = HPDF_Dict_New(f->mm)) != NULL && lim && HPDF_Xref_Add(f->xref, leaf) == HPDF_OK &&
                 HPDF_Array_Add(leaves, leaf) == HPDF_OK && HPDF_Array_AddNumber(lim, (HPDF_INT32)i0) == HPDF_OK &&
                 HPDF_Array_AddNumber(lim, (HPDF_INT32)(i1 - 1)) == HPDF_OK && HPDF_Dict_Add(leaf, "Limits", lim) == HPDF_OK;
        }
        HPDF_Array nums = ok ? HPDF_Array_New(f->mm) : NULL;
        ok = ok && nums && HPDF_Dict_Add(leaf, "Nums", nums) == HPDF_OK;
        for (size_t i = i0; ok && i < i1; i++)
            ok = HPDF_Array_AddNumber(nums, (HPDF_INT32)i) == HPDF_OK && HPDF_Array_Add(nums, f->pages[i]) == HPDF_OK;
        if (t->npg == 0)
            break;
    }
    return ok ? ptree : NULL;
}

/* The catalog's entries: StructTreeRoot, MarkInfo, ViewerPreferences, Lang; PDF 1.4 at least,
 * where MarkInfo and structure trees are defined. */
static bool write_catalog(finisher *f, HPDF_Doc doc, HPDF_Dict root, HPDF_Dict ptree, const char *lang)
{
    tags *t = f->t;
    bool ok = HPDF_Dict_Add(root, "K", t->n[0].dict) == HPDF_OK && HPDF_Dict_Add(root, "ParentTree", ptree) == HPDF_OK &&
              HPDF_Dict_AddNumber(root, "ParentTreeNextKey", (HPDF_INT32)t->npg) == HPDF_OK &&
              HPDF_Dict_Add(doc->catalog, "StructTreeRoot", root) == HPDF_OK;
    HPDF_Dict mark = ok ? HPDF_Dict_New(f->mm) : NULL;
    ok = ok && mark && HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE) == HPDF_OK &&
         HPDF_Dict_Add(doc->catalog, "MarkInfo", mark) == HPDF_OK;
    HPDF_Dict vp = ok ? HPDF_Dict_New(f->mm) : NULL;
    ok = ok && vp && HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE) == HPDF_OK &&
         HPDF_Dict_Add(doc->catalog, "ViewerPreferences", vp) == HPDF_OK;
    if (ok && lang && *lang)
        ok = add_text(doc->catalog, "Lang", lang);
    if (ok && doc->pdf_version < HPDF_VER_14)
        doc->pdf_version = HPDF_VER_14;
    return ok;
}

/* /Lang only where the language changes: an element's language equal to what it inherits (its
 * nearest written ancestor's, else the document's) is dropped (a language page's Sect in the
 * document's language, an element with lang = en in an English notice). A group (role "") is
 * not written, so it neither sets nor drops a language. Out of memory: nothing is dropped. */
static void drop_inherited_lang(tags *t, const char *doc_lang)
{
    const char **eff = calloc(t->nn ? t->nn : 1, sizeof *eff);
    if (!eff)
        return;
    for (size_t i = 0; i < t->nn; i++) {
        tnode *n = &t->n[i];
        const char *up = n->parent >= 0 && (size_t)n->parent < i ? eff[n->parent] : doc_lang;
        if (n->lang && n->role[0] && up && strcasecmp(n->lang, up) == 0) {
            free(n->lang);
            n->lang = NULL;
        }
        eff[i] = n->lang && n->role[0] ? n->lang : up;
    }
    free(eff);
}

bool tags_finish(tags *t, pdf_doc *p, const char *lang, char *why, size_t whylen)
{
    HPDF_Doc doc = pdf_handle(p);
    if (!t || !doc)
        return true; /* no tree, or the document failed already (pdf_save says why) */
    if (t->oom) {
        snprintf(why, whylen, "out of memory while tagging the document");
        return false;
    }
    finisher f = { .t = t, .mm = doc->mmgr, .xref = doc->xref };
    mark_used(t);
    drop_inherited_lang(t, lang);
    HPDF_Dict root = HPDF_Dict_New(f.mm);
    bool ok = root && HPDF_Xref_Add(f.xref, root) == HPDF_OK && HPDF_Dict_AddName(root, "Type", "StructTreeRoot") == HPDF_OK;
    ok = ok && make_elements(&f, root) && index_kids(&f);
    for (size_t ni = 0; ok && ni < t->nn; ni++)
        if (t->n[ni].used && t->n[ni].role[0])
            ok = write_kids(&f, ni);
    ok = ok && write_page_arrays(&f);
    HPDF_Dict ptree = ok ? write_parent_tree(&f) : NULL;
    ok = ok && ptree && write_catalog(&f, doc, root, ptree, lang);
    free(f.start);
    free(f.byn);
    free(f.flat);
    free(f.stk);
    free(f.owner);
    free(f.pages);
    if (!ok)
        snprintf(why, whylen, "libharu could not make the structure tree");
    return ok;
}
