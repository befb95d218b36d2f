/* image: PNG validated by decoding every row with libpng (errors caught with its setjmp, the way
 * libpng requires); JPEG validated by walking its marker segments, then decoding every scanline
 * with libjpeg (its errors and its warnings about corrupt data both end the decoding). */
#include "image.h"
#include "inputs.h"
#include "readfile.h"

#include <errno.h>
#include <stdio.h> /* before jpeglib.h, which uses FILE */
#include <jpeglib.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#define IMAGE_MAX_SIDE 20000
#define IMAGE_MAX_PIXELS 100000000L /* checked before a PNG is decoded: a small file can claim a huge picture */

typedef struct png_err {
    char *why;
    size_t whylen;
} png_err;

static void png_error_fn(png_structp png, png_const_charp msg)
{
    png_err *e = png_get_error_ptr(png);
    snprintf(e->why, e->whylen, "not a valid PNG: %s", msg);
    png_longjmp(png, 1);
}

static void png_warning_fn(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

/* Reads a PNG's header, or with full, every row too. */
static bool read_png(FILE *fp, bool full, image_info *info, char *why, size_t whylen)
{
    png_err e = { why, whylen };
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &e, png_error_fn, png_warning_fn);
    if (!png) {
        snprintf(why, whylen, "out of memory");
        return false;
    }
    png_infop pinfo = png_create_info_struct(png);
    png_bytep volatile row = NULL;
    if (!pinfo) {
        png_destroy_read_struct(&png, NULL, NULL);
        snprintf(why, whylen, "out of memory");
        return false;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &pinfo, NULL);
        free((void *)row);
        return false;
    }
    png_init_io(png, fp);
    png_read_info(png, pinfo);
    png_uint_32 w = png_get_image_width(png, pinfo), h = png_get_image_height(png, pinfo);
    if (w == 0 || h == 0 || w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE) {
        snprintf(why, whylen, "expected a PNG of 1 to %d pixels a side, found %ux%u",
                 IMAGE_MAX_SIDE, (unsigned)w, (unsigned)h);
        png_destroy_read_struct(&png, &pinfo, NULL);
        return false;
    }
    if ((long)w * (long)h > IMAGE_MAX_PIXELS) {
        snprintf(why, whylen, "expected a PNG of at most %ld pixels, found %ux%u", IMAGE_MAX_PIXELS, (unsigned)w, (unsigned)h);
        png_destroy_read_struct(&png, &pinfo, NULL);
        return false;
    }
    info->kind = IMAGE_PNG;
    info->width = (int)w;
    info->height = (int)h;
    info->depth = png_get_bit_depth(png, pinfo);
    if (!full) {
        png_destroy_read_struct(&png, &pinfo, NULL);
        return true;
    }
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, pinfo);
    row = malloc(png_get_rowbytes(png, pinfo));
    if (!row) {
        snprintf(why, whylen, "out of memory");
        png_destroy_read_struct(&png, &pinfo, NULL);
        return false;
    }
    for (int p = 0; p < passes; p++)
        for (png_uint_32 y = 0; y < h; y++)
            png_read_row(png, row, NULL);
    png_read_end(png, NULL);
    free((void *)row);
    png_destroy_read_struct(&png, &pinfo, NULL);
    return true;
}

static bool check_jpeg(FILE *fp, image_info *info, char *why, size_t whylen)
{
    unsigned char b[4];
    bool sof = false, sos = false;
    if (fseek(fp, 2, SEEK_SET) != 0)
        goto truncated;
    for (;;) {
        int c = fgetc(fp);
        if (c == EOF)
            goto truncated;
        if (c != 0xFF) {
            snprintf(why, whylen, "not a valid JPEG: expected a marker, found byte 0x%02X", c);
            return false;
        }
        int m;
        do
            m = fgetc(fp);
        while (m == 0xFF);
        if (m == EOF)
            goto truncated;
        if (m == 0xD9) /* EOI before SOS */
            break;
        if (m >= 0xD0 && m <= 0xD7)
            continue;
        if (fread(b, 1, 2, fp) != 2)
            goto truncated;
        long seglen = (b[0] << 8) | b[1];
        if (seglen < 2)
            goto bad;
        if ((m >= 0xC0 && m <= 0xCF) && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            unsigned char s[5];
            if (fread(s, 1, 5, fp) != 5)
                goto truncated;
            info->height = (s[1] << 8) | s[2];
            info->width = (s[3] << 8) | s[4];
            sof = true;
            if (fseek(fp, seglen - 7, SEEK_CUR) != 0)
                goto truncated;
            continue;
        }
        if (m == 0xDA) {
            sos = true;
            if (fseek(fp, seglen - 2, SEEK_CUR) != 0)
                goto truncated;
            /* entropy-coded data: scan to EOI, skipping stuffed bytes and restart markers */
            int prev = 0;
            for (;;) {
                c = fgetc(fp);
                if (c == EOF)
                    goto truncated;
                if (prev == 0xFF && c == 0xD9)
                    goto done;
                prev = c;
            }
        }
        if (fseek(fp, seglen - 2, SEEK_CUR) != 0)
            goto truncated;
    }
done:
    if (!sof || !sos || info->width <= 0 || info->height <= 0)
        goto bad;
    if (info->width > IMAGE_MAX_SIDE || info->height > IMAGE_MAX_SIDE) {
        snprintf(why, whylen, "expected a JPEG of at most %d pixels a side, found %dx%d",
                 IMAGE_MAX_SIDE, info->width, info->height);
        return false;
    }
    if ((long)info->width * info->height > IMAGE_MAX_PIXELS) {
        snprintf(why, whylen, "expected a JPEG of at most %ld pixels, found %dx%d", IMAGE_MAX_PIXELS,
                 info->width, info->height);
        return false;
    }
    info->kind = IMAGE_JPEG;
    return true;
truncated:
    snprintf(why, whylen, "not a valid JPEG: the file is truncated");
    return false;
bad:
    snprintf(why, whylen, "not a valid JPEG: a frame header (SOF) or scan (SOS) is missing");
    return false;
}

/* libjpeg's errors: the message kept, then back to the decoder's caller. */
typedef struct jpeg_err {
    struct jpeg_error_mgr mgr;
    jmp_buf back;
    char *why;
    size_t whylen;
} jpeg_err;

static void jpeg_fail(j_common_ptr cinfo)
{
    jpeg_err *e = (jpeg_err *)cinfo->err;
    char msg[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, msg);
    snprintf(e->why, e->whylen, "not a valid JPEG: %s", msg);
    longjmp(e->back, 1);
}

/* A warning (level -1) is corrupt data that libjpeg would paint over in grey: an error here. */
static void jpeg_note(j_common_ptr cinfo, int level)
{
    if (level < 0)
        jpeg_fail(cinfo);
}

/* Decodes every scanline of the JPEG in fp. */
static bool decode_jpeg(FILE *fp, char *why, size_t whylen)
{
    struct jpeg_decompress_struct cinfo;
    jpeg_err e;
    JSAMPARRAY volatile row = NULL;
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&e.mgr);
    e.mgr.error_exit = jpeg_fail;
    e.mgr.emit_message = jpeg_note;
    e.why = why;
    e.whylen = whylen;
    if (setjmp(e.back)) {
        jpeg_destroy_decompress(&cinfo);
        return false;
    }
    jpeg_create_decompress(&cinfo);
    rewind(fp);
    jpeg_stdio_src(&cinfo, fp);
    jpeg_read_header(&cinfo, TRUE);
    jpeg_start_decompress(&cinfo);
    row = (*cinfo.mem->alloc_sarray)((j_common_ptr)&cinfo, JPOOL_IMAGE,
                                     cinfo.output_width * (JDIMENSION)cinfo.output_components, 1);
    while (cinfo.output_scanline < cinfo.output_height)
        jpeg_read_scanlines(&cinfo, row, 1);
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return true;
}

bool image_decode_png(const char *path, image_pixels *px, char *why, size_t whylen)
{
    memset(px, 0, sizeof *px);
    FILE *fp = readfile_open(path, why, whylen); /* a regular file: a FIFO would block the read */
    if (!fp)
        return false;
    png_err e = { why, whylen };
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &e, png_error_fn, png_warning_fn);
    png_infop pinfo = png ? png_create_info_struct(png) : NULL;
    png_bytep *volatile rows = NULL;
    unsigned char *volatile buf = NULL;
    if (!png || !pinfo) {
        png_destroy_read_struct(&png, NULL, NULL);
        fclose(fp);
        snprintf(why, whylen, "out of memory");
        return false;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &pinfo, NULL);
        free((void *)rows);
        free((void *)buf);
        fclose(fp);
        return false;
    }
    png_init_io(png, fp);
    png_read_info(png, pinfo);
    png_uint_32 w = png_get_image_width(png, pinfo), h = png_get_image_height(png, pinfo);
    if (w == 0 || h == 0 || w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE || (long)w * (long)h > IMAGE_MAX_PIXELS)
        png_error(png, "the picture is larger than handout reads");
    png_set_scale_16(png); /* 16 bits a channel to 8, rounded */
    png_set_palette_to_rgb(png);
    png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, pinfo, PNG_INFO_tRNS))
        png_set_tRNS_to_alpha(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, pinfo);
    int channels = png_get_channels(png, pinfo); /* 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA */
    size_t stride = png_get_rowbytes(png, pinfo);
    buf = malloc(stride * h);
    rows = malloc(h * sizeof *rows);
    if (!buf || !rows)
        png_error(png, "out of memory");
    for (png_uint_32 y = 0; y < h; y++)
        rows[y] = buf + y * stride;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    int color = channels >= 3 ? 3 : 1;
    bool has_alpha = channels == 2 || channels == 4;
    px->width = (int)w;
    px->height = (int)h;
    px->channels = color;
    px->color = malloc((size_t)w * h * (size_t)color);
    px->alpha = has_alpha ? malloc((size_t)w * h) : NULL;
    if (!px->color || (has_alpha && !px->alpha)) {
        image_pixels_free(px);
        png_error(png, "out of memory");
    }
    for (png_uint_32 y = 0; y < h; y++)
        for (png_uint_32 x = 0; x < w; x++) {
            const unsigned char *s = rows[y] + (size_t)x * (size_t)channels;
            size_t i = (size_t)y * w + x;
            memcpy(px->color + i * (size_t)color, s, (size_t)color);
            if (has_alpha)
                px->alpha[i] = s[channels - 1];
        }
    png_destroy_read_struct(&png, &pinfo, NULL);
    free((void *)rows);
    free((void *)buf);
    fclose(fp);
    return true;
}

/* The pixels of a greyscale or RGB JPEG in fp, into px. */
static bool jpeg_pixels(FILE *fp, image_pixels *px, char *why, size_t whylen)
{
    struct jpeg_decompress_struct cinfo;
    jpeg_err e;
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&e.mgr);
    e.mgr.error_exit = jpeg_fail;
    e.mgr.emit_message = jpeg_note;
    e.why = why;
    e.whylen = whylen;
    if (setjmp(e.back)) {
        jpeg_destroy_decompress(&cinfo);
        image_pixels_free(px);
        return false;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_stdio_src(&cinfo, fp);
    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
        jpeg_destroy_decompress(&cinfo);
        snprintf(why, whylen, "a CMYK JPEG");
        return false;
    }
    cinfo.out_color_space = cinfo.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&cinfo);
    if (cinfo.output_width == 0 || cinfo.output_height == 0 || cinfo.output_width > IMAGE_MAX_SIDE ||
        cinfo.output_height > IMAGE_MAX_SIDE || (long)cinfo.output_width * (long)cinfo.output_height > IMAGE_MAX_PIXELS) {
        jpeg_destroy_decompress(&cinfo);
        snprintf(why, whylen, "the picture is larger than handout reads");
        return false;
    }
    px->width = (int)cinfo.output_width;
    px->height = (int)cinfo.output_height;
    px->channels = cinfo.output_components;
    size_t stride = (size_t)px->width * (size_t)px->channels;
    px->color = malloc(stride * (size_t)px->height);
    if (!px->color) {
        jpeg_destroy_decompress(&cinfo);
        snprintf(why, whylen, "out of memory");
        return false;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = px->color + stride * cinfo.output_scanline;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return true;
}

bool image_decode(const char *path, image_pixels *px, char *why, size_t whylen)
{
    memset(px, 0, sizeof *px);
    FILE *fp = readfile_open(path, why, whylen);
    if (!fp)
        return false;
    unsigned char sig[8] = { 0 };
    size_t n = fread(sig, 1, 8, fp);
    if (n == 8 && png_sig_cmp(sig, 0, 8) == 0) {
        fclose(fp);
        return image_decode_png(path, px, why, whylen);
    }
    bool ok = false;
    if (n >= 3 && sig[0] == 0xFF && sig[1] == 0xD8 && sig[2] == 0xFF) {
        rewind(fp);
        ok = jpeg_pixels(fp, px, why, whylen);
    } else {
        snprintf(why, whylen, "it has neither the PNG nor the JPEG signature");
    }
    fclose(fp);
    return ok;
}

void image_pixels_free(image_pixels *px)
{
    free(px->color);
    free(px->alpha);
    px->color = px->alpha = NULL;
}

/* The kind, size and depth of the picture at path; with full, every pixel decoded as well. */
static bool look_at(const char *path, bool full, image_info *info, char *why, size_t whylen)
{
    inputs_note(path);
    FILE *fp = readfile_open(path, why, whylen); /* a regular file: a FIFO would block the read */
    if (!fp)
        return false;
    unsigned char sig[8] = { 0 };
    size_t n = fread(sig, 1, 8, fp);
    bool ok;
    if (n == 8 && png_sig_cmp(sig, 0, 8) == 0) {
        rewind(fp);
        ok = read_png(fp, full, info, why, whylen);
    } else if (n >= 3 && sig[0] == 0xFF && sig[1] == 0xD8 && sig[2] == 0xFF) {
        ok = check_jpeg(fp, info, why, whylen) && (!full || decode_jpeg(fp, why, whylen));
        info->depth = 8;
    } else {
        snprintf(why, whylen, "it has neither the PNG nor the JPEG signature");
        ok = false;
    }
    fclose(fp);
    return ok;
}

bool image_probe(const char *path, image_info *info, char *why, size_t whylen)
{
    return look_at(path, false, info, why, whylen);
}

bool image_check(const char *path, image_info *info, char *why, size_t whylen)
{
    return look_at(path, true, info, why, whylen);
}
