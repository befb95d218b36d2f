/* shape-sample: a test program for the text layer of issue 12 (src/shape.c, src/fontembed.c),
 * not part of handout. Built by `make` as build/shape-sample; tests/shape.sh runs it.
 *
 *   shape-sample OUT.pdf          one Letter page, one line in each script of SAMPLE_LINES (the
 *                                 fonts of tests/shape_fonts.h), shaped and embedded by the new
 *                                 modules; the document's dates come from SOURCE_DATE_EPOCH
 *                                 when it is set
 *   shape-sample --lines          the lines, one a line: script, font, face index, text
 *   shape-sample --bench RUNS FILE...
 *                                 the text of the files (about the English flyer's) set in
 *                                 lines of at most 80 characters, drawn RUNS times each way,
 *                                 today's (pdf_text, libharu's UTF-8 font) and the new one
 *                                 (shape_text and fontembed_show); prints the median times
 *
 * Exit status 0, or 1 with a message on stderr. */
#include "fontembed.h"
#include "pdf.h"
#include "shape.h"
#include "shape_fonts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* One line a script: the hotline's name or the phrase "human trafficking" in the language, as
 * the campaigns' translations write it, chosen to contain the forms each script needs: kerning
 * (Latin), joining forms and the lam-alef ligature (Arabic), a conjunct and a reordered i-matra
 * (Devanagari), marks above and below (Thai), a subscript consonant and a pre-base vowel
 * (Khmer), medials and stacked vowels (Myanmar), ideographs and Hangul from two faces of one
 * .ttc collection (CJK). */
static const struct sample_line {
    const char *script, *lang, *font;
    int index;
    const char *text;
    shape_dir dir;
} SAMPLE_LINES[] = {
    { "Latn", "en", FONT_LIBERATION, 0, "You are not alone. Text HELP to 233733, AVAILABLE 24/7.", SHAPE_LTR },
    { "Arab", "ar", FONT_ARABIC, 0, "الخط الساخن الوطني لمكافحة الاتجار بالبشر", SHAPE_RTL },
    { "Deva", "hi", FONT_DEVANAGARI, 0, "मानव तस्करी हॉटलाइन: मदद के लिए कॉल करें", SHAPE_LTR },
    { "Thai", "th", FONT_THAI, 0, "สายด่วนต่อต้านการค้ามนุษย์", SHAPE_LTR },
    { "Khmr", "km", FONT_KHMER, 0, "លេខទូរស័ព្ទ ការជួញដូរមនុស្ស", SHAPE_LTR },
    { "Mymr", "my", FONT_MYANMAR, 0, "လူကုန်ကူးမှု တိုက်ဖျက်ရေး", SHAPE_LTR },
    { "Hani", "zh-Hans", FONT_CJK, CJK_SC, "全国人口贩卖热线", SHAPE_LTR },
    { "Hang", "ko", FONT_CJK, CJK_KR, "인신매매 신고 핫라인", SHAPE_LTR },
};
enum { NLINES = sizeof SAMPLE_LINES / sizeof SAMPLE_LINES[0] };

static int die(const char *what, const char *why)
{
    fprintf(stderr, "shape-sample: %s: %s\n", what, why);
    return 1;
}

static int write_sample(const char *out)
{
    pdf_doc *p = pdf_new();
    shape *s = shape_new();
    fontembed *e = p ? fontembed_new(p) : NULL;
    shape_run run = { 0 };
    char why[512];
    int rc = 1;
    if (!p || !s || !e) {
        rc = die("start", "out of memory");
        goto done;
    }
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    pdf_set_info(p, "Text layer sample", "handout shape-sample", epoch ? strtoll(epoch, NULL, 10) : -1);
    if (!pdf_page_add(p, 612, 792)) {
        rc = die("page", pdf_error(p));
        goto done;
    }
    for (int i = 0; i < NLINES; i++) {
        const struct sample_line *l = &SAMPLE_LINES[i];
        const shape_face *sf = shape_face_get(s, l->font, l->index, why, sizeof why);
        fontembed_face *ef = sf ? fontembed_face_get(e, l->font, l->index, why, sizeof why) : NULL;
        size_t len = strlen(l->text);
        double size = 20;
        if (!ef || !shape_text(s, sf, l->text, len, size, l->script, l->dir, l->lang, &run, why, sizeof why)) {
            rc = die(l->font, why);
            goto done;
        }
        double y = 72 + i * 60.0;
        double x = l->dir == SHAPE_RTL ? 576 - run.width : 36;
        colour c = { COLOUR_RGB, { 0.1, 0.1, 0.35, 0 } };
        if (!fontembed_show(e, ef, size, x, y, 0, &c, &run, l->text, len, l->dir, why, sizeof why)) {
            rc = die(l->font, why);
            goto done;
        }
    }
    if (!fontembed_finish(e, why, sizeof why)) {
        rc = die("fonts", why);
        goto done;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", out, (long)getpid());
    if (!pdf_save(p, tmp, why, sizeof why) || rename(tmp, out) != 0) {
        unlink(tmp);
        rc = die(out, why);
        goto done;
    }
    rc = 0;
done:
    shape_run_free(&run);
    fontembed_free(e);
    shape_free(s);
    pdf_free(p);
    return rc;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Lines of at most 80 bytes, broken at spaces; the text is changed in place (newlines and
 * breaks become NULs). */
static size_t split_lines(char *text, char **lines, size_t max)
{
    size_t n = 0;
    for (char *c = text; *c; c++)
        if (*c == '\n' || *c == '\r' || *c == '\t')
            *c = ' ';
    char *p = text;
    while (*p && n < max) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t len = strlen(p);
        size_t cut = len;
        if (len > 80) {
            cut = 80;
            while (cut > 0 && p[cut] != ' ')
                cut--;
            if (cut == 0)
                cut = 80;
        }
        lines[n++] = p;
        if (p[cut]) {
            p[cut] = '\0';
            p += cut + 1;
        } else
            p += cut;
    }
    return n;
}

static int bench(int runs, int nfiles, char **files)
{
    size_t cap = 1, len = 0;
    char *text = malloc(cap);
    for (int i = 0; i < nfiles && text; i++) {
        FILE *f = fopen(files[i], "rb");
        if (!f)
            return die(files[i], "cannot read");
        int ch;
        while ((ch = fgetc(f)) != EOF) {
            if (len + 2 > cap) {
                char *t = realloc(text, cap *= 2);
                if (!t)
                    break;
                text = t;
            }
            text[len++] = (char)ch;
        }
        text[len++] = ' ';
        fclose(f);
    }
    if (!text)
        return die("bench", "out of memory");
    text[len] = '\0';
    size_t chars = 0;
    for (size_t i = 0; i < len; i++)
        chars += ((unsigned char)text[i] & 0xC0) != 0x80;
    char *lines[400];
    size_t nlines = split_lines(text, lines, 400);
    const char *file = FONT_LIBERATION;
    int index = 0;
    double *t_old_draw = calloc((size_t)runs, sizeof(double)), *t_old_all = calloc((size_t)runs, sizeof(double));
    double *t_new_draw = calloc((size_t)runs, sizeof(double)), *t_new_all = calloc((size_t)runs, sizeof(double));
    long size_old = 0, size_new = 0;
    char why[512], path[256];
    colour black = { COLOUR_RGB, { 0, 0, 0, 0 } };
    int rc = 0;
    for (int r = 0; r < runs && rc == 0; r++) {
        /* today's path: libharu's UTF-8 TrueType font, one glyph per character */
        double t0 = now();
        pdf_doc *p = pdf_new();
        pdf_page_add(p, 612, 792);
        pdf_font *pf = pdf_font_load(p, file, index);
        for (size_t i = 0; i < nlines && pf; i++)
            pdf_text(p, pf, 10, 36, 36 + 12.0 * (double)(i % 60), 0, lines[i], strlen(lines[i]), &black);
        double t1 = now();
        snprintf(path, sizeof path, "/tmp/shape-bench-old-%ld-%d.pdf", (long)getpid(), r);
        if (!pf || !pdf_save(p, path, why, sizeof why))
            rc = die("bench (libharu)", pf ? why : pdf_error(p));
        double t2 = now();
        pdf_free(p);
        FILE *f = fopen(path, "rb");
        if (f) {
            fseek(f, 0, SEEK_END);
            size_old = ftell(f);
            fclose(f);
        }
        unlink(path);
        t_old_draw[r] = t1 - t0;
        t_old_all[r] = t2 - t0;

        /* the new path: HarfBuzz shapes, fontembed draws and embeds */
        t0 = now();
        p = pdf_new();
        pdf_page_add(p, 612, 792);
        shape *s = shape_new();
        fontembed *e = fontembed_new(p);
        const shape_face *sf = shape_face_get(s, file, index, why, sizeof why);
        fontembed_face *ef = sf ? fontembed_face_get(e, file, index, why, sizeof why) : NULL;
        shape_run run = { 0 };
        for (size_t i = 0; i < nlines && ef && rc == 0; i++) {
            size_t n = strlen(lines[i]);
            if (!shape_text(s, sf, lines[i], n, 10, "Latn", SHAPE_LTR, "en", &run, why, sizeof why) ||
                !fontembed_show(e, ef, 10, 36, 36 + 12.0 * (double)(i % 60), 0, &black, &run, lines[i], n,
                                SHAPE_LTR, why, sizeof why))
                rc = die("bench (new)", why);
        }
        if (!ef)
            rc = die("bench (new)", why);
        bool fin = rc == 0 && fontembed_finish(e, why, sizeof why);
        t1 = now();
        snprintf(path, sizeof path, "/tmp/shape-bench-new-%ld-%d.pdf", (long)getpid(), r);
        if (rc == 0 && (!fin || !pdf_save(p, path, why, sizeof why)))
            rc = die("bench (new)", why);
        t2 = now();
        shape_run_free(&run);
        fontembed_free(e);
        shape_free(s);
        pdf_free(p);
        f = fopen(path, "rb");
        if (f) {
            fseek(f, 0, SEEK_END);
            size_new = ftell(f);
            fclose(f);
        }
        unlink(path);
        t_new_draw[r] = t1 - t0;
        t_new_all[r] = t2 - t0;
    }
    if (rc == 0) {
        printf("text: %zu characters in %zu lines, Liberation Sans 10 pt, %d runs each, medians:\n", chars, nlines,
               runs);
        printf("libharu  (pdf_text):            draw %.2f ms, draw + save %.2f ms, %ld bytes\n",
               1e3 * median(t_old_draw, runs), 1e3 * median(t_old_all, runs), size_old);
        printf("new (shape_text + fontembed):   draw %.2f ms, draw + save %.2f ms, %ld bytes\n",
               1e3 * median(t_new_draw, runs), 1e3 * median(t_new_all, runs), size_new);
        printf("(new: draw includes loading the face, shaping, and making the subset in fontembed_finish)\n");
    }
    free(t_old_draw);
    free(t_old_all);
    free(t_new_draw);
    free(t_new_all);
    free(text);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--lines") == 0) {
        for (int i = 0; i < NLINES; i++)
            printf("%s\t%s\t%d\t%s\n", SAMPLE_LINES[i].script, SAMPLE_LINES[i].font, SAMPLE_LINES[i].index,
                   SAMPLE_LINES[i].text);
        return 0;
    }
    if (argc >= 4 && strcmp(argv[1], "--bench") == 0) {
        int runs = atoi(argv[2]);
        return bench(runs > 0 ? runs : 1, argc - 3, argv + 3);
    }
    if (argc == 2 && argv[1][0] != '-')
        return write_sample(argv[1]);
    fprintf(stderr, "usage: shape-sample OUT.pdf | --lines | --bench RUNS FILE...\n");
    return 2;
}
