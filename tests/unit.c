/* Unit tests for the pure modules: units, utf8, ini, content (placeholders), text (wrapping and
 * fitting), qr (encoding and runs), markdown. Each check prints "ok - name" or "FAIL - name";
 * the last line is "N passed, M failed"; the exit status is non-zero on any failure. */
#include "unit.h"
#include "content.h"
#include "diag.h"
#include "ini.h"
#include "markdown.h"
#include "qr.h"
#include "text.h"
#include "units.h"
#include "utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int passed, failed;

void unit_check(const char *file, int line, int ok, const char *name, const char *detail)
{
    if (ok) {
        passed++;
        printf("ok - %s\n", name);
    } else {
        failed++;
        printf("FAIL - %s: %s:%d%s%s\n", name, file, line, detail ? ": " : "", detail ? detail : "");
    }
}

int unit_check_int(const char *file, int line, const char *name, long long got, long long want)
{
    char detail[96];
    snprintf(detail, sizeof detail, "found %lld, expected %lld", got, want);
    unit_check(file, line, got == want, name, detail);
    return got == want;
}

int unit_check_near(const char *file, int line, const char *name, double got, double want, double tol)
{
    char detail[160];
    int ok = fabs(got - want) <= tol; /* false for NaN */
    snprintf(detail, sizeof detail, "found %.6g, expected %.6g (within %.3g)", got, want, tol);
    unit_check(file, line, ok, name, detail);
    return ok;
}

int unit_check_str(const char *file, int line, const char *name, const char *got, const char *want)
{
    int ok = got && want ? strcmp(got, want) == 0 : got == want;
    size_t n = (got ? strlen(got) : 6) + (want ? strlen(want) : 6) + 40;
    char *detail = malloc(n);
    if (detail)
        snprintf(detail, n, "found \"%s\", expected \"%s\"", got ? got : "(null)", want ? want : "(null)");
    unit_check(file, line, ok, name, detail ? detail : "out of memory");
    free(detail);
    return ok;
}

static int near(double a, double b)
{
    return fabs(a - b) < 1e-3;
}

/* ---- units ---- */
/* The suites of other files (tests/unit_*.c), listed in tests/unit.h. */
static void (*const unit_suites[])(void) = { UNIT_SUITES NULL };

static void test_units(void)
{
    static const struct {
        const char *in;
        int ok;
        double pt;
    } lengths[] = {
        { "72pt", 1, 72 },      { "1in", 1, 72 },        { "25.4mm", 1, 72 },   { "2.54cm", 1, 72 },
        { "0.5in", 1, 36 },     { " 10 pt ", 1, 10 },    { "0", 1, 0 },         { "12", 0, 0 },
        { "-1in", 0, 0 },       { "1inch", 0, 0 },       { "1,5mm", 0, 0 },     { "", 0, 0 },
        { "1e3pt", 0, 0 },      { "010mm", 1, 10 * 72 / 25.4 }, { "12mm3", 0, 0 }, { "201in", 0, 0 },
        { ".5in", 1, 36 },      { "mm", 0, 0 },
    };
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        double pt = -1;
        char name[96];
        snprintf(name, sizeof name, "units_length \"%s\" %s", lengths[i].in,
                 lengths[i].ok ? "parses" : "is refused");
        int ok = units_length(lengths[i].in, &pt, NULL);
        check(ok == lengths[i].ok && (!ok || near(pt, lengths[i].pt)), name, NULL);
    }
    const char *why = NULL;
    double pt;
    units_length("12", &pt, &why);
    check(why && strstr(why, "unit"), "units_length says a unit is expected", why);
    units_length("-3mm", &pt, &why);
    check(why && strstr(why, "negative"), "units_length says negative is refused", why);

    double w, h;
    check(units_page_size("letter", &w, &h, NULL) && near(w, 612) && near(h, 792), "page letter", NULL);
    check(units_page_size("A4", &w, &h, NULL) && near(w, 595.276) && near(h, 841.89), "page A4", NULL);
    check(units_page_size("tabloid", &w, &h, NULL) && near(w, 792) && near(h, 1224), "page tabloid", NULL);
    check(units_page_size("8.5in x 11in", &w, &h, NULL) && near(w, 612) && near(h, 792), "page 8.5in x 11in", NULL);
    check(units_page_size("210mm x 297mm", &w, &h, NULL) && near(w, 595.276) && near(h, 841.89), "page 210mm x 297mm", NULL);
    check(!units_page_size("8.5 x 11", &w, &h, NULL), "page without units refused", NULL);
    check(!units_page_size("letterx", &w, &h, NULL), "page unknown name refused", NULL);

    colour c;
    check(units_colour("#1a2b3c", &c, NULL) && c.space == COLOUR_RGB && near(c.c[0], 0x1a / 255.0) &&
              near(c.c[1], 0x2b / 255.0) && near(c.c[2], 0x3c / 255.0),
          "colour #1a2b3c", NULL);
    check(units_colour("#fff", &c, NULL) && near(c.c[0], 1) && near(c.c[2], 1), "colour #fff", NULL);
    check(units_colour("cmyk(0, 100, 50.5, 10)", &c, NULL) && c.space == COLOUR_CMYK && near(c.c[1], 1) &&
              near(c.c[2], 0.505) && near(c.c[3], 0.1),
          "colour cmyk kept as CMYK", NULL);
    check(units_colour("cmyk(0%,10%,20%,30%)", &c, NULL) && near(c.c[3], 0.3), "colour cmyk with %", NULL);
    static const char *const bad_colours[] = { "", "#12345", "#gggggg", "red", "cmyk(0,0,0)",
                                               "cmyk(0,0,0,101)", "cmyk(0,0,0,1", "#1a2b3c4d" };
    for (size_t i = 0; i < sizeof bad_colours / sizeof bad_colours[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "colour \"%s\" refused", bad_colours[i]);
        check(!units_colour(bad_colours[i], &c, NULL), name, NULL);
    }
    double n;
    check(units_number("1.25", &n, NULL) && near(n, 1.25), "number 1.25", NULL);
    check(!units_number("1,25", &n, NULL), "number 1,25 refused (no locale)", NULL);
    long li;
    check(units_int("010", &li, NULL) && li == 10, "int 010 is ten, not octal", NULL);
    check(!units_int("12abc", &li, NULL), "int 12abc refused", NULL);
}

/* ---- utf8 ---- */
static void test_utf8(void)
{
    uint32_t cp;
    check(utf8_decode("\xC3\xA9", 2, &cp) == 2 && cp == 0xE9, "utf8 é", NULL);
    check(utf8_decode("\xE1\xBA\xBF", 3, &cp) == 3 && cp == 0x1EBF, "utf8 ế", NULL);
    check(utf8_decode("\xF0\x9F\x98\x80", 4, &cp) == 4 && cp == 0x1F600, "utf8 emoji", NULL);
    check(utf8_decode("\xC0\xAF", 2, &cp) == 0, "utf8 overlong refused", NULL);
    check(utf8_decode("\xED\xA0\x80", 3, &cp) == 0, "utf8 surrogate refused", NULL);
    check(utf8_decode("\xE1\xBA", 2, &cp) == 0, "utf8 truncated refused", NULL);
    check(utf8_invalid_at("ab\xFF" "c", 4) == 2, "utf8_invalid_at finds the byte", NULL);
    check(utf8_invalid_at("plain", 5) == -1, "utf8_invalid_at valid text", NULL);
}

/* ---- ini ---- */
static char tmpdir[] = "/tmp/handout-unit-XXXXXX";

static const char *write_file(const char *name, const char *text, size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return path;
    fwrite(text, 1, len, f);
    fclose(f);
    return path;
}

static ini_file *load_text(const char *text, diag *d)
{
    return ini_load(write_file("t.ini", text, strlen(text)), d);
}

static void test_ini(void)
{
    diag *d = diag_new(NULL);
    ini_file *f = load_text("[Page]\n; a comment\nSize = letter\n[box]\nfill = \"#1a2b3c\"\n"
                            "url = \"https://example.org/a#frag;x\"\n",
                            d);
    check(f != NULL, "ini loads quoted '#' values", diag_last(d));
    if (f) {
        const char *v = ini_get(f, "page", "size");
        check(v && strcmp(v, "letter") == 0, "ini lower-cases names and skips a comment line", v);
        v = ini_get(f, "box", "fill");
        check(v && strcmp(v, "#1a2b3c") == 0, "ini quoted colour comes through whole", v);
        v = ini_get(f, "box", "url");
        check(v && strcmp(v, "https://example.org/a#frag;x") == 0, "ini quoted URL keeps #fragment", v);
        check(ini_line(f, "box", "url") == 6, "ini keeps the line of a key", NULL);
        check(ini_section_count(f) == 2 && strcmp(ini_section_name(f, 1), "box") == 0,
              "ini keeps sections in file order", NULL);
    }
    ini_free(f);

    static const struct {
        const char *text;
        const char *needle;
        const char *name;
    } bad[] = {
        { "[box]\nfill = #1a2b3c\n", "double quotes", "ini unquoted colour is an error" },
        { "[qr]\npayload = https://x.org/a#b\n", "write payload = \"https://x.org/a#b\"", "ini unquoted fragment is an error with the fix" },
        { "[qr]\npayload = a;b\n", "';'", "ini unquoted ';' is an error" },
        { "\xEF\xBB\xBF[page]\nsize = a4\n", "byte-order mark", "ini BOM is an error" },
        { "[page]\nsize = a4\nsize = letter\n", "first on line 2", "ini duplicate key is an error" },
        { "[page]\n[page]\n", "again", "ini duplicate section is an error" },
        { "size = a4\n", "before the first", "ini key outside a section is an error" },
        { "[page]\nsize a4\n", "key = value", "ini line without '=' is an error" },
        { "[page]\nx = \xFF\n", "UTF-8", "ini invalid UTF-8 is an error" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        diag *dd = diag_new(NULL);
        ini_file *g = load_text(bad[i].text, dd);
        check(!g && strstr(diag_last(dd), bad[i].needle) && strstr(diag_last(dd), "t.ini:"),
              bad[i].name, diag_last(dd));
        ini_free(g);
        diag_free(dd);
    }
    char *longline = malloc(1200);
    strcpy(longline, "[page]\ndescription = ");
    memset(longline + strlen(longline), 'a', 1100);
    strcpy(longline + 1121, "\n");
    diag *dd = diag_new(NULL);
    ini_file *g = load_text(longline, dd);
    check(!g && strstr(diag_last(dd), "t.ini:2:") && strstr(diag_last(dd), "shorter than"),
          "ini over-long line is an error with its line", diag_last(dd));
    ini_free(g);
    diag_free(dd);
    strcpy(longline, "[page]\ndescription = ");
    size_t head = strlen(longline);
    memset(longline + head, 'b', 1022 - (head - 7));
    strcpy(longline + 7 + 1022, "\n");
    dd = diag_new(NULL);
    g = load_text(longline, dd);
    check(g && strlen(ini_get(g, "page", "description")) == 1022 - 14,
          "ini line of 1,022 characters is read whole", diag_last(dd));
    ini_free(g);
    diag_free(dd);
    free(longline);
    diag_free(d);
}

/* ---- content placeholders ---- */
static void test_content(void)
{
    content *c = content_new("/nonexistent");
    content_set(c, "hotline", "1-888-373-7888");
    content_set(c, "label", "Call {hotline}");
    content_set(c, "a", "{b}");
    content_set(c, "b", "{a}");
    diag *d = diag_new(NULL);
    diag_loc loc = { "x.ini", 3, "sec", "text" };
    char *s = content_expand(c, "{label} now", d, loc);
    check(s && strcmp(s, "Call 1-888-373-7888 now") == 0, "placeholders expand, nested", s);
    free(s);
    s = content_expand(c, "{{literal}} {HOTLINE}", d, loc);
    check(s && strcmp(s, "{literal} 1-888-373-7888") == 0, "{{ }} are literal braces; names ignore case", s);
    free(s);
    s = content_expand(c, "{missing}", d, loc);
    check(!s && strstr(diag_last(d), "{missing}") && strstr(diag_last(d), "x.ini:3: [sec] text:"),
          "unknown placeholder is an error with its place", diag_last(d));
    s = content_expand(c, "{a}", d, loc);
    check(!s && strstr(diag_last(d), "cycle"), "placeholder cycle is an error", diag_last(d));
    s = content_expand(c, "a } b", d, loc);
    check(!s && strstr(diag_last(d), "lone '}'"), "lone } is an error", diag_last(d));
    s = content_expand(c, "{bad name}", d, loc);
    check(!s && strstr(diag_last(d), "placeholder"), "malformed placeholder is an error", diag_last(d));
    diag_loc md = { "body.md", 1, NULL, NULL };
    s = content_expand(c, "line one\nline two {nope}", d, md);
    check(!s && strstr(diag_last(d), "body.md:2:"), "placeholder error in a text file names its line", diag_last(d));
    check(content_set_arg(c, "Donate_URL=https://example.org/give", d) &&
              strcmp(content_get(c, "donate_url"), "https://example.org/give") == 0,
          "--set key=value (key lower-cased)", NULL);
    check(!content_set_arg(c, "no-equals", d), "--set without '=' refused", NULL);
    check(!content_set_arg(c, "bad key=v", d), "--set with a bad key refused", NULL);
    diag_free(d);
    content_free(c);
}

/* A hyphenator for tests: breaks "abcdefghij" after its 5th letter only. */
static size_t fake_hyphenate(void *ctx, const char *word, size_t len, size_t *points, size_t max)
{
    (void)ctx;
    if (max > 0 && len == 10 && strncmp(word, "abcdefghij", 10) == 0) {
        points[0] = 5;
        return 1;
    }
    return 0;
}

/* ---- text: a monospace measure, 0.5 em per character ---- */
static double mono(void *ctx, int font, const char *s, size_t len, double size, bool rtl)
{
    (void)ctx;
    (void)font;
    (void)rtl;
    size_t chars = 0;
    for (size_t i = 0; i < len; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    return (double)chars * size * 0.5;
}

static void test_text(void)
{
    /* size 10: 5 pt per character; width 100: 20 characters per line */
    const char *words = "aaaa bbbb cccc dddd eeee ffff";
    text_span sp = { FONT_REGULAR, words, strlen(words), false, NULL };
    text_block b = { &sp, 1, 10, 0, NULL, 0, 0, 0, 0, false, false };
    text_style st = { ALIGN_LEFT, 1.2, 0.8, 1, 0, BREAK_TOTAL_FIT, NULL, NULL, NULL, NULL, DIRECTION_AUTO, 0 };
    text_result r = { 0 };
    check(text_layout(&b, 1, 100, 1, &st, mono, NULL, &r) && r.lines == 2 && near(r.height, 24),
          "wrap: 6 words of 4 in 20 columns give 2 lines of 12 pt", NULL);
    check(r.n == 2 && r.frags[0].len == strlen("aaaa bbbb cccc dddd") && near(r.frags[0].x, 0) &&
              near(r.frags[1].baseline - r.frags[0].baseline, 12),
          "wrap: left lines merge into one fragment each, 12 pt apart", NULL);
    st.align = ALIGN_RIGHT;
    text_layout(&b, 1, 100, 1, &st, mono, NULL, &r);
    check(r.n == 2 && near(r.frags[1].x, 100 - 45), "align right: last line ends at the right edge", NULL);
    st.align = ALIGN_CENTER;
    text_layout(&b, 1, 100, 1, &st, mono, NULL, &r);
    check(r.n == 2 && near(r.frags[1].x, 27.5), "align center", NULL);
    st.align = ALIGN_JUSTIFY;
    text_layout(&b, 1, 100, 1, &st, mono, NULL, &r);
    /* first line: 4 words of 20 pt + 3 gaps stretched to fill 100 pt: gaps 6.667 */
    check(r.n == 5 && near(r.frags[3].x + r.frags[3].width, 100) && near(r.frags[1].x, 20 + 5 + 5.0 / 3) &&
              near(r.frags[4].x, 0) && near(r.frags[4].width, 45),
          "align justify: full lines reach both edges, the last line is not stretched", NULL);
    st.align = ALIGN_LEFT;

    text_span hard[2] = { { FONT_REGULAR, "one", 3, false, NULL }, { FONT_REGULAR, "two", 3, true, NULL } };
    text_block hb = { hard, 2, 10, 0, NULL, 0, 0, 0, 0, false, false };
    text_layout(&hb, 1, 100, 1, &st, mono, NULL, &r);
    check(r.lines == 2, "hard break starts a new line", NULL);

    text_span two[2] = { { FONT_BOLD, "bold", 4, false, NULL }, { FONT_REGULAR, ", plain", 7, false, NULL } };
    text_block tb = { two, 2, 10, 0, NULL, 0, 0, 0, 0, false, false };
    text_layout(&tb, 1, 100, 1, &st, mono, NULL, &r);
    check(r.n == 2 && r.frags[0].font == FONT_BOLD && r.frags[1].font == FONT_REGULAR &&
              near(r.frags[1].x, 20) && r.frags[1].len == 7 && r.lines == 1,
          "a word across two styles stays together; fonts kept per piece", NULL);

    /* a run in another language: its own fragment, carrying its language, never merged with
     * the words around it even in one font and level; a word half in each splits there */
    const char *call = "Call the Línea Nacional now"; /* one buffer, as the typesetter's */
    text_span mixed[3] = { { FONT_REGULAR, call, 9, false, NULL },
                           { FONT_REGULAR, call + 9, 15, false, "es" },
                           { FONT_REGULAR, call + 24, 4, false, NULL } };
    text_block mb = { mixed, 3, 10, 0, NULL, 0, 0, 0, 0, false, false };
    text_layout(&mb, 1, 200, 1, &st, mono, NULL, &r);
    check(r.n == 3 && r.frags[0].lang == NULL && r.frags[0].len == 8 && r.frags[1].lang == mixed[1].lang &&
              r.frags[1].len == 15 && r.frags[2].lang == NULL && r.frags[2].len == 3,
          "a span in another language is a fragment of its own with its language", NULL);
    const char *hl = "Hotline/Línea";
    text_span glued[2] = { { FONT_REGULAR, hl, 8, false, NULL }, { FONT_REGULAR, hl + 8, 6, false, "es" } };
    text_block gb = { glued, 2, 10, 0, NULL, 0, 0, 0, 0, false, false };
    text_layout(&gb, 1, 200, 1, &st, mono, NULL, &r);
    check(r.n == 2 && r.frags[0].lang == NULL && r.frags[1].lang == glued[1].lang && r.lines == 1,
          "a word half in another language: two fragments on one line", NULL);

    text_block paras[2] = { b, b };
    paras[1].space_before = 5;
    paras[0].space_after = 6;
    text_layout(paras, 2, 100, 1, &st, mono, NULL, &r);
    check(near(r.height, 24 + 11 + 24), "paragraph spacing adds space between blocks", NULL);

    text_fit_status fs = text_fit(&b, 1, 100, 20, 10, 10, 10, false, &st, mono, NULL, &r);
    check(fs == TEXT_TOO_TALL && near(r.height - 20, 4), "fit none: overflow reported by its amount", NULL);
    fs = text_fit(&b, 1, 100, 20, 10, 6, 10, true, &st, mono, NULL, &r);
    check(fs == TEXT_FITS && r.height <= 20 && r.scale < 1 && r.scale >= 0.6,
          "fit shrink: a smaller size fits", NULL);
    fs = text_fit(&b, 1, 100, 5, 10, 8, 10, true, &st, mono, NULL, &r);
    check(fs == TEXT_TOO_TALL && near(r.scale, 0.8), "fit shrink: stops at min_size and reports", NULL);
    const char *longword = "abcdefghijklmnopqrstuvwxyz";
    text_span lw = { FONT_REGULAR, longword, strlen(longword), false, NULL };
    text_block lb = { &lw, 1, 10, 0, NULL, 0, 0, 0, 0, false, false };
    fs = text_fit(&lb, 1, 100, 100, 10, 10, 10, false, &st, mono, NULL, &r);
    check(fs == TEXT_TOO_WIDE && near(r.too_wide, 30) && r.wide_len == 26,
          "a word wider than the box is reported, never clipped", NULL);
    text_block item = { &sp, 1, 10, 15, "\xE2\x80\xA2", 0, 0, 0, 0, false, false };
    text_layout(&item, 1, 100, 1, &st, mono, NULL, &r);
    check(r.n >= 2 && r.frags[0].x < 15 && near(r.frags[1].x, 15) && r.lines == 2,
          "list item: marker hangs left of the indented text", NULL);
    /* total fit against greedy (5 pt a character, 20 characters a line): greedy fills the first
     * line and leaves 6 characters of slack on the second (900 pt^2); total fit spreads it (the last
     * word, 25 pt, is a quarter of the line: no widow, which total fit would avoid) */
    const char *para = "aaaaaaaaa bbbbb cccc ddd eeeeeee ff gggggggg hhh iiiiiii jjjjj";
    text_span ps = { FONT_REGULAR, para, strlen(para), false, NULL };
    text_block pb = { &ps, 1, 10, 0, NULL, 0, 0, 0, 0, false, false };
    text_style js = { ALIGN_JUSTIFY, 1.2, 0.8, 1, 0, BREAK_GREEDY, NULL, NULL, NULL, NULL, DIRECTION_AUTO, 0 };
    text_layout(&pb, 1, 100, 1, &js, mono, NULL, &r);
    double greedy = r.badness;
    size_t greedy_lines = r.lines;
    js.breaking = BREAK_TOTAL_FIT;
    text_layout(&pb, 1, 100, 1, &js, mono, NULL, &r);
    char detail[96];
    snprintf(detail, sizeof detail, "greedy %.0f in %zu lines, total fit %.0f in %zu lines", greedy,
             greedy_lines, r.badness, r.lines);
    check(near(greedy, 900) && near(r.badness, 650) && r.lines == greedy_lines,
          "total-fit breaking beats greedy on the squared slack, same number of lines", detail);

    /* hyphenation: "xxxxxxxxxxxx abcdefghij yy" in 20 columns: without it the long word goes
     * whole to line 2; with it "abcde-" ends line 1, which fills it to 19 characters */
    const char *hy = "xxxxxxxxxxxx abcdefghij yy";
    text_span hs = { FONT_REGULAR, hy, strlen(hy), false, NULL };
    text_block hb2 = { &hs, 1, 10, 0, NULL, 0, 0, 0, 0, false, false };
    text_style ls = { ALIGN_LEFT, 1.2, 0.8, 1, 0, BREAK_GREEDY, fake_hyphenate, NULL, NULL, NULL, DIRECTION_AUTO, 0 };
    text_layout(&hb2, 1, 100, 1, &ls, mono, NULL, &r);
    check(r.lines == 2 && r.n == 3 && r.frags[0].len == strlen("xxxxxxxxxxxx abcde") &&
              r.frags[1].len == 1 && r.frags[1].s[0] == '-' && near(r.frags[1].x, 90) &&
              strncmp(r.frags[2].s, "fghij", 5) == 0 && near(r.frags[2].x, 0),
          "hyphenation: a word splits at its point, the hyphen ends the line", NULL);
    /* the same word in a span of another language: not split by the block's patterns */
    text_span hyl[3] = { { FONT_REGULAR, hy, 13, false, NULL },
                        { FONT_REGULAR, hy + 13, 10, false, "es" },
                        { FONT_REGULAR, hy + 23, 3, false, NULL } };
    text_block hb3 = { hyl, 3, 10, 0, NULL, 0, 0, 0, 0, false, false };
    text_layout(&hb3, 1, 100, 1, &ls, mono, NULL, &r);
    check(r.lines == 2 && r.n >= 2 && r.frags[0].len == 12 && r.frags[1].len == 10 && r.frags[1].lang == hyl[1].lang,
          "hyphenation: a word of another language moves whole", NULL);
    ls.hyphenate = NULL;
    text_layout(&hb2, 1, 100, 1, &ls, mono, NULL, &r);
    check(r.lines == 2 && r.frags[0].len == 12, "hyphenation off: the word moves whole", NULL);

    /* columns: 6 one-line paragraphs in 2 columns balance 3 and 3; a heading is never last */
    text_span one = { FONT_REGULAR, "word", 4, false, NULL };
    text_block six[6];
    for (int i = 0; i < 6; i++)
        six[i] = (text_block){ &one, 1, 10, 0, NULL, 0, 0, 0, 0, false, false };
    text_style cs = { ALIGN_LEFT, 1.2, 0.8, 2, 10, BREAK_TOTAL_FIT, NULL, NULL, NULL, NULL, DIRECTION_AUTO, 0 };
    text_layout(six, 6, 210, 1, &cs, mono, NULL, &r);
    check(r.nline == 6 && r.line[2].column == 0 && r.line[3].column == 1 && near(r.height, 36) &&
              near(r.frags[3].x, 110) && near(r.frags[3].baseline, r.frags[0].baseline),
          "columns: six lines balance three and three, the second column moved over and up", NULL);
    /* right to left, the first column is the right one (100 pt wide, 10 apart; each "word" a
     * line at its column's left, align = left) */
    cs.direction = DIRECTION_RTL;
    text_layout(six, 6, 210, 1, &cs, mono, NULL, &r);
    check(r.nline == 6 && r.line[0].column == 0 && r.line[3].column == 1 && near(r.frags[0].x, 110) &&
              near(r.frags[2].x, 110) && near(r.frags[3].x, 0) && near(r.frags[5].x, 0),
          "columns: right to left, the first three lines fill the right column, the next three the left", NULL);
    cs.direction = DIRECTION_AUTO;
    six[2].heading = true;
    text_layout(six, 6, 210, 1, &cs, mono, NULL, &r);
    check(r.line[2].column == r.line[3].column, "columns: a heading keeps the line after it", NULL);
    text_result_free(&r);
}

/* ---- qr ---- */
static void test_qr(void)
{
    qr_code q = { 0 };
    check(qr_encode("tel:+18883737888", 'M', &q) == QR_OK && q.version == 1 && q.width == 21,
          "qr tel: payload is version 1, 21 modules", NULL);
    qr_run *runs = NULL;
    size_t n = qr_runs(&q, &runs);
    size_t dark = 0, covered = 0;
    for (int i = 0; i < q.width * q.width; i++)
        dark += q.dark[i];
    int exact = 1;
    for (size_t i = 0; i < n; i++) {
        covered += (size_t)runs[i].len;
        for (int k = 0; k < runs[i].len; k++)
            exact &= q.dark[runs[i].y * q.width + runs[i].x + k];
        /* maximal: the modules either side are light */
        if (runs[i].x > 0)
            exact &= !q.dark[runs[i].y * q.width + runs[i].x - 1];
        if (runs[i].x + runs[i].len < q.width)
            exact &= !q.dark[runs[i].y * q.width + runs[i].x + runs[i].len];
    }
    check(exact && covered == dark && n < dark, "qr runs cover exactly the dark modules, merged", NULL);
    /* finder pattern: the top-left 7x7 has a dark ring */
    check(q.dark[0] && q.dark[6] && q.dark[6 * 21] && !q.dark[1 * 21 + 1] && q.dark[3 * 21 + 3],
          "qr finder pattern in the corner", NULL);
    free(runs);
    qr_code_free(&q);
    qr_code a = { 0 }, b2 = { 0 };
    qr_encode("https://example.org/Give?x=AbC", 'M', &a);
    qr_encode("HTTPS://EXAMPLE.ORG/GIVE?X=ABC", 'M', &b2);
    check(a.dark && b2.dark &&
              (a.width != b2.width || memcmp(a.dark, b2.dark, (size_t)(a.width * a.width)) != 0),
          "qr keeps case (mixed case differs from upper case)", NULL);
    qr_code_free(&a);
    qr_code_free(&b2);
    char *big = malloc(3001);
    memset(big, 'a', 3000);
    big[3000] = '\0';
    check(qr_encode(big, 'L', &q) == QR_TOO_LONG, "qr 3000 bytes is too long for any version", NULL);
    big[2900] = '\0';
    check(qr_encode(big, 'L', &q) == QR_OK && q.version == 40, "qr 2900 bytes fits version 40 at L", NULL);
    qr_code_free(&q);
    free(big);
    check(qr_encode("", 'M', &q) == QR_BAD_INPUT, "qr empty payload refused", NULL);
}

/* ---- markdown ---- */
static void test_markdown(void)
{
    const char *md = "# Title\n\nSome *italic* and **bold** text\nover two lines.\n\n"
                     "- one\n- two\n  1. nested\n\n## Sub\n";
    md_doc doc;
    diag *d = diag_new(NULL);
    int ok = markdown_parse(md, strlen(md), "t.md", &doc, d);
    check(ok && doc.n == 6, "markdown: heading, paragraph, 3 items, heading", NULL);
    if (ok && doc.n == 6) {
        check(doc.blocks[0].kind == MD_HEADING && doc.blocks[0].level == 1 &&
                  strcmp(doc.blocks[0].spans[0].s, "Title") == 0,
              "markdown heading level 1", NULL);
        md_block *p = &doc.blocks[1];
        check(p->nspans == 5 && p->spans[1].style == MD_ITALIC && p->spans[3].style == MD_BOLD &&
                  strcmp(p->spans[4].s, " text over two lines.") == 0,
              "markdown emphasis and soft break as a space", NULL);
        check(doc.blocks[2].kind == MD_ITEM && strcmp(doc.blocks[2].marker, "\xE2\x80\xA2") == 0 &&
                  doc.blocks[4].level == 2 && strcmp(doc.blocks[4].marker, "1.") == 0,
              "markdown bullet and nested numbered items", NULL);
        check(doc.blocks[5].kind == MD_HEADING && doc.blocks[5].level == 2, "markdown heading level 2", NULL);
        markdown_free(&doc);
    }
    const char *quote = "Fine.\n\n> quoted\n";
    ok = markdown_parse(quote, strlen(quote), "t.md", &doc, d);
    check(!ok && strstr(diag_last(d), "t.md:3:") && strstr(diag_last(d), "block quote"),
          "markdown block quote is an error with its line", diag_last(d));
    const char *table = "```\ncode\n```\n";
    ok = markdown_parse(table, strlen(table), "t.md", &doc, d);
    check(!ok && strstr(diag_last(d), "code block"), "markdown code block is an error", diag_last(d));
    diag_free(d);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_units();
    test_utf8();
    test_ini();
    test_content();
    test_text();
    test_qr();
    test_markdown();
    for (size_t i = 0; unit_suites[i]; i++)
        unit_suites[i]();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
