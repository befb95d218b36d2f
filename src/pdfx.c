/* pdfx: see pdfx.h. Keys and values from ISO 15930-7 (PDF/X-4) and the XMP specification;
 * the code is ours. */
#include "pdfx.h"
#include "readfile.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool pdfx_icc_ok(const unsigned char *b, size_t n, const char *space, char *why, size_t whylen)
{
    if (n < 128 || memcmp(b + 36, "acsp", 4) != 0) {
        snprintf(why, whylen, "expected an ICC profile ('acsp' at byte 36), found %zu bytes without it", n);
        return false;
    }
    if (memcmp(b + 16, space, 4) != 0) {
        snprintf(why, whylen, "expected an ICC profile of colour space '%.4s', found '%.4s'", space, (const char *)b + 16);
        return false;
    }
    return true;
}

/* An ICC profile as a compressed stream with /N components; NULL with why. */
static HPDF_Dict icc_stream(HPDF_Doc doc, const char *path, const char *space, int ncomp, char *why, size_t whylen)
{
    size_t n = 0;
    char *bytes = readfile(path, 4u << 20, &n, why, whylen);
    if (!bytes)
        return NULL;
    if (!pdfx_icc_ok((const unsigned char *)bytes, n, space, why, whylen)) {
        free(bytes);
        return NULL;
    }
    HPDF_Dict s = HPDF_DictStream_New(doc->mmgr, doc->xref);
    bool ok = s && HPDF_Dict_AddNumber(s, "N", ncomp) == HPDF_OK &&
              HPDF_Stream_Write(s->stream, (const HPDF_BYTE *)bytes, (HPDF_UINT)n) == HPDF_OK;
    free(bytes);
    if (!ok) {
        snprintf(why, whylen, "libharu could not make the profile's stream");
        return NULL;
    }
    s->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    return s;
}

/* Escapes text for XML character data. */
static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n')
            fputc(' ', f); /* not allowed in XML 1.0 */
        else
            fputc(*s, f);
    }
}

/* The XMP packet (uncompressed, so that tools that do not parse the PDF can find it): the
 * PDF/X keys when uuid is not NULL, the PDF/UA identification (ISO 14289-1 5, pdfuaid:part 1)
 * when m->ua; one packet holds both. */
static char *xmp_packet(const pdfx_meta *m, const char *uuid, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    char date[32];
    time_t t = (time_t)m->epoch;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fputs("<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
          "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
          " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
          "  <rdf:Description rdf:about=\"\"\n"
          "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
          "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
          "    xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\"\n"
          "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
          "    xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\"\n"
          "    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
          "   <dc:format>application/pdf</dc:format>\n"
          "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">",
          f);
    xml_text(f, m->title);
    fputs("</rdf:li></rdf:Alt></dc:title>\n", f);
    if (m->ua)
        fputs("   <pdfuaid:part>1</pdfuaid:part>\n", f);
    if (!uuid) {
        fputs("  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n", f);
        goto pad;
    }
    fprintf(f, "   <xmp:CreateDate>%s</xmp:CreateDate>\n   <xmp:ModifyDate>%s</xmp:ModifyDate>\n"
               "   <xmp:MetadataDate>%s</xmp:MetadataDate>\n",
            date, date, date);
    if (m->creator) {
        fputs("   <xmp:CreatorTool>", f);
        xml_text(f, m->creator);
        fputs("</xmp:CreatorTool>\n", f);
    }
    fprintf(f, "   <xmpMM:DocumentID>uuid:%s</xmpMM:DocumentID>\n"
               "   <xmpMM:InstanceID>uuid:%s</xmpMM:InstanceID>\n"
               "   <xmpMM:VersionID>1</xmpMM:VersionID>\n"
               "   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>\n"
               "   <pdf:Trapped>False</pdf:Trapped>\n"
               "   <pdfxid:GTS_PDFXVersion>" PDFX_VERSION "</pdfxid:GTS_PDFXVersion>\n"
               "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n",
            uuid, uuid);
pad:
    /* room for editors to rewrite the packet in place, as XMP asks */
    for (int i = 0; i < 20; i++)
        fprintf(f, "%99s\n", "");
    fputs("<?xpacket end=\"w\"?>", f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* The catalog's /Metadata stream with the packet; false when libharu failed. */
static bool add_metadata(HPDF_Doc doc, const pdfx_meta *m, const char *uuid)
{
    size_t xlen = 0;
    char *xmp = xmp_packet(m, uuid, &xlen);
    HPDF_Dict meta = xmp ? HPDF_DictStream_New(doc->mmgr, doc->xref) : NULL;
    bool ok = meta && HPDF_Dict_AddName(meta, "Type", "Metadata") == HPDF_OK && HPDF_Dict_AddName(meta, "Subtype", "XML") == HPDF_OK &&
              HPDF_Stream_Write(meta->stream, (const HPDF_BYTE *)xmp, (HPDF_UINT)xlen) == HPDF_OK &&
              HPDF_Dict_Add(doc->catalog, "Metadata", meta) == HPDF_OK;
    free(xmp);
    if (meta)
        meta->filter = HPDF_STREAM_FILTER_NONE;
    return ok;
}

bool pdfx_ua_metadata(pdf_doc *p, const char *title, char *why, size_t whylen)
{
    HPDF_Doc doc = pdf_handle(p);
    if (!doc || pdf_failed(p)) {
        snprintf(why, whylen, "%s", pdf_error(p));
        return false;
    }
    pdfx_meta m = { title ? title : "", NULL, 0, { 0 }, true };
    if (!add_metadata(doc, &m, NULL) || pdf_failed(p)) {
        snprintf(why, whylen, "cannot write the PDF/UA metadata: %s", pdf_error(p));
        return false;
    }
    return true;
}

bool pdfx_finish(pdf_doc *p, const pdfx_meta *m, char *why, size_t whylen)
{
    HPDF_Doc doc = pdf_handle(p);
    if (!doc || pdf_failed(p)) {
        snprintf(why, whylen, "%s", pdf_error(p));
        return false;
    }
    if (!m->title || !*m->title || m->epoch < 0) {
        snprintf(why, whylen, "a PDF/X document needs a title and a date");
        return false;
    }
    HPDF_Dict profile = icc_stream(doc, PDFX_CMYK_PROFILE, "CMYK", 4, why, whylen);
    if (!profile)
        return false;
    HPDF_MMgr mm = doc->mmgr;
    bool ok = true;
    /* the output intent */
    HPDF_Dict intent = HPDF_Dict_New(mm);
    HPDF_Array intents = HPDF_Array_New(mm);
    ok = intent && intents && HPDF_Xref_Add(doc->xref, intent) == HPDF_OK &&
         HPDF_Dict_AddName(intent, "Type", "OutputIntent") == HPDF_OK &&
         HPDF_Dict_AddName(intent, "S", "GTS_PDFX") == HPDF_OK &&
         HPDF_Dict_Add(intent, "OutputConditionIdentifier", HPDF_String_New(mm, "Custom", NULL)) == HPDF_OK &&
         HPDF_Dict_Add(intent, "OutputCondition",
                       HPDF_String_New(mm, "Coated paper, web offset (SWOP-like): Artifex CMYK SWOP Profile", NULL)) == HPDF_OK &&
         HPDF_Dict_Add(intent, "Info", HPDF_String_New(mm, "Artifex CMYK SWOP Profile (Ghostscript default_cmyk.icc)", NULL)) == HPDF_OK &&
         HPDF_Dict_Add(intent, "DestOutputProfile", profile) == HPDF_OK &&
         HPDF_Array_Add(intents, intent) == HPDF_OK && HPDF_Dict_Add(doc->catalog, "OutputIntents", intents) == HPDF_OK;
    /* the document information: its title was set by pdf_set_info, which made the dictionary */
    HPDF_Dict info = doc->info;
    ok = ok && info && HPDF_Dict_Add(info, "GTS_PDFXVersion", HPDF_String_New(mm, PDFX_VERSION, NULL)) == HPDF_OK &&
         HPDF_Dict_AddName(info, "Trapped", "False") == HPDF_OK;
    /* the ID: the digest's two halves */
    char uuid[40];
    snprintf(uuid, sizeof uuid, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", m->id[0], m->id[1],
             m->id[2], m->id[3], m->id[4], m->id[5], m->id[6], m->id[7], m->id[8], m->id[9], m->id[10], m->id[11],
             m->id[12], m->id[13], m->id[14], m->id[15]);
    HPDF_Array ids = ok ? HPDF_Array_New(mm) : NULL;
    ok = ids && HPDF_Array_Add(ids, HPDF_Binary_New(mm, (HPDF_BYTE *)m->id, 16)) == HPDF_OK &&
         HPDF_Array_Add(ids, HPDF_Binary_New(mm, (HPDF_BYTE *)m->id + 16, 16)) == HPDF_OK &&
         HPDF_Dict_Add(doc->trailer, "ID", ids) == HPDF_OK;
    /* the metadata */
    ok = ok && add_metadata(doc, m, uuid);
    /* PDF/X-4 is PDF 1.6 */
    if (doc->pdf_version < HPDF_VER_16)
        doc->pdf_version = HPDF_VER_16;
    if (!ok || pdf_failed(p)) {
        snprintf(why, whylen, "cannot write the PDF/X output intent and metadata: %s", pdf_error(p));
        return false;
    }
    return true;
}

/* The value of key in a dictionary, or NULL; libharu's HPDF_Dict_GetItem records an error for
 * any class but the one asked for, even HPDF_OCLASS_ANY. */
static void *dict_find(HPDF_Dict dict, const char *key)
{
    for (HPDF_UINT i = 0; i < dict->list->count; i++) {
        HPDF_DictElement e = HPDF_List_ItemAt(dict->list, i);
        if (e && strcmp(e->key, key) == 0)
            return e->value;
    }
    return NULL;
}

int pdfx_tag_rgb_image(void *vdoc, void *vimage, void **cache)
{
    HPDF_Doc doc = vdoc;
    HPDF_Dict img = vimage;
    void *cs = dict_find(img, "ColorSpace");
    if (!cs)
        return 0;
    HPDF_Obj_Header *h = cs;
    HPDF_Array indexed = NULL;
    if ((h->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_ARRAY) {
        /* [/Indexed /DeviceRGB hival lookup]: its base is replaced */
        indexed = cs;
        void *base = HPDF_List_ItemAt(indexed->list, 1);
        if (!base || (((HPDF_Obj_Header *)base)->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_NAME ||
            strcmp(((HPDF_Name)base)->value, "DeviceRGB") != 0)
            return 0;
    } else if ((h->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_NAME || strcmp(((HPDF_Name)cs)->value, "DeviceRGB") != 0) {
        return 0;
    }
    if (!*cache) {
        char why[256];
        HPDF_Dict s = icc_stream(doc, PDFX_SRGB_PROFILE, "RGB ", 3, why, sizeof why);
        HPDF_Array a = s ? HPDF_Array_New(doc->mmgr) : NULL;
        if (!a || HPDF_Array_AddName(a, "ICCBased") != HPDF_OK || HPDF_Array_Add(a, s) != HPDF_OK ||
            HPDF_Xref_Add(doc->xref, a) != HPDF_OK)
            return -1;
        *cache = a;
    }
    if (!indexed)
        return HPDF_Dict_Add(img, "ColorSpace", *cache) == HPDF_OK ? 1 : -1;
    void *base = HPDF_List_ItemAt(indexed->list, 1);
    HPDF_Proxy ref = HPDF_Proxy_New(doc->mmgr, *cache);
    if (!ref)
        return -1;
    ref->header.obj_id |= HPDF_OTYPE_DIRECT;
    if (HPDF_List_Insert(indexed->list, base, ref) != HPDF_OK)
        return -1;
    HPDF_List_Remove(indexed->list, base);
    HPDF_Obj_Free(doc->mmgr, base);
    return 1;
}

void *pdfx_overprint_state(void *vdoc, void **cache)
{
    if (*cache)
        return *cache;
    HPDF_ExtGState gs = HPDF_CreateExtGState(vdoc);
    if (!gs || HPDF_Dict_AddBoolean(gs, "OP", HPDF_TRUE) != HPDF_OK || HPDF_Dict_AddBoolean(gs, "op", HPDF_TRUE) != HPDF_OK ||
        HPDF_Dict_AddNumber(gs, "OPM", 1) != HPDF_OK)
        return NULL;
    *cache = gs;
    return gs;
}
