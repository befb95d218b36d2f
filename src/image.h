/* image: checking image files before libharu sees them. The only room that includes png.h.
 * libharu aborts the whole process on a corrupt PNG and accepts a truncated JPEG, so a PNG is
 * decoded in full with libpng here, and a JPEG's markers (SOI, SOF, SOS, EOI) are checked. */
#ifndef HANDOUT_IMAGE_H
#define HANDOUT_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { IMAGE_PNG, IMAGE_JPEG } image_kind;

typedef struct image_info {
    image_kind kind;
    int width, height; /* pixels */
} image_info;

/* Checks the file; on failure writes the reason into why. */
bool image_check(const char *path, image_info *info, char *why, size_t whylen);

#endif
