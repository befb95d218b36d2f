/* tags: see tags.h. Keys from ISO 32000-1 (14.7.2 StructTreeRoot and StructElem, 14.7.4.4
 * ParentTree, 14.8 tagged PDF, 12.2 ViewerPreferences) and ISO 14289-1 (PDF/UA-1); the code is
 * ours. Marked content is written raw into the page's content stream between graphics objects
 * (never inside a path or a text object); each page's /StructParents, /MarkInfo and
 * /ViewerPreferences go through libharu's internal object layer (hpdf_objects.h), as in
 * pdf_boxes.c, pdfx.c and fontembed.c. The tree itself (StructTreeRoot, the elements, the
 * parent tree) and the catalog's /StructTreeRoot and /Lang are written as text, compact, and
 * handed to pdf_save (pdf_set_extra, pdfpack.h), which packs them into object streams beside
 * libharu's objects: as libharu dictionaries (a 140-byte entry per key) a 500-page merge of
 * 5,000 cards held 40 MB of them until the file was written; as text, about 2 MB. */
#include "tags.h"
#include "utf8.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* TAGS_GROUP: kids per element, and twice the pages per parent tree leaf (once kept under
 * libharu's largest array, HPDF_LIMIT_MAX_ARRAY, 32767; kept for the same tree). */
enum { TAGS_STACK = 128, TAGS_GROUP = 8192 };

typedef struct tnode {
    char role[12];
    char *alt, *lang;
    int parent; /* -1 for the Document */
    bool used;  /* it, or a child of it, has content */
    bool has_bbox;
    double bbox[4]; /* llx lly urx ury, default user space (tags_set_bbox) */
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

/* The objects made at the end, as text (pdfpack_extra): each one's value is written whole, in
 * the order it is made, into one buffer; its place is kept under the number it was given. */
typedef struct tbuf {
    char *b;
    size_t n, cap;
    bool oom;
} tbuf;

static void tput(tbuf *s, const char *p, size_t n)
{
    if (s->oom || !grow((void **)&s->b, &s->cap, s->n + n + 1, 1)) {
        s->oom = true;
        return;
    }
    memcpy(s->b + s->n, p, n);
    s->n += n;
    s->b[s->n] = '\0';
}

static void tputs(tbuf *s, const char *p)
{
    tput(s, p, strlen(p));
}

static void tprintf(tbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tprintf(tbuf *s, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp)
        s->oom = true;
    else
        tput(s, tmp, (size_t)n);
}

/* A reference to object k of those made here (numbered by pdfpack after libharu's). */
static void tref(tbuf *s, int k)
{
    tprintf(s, "%c%d 0 R", PDFPACK_REF, k);
}

/* A number as libharu writes a real: a float, five decimals at most. */
static void treal(tbuf *s, double v)
{
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%.5f", (double)(float)v);
    size_t n = strlen(tmp);
    while (n > 0 && tmp[n - 1] == '0')
        n--;
    if (n > 0 && tmp[n - 1] == '.')
        n--;
    tmp[n] = '\0';
    tputs(s, strcmp(tmp, "-0") == 0 ? "0" : tmp);
}

/* A text string: literal when ASCII (its parentheses and backslashes escaped), else UTF-16BE
 * with its byte-order mark in hexadecimal; no byte below 0x20 is ever written raw. */
static void ttext(tbuf *s, const char *str)
{
    size_t n = strlen(str);
    bool ascii = true;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)str[i] >= 0x80 || (unsigned char)str[i] < 0x20)
            ascii = false;
    if (ascii) {
        tputs(s, "(");
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)str[i];
            if (c == '(' || c == ')' || c == '\\')
                tprintf(s, "\\%c", c);
            else if (c == 0x7F)
                tputs(s, "\\177");
            else
                tput(s, str + i, 1);
        }
        tputs(s, ")");
        return;
    }
    tputs(s, "<FEFF");
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(str + i, n - i, &cp);
        if (l == 0) {
            cp = 0xFFFD;
            l = 1;
        }
        i += l;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            tprintf(s, "%04X%04X", (unsigned)(0xD800 + (cp >> 10)), (unsigned)(0xDC00 + (cp & 0x3FF)));
        } else {
            tprintf(s, "%04X", (unsigned)cp);
        }
    }
    tputs(s, ">");
}

/* The work of tags_finish: the objects' text and the arrays it builds. */
typedef struct finisher {
    tags *t;
    tbuf txt;
    size_t *ostart, *oend; /* per object number: its value in txt */
    size_t nobj, capobj;    /* (both arrays have capobj room) */
    int *num;      /* per node: its object's number, -1 when it has none */
    int *up;       /* per node: the number of the object its /P refers to */
    size_t *start; /* node i's kids are byn[start[i]] .. byn[start[i + 1] - 1] */
    size_t *byn;   /* kid indexes grouped by node, each node's in the order they came */
    size_t *flat;  /* one node's kids with its groups opened in place */
    struct frame {
        int node;
        size_t at;
    } *stk;
    int *owner; /* per kid: the number of the element (or group) its marked content belongs to */
} finisher;

/* A new object's number; its text is what is put between obj_begin and obj_end. */
static int obj_new(finisher *f)
{
    size_t cap = f->capobj;
    if (!grow((void **)&f->ostart, &f->capobj, f->nobj + 1, sizeof *f->ostart) ||
        !grow((void **)&f->oend, &cap, f->nobj + 1, sizeof *f->oend))
        f->txt.oom = true;
    return f->txt.oom ? 0 : (int)f->nobj++;
}

static void obj_begin(finisher *f, int k)
{
    if (!f->txt.oom)
        f->ostart[k] = f->txt.n;
}

static void obj_end(finisher *f, int k)
{
    if (!f->txt.oom)
        f->oend[k] = f->txt.n;
}

/* An element is kept when it, or a child of it, has content: children come after parents. */
static void mark_used(tags *t)
{
    for (size_t i = t->nn; i-- > 1;)
        if (t->n[i].used && t->n[i].parent >= 0)
            t->n[t->n[i].parent].used = true;
    t->n[0].used = true;
}

/* The work arrays, and the kids grouped by node (a counting sort that keeps their order). */
static bool index_kids(finisher *f)
{
    tags *t = f->t;
    f->start = calloc(t->nn + 1, sizeof *f->start);
    f->byn = malloc((t->nk + 1) * sizeof *f->byn);
    f->flat = malloc((t->nk + 1) * sizeof *f->flat);
    f->stk = malloc((t->nn + 1) * sizeof *f->stk);
    f->owner = malloc((t->nk + 1) * sizeof *f->owner);
    f->num = malloc((t->nn + 1) * sizeof *f->num);
    f->up = malloc((t->nn + 1) * sizeof *f->up);
    size_t *fill = calloc(t->nn + 1, sizeof *fill);
    bool ok = f->start && f->byn && f->flat && f->stk && f->owner && f->num && f->up && fill;
    for (size_t i = 0; ok && i < t->nk; i++) {
        f->start[t->k[i].node + 1]++;
        f->owner[i] = -1;
    }
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

/* A page's object number in libharu's document. */
static int page_num(const tags *t, int page)
{
    return (int)(t->pg[page].page->header.obj_id & 0x00FFFFFF);
}

/* Kids flat[j0 .. j1) into the array being written for the object numbered to: child elements
 * (their /P set to to), marked content by MCID when on page pg0 (the element's own /Pg, or -1
 * for none), else by a marked-content reference. */
static void write_kid_list(finisher *f, size_t j0, size_t j1, int to, int pg0)
{
    tags *t = f->t;
    for (size_t j = j0; j < j1; j++) {
        const tkid *k = &t->k[f->flat[j]];
        tputs(&f->txt, j > j0 ? " " : "");
        if (k->child >= 0) {
            tref(&f->txt, f->num[k->child]);
            f->up[k->child] = to;
            continue;
        }
        if (pg0 == k->page)
            tprintf(&f->txt, "%d", k->mcid);
        else
            tprintf(&f->txt, "<< /Type /MCR /Pg %d 0 R /MCID %d >>", page_num(t, k->page), k->mcid);
        f->owner[f->flat[j]] = to;
    }
}

/* Node ni's StructElem (no /Type: ISO 32000-1 Table 323 makes it optional, and in a merge of
 * many items it was a sixth of the file; readers know an element by its place under /K and its
 * /S and /P), then its groups: its /K, in order, holds child elements, and marked content by
 * MCID on the element's first page, by MCR elsewhere. An element with more kids than TAGS_GROUP
 * gets them in groups of TAGS_GROUP (Part under the Document, Div elsewhere), each an element. */
static void write_element(finisher *f, size_t ni)
{
    tags *t = f->t;
    const tnode *n = &t->n[ni];
    size_t nf = flatten_kids(f, ni);
    int me = f->num[ni];
    obj_begin(f, me);
    tprintf(&f->txt, "<< /S /%s /P ", n->role);
    tref(&f->txt, f->up[ni]);
    if (n->alt) {
        tputs(&f->txt, " /Alt ");
        ttext(&f->txt, n->alt);
    }
    if (n->lang) {
        tputs(&f->txt, " /Lang ");
        ttext(&f->txt, n->lang);
    }
    if (n->has_bbox) { /* its layout attributes (ISO 32000-1 14.8.5.4) */
        tputs(&f->txt, " /A << /O /Layout /BBox [");
        for (int i = 0; i < 4; i++) {
            tputs(&f->txt, i ? " " : "");
            treal(&f->txt, n->bbox[i]);
        }
        tputs(&f->txt, "] >>");
    }
    size_t ngroups = nf > TAGS_GROUP ? (nf + TAGS_GROUP - 1) / TAGS_GROUP : 0;
    int g0 = 0;
    if (ngroups) {
        for (size_t g = 0; g < ngroups; g++) {
            int k = obj_new(f);
            if (g == 0)
                g0 = k;
        }
        tputs(&f->txt, " /K [");
        for (size_t g = 0; g < ngroups; g++) {
            tputs(&f->txt, g ? " " : "");
            tref(&f->txt, g0 + (int)g);
        }
        tputs(&f->txt, "] >>");
    } else if (nf > 0) {
        int pg0 = -1;
        for (size_t j = 0; j < nf && pg0 < 0; j++)
            if (t->k[f->flat[j]].child < 0)
                pg0 = t->k[f->flat[j]].page;
        if (pg0 >= 0)
            tprintf(&f->txt, " /Pg %d 0 R", page_num(t, pg0));
        tputs(&f->txt, " /K [");
        write_kid_list(f, 0, nf, me, pg0);
        tputs(&f->txt, "] >>");
    } else {
        tputs(&f->txt, " >>");
    }
    obj_end(f, me);
    for (size_t g = 0; g < ngroups; g++) {
        int k = g0 + (int)g;
        size_t j0 = g * TAGS_GROUP, j1 = j0 + TAGS_GROUP < nf ? j0 + TAGS_GROUP : nf;
        obj_begin(f, k);
        tprintf(&f->txt, "<< /S /%s /P ", ni == 0 ? "Part" : "Div");
        tref(&f->txt, me);
        tputs(&f->txt, " /K [");
        write_kid_list(f, j0, j1, k, -1);
        tputs(&f->txt, "] >>");
        obj_end(f, k);
    }
}

/* The parent tree: page index -> the owners of its marked content by MCID (MCIDs of a page come
 * in the kids' order; marked content of a group's own is no one's: never made, tags_begin is
 * inside elements); one node with /Nums, or leaves of TAGS_GROUP / 2 pages under a root with
 * /Kids when there are more. Returns the root's number. */
static int write_parent_tree(finisher *f)
{
    tags *t = f->t;
    size_t *pstart = calloc(t->npg + 1, sizeof *pstart), *pfill = calloc(t->npg + 1, sizeof *pfill);
    int *own = malloc((t->nk + 1) * sizeof *own);
    if (!pstart || !pfill || !own) {
        f->txt.oom = true;
        free(pstart);
        free(pfill);
        free(own);
        return 0;
    }
    for (size_t i = 0; i < t->nk; i++)
        if (t->k[i].child < 0 && t->n[t->k[i].node].used)
            pstart[t->k[i].page + 1]++;
    for (size_t i = 0; i < t->npg; i++)
        pstart[i + 1] += pstart[i];
    for (size_t i = 0; i < t->nk; i++)
        if (t->k[i].child < 0 && t->n[t->k[i].node].used)
            own[pstart[t->k[i].page] + pfill[t->k[i].page]++] = f->owner[i];
    int root = obj_new(f);
    size_t nleaves = t->npg > TAGS_GROUP / 2 ? (t->npg + TAGS_GROUP / 2 - 1) / (TAGS_GROUP / 2) : 0;
    int l0 = 0;
    for (size_t l = 0; l < nleaves; l++) {
        int k = obj_new(f);
        if (l == 0)
            l0 = k;
    }
    if (nleaves) {
        obj_begin(f, root);
        tputs(&f->txt, "<< /Kids [");
        for (size_t l = 0; l < nleaves; l++) {
            tputs(&f->txt, l ? " " : "");
            tref(&f->txt, l0 + (int)l);
        }
        tputs(&f->txt, "] >>");
        obj_end(f, root);
    }
    for (size_t i0 = 0, l = 0; i0 < t->npg || i0 == 0; i0 += TAGS_GROUP / 2, l++) {
        size_t i1 = i0 + TAGS_GROUP / 2 < t->npg ? i0 + TAGS_GROUP / 2 : t->npg;
        int leaf = nleaves ? l0 + (int)l : root;
        obj_begin(f, leaf);
        tputs(&f->txt, "<< ");
        if (nleaves)
            tprintf(&f->txt, "/Limits [%zu %zu] ", i0, i1 - 1);
        tputs(&f->txt, "/Nums [");
        for (size_t i = i0; i < i1; i++) {
            tprintf(&f->txt, "%s%zu [", i > i0 ? " " : "", i);
            for (size_t m = pstart[i]; m < pstart[i + 1]; m++) {
                tputs(&f->txt, m > pstart[i] ? " " : "");
                if (own[m] >= 0)
                    tref(&f->txt, own[m]);
                else
                    tputs(&f->txt, "null");
            }
            tputs(&f->txt, "]");
        }
        tputs(&f->txt, "] >>");
        obj_end(f, leaf);
        if (t->npg == 0)
            break;
    }
    free(pstart);
    free(pfill);
    free(own);
    return root;
}

/* The catalog's entries made through libharu: MarkInfo, ViewerPreferences; PDF 1.4 at least,
 * where MarkInfo and structure trees are defined. (StructTreeRoot and Lang are pdfpack's extra
 * entries, made as text.) */
static bool write_catalog(HPDF_Doc doc)
{
    HPDF_MMgr mm = doc->mmgr;
    HPDF_Dict mark = HPDF_Dict_New(mm);
    bool ok = mark && HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE) == HPDF_OK &&
              HPDF_Dict_Add(doc->catalog, "MarkInfo", mark) == HPDF_OK;
    HPDF_Dict vp = ok ? HPDF_Dict_New(mm) : NULL;
    ok = ok && vp && HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE) == HPDF_OK &&
         HPDF_Dict_Add(doc->catalog, "ViewerPreferences", vp) == HPDF_OK;
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
    finisher f = { .t = t };
    mark_used(t);
    drop_inherited_lang(t, lang);
    bool ok = index_kids(&f);
    /* numbers: the root 0, then every kept element in order (parents before children) */
    int root = ok ? obj_new(&f) : 0;
    for (size_t i = 0; ok && i < t->nn; i++)
        f.num[i] = t->n[i].used && t->n[i].role[0] ? obj_new(&f) : -1;
    for (size_t i = 0; ok && i < t->nn; i++)
        f.up[i] = root;
    for (size_t ni = 0; ok && ni < t->nn && !f.txt.oom; ni++)
        if (t->n[ni].used && t->n[ni].role[0])
            write_element(&f, ni);
    int ptree = ok ? write_parent_tree(&f) : 0;
    if (ok && !f.txt.oom) {
        obj_begin(&f, root);
        tputs(&f.txt, "<< /Type /StructTreeRoot /K ");
        tref(&f.txt, f.num[0]);
        tputs(&f.txt, " /ParentTree ");
        tref(&f.txt, ptree);
        tprintf(&f.txt, " /ParentTreeNextKey %zu >>", t->npg);
        obj_end(&f, root);
    }
    tbuf cat = { 0 };
    tputs(&cat, "/StructTreeRoot ");
    tref(&cat, root);
    if (lang && *lang) {
        tputs(&cat, " /Lang ");
        ttext(&cat, lang);
    }
    ok = ok && !f.txt.oom && !cat.oom && write_catalog(doc);
    if (ok) {
        pdfpack_extra x = { f.txt.b, f.ostart, f.oend, f.nobj, cat.b };
        pdf_set_extra(p, &x);
    } else {
        free(f.txt.b);
        free(f.ostart);
        free(f.oend);
        free(cat.b);
    }
    free(f.start);
    free(f.byn);
    free(f.flat);
    free(f.stk);
    free(f.owner);
    free(f.num);
    free(f.up);
    if (!ok)
        snprintf(why, whylen, "could not make the structure tree: out of memory");
    return ok;
}
