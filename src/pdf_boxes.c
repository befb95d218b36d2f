/* pdf_boxes: what libharu 2.3.0 has no public call for, done through its internal object API
 * (hpdf_objects.h, hpdf_streams.h); this file is the one place that uses it.
 * - TrimBox and BleedBox (PDF 32000-1, 14.11.2): a page is a dictionary; the two arrays are added.
 *   Tested by tests/run.sh with `pdfinfo -box`.
 * - The ToUnicode map of a font loaded with the UTF-8 encoder: libharu writes its encoding CMap
 *   there (a "begincidrange" CMap, type 1), which is not a ToUnicode CMap (type 2, "bfrange",
 *   9.10.3), so readers that follow the standard cannot map the text back to Unicode. The codes
 *   libharu shows are Unicode code points (its CIDToGIDMap maps them to glyphs), so the right map
 *   is the identity: it is written in place of libharu's. Tested by tests/run.sh (the stream's
 *   operators, and pdftotext of Vietnamese text with no warning). */
#include "pdf.h"

#include <hpdf.h>
#include <hpdf_objects.h>
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

bool pdf_font_identity_unicode(void *handle)
{
    HPDF_Font font = handle;
    HPDF_Dict map = font ? HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT) : NULL;
    if (!map || !map->stream)
        return false;
    HPDF_MemStream_FreeData(map->stream);
    HPDF_Stream st = map->stream;
    HPDF_STATUS ret = HPDF_Stream_WriteStr(st, "/CIDInit /ProcSet findresource begin\n"
                                               "12 dict begin\n"
                                               "begincmap\n"
                                               "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                                               "/CMapName /Adobe-Identity-UCS def\n"
                                               "/CMapType 2 def\n"
                                               "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    /* one range per high byte (a bfrange may only vary the last byte), the surrogates left out,
     * at most 100 ranges to a block (9.10.3) */
    int highs[256], n = 0;
    for (int h = 0; h < 256; h++)
        if (h < 0xD8 || h > 0xDF)
            highs[n++] = h;
    for (int i = 0; i < n && ret == HPDF_OK; i += 100) {
        int k = n - i < 100 ? n - i : 100;
        char line[64];
        snprintf(line, sizeof line, "%d beginbfrange\n", k);
        ret = HPDF_Stream_WriteStr(st, line);
        for (int j = i; j < i + k && ret == HPDF_OK; j++) {
            snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", highs[j], highs[j], highs[j]);
            ret = HPDF_Stream_WriteStr(st, line);
        }
        if (ret == HPDF_OK)
            ret = HPDF_Stream_WriteStr(st, "endbfrange\n");
    }
    if (ret == HPDF_OK)
        ret = HPDF_Stream_WriteStr(st, "endcmap\n"
                                       "CMapName currentdict /CMap defineresource pop\n"
                                       "end\n"
                                       "end\n");
    return ret == HPDF_OK;
}
