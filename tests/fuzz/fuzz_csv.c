/* libFuzzer target: arbitrary bytes as a CSV data file (libcsv through the data module), and
 * each record's values through the placeholder expansion that reads them. */
#include "content.h"
#include "data.h"
#include "diag.h"
#include "fuzz_parts.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256];
    if (!fuzz_tmp_path("csv", "data.csv", path, sizeof path))
        return 0;
    write_file(path, (const char *)data, size);
    diag *d = diag_new(NULL);
    data_table *t = data_load(path, d);
    if (t && data_columns(t) > 0) {
        content *c = content_new("/nonexistent");
        char tmpl[160];
        snprintf(tmpl, sizeof tmpl, "{%s} and {serial:04}", data_column_name(t, 0));
        for (size_t r = 0; r < data_rows(t) && r < 50; r++) {
            content_use_record(c, t, r, (long)r + 1);
            free(content_expand(c, tmpl, d, diag_at("fuzz", 1)));
        }
        content_free(c);
    }
    data_free(t);
    diag_free(d);
    fuzz_tmp_clean();
    return 0;
}
