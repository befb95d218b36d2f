/* pdf_boxes: what libharu 2.3.0 has no public call for, done through its internal object API
 * (hpdf_objects.h, hpdf_streams.h), as fontembed.c (Type 0 fonts) and pdfx.c (PDF/X-4) do too.
 * - TrimBox and BleedBox (PDF 32000-1, 14.11.2): a page is a dictionary; the two arrays are added.
 *   Tested by tests/run.sh with `pdfinfo -box`.
 * - Form XObjects (PDF 32000-1, 8.10): art drawn once and placed on many items
 *   (art.c). A form is a stream dictionary with /Type /XObject /Subtype /Form, a /BBox and
 *   resources of its own. While one is open, the current page's content stream and resource
 *   dictionaries (libharu's page attributes) are swapped for the form's, so that every drawing
 *   call (pdf.c, fontembed.c, tags.c) writes into the form unchanged; pdf_form_end swaps them
 *   back. A form enters the document's cross-reference table only when kept, so one dropped
 *   leaves no object behind. Tested by tests/tagged.sh (art drawn once: qpdf, pdftotext,
 *   pdfinfo -struct-text, zbarimg on the placements).
 * - Graphics states left saved on a page: libharu frees a page's current graphics state and not
 *   the ones saved under it, so a drawing stopped by an error between a save and its restore
 *   would leak them; they are released before the page is left (found by fuzz_build).
 */
#include "pdf.h"

#include <hpdf.h>
#include <hpdf_conf.h>
#include <hpdf_doc.h>
#include <hpdf_gstate.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include <stdio.h>
#include <stdlib.h>

bool pdf_set_boxes(pdf_doc *p, double tx, double ty, double tw, double th, double bx, double by,
                   double bw, double bh)
{
    HPDF_Page page = pdf_current_page(p);
    if (!page)
        return false;
    double H = pdf_page_height(p);
    HPDF_Box trim = { (HPDF_REAL)tx, (HPDF_REAL)(H - ty - th), (HPDF_REAL)(tx + tw), (HPDF_REAL)(H - ty) };
    HPDF_Box bleed = { (HPDF_REAL)bx, (HPDF_REAL)(H - by - bh), (HPDF_REAL)(bx + bw), (HPDF_REAL)(H - by) };
    HPDF_Array ta = HPDF_Box_Array_New(page->mmgr, trim);
    HPDF_Array ba = HPDF_Box_Array_New(page->mmgr, bleed);
    if (!ta || !ba)
        return false;
    return HPDF_Dict_Add(page, "TrimBox", ta) == HPDF_OK && HPDF_Dict_Add(page, "BleedBox", ba) == HPDF_OK;
}

/* ---- form XObjects ---- */

struct pdf_form {
    HPDF_Dict dict;                    /* the form, a stream dictionary */
    HPDF_Dict res, fonts, xobjects, states; /* its resources */
    HPDF_Page page;                    /* the page it was drawn over */
    HPDF_Dict page_fonts, page_xobjects, page_states; /* the page's, while the form is open */
    HPDF_Stream page_stream;
    bool open, kept;
};

pdf_form *pdf_form_begin(pdf_doc *p, double x, double y, double w, double h)
{
    HPDF_Doc doc = pdf_handle(p);
    HPDF_Page page = pdf_current_page(p);
    if (!doc || !page)
        return NULL;
    HPDF_PageAttr a = (HPDF_PageAttr)page->attr;
    if (a->gmode != HPDF_GMODE_PAGE_DESCRIPTION)
        return NULL;
    pdf_form *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    HPDF_MMgr mm = doc->mmgr;
    double H = pdf_page_height(p);
    HPDF_Box box = { (HPDF_REAL)x, (HPDF_REAL)(H - y - h), (HPDF_REAL)(x + w), (HPDF_REAL)(H - y) };
    f->dict = HPDF_Dict_New(mm);
    bool ok = f->dict && (f->dict->stream = HPDF_MemStream_New(mm, HPDF_STREAM_BUF_SIZ)) != NULL;
    ok = ok && (f->res = HPDF_Dict_New(mm)) && HPDF_Dict_Add(f->dict, "Resources", f->res) == HPDF_OK;
    ok = ok && (f->fonts = HPDF_Dict_New(mm)) && HPDF_Dict_Add(f->res, "Font", f->fonts) == HPDF_OK;
    ok = ok && (f->xobjects = HPDF_Dict_New(mm)) && HPDF_Dict_Add(f->res, "XObject", f->xobjects) == HPDF_OK;
    ok = ok && (f->states = HPDF_Dict_New(mm)) && HPDF_Dict_Add(f->res, "ExtGState", f->states) == HPDF_OK;
    HPDF_Array bbox = ok ? HPDF_Box_Array_New(mm, box) : NULL;
    ok = ok && bbox && HPDF_Dict_AddName(f->dict, "Type", "XObject") == HPDF_OK &&
         HPDF_Dict_AddName(f->dict, "Subtype", "Form") == HPDF_OK && HPDF_Dict_Add(f->dict, "BBox", bbox) == HPDF_OK;
    if (!ok) {
        if (f->dict)
            HPDF_Dict_Free(f->dict);
        free(f);
        return NULL;
    }
    if (doc->compression_mode & HPDF_COMP_TEXT)
        f->dict->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    f->dict->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
    f->page = page;
    f->page_fonts = a->fonts;
    f->page_xobjects = a->xobjects;
    f->page_states = a->ext_gstates;
    f->page_stream = a->stream;
    a->fonts = f->fonts;
    a->xobjects = f->xobjects;
    a->ext_gstates = f->states;
    a->stream = f->dict->stream;
    f->open = true;
    return f;
}

bool pdf_form_end(pdf_doc *p, pdf_form *f)
{
    (void)p;
    if (!f || !f->open)
        return false;
    HPDF_PageAttr a = (HPDF_PageAttr)f->page->attr;
    bool ok = a->gmode == HPDF_GMODE_PAGE_DESCRIPTION && a->stream == f->dict->stream;
    a->fonts = f->page_fonts;
    a->xobjects = f->page_xobjects;
    a->ext_gstates = f->page_states;
    a->stream = f->page_stream;
    f->open = false;
    /* resources the form does not use are left out */
    if (f->fonts->list->count == 0)
        HPDF_Dict_RemoveElement(f->res, "Font");
    if (f->xobjects->list->count == 0)
        HPDF_Dict_RemoveElement(f->res, "XObject");
    if (f->states->list->count == 0)
        HPDF_Dict_RemoveElement(f->res, "ExtGState");
    return ok;
}

bool pdf_form_empty(const pdf_form *f)
{
    return !f || f->dict->stream->size == 0;
}

bool pdf_form_keep(pdf_doc *p, pdf_form *f)
{
    HPDF_Doc doc = pdf_handle(p);
    if (!doc || !f || f->open || f->kept)
        return false;
    /* as libharu's own stream dictionaries: the object, then its /Length as an object of its own */
    f->kept = true;
    if (HPDF_Xref_Add(doc->xref, f->dict) != HPDF_OK) {
        f->dict = NULL; /* freed by libharu on failure */
        return false;
    }
    HPDF_Number len = HPDF_Number_New(doc->mmgr, 0);
    return len && HPDF_Xref_Add(doc->xref, len) == HPDF_OK && HPDF_Dict_Add(f->dict, "Length", len) == HPDF_OK;
}

void pdf_form_free(pdf_form *f)
{
    if (!f)
        return;
    if (!f->kept && f->dict && !f->open)
        HPDF_Dict_Free(f->dict);
    free(f);
}

void pdf_form_place(pdf_doc *p, pdf_form *f)
{
    HPDF_Page page = pdf_current_page(p);
    if (page && f && f->kept && f->dict)
        HPDF_Page_ExecuteXObject(page, (HPDF_XObject)f->dict);
}

void pdf_release_saved_states(void *page_handle)
{
    HPDF_Page page = page_handle;
    HPDF_PageAttr attr = page ? (HPDF_PageAttr)page->attr : NULL;
    while (attr && attr->gstate && attr->gstate->prev) {
        HPDF_GState prev = attr->gstate->prev;
        HPDF_GState_Free(page->mmgr, attr->gstate);
        attr->gstate = prev;
    }
}
