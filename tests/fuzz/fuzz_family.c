/* libFuzzer target: {field@lang} across content sets. One input is two content.ini files and a
 * text, separated by lines that hold only "%%": they become content/en/content.ini and
 * content/es/content.ini in a temporary project (a part left out gets a small default), en is
 * loaded as a build loads it, and the text and every field of both sets are expanded as layouts
 * expand them, so that placeholders naming each other's fields, in cycles or chains, are tried
 * through both sets and the sets they load (content/vi, content/xx: absent, an error). */
#include "content.h"
#include "diag.h"
#include "fuzz_parts.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char DEFAULT_EN[] = "[content]\ntitle = {title@es} / Help\nlanguage = en\n";
static const char DEFAULT_ES[] = "[content]\ntitle = Ayuda {hotline@en}\nlanguage = es\n";
static const char DEFAULT_TEXT[] = "{title} {title@es} {language@en}";

static char en_dir[256];

typedef struct each_ctx {
    content *c;
    diag *d;
} each_ctx;

static void expand_field(void *ctx, const char *key, int line)
{
    each_ctx *e = ctx;
    const char *v = content_get(e->c, key);
    diag_loc loc = { content_ini_path(e->c), line, "content", key };
    char *out = v ? content_expand(e->c, v, e->d, loc) : NULL;
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char en_ini[256], es_ini[256];
    if (!fuzz_tmp_path("family", "content/en/content.ini", en_ini, sizeof en_ini) ||
        !fuzz_tmp_path("family", "content/es/content.ini", es_ini, sizeof es_ini))
        return 0;
    if (!en_dir[0]) {
        snprintf(en_dir, sizeof en_dir, "%s/content/en", fuzz_tmp_dir("family"));
    }
    const char *p = (const char *)data, *end = p + size, *part[3] = { NULL, NULL, NULL };
    size_t len[3] = { 0, 0, 0 };
    for (int i = 0; i < 3 && next_part(&p, end, &part[i], &len[i]); i++)
        ;
    write_file(en_ini, part[0] ? part[0] : DEFAULT_EN, part[0] ? len[0] : strlen(DEFAULT_EN));
    write_file(es_ini, part[1] ? part[1] : DEFAULT_ES, part[1] ? len[1] : strlen(DEFAULT_ES));
    char *text = part[2] ? strndup(part[2], len[2]) : strdup(DEFAULT_TEXT);

    diag *d = diag_new(NULL);
    content *c = content_load(en_dir, d);
    if (c && text) {
        diag_loc loc = { "fuzz", 1, "text", "text" };
        int before = diag_errors(d);
        char *out = content_expand(c, text, d, loc);
        if (!out && diag_errors(d) == before)
            abort(); /* a failed expansion always says why */
        free(out);
        each_ctx e = { c, d };
        content_each_unused(c, expand_field, &e); /* every field of en not yet used */
        content *es = content_for_file(c, "../es/x", d);
        if (es) {
            e.c = es;
            content_each_unused(es, expand_field, &e);
        }
    }
    free(text);
    content_free(c);
    diag_free(d);
    fuzz_tmp_clean();
    return 0;
}
