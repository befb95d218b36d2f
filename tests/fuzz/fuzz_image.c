/* libFuzzer target: pictures. One input is one file's bytes, written to a temporary file and read
 * as a layout's image is read: image_probe (headers), image_check (every pixel decoded, libpng and
 * libjpeg), and for a PNG image_decode_png (the 8-bit pixels of a 16-bit picture). Each must end
 * with true or with a reason, never a crash, a hang or a leak. */
#include "image.h"
#include "fuzz_parts.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256];
    if (!fuzz_tmp_path("image", "picture", path, sizeof path))
        return 0;
    write_file(path, (const char *)data, size);
    image_info info;
    char why[512];
    why[0] = '\0';
    bool probed = image_probe(path, &info, why, sizeof why);
    if (!probed && !why[0])
        abort(); /* a refusal always says why */
    why[0] = '\0';
    bool ok = image_check(path, &info, why, sizeof why);
    if (!ok && !why[0])
        abort();
    if (ok && !probed)
        abort(); /* what decodes whole has readable headers */
    if (ok && info.kind == IMAGE_PNG) {
        image_pixels px;
        if (image_decode_png(path, &px, why, sizeof why)) {
            if (px.width != info.width || px.height != info.height)
                abort(); /* the pixels are the picture the headers describe */
            image_pixels_free(&px);
        }
    }
    fuzz_tmp_clean();
    return 0;
}
