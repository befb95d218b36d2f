/* libFuzzer target: arbitrary bytes as Markdown through cmark and the block flattening, then
 * through the placeholder expansion that runs before it in a real build. */
#include "content.h"
#include "diag.h"
#include "markdown.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    diag *d = diag_new(NULL);
    content *c = content_new("/nonexistent");
    content_set(c, "hotline", "1-888-373-7888");
    char *expanded = content_expand(c, text, d, diag_at("fuzz.md", 1));
    md_doc doc;
    if (markdown_parse(text, size, "fuzz.md", &doc, d))
        markdown_free(&doc);
    free(expanded);
    content_free(c);
    diag_free(d);
    free(text);
    return 0;
}
