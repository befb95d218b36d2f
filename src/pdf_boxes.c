/* pdf_boxes: what libharu 2.3.0 has no public call for, done through its internal object API
 * (hpdf_objects.h, hpdf_streams.h), as fontembed.c (Type 0 fonts) and pdfx.c (PDF/X-4) do too.
 * - TrimBox and BleedBox (PDF 32000-1, 14.11.2): a page is a dictionary; the two arrays are added.
 *   Tested by tests/run.sh with `pdfinfo -box`.
 * - Graphics states left saved on a page: libharu frees a page's current graphics state and not
 *   the ones saved under it, so a drawing stopped by an error between a save and its restore
 *   would leak them; they are released before the page is left (found by fuzz_build).
 */
#include "pdf.h"

#include <hpdf.h>
#include <hpdf_gstate.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include <stdio.h>

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
