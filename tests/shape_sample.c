/* shape-sample: a test program for the text layer of issue 12 (src/shape.c, src/fontembed.c),
 * not part of handout. Built by `make` as build/shape-sample; tests/shape.sh runs it.
 *
 *   shape-sample OUT.pdf [SCRIPT[=TEXT]]...
 *                                 one Letter page, one line in each script of SAMPLE_LINES (the
 *                                 fonts of tests/shape_fonts.h), shaped and embedded by the new
 *                                 modules; the document's dates come from SOURCE_DATE_EPOCH
 *                                 when it is set. With SCRIPTs ("Latn", "Hani"...), only their
 *                                 lines, each with TEXT instead of its own when one is given
 *   shape-sample --lines          the lines, one a line: script, font, face index, text
 *   shape-sample --bench RUNS FILE...
 *                                 the text of the files (about the English flyer's) set in
 *                                 lines of at most 80 characters, drawn RUNS times each way,
 *                                 through pdf.h (pdf_text: words shaped once and cached) and
 *                                 straight through shape_text and fontembed_show (each line
 *                                 shaped every time); prints the median times
 *
 * Exit status 0, or 1 with a message on stderr. */
#include "fontembed.h"
#include "pdf.h"
#include "shape.h"
#include "shape_fonts.h"

#include <stdbool.h>
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

static int write_sample(const char *out, int nonly, char **only)
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
        const char *text = l->text;
        bool wanted = nonly == 0;
        for (int k = 0; k < nonly; k++)
            if (strncmp(only[k], l->script, 4) == 0 && (only[k][4] == '\0' || only[k][4] == '=')) {
                wanted = true;
                if (only[k][4] == '=')
                    text = only[k] + 5;
            }
        if (!wanted)
            continue;
        const shape_face *sf = shape_face_get(s, l->font, l->index, why, sizeof why);
        fontembed_face *ef = sf ? fontembed_face_get(e, sf, why, sizeof why) : NULL;
        size_t len = strlen(text);
        double size = getenv("SHAPE_SAMPLE_SIZE") ? atof(getenv("SHAPE_SAMPLE_SIZE")) : 20;
        if (!ef || !shape_text(s, sf, text, len, size, l->script, l->dir, l->lang, &run, why, sizeof why)) {
            rc = die(l->font, why);
            goto done;
        }
        double y = 72 + i * 60.0;
        double x = l->dir == SHAPE_RTL ? 576 - run.width : 36;
        colour c = { COLOUR_RGB, { 0.1, 0.1, 0.35, 0 } };
        if (!fontembed_show(e, ef, size, x, y, 0, &c, &run, text, len, l->dir, why, sizeof why)) {
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

/* Reads the files into one text, spaces for line ends. */
static char *read_texts(int nfiles, char **files, size_t *chars)
{
    size_t cap = 1024, len = 0;
    char *text = malloc(cap);
    for (int i = 0; i < nfiles && text; i++) {
        FILE *f = fopen(files[i], "rb");
        if (!f) {
            free(text);
            return NULL;
        }
        int ch;
        while ((ch = fgetc(f)) != EOF && text) {
            if (len + 2 > cap) {
                char *t = realloc(text, cap *= 2);
                if (!t)
                    free(text);
                text = t;
            }
            if (text)
                text[len++] = (char)ch;
        }
        if (text)
            text[len++] = ' ';
        fclose(f);
    }
    if (!text)
        return NULL;
    text[len] = '\0';
    *chars = 0;
    for (size_t i = 0; i < len; i++)
        *chars += ((unsigned char)text[i] & 0xC0) != 0x80;
    return text;
}

static long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    long n = -1;
    if (f) {
        fseek(f, 0, SEEK_END);
        n = ftell(f);
        fclose(f);
    }
    return n;
}

enum { PHASE_LOAD, PHASE_DRAW, PHASE_SAVE, PHASES };

/* One document with the lines drawn `times` times, through pdf_text (new_path false) or
 * shape_text and fontembed_show;
 * the time of each phase into t. */
static bool bench_once(bool new_path, char **lines, size_t nlines, int times, double t[PHASES], long *size,
                       int run)
{
    char why[512], path[256];
    colour black = { COLOUR_RGB, { 0, 0, 0, 0 } };
    snprintf(path, sizeof path, "/tmp/shape-bench-%ld-%d-%d.pdf", (long)getpid(), new_path, run);
    unlink(path);
    bool ok = true;
    double t0 = now();
    pdf_doc *p = pdf_new();
    ok = p && pdf_page_add(p, 612, 792);
    if (!new_path) {
        pdf_font *pf = ok ? pdf_font_load(p, FONT_LIBERATION, 0) : NULL;
        double t1 = now();
        for (int k = 0; k < times && pf; k++)
            for (size_t i = 0; i < nlines; i++)
                pdf_text(p, pf, 10, 36, 36 + 12.0 * (double)(i % 60), 0, lines[i], strlen(lines[i]), &black);
        double t2 = now();
        ok = pf && pdf_save(p, path, why, sizeof why);
        double t3 = now();
        t[PHASE_LOAD] = t1 - t0, t[PHASE_DRAW] = t2 - t1, t[PHASE_SAVE] = t3 - t2;
        if (!ok)
            fprintf(stderr, "shape-sample: bench (pdf_text): %s\n", pf ? why : pdf_error(p));
    } else {
        shape *s = shape_new();
        fontembed *e = p ? fontembed_new(p) : NULL;
        const shape_face *sf = ok && s && e ? shape_face_get(s, FONT_LIBERATION, 0, why, sizeof why) : NULL;
        fontembed_face *ef = sf ? fontembed_face_get(e, sf, why, sizeof why) : NULL;
        shape_run run_ = { 0 };
        double t1 = now();
        ok = ef != NULL;
        for (int k = 0; k < times && ok; k++)
            for (size_t i = 0; i < nlines && ok; i++) {
                size_t n = strlen(lines[i]);
                ok = shape_text(s, sf, lines[i], n, 10, "Latn", SHAPE_LTR, "en", &run_, why, sizeof why) &&
                     fontembed_show(e, ef, 10, 36, 36 + 12.0 * (double)(i % 60), 0, &black, &run_, lines[i], n,
                                    SHAPE_LTR, why, sizeof why);
            }
        double t2 = now();
        ok = ok && fontembed_finish(e, why, sizeof why) && pdf_save(p, path, why, sizeof why);
        double t3 = now();
        t[PHASE_LOAD] = t1 - t0, t[PHASE_DRAW] = t2 - t1, t[PHASE_SAVE] = t3 - t2;
        if (!ok)
            fprintf(stderr, "shape-sample: bench (new): %s\n", why);
        shape_run_free(&run_);
        fontembed_free(e);
        shape_free(s);
    }
    pdf_free(p);
    *size = file_size(path);
    unlink(path);
    return ok;
}

static int bench(int runs, int nfiles, char **files)
{
    size_t chars = 0;
    char *text = read_texts(nfiles, files, &chars);
    if (!text)
        return die("bench", "cannot read the text files");
    char *lines[400];
    size_t nlines = split_lines(text, lines, 400);
    static const int TIMES[] = { 1, 10 };
    for (size_t m = 0; m < sizeof TIMES / sizeof TIMES[0]; m++) {
        double *v[2][PHASES + 1];
        for (int w = 0; w < 2; w++)
            for (int ph = 0; ph <= PHASES; ph++)
                v[w][ph] = calloc((size_t)runs, sizeof(double));
        long size[2] = { 0, 0 };
        for (int r = 0; r < runs; r++)
            for (int w = 0; w < 2; w++) {
                double t[PHASES];
                if (!bench_once(w == 1, lines, nlines, TIMES[m], t, &size[w], r)) {
                    free(text);
                    return 1;
                }
                v[w][PHASES][r] = 0;
                for (int ph = 0; ph < PHASES; ph++) {
                    v[w][ph][r] = t[ph];
                    v[w][PHASES][r] += t[ph];
                }
            }
        printf("%zu characters (%zu lines of the files x %d), Liberation Sans 10 pt, median of %d runs, ms:\n",
               chars * (size_t)TIMES[m], nlines, TIMES[m], runs);
        static const char *const WAY[] = { "pdf_text, cached    ", "shape_text+fontembed" };
        for (int w = 0; w < 2; w++) {
            printf("  %s  load %6.2f  draw %6.2f  finish+save %6.2f  total %6.2f  (%ld bytes)\n", WAY[w],
                   1e3 * median(v[w][PHASE_LOAD], runs), 1e3 * median(v[w][PHASE_DRAW], runs),
                   1e3 * median(v[w][PHASE_SAVE], runs), 1e3 * median(v[w][PHASES], runs), size[w]);
            for (int ph = 0; ph <= PHASES; ph++)
                free(v[w][ph]);
        }
    }
    /* measuring, as the line breaker and text_fit do: every word's width, 20 times over */
    double *mv[2] = { calloc((size_t)runs, sizeof(double)), calloc((size_t)runs, sizeof(double)) };
    size_t nwords = 0;
    double sink = 0;
    pdf_doc *p = pdf_new();
    pdf_font *pf = p ? pdf_font_load(p, FONT_LIBERATION, 0) : NULL;
    shape *s = shape_new();
    char why[300];
    const shape_face *sf = s ? shape_face_get(s, FONT_LIBERATION, 0, why, sizeof why) : NULL;
    shape_run run = { 0 };
    for (int r = 0; r < runs && pf && sf && mv[0] && mv[1]; r++)
        for (int w = 0; w < 2; w++) {
            double t0 = now();
            nwords = 0;
            for (int rep = 0; rep < 20; rep++)
                for (size_t i = 0; i < nlines; i++)
                    for (const char *a = lines[i]; *a;) {
                        const char *b = strchr(a, ' ');
                        size_t n = b ? (size_t)(b - a) : strlen(a);
                        if (w == 0)
                            sink += pdf_text_width(pf, a, n, 10);
                        else if (shape_text(s, sf, a, n, 10, "Latn", SHAPE_LTR, "en", &run, why, sizeof why))
                            sink += run.width;
                        nwords++;
                        a += n + (b != NULL);
                    }
            mv[w][r] = now() - t0;
        }
    if (pf && sf && mv[0] && mv[1])
        printf("measuring %zu words (the text's words, 20 times): pdf_text_width (cached words) %.2f ms, shape_text %.2f ms%s\n",
               nwords, 1e3 * median(mv[0], runs), 1e3 * median(mv[1], runs), sink < 0 ? "" : "");
    shape_run_free(&run);
    shape_free(s);
    pdf_free(p);
    free(mv[0]);
    free(mv[1]);
    printf("(load: the font; draw: the word cache's look-ups, or HarfBuzz's shaping, and the content;\n"
           " finish+save: the subset (hb-subset in fontembed_finish) and the file)\n");
    free(text);
    return 0;
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
    if (argc >= 2 && argv[1][0] != '-')
        return write_sample(argv[1], argc - 2, argv + 2);
    fprintf(stderr, "usage: shape-sample OUT.pdf [SCRIPT[=TEXT]]... | --lines | --bench RUNS FILE...\n");
    return 2;
}
