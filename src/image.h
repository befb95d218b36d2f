/* image: checking image files before libharu sees them. The only room that includes png.h and
 * jpeglib.h. libharu aborts the whole process on a corrupt PNG, accepts a truncated or damaged
 * JPEG, and draws a PNG of 16 bits per channel in wrong colours; so every PNG and every JPEG is
 * decoded in full here (libpng, libjpeg: a warning about corrupt data counts as an error), and a
 * PNG of 16 bits per channel is handed to the PDF as 8-bit pixels decoded here. */
#ifndef HANDOUT_IMAGE_H
#define HANDOUT_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { IMAGE_PNG, IMAGE_JPEG } image_kind;

typedef struct image_info {
    image_kind kind;
    int width, height; /* pixels */
    int depth;         /* bits per channel as stored (PNG: 1 to 16; JPEG: 8) */
} image_info;

/* Checks the file, every pixel decoded; on failure writes the reason into why. */
bool image_check(const char *path, image_info *info, char *why, size_t whylen);
/* Reads only the headers (kind, size, depth), to refuse a picture too large before decoding it. */
bool image_probe(const char *path, image_info *info, char *why, size_t whylen);

/* A picture decoded to 8 bits per channel: gray (1 channel) or RGB (3), row after row, and its
 * opacity (one byte a pixel) or NULL when it is opaque. */
typedef struct image_pixels {
    int width, height, channels;
    unsigned char *color;
    unsigned char *alpha;
} image_pixels;

/* Decodes a PNG to 8 bits per channel (palette and low depths expanded, 16 bits scaled, a tRNS
 * chunk made opacity). False with the reason in why. */
bool image_decode_png(const char *path, image_pixels *px, char *why, size_t whylen);
/* Decodes a PNG (as image_decode_png) or a greyscale or RGB JPEG to 8 bits per channel. False
 * with the reason in why, also for a CMYK JPEG (whose colours are the press's own). */
bool image_decode(const char *path, image_pixels *px, char *why, size_t whylen);
void image_pixels_free(image_pixels *px);

#endif
