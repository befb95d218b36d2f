/* Unit tests: where another language's content set is (content_sibling_path), the one rule that
 * {field@lang}, ../<lang>/ files, [page] languages and the batch's plan all use. Expected values
 * from docs/formats.md ("Several languages": content/<lang>/ beside the content set). */
#include "content.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void test_siblings(void)
{
    static const struct {
        const char *dir, *lang, *want;
    } rows[] = {
        { "content/en", "es", "content/es" },
        { "content/en/", "es", "content/es" },
        { "content/en//", "vi", "content/vi" },
        { "en", "es", "es" },
        { "./en", "ko", "./ko" },
        { "/srv/handout/content/en", "es", "/srv/handout/content/es" },
        { "layouts/../content/en", "es", "layouts/../content/es" },
    };
    char name[200];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *got = content_sibling_path(rows[i].dir, rows[i].lang);
        snprintf(name, sizeof name, "siblings: %s and %s give %s", rows[i].dir, rows[i].lang, rows[i].want);
        check(got && strcmp(got, rows[i].want) == 0, name, got);
        free(got);
    }
}
