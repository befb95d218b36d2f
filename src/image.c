/* image: PNG validated by decoding every row with libpng (errors caught with its setjmp, the way
 * libpng requires); JPEG validated by walking its marker segments. */
#include "image.h"
#include "inputs.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
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

static bool check_png(FILE *fp, image_info *info, char *why, size_t whylen)
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
    info->kind = IMAGE_PNG;
    info->width = (int)w;
    info->height = (int)h;
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
    info->kind = IMAGE_JPEG;
    return true;
truncated:
    snprintf(why, whylen, "not a valid JPEG: the file is truncated");
    return false;
bad:
    snprintf(why, whylen, "not a valid JPEG: a frame header (SOF) or scan (SOS) is missing");
    return false;
}

bool image_check(const char *path, image_info *info, char *why, size_t whylen)
{
    inputs_note(path);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(why, whylen, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    unsigned char sig[8] = { 0 };
    size_t n = fread(sig, 1, 8, fp);
    bool ok;
    if (n == 8 && png_sig_cmp(sig, 0, 8) == 0) {
        rewind(fp);
        ok = check_png(fp, info, why, whylen);
    } else if (n >= 3 && sig[0] == 0xFF && sig[1] == 0xD8 && sig[2] == 0xFF) {
        ok = check_jpeg(fp, info, why, whylen);
    } else {
        snprintf(why, whylen, "it has neither the PNG nor the JPEG signature");
        ok = false;
    }
    fclose(fp);
    return ok;
}
