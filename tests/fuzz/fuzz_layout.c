/* libFuzzer target: arbitrary bytes as a layout INI, read through ini (the pre-scan and
 * iniparser) and layout (expansion and strict value parsing) against a small content set. */
#include "content.h"
#include "diag.h"
#include "layout.h"
#include "fuzz_parts.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256];
    if (!fuzz_tmp_path("layout", "layout.ini", path, sizeof path))
        return 0;
    write_file(path, (const char *)data, size);
    content *c = content_new("/nonexistent");
    content_set(c, "title", "Title {organisation}");
    content_set(c, "organisation", "Org");
    content_set(c, "loop", "{loop}");
    diag *d = diag_new(NULL);
    layout *l = layout_load(path, c, d);
    layout_free(l);
    diag_free(d);
    content_free(c);
    fuzz_tmp_clean();
    return 0;
}
