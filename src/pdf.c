/* pdf: libharu 2.3.0 behind a small drawing interface. Fonts are embedded TrueType through
 * HPDF_UseUTFEncodings and the "UTF-8" encoder; every stream is compressed. No /ID and no date is
 * written unless asked for, so the same input gives the same bytes. */
#include "pdf.h"
#include "image.h"
#include "grow.h"
#include "inputs.h"
#include "atomic.h"

#include <errno.h>
#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct pdf_font {
    char *file;
    int index;
    HPDF_Font font;
};

struct pdf_doc {
    HPDF_Doc doc;
    HPDF_Page page;
    double page_h;
    HPDF_STATUS error;
    HPDF_STATUS detail;
    char message[256];
    pdf_font **fonts; /* each allocated alone: callers keep pointers */
    int nfonts, capfonts;
    struct pdf_image {
        char *path;
        HPDF_Image image;
    } *images; /* loaded once per file, drawn any number of times */
    size_t nimages, capimages;
};

static const struct {
    HPDF_STATUS code;
    const char *what;
} PDF_ERRORS[] = {
    { HPDF_FAILD_TO_ALLOC_MEM, "out of memory" },
    { HPDF_FILE_IO_ERROR, "a file could not be read or written" },
    { HPDF_INVALID_PNG_IMAGE, "the PNG image is not supported" },
    { HPDF_LIBPNG_ERROR, "libpng failed to read the image" },
    { HPDF_INVALID_JPEG_DATA, "the JPEG data is invalid" },
    { HPDF_UNSUPPORTED_JPEG_FORMAT, "the JPEG format is not supported" },
    { HPDF_TTF_INVALID_CMAP, "the font has no usable character map" },
    { HPDF_TTF_INVALID_FOMAT, "the font is not a valid TrueType font" },
    { HPDF_TTF_MISSING_TABLE, "the font lacks a table libharu needs (CFF outlines?)" },
    { HPDF_TTF_CANNOT_EMBEDDING_FONT, "the font's licence forbids embedding" },
    { HPDF_UNSUPPORTED_FONT_TYPE, "the font type is not supported" },
    { HPDF_PAGE_INVALID_SIZE, "the page size is outside what PDF allows" },
    { HPDF_PAGE_INVALID_FONT_SIZE, "the font size is outside what PDF allows" },
};

static void HPDF_STDCALL on_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
    pdf_doc *p = data;
    if (p->error)
        return; /* keep the first: later ones follow from it */
    p->error = code;
    p->detail = detail;
    const char *what = "see libharu's hpdf_error.h";
    for (size_t i = 0; i < sizeof PDF_ERRORS / sizeof PDF_ERRORS[0]; i++)
        if (PDF_ERRORS[i].code == code)
            what = PDF_ERRORS[i].what;
    snprintf(p->message, sizeof p->message, "libharu error 0x%04X (detail %u): %s",
             (unsigned)code, (unsigned)detail, what);
}

pdf_doc *pdf_new(void)
{
    pdf_doc *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->doc = HPDF_New(on_error, p);
    if (!p->doc) {
        free(p);
        return NULL;
    }
    HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(p->doc);
    HPDF_SetCurrentEncoder(p->doc, "UTF-8");
    return p;
}

void pdf_expect_pages(pdf_doc *p, long pages)
{
    if (pages > PDF_NODE_PAGES)
        HPDF_SetPagesConfiguration(p->doc, 1000);
}

void pdf_free(pdf_doc *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->nfonts; i++) {
        free(p->fonts[i]->file);
        free(p->fonts[i]);
    }
    for (size_t i = 0; i < p->nimages; i++)
        free(p->images[i].path);
    free(p->images);
    free(p->fonts);
    HPDF_Free(p->doc);
    free(p);
}

bool pdf_failed(const pdf_doc *p)
{
    return p->error != 0;
}

const char *pdf_error(const pdf_doc *p)
{
    return p->error ? p->message : "no error";
}

pdf_font *pdf_font_load(pdf_doc *p, const char *file, int index)
{
    for (int i = 0; i < p->nfonts; i++)
        if (p->fonts[i]->index == index && strcmp(p->fonts[i]->file, file) == 0)
            return p->fonts[i];
    if (p->error)
        return NULL;
    inputs_note(file);
    size_t n = strlen(file);
    const char *name = n > 4 && strcmp(file + n - 4, ".ttc") == 0
                           ? HPDF_LoadTTFontFromFile2(p->doc, file, (HPDF_UINT)index, HPDF_TRUE)
                           : HPDF_LoadTTFontFromFile(p->doc, file, HPDF_TRUE);
    if (!name || p->error)
        return NULL;
    HPDF_Font font = HPDF_GetFont(p->doc, name, "UTF-8");
    if (!font || p->error)
        return NULL;
    if (!pdf_font_identity_unicode(font)) {
        if (!p->error) {
            p->error = 1;
            snprintf(p->message, sizeof p->message, "cannot write the Unicode map of font %s", file);
        }
        return NULL;
    }
    if (p->nfonts == p->capfonts) {
        int cap = p->capfonts ? p->capfonts * 2 : 8;
        pdf_font **nf = realloc(p->fonts, (size_t)cap * sizeof *nf);
        if (!nf)
            return NULL;
        p->fonts = nf;
        p->capfonts = cap;
    }
    pdf_font *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->file = strdup(file);
    if (!f->file) {
        free(f);
        return NULL;
    }
    f->index = index;
    f->font = font;
    p->fonts[p->nfonts++] = f;
    return f;
}

double pdf_text_width(const pdf_font *f, const char *s, size_t len, double size)
{
    HPDF_TextWidth tw = HPDF_Font_TextWidth(f->font, (const HPDF_BYTE *)s, (HPDF_UINT)len);
    return tw.width * size / 1000.0;
}

bool pdf_page_add(pdf_doc *p, double w, double h)
{
    if (p->error)
        return false;
    p->page = HPDF_AddPage(p->doc);
    if (!p->page)
        return false;
    HPDF_Page_SetWidth(p->page, (HPDF_REAL)w);
    HPDF_Page_SetHeight(p->page, (HPDF_REAL)h);
    p->page_h = h;
    return !p->error;
}

static void set_fill(pdf_doc *p, const colour *c)
{
    if (c->space == COLOUR_CMYK)
        HPDF_Page_SetCMYKFill(p->page, (HPDF_REAL)c->c[0], (HPDF_REAL)c->c[1], (HPDF_REAL)c->c[2],
                              (HPDF_REAL)c->c[3]);
    else
        HPDF_Page_SetRGBFill(p->page, (HPDF_REAL)c->c[0], (HPDF_REAL)c->c[1], (HPDF_REAL)c->c[2]);
}

static void set_stroke(pdf_doc *p, const colour *c)
{
    if (c->space == COLOUR_CMYK)
        HPDF_Page_SetCMYKStroke(p->page, (HPDF_REAL)c->c[0], (HPDF_REAL)c->c[1],
                                (HPDF_REAL)c->c[2], (HPDF_REAL)c->c[3]);
    else
        HPDF_Page_SetRGBStroke(p->page, (HPDF_REAL)c->c[0], (HPDF_REAL)c->c[1],
                               (HPDF_REAL)c->c[2]);
}

void pdf_fill_rect(pdf_doc *p, double x, double y, double w, double h, const colour *c)
{
    if (p->error || !p->page)
        return;
    set_fill(p, c);
    HPDF_Page_Rectangle(p->page, (HPDF_REAL)x, (HPDF_REAL)(p->page_h - y - h), (HPDF_REAL)w,
                        (HPDF_REAL)h);
    HPDF_Page_Fill(p->page);
}

void pdf_stroke_rect(pdf_doc *p, double x, double y, double w, double h, double line_w,
                     const colour *c)
{
    if (p->error || !p->page)
        return;
    set_stroke(p, c);
    HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)line_w);
    HPDF_Page_Rectangle(p->page, (HPDF_REAL)x, (HPDF_REAL)(p->page_h - y - h), (HPDF_REAL)w,
                        (HPDF_REAL)h);
    HPDF_Page_Stroke(p->page);
}

void pdf_line(pdf_doc *p, double x1, double y1, double x2, double y2, double line_w,
              const colour *c)
{
    if (p->error || !p->page)
        return;
    set_stroke(p, c);
    HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)line_w);
    HPDF_Page_MoveTo(p->page, (HPDF_REAL)x1, (HPDF_REAL)(p->page_h - y1));
    HPDF_Page_LineTo(p->page, (HPDF_REAL)x2, (HPDF_REAL)(p->page_h - y2));
    HPDF_Page_Stroke(p->page);
}

void pdf_text(pdf_doc *p, pdf_font *f, double size, double x, double y, int angle, const char *s,
              size_t len, const colour *c)
{
    if (p->error || !p->page || len == 0)
        return;
    char stack[512];
    char *buf = len < sizeof stack ? stack : malloc(len + 1);
    if (!buf) {
        on_error(HPDF_FAILD_TO_ALLOC_MEM, 0, p);
        return;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    set_fill(p, c);
    HPDF_Page_BeginText(p->page);
    HPDF_Page_SetFontAndSize(p->page, f->font, (HPDF_REAL)size);
    HPDF_REAL px = (HPDF_REAL)x, py = (HPDF_REAL)(p->page_h - y);
    if (angle == 90)
        HPDF_Page_SetTextMatrix(p->page, 0, 1, -1, 0, px, py);
    else if (angle == 270)
        HPDF_Page_SetTextMatrix(p->page, 0, -1, 1, 0, px, py);
    else
        HPDF_Page_MoveTextPos(p->page, px, py);
    HPDF_Page_ShowText(p->page, buf);
    HPDF_Page_EndText(p->page);
    if (buf != stack)
        free(buf);
}

void pdf_line_dashed(pdf_doc *p, double x1, double y1, double x2, double y2, double line_w,
                     const double dash[2], const colour *c)
{
    if (p->error || !p->page)
        return;
    /* SetDash takes whole units: draw in tenths of a point */
    HPDF_UINT16 pat[2] = { (HPDF_UINT16)(dash[0] * 10 + 0.5), (HPDF_UINT16)(dash[1] * 10 + 0.5) };
    HPDF_Page_GSave(p->page);
    HPDF_Page_Concat(p->page, 0.1f, 0, 0, 0.1f, 0, 0);
    set_stroke(p, c);
    HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)(line_w * 10));
    HPDF_Page_SetDash(p->page, pat, 2, 0);
    HPDF_Page_MoveTo(p->page, (HPDF_REAL)(x1 * 10), (HPDF_REAL)((p->page_h - y1) * 10));
    HPDF_Page_LineTo(p->page, (HPDF_REAL)(x2 * 10), (HPDF_REAL)((p->page_h - y2) * 10));
    HPDF_Page_Stroke(p->page);
    HPDF_Page_GRestore(p->page);
}

void pdf_push(pdf_doc *p, double x, double y, double sx, double sy)
{
    if (p->error || !p->page)
        return;
    HPDF_Page_GSave(p->page);
    /* top-left (u, v) -> (sx u + x, sy v + y); in PDF's bottom-left frame, Y = H - v */
    HPDF_Page_Concat(p->page, (HPDF_REAL)sx, 0, 0, (HPDF_REAL)sy, (HPDF_REAL)x,
                     (HPDF_REAL)(p->page_h - sy * p->page_h - y));
}

void pdf_clip(pdf_doc *p, double x, double y, double w, double h)
{
    if (p->error || !p->page)
        return;
    HPDF_Page_Rectangle(p->page, (HPDF_REAL)x, (HPDF_REAL)(p->page_h - y - h), (HPDF_REAL)w,
                        (HPDF_REAL)h);
    HPDF_Page_Clip(p->page);
    HPDF_Page_EndPath(p->page);
}

void pdf_pop(pdf_doc *p)
{
    if (p->error || !p->page)
        return;
    HPDF_Page_GRestore(p->page);
}

double pdf_page_height(const pdf_doc *p)
{
    return p->page_h;
}

void *pdf_current_page(pdf_doc *p)
{
    return p->error ? NULL : p->page;
}

void pdf_qr(pdf_doc *p, double x, double y, double m, const qr_run *runs, size_t nruns,
            const colour *dark)
{
    if (p->error || !p->page)
        return;
    /* one matrix per symbol (module = 1 unit, y up from the symbol's top edge), then integer
     * rectangles: fewer bytes than absolute coordinates */
    HPDF_Page_GSave(p->page);
    set_fill(p, dark);
    HPDF_Page_Concat(p->page, (HPDF_REAL)m, 0, 0, (HPDF_REAL)m, (HPDF_REAL)x,
                     (HPDF_REAL)(p->page_h - y));
    for (size_t i = 0; i < nruns; i++)
        HPDF_Page_Rectangle(p->page, (HPDF_REAL)runs[i].x, (HPDF_REAL)(-runs[i].y - 1),
                            (HPDF_REAL)runs[i].len, 1);
    HPDF_Page_Fill(p->page);
    HPDF_Page_GRestore(p->page);
}

/* A picture decoded to 8 bits per channel, with its opacity as a soft mask. */
static HPDF_Image load_pixels(pdf_doc *p, const char *path)
{
    image_pixels px;
    char why[sizeof p->message];
    if (!image_decode_png(path, &px, why, sizeof why)) {
        on_error(HPDF_INVALID_PNG_IMAGE, 0, p);
        snprintf(p->message, sizeof p->message, "%s", why);
        return NULL;
    }
    HPDF_Image img = HPDF_LoadRawImageFromMem(p->doc, px.color, (HPDF_UINT)px.width, (HPDF_UINT)px.height,
                                              px.channels == 3 ? HPDF_CS_DEVICE_RGB : HPDF_CS_DEVICE_GRAY, 8);
    if (img && px.alpha) {
        HPDF_Image mask = HPDF_LoadRawImageFromMem(p->doc, px.alpha, (HPDF_UINT)px.width, (HPDF_UINT)px.height,
                                                   HPDF_CS_DEVICE_GRAY, 8);
        if (!mask || HPDF_Image_AddSMask(img, mask) != HPDF_OK)
            img = NULL;
    }
    image_pixels_free(&px);
    return img;
}

bool pdf_image(pdf_doc *p, const char *path, bool png, bool sixteen, double x, double y, double w, double h)
{
    if (p->error || !p->page)
        return false;
    HPDF_Image img = NULL;
    for (size_t i = 0; i < p->nimages && !img; i++)
        if (strcmp(p->images[i].path, path) == 0)
            img = p->images[i].image;
    if (!img) {
        char *copy = strdup(path);
        if (!copy || !GROW(p->images, p->nimages, p->capimages)) {
            free(copy);
            on_error(HPDF_FAILD_TO_ALLOC_MEM, 0, p);
            return false;
        }
        img = png && sixteen ? load_pixels(p, path)
              : png         ? HPDF_LoadPngImageFromFile(p->doc, path)
                            : HPDF_LoadJpegImageFromFile(p->doc, path);
        if (!img) {
            free(copy);
            if (!p->error)
                on_error(png ? HPDF_INVALID_PNG_IMAGE : HPDF_INVALID_JPEG_DATA, 0, p);
            return false;
        }
        p->images[p->nimages].path = copy;
        p->images[p->nimages++].image = img;
    }
    HPDF_Page_DrawImage(p->page, img, (HPDF_REAL)x, (HPDF_REAL)(p->page_h - y - h), (HPDF_REAL)w,
                        (HPDF_REAL)h);
    return !p->error;
}

void pdf_set_info(pdf_doc *p, const char *title, const char *creator, long long epoch)
{
    if (title && *title)
        HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, title);
    if (creator)
        HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, creator);
    if (epoch >= 0) {
        time_t t = (time_t)epoch;
        struct tm tm;
        if (gmtime_r(&t, &tm)) {
            HPDF_Date d = { tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                            tm.tm_sec, 'Z', 0, 0 };
            HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_CREATION_DATE, d);
            HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_MOD_DATE, d);
        }
    }
}

bool pdf_save(pdf_doc *p, const char *path, char *why, size_t whylen)
{
    if (p->error || HPDF_SaveToStream(p->doc) != HPDF_OK || p->error) {
        snprintf(why, whylen, "%s", p->message);
        return false;
    }
    atomic_file a;
    if (!atomic_open_at(&a, path, path, why, whylen))
        return false;
    HPDF_ResetStream(p->doc);
    unsigned char buf[65536];
    bool ok = true;
    while (ok && !a.err) {
        HPDF_UINT32 got = sizeof buf;
        HPDF_STATUS st = HPDF_ReadFromStream(p->doc, buf, &got);
        atomic_write(&a, buf, got);
        if (st == HPDF_STREAM_EOF) {
            HPDF_ResetError(p->doc);
            p->error = 0;
            break;
        }
        if (st != HPDF_OK)
            ok = false;
    }
    if (!ok)
        snprintf(why, whylen, "%s", p->message);
    if (!ok) {
        atomic_write(&a, "", 0);
        a.err = a.err ? a.err : EIO;
    }
    return atomic_finish(&a, why, whylen) && ok;
}
