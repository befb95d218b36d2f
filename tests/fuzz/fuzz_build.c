/* libFuzzer target: the whole build. One input is a layout, a content.ini and a Markdown file,
 * separated by lines that hold only "%%" (a part left out gets a small default). They are written
 * into a temporary project folder (layouts/fuzz.ini, content/en/content.ini, content/en/body.md)
 * and built as `handout build` builds one item on plain pages: content_load, layout_load, then
 * render_new and render_part (one item) with the checks, the text fitting, the QR codes and the drawing into libharu's
 * document in memory (a dry run: the PDF is drawn but not saved, which keeps each run fast).
 * fontconfig is read once, for the whole run, before the first input. */
#include "content.h"
#include "diag.h"
#include "fonts.h"
#include "layout.h"
#include "render.h"
#include "fuzz_parts.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char DEFAULT_CONTENT[] = "[content]\ntitle = Fuzz title\nlanguage = en\n"
                                      "donate_url = https://example.org/donate\nhotline = 1-888-373-7888\n";
static const char DEFAULT_MARKDOWN[] = "# Heading\n\nA paragraph with **bold** and *italic* words.\n\n- one\n- two\n";

static char layout_path[256], content_path[256], markdown_path[256], out_path[256], set_dir[256];
static fonts *shared_fonts;

/* At exit, before LeakSanitizer looks (handlers run last registered first). */
static void free_fonts(void)
{
    fonts_free(shared_fonts);
    shared_fonts = NULL;
}

/* The run's folder and its fonts, made before the first input: fontconfig holds the patterns of
 * its configuration by offset, which LeakSanitizer cannot follow, so its load inside an input
 * would be taken for a leak of that input (tests/valgrind.supp says the same of valgrind). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = fuzz_tmp_dir("build");
    if (dir) {
        snprintf(set_dir, sizeof set_dir, "%s/content/en", dir);
        snprintf(out_path, sizeof out_path, "%s/out.pdf", dir);
        shared_fonts = fonts_new(dir);
        atexit(free_fonts);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the input's files, their folders made again after the last input's clean-up */
    if (!shared_fonts || !fuzz_tmp_path("build", "layouts/fuzz.ini", layout_path, sizeof layout_path) ||
        !fuzz_tmp_path("build", "content/en/content.ini", content_path, sizeof content_path) ||
        !fuzz_tmp_path("build", "content/en/body.md", markdown_path, sizeof markdown_path))
        return 0;
    const char *p = (const char *)data, *end = p + size, *part[3] = { NULL, NULL, NULL };
    size_t len[3] = { 0, 0, 0 };
    for (int i = 0; i < 3 && next_part(&p, end, &part[i], &len[i]); i++)
        ;
    write_file(layout_path, part[0] ? part[0] : "", part[0] ? len[0] : 0);
    write_file(content_path, part[1] ? part[1] : DEFAULT_CONTENT, part[1] ? len[1] : strlen(DEFAULT_CONTENT));
    write_file(markdown_path, part[2] ? part[2] : DEFAULT_MARKDOWN, part[2] ? len[2] : strlen(DEFAULT_MARKDOWN));

    diag *d = diag_new(NULL);
    content *c = content_load(set_dir, d);
    layout *l = c ? layout_load(layout_path, c, d) : NULL;
    if (l && diag_errors(d) == 0) {
        render_opts ro = { 0 };
        ro.output = out_path;
        ro.epoch = -1;
        ro.creator = "handout fuzz";
        ro.mode = OUTPUT_PAGES;
        ro.count = 1;
        ro.jobs = 1;
        ro.dry_run = true;
        int st = EXIT_OK;
        render *r = render_new(l, c, shared_fonts, &ro, d, &st);
        if (r)
            st = render_part(r, 0, 1, 0, out_path, NULL);
        render_free(r);
        if (st != EXIT_OK && diag_errors(d) == 0)
            abort(); /* a failed build always says why */
    }
    layout_free(l);
    content_free(c);
    diag_free(d);
    fuzz_tmp_clean();
    return 0;
}
