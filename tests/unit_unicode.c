/* Unit tests for text drawn wrong without a word (issue 18, class 8): NFC normalisation, the
 * scripts refused by their Unicode properties, combining marks (src/unicode.c), soft hyphens and
 * invisible characters in the line breaker (src/text.c), and Markdown tables (src/markdown.c).
 * Expected values come from the Unicode standard (UAX #15 compositions, Scripts.txt,
 * UnicodeData.txt names) and from a monospace measure of 0.5 em per character. */
#include "unit.h"
#include "diag.h"
#include "markdown.h"
#include "text.h"
#include "unicode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nfc_is(const char *in, const char *want)
{
    char *out = unicode_nfc(in, strlen(in));
    int ok = out && strcmp(out, want) == 0;
    free(out);
    return ok;
}

static double mono5(void *ctx, int font, const char *s, size_t len, double size, bool rtl)
{
    (void)ctx;
    (void)font;
    (void)rtl;
    size_t chars = 0;
    for (size_t i = 0; i < len; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    return (double)chars * size * 0.5;
}

/* Breaks "abcdefghij" after "abcde", as the dictionary would. */
static size_t split_abcde(void *ctx, const char *word, size_t len, size_t *points, size_t max)
{
    (void)ctx;
    if (max > 0 && len == 10 && strncmp(word, "abcdefghij", 10) == 0) {
        points[0] = 5;
        return 1;
    }
    return 0;
}

static int frags_hold(const text_result *r, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i < r->n; i++)
        for (size_t k = 0; k + n <= r->frags[i].len; k++)
            if (memcmp(r->frags[i].s + k, needle, n) == 0)
                return 1;
    return 0;
}

static int within(double a, double b)
{
    return a - b < 1e-3 && b - a < 1e-3;
}

static void test_nfc(void)
{
    check(nfc_is("cafe\xCC\x81", "caf\xC3\xA9"), "nfc: e + U+0301 is U+00E9", NULL);
    check(nfc_is("Vie\xCC\xA3\xCC\x82t", "Vi\xE1\xBB\x87t"),
          "nfc: e + U+0323 + U+0302 is U+1EC7 (Vietnamese)", NULL);
    check(nfc_is("Vie\xCC\x82\xCC\xA3t", "Vi\xE1\xBB\x87t"),
          "nfc: the marks in the other order compose the same (canonical order)", NULL);
    check(nfc_is("\xE1\x84\x80\xE1\x85\xA1", "\xEA\xB0\x80"), "nfc: Hangul jamo U+1100 U+1161 is U+AC00", NULL);
    check(nfc_is("q\xCC\x81", "q\xCC\x81"), "nfc: q + U+0301 stays two characters (no precomposed letter)", NULL);
    check(nfc_is("plain ASCII {field}", "plain ASCII {field}"), "nfc: ASCII is unchanged", NULL);
    check(nfc_is("a\xC2\xAD" "b\xEF\xBB\xBF", "a\xC2\xAD" "b\xEF\xBB\xBF"),
          "nfc: soft hyphen and U+FEFF are left for the line breaker", NULL);
    check(nfc_is("", ""), "nfc: empty text", NULL);
}

static void test_scripts(void)
{
    char buf[96];
    check(unicode_refused_script(0xFEFF, buf, sizeof buf) == NULL,
          "script: U+FEFF (Common, in the Arabic presentation forms block) is not refused", NULL);
    /* issue 12, item 1: Arabic and Hebrew are set right to left; other right-to-left scripts stay
     * refused */
    const char *s = unicode_refused_script(0x0710, buf, sizeof buf);
    check(s && strcmp(s, "Syriac (right-to-left, shaped)") == 0, "script: U+0710 is Syriac (right-to-left, shaped), refused", s);
    s = unicode_refused_script(0x07C1, buf, sizeof buf);
    check(s && strcmp(s, "N'Ko (right-to-left)") == 0, "script: U+07C1 is N'Ko (right-to-left), refused", s);
    const uint32_t rtl_set[] = { 0xFE70, 0x05E9, 0x0645, 0x06CC, 0x0660, 0x200F, 0x2067, 0x202E, 0x061C };
    int rset = 1;
    for (size_t i = 0; i < sizeof rtl_set / sizeof rtl_set[0]; i++)
        rset = rset && unicode_refused_script(rtl_set[i], buf, sizeof buf) == NULL;
    check(rset, "script: Arabic (a presentation form, Farsi yeh, Arabic-Indic zero), Hebrew and the bidi controls are set", NULL);
    check(unicode_shaped_script(0x0645) && unicode_shaped_script(0x05E9) && unicode_bidi_control(0x200F) &&
              unicode_bidi_control(0x2067) && !unicode_bidi_control(0x200D),
          "script: Arabic and Hebrew are shaped; RLM and RLI are bidi controls, ZWJ is not", NULL);
    /* issue 12, step 2: the Indic scripts, written with spaces between words, are shaped and set;
     * step 3 (line breaking by UAX #14) sets the scripts written without spaces (Thai, Khmer,
     * Myanmar, Lao); Tibetan stays refused */
    const uint32_t indic[] = { 0x0928, 0x0995, 0x0A15, 0x0A95, 0x0B15, 0x0B95, 0x0C15, 0x0C95, 0x0D15, 0x0D9A };
    int set = 1;
    for (size_t i = 0; i < sizeof indic / sizeof indic[0]; i++)
        set = set && unicode_refused_script(indic[i], buf, sizeof buf) == NULL && unicode_shaped_script(indic[i]);
    check(set, "script: Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Sinhala are set, shaped", NULL);
    check(!unicode_shaped_script('a') && !unicode_shaped_script(0x0301),
          "script: Latin and the combining acute (Inherited) are not letters of a shaped script that is set", NULL);
    const uint32_t nospace[] = { 0x0E01, 0x0E81, 0x1780, 0x1000 };
    set = 1;
    for (size_t i = 0; i < sizeof nospace / sizeof nospace[0]; i++)
        set = set && unicode_refused_script(nospace[i], buf, sizeof buf) == NULL && unicode_shaped_script(nospace[i]);
    check(set, "script: Thai, Lao, Khmer, Myanmar are set, shaped", NULL);
    s = unicode_refused_script(0x0F40, buf, sizeof buf);
    check(s && strcmp(s, "Tibetan (shaped)") == 0, "script: U+0F40 is Tibetan (shaped), still refused", s);
    char tag[5];
    check(unicode_script_tag("12 \xE0\xA4\xA8", 6, tag) && strcmp(tag, "Deva") == 0,
          "script tag: digits and a space then U+0928 give Deva", tag);
    check(unicode_script_tag("\xC3\xA9t\xC3\xA9", 6, tag) && strcmp(tag, "Latn") == 0, "script tag: \"été\" is Latn", tag);
    check(!unicode_script_tag("1-888", 5, tag) && tag[0] == '\0', "script tag: \"1-888\" has none", tag);
    int settable = 1;
    const uint32_t ok_cps[] = { 'A', 0xE9, 0x1EC7, 0xAC00, 0x00AD, 0x2060, 0x00A0, 0x2022, 0x0401 };
    for (size_t i = 0; i < sizeof ok_cps / sizeof ok_cps[0]; i++)
        settable = settable && unicode_refused_script(ok_cps[i], buf, sizeof buf) == NULL;
    check(settable, "script: Latin, Vietnamese, Hangul, Cyrillic, soft hyphen, NBSP, bullet are settable", NULL);
    check(unicode_is_mark(0x0301) && unicode_is_mark(0x0323) && !unicode_is_mark('e') &&
              !unicode_is_mark(0xFE0F) && !unicode_is_mark(0x00AD),
          "marks: U+0301 and U+0323 are marks; a letter, U+FE0F and U+00AD are not", NULL);
    unicode_name(0x0301, buf, sizeof buf);
    check(strcmp(buf, "combining acute accent") == 0, "names: U+0301 is \"combining acute accent\"", buf);
}

static void test_soft_hyphens(void)
{
    /* size 10: 5 pt per character; width 100: 20 characters per line */
    text_style st = { ALIGN_LEFT, 1.2, 0.8, 1, 0, BREAK_GREEDY, NULL, NULL, NULL, NULL, DIRECTION_AUTO, 0 };
    text_result r = { 0 };
    const char *mid = "ab\xC2\xAD" "cd ef";
    text_span sp = { FONT_REGULAR, mid, strlen(mid), false, NULL };
    text_block b = { &sp, 1, 10, 0, NULL, 0, 0, 0, 0, false, false };
    check(text_layout(&b, 1, 100, 1, &st, mono5, NULL, &r) && r.lines == 1 && !frags_hold(&r, "\xC2\xAD") &&
              !frags_hold(&r, "-") && r.n == 2 && within(r.frags[1].x, 10) && r.frags[1].len == 5,
          "soft hyphen mid-line: no glyph, no hyphen, no width (\"ab\" then \"cd ef\" at 10 pt)", NULL);
    /* "xxxxxxxxxxxx abcde-" is 19 characters: the line breaks at the soft hyphen */
    const char *end = "xxxxxxxxxxxx abcde\xC2\xAD" "fghij yy";
    text_span se = { FONT_REGULAR, end, strlen(end), false, NULL };
    text_block be = { &se, 1, 10, 0, NULL, 0, 0, 0, 0, false, false };
    text_layout(&be, 1, 100, 1, &st, mono5, NULL, &r);
    check(r.lines == 2 && r.n == 3 && r.frags[0].len == strlen("xxxxxxxxxxxx abcde") && r.frags[1].len == 1 &&
              r.frags[1].s[0] == '-' && within(r.frags[1].x, 90) && strncmp(r.frags[2].s, "fghij yy", 8) == 0 &&
              within(r.frags[2].x, 0),
          "soft hyphen at a line end: the line ends with '-', the word goes on below", NULL);
    /* at a word's start, before a space, at the end: no place to break; two in a row: one place;
     * none prints anything */
    const char *odd = "\xC2\xAD" "ab\xC2\xAD cd\xC2\xAD\xC2\xAD" "ef gh\xC2\xAD";
    text_span so = { FONT_REGULAR, odd, strlen(odd), false, NULL };
    text_block bo = { &so, 1, 10, 0, NULL, 0, 0, 0, 0, false, false };
    text_layout(&bo, 1, 100, 1, &st, mono5, NULL, &r);
    check(r.lines == 1 && !frags_hold(&r, "\xC2\xAD") && !frags_hold(&r, "-") &&
              within(r.frags[r.n - 1].x + r.frags[r.n - 1].width, 5 * strlen("ab cdef gh")),
          "soft hyphens at a word's edges or doubled print nothing and take no room", NULL);
    /* a word with a soft hyphen is not hyphenated by the dictionary: "abcdefghij" (which the
     * dictionary would split after "abcde") moves whole to line 2 */
    const char *soft = "xxxxxxxxxxxx abcdefghij\xC2\xAD" "kl yy";
    text_span ss = { FONT_REGULAR, soft, strlen(soft), false, NULL };
    text_block bs = { &ss, 1, 10, 0, NULL, 0, 0, 0, 0, false, false };
    st.hyphenate = split_abcde;
    text_layout(&bs, 1, 100, 1, &st, mono5, NULL, &r);
    check(r.lines == 2 && r.frags[0].len == 12 && strncmp(r.frags[1].s, "abcdefghij", 10) == 0,
          "soft hyphen: a word that has one is broken only there, never by the dictionary", NULL);
    /* one word of 100 pieces, the style changing at every letter: every letter is set (64 pieces
     * were once kept, and the rest measured but never drawn) */
    static char letters[101];
    text_span many[100];
    for (int i = 0; i < 100; i++) {
        letters[i] = (char)('a' + i % 26);
        many[i] = (text_span){ i % 2 ? FONT_BOLD : FONT_REGULAR, letters + i, 1, false, NULL };
    }
    text_block bm = { many, 100, 2, 0, NULL, 0, 0, 0, 0, false, false };
    st.hyphenate = NULL;
    size_t set = 0;
    if (text_layout(&bm, 1, 200, 1, &st, mono5, NULL, &r))
        for (size_t i = 0; i < r.n; i++)
            set += r.frags[i].len;
    check(set == 100 && r.lines == 1, "a word of 100 style changes: all 100 letters are set", NULL);
    text_result_free(&r);

    char drop[] = "a\xEF\xBB\xBF" "b\xE2\x81\xA0" "c\xC2\xAD" "d";
    size_t n = text_drop_invisible(drop, false);
    check(n == 6 && strcmp(drop, "abc\xC2\xAD" "d") == 0, "invisible: U+FEFF and U+2060 dropped, soft hyphen kept", drop);
    n = text_drop_invisible(drop, true);
    check(n == 4 && strcmp(drop, "abcd") == 0, "invisible: the text as read, without soft hyphens", drop);
    check(!text_prints("  \xC2\xAD ", 5) && text_prints(" x", 2) && !text_prints("", 0),
          "text_prints: spaces and soft hyphens print nothing", NULL);
}

/* The places a line may start, as a string of byte offsets ("4 9"), from unicode_line_breaks. */
static const char *breaks_of(unicode_breaker *ub, const char *lang, const char *s, char *out, size_t size)
{
    unsigned char bk[256];
    size_t len = strlen(s), n = 0;
    out[0] = '\0';
    if (len >= sizeof bk || !unicode_line_breaks(ub, lang, s, len, bk))
        return "(failed)";
    for (size_t i = 0; i <= len && n < size; i++)
        if (bk[i])
            n += (size_t)snprintf(out + n, size - n, "%s%zu", n ? " " : "", i);
    return out;
}

/* UAX #14's rules as ICU applies them: the expected offsets are worked out by hand from the
 * standard's classes (and, for Thai, from a segmentation into dictionary words). */
static void test_line_breaks(void)
{
    unicode_breaker *ub = unicode_breaker_new();
    char buf[128];
    const char *b;
    b = breaks_of(ub, "en", "call now", buf, sizeof buf);
    check(strcmp(b, "5 8") == 0, "line breaks: after the space of \"call now\" (LB18) and at the end", b);
    b = breaks_of(ub, "en", "anti-trafficking", buf, sizeof buf);
    check(strcmp(b, "5 16") == 0, "line breaks: after the hyphen of \"anti-trafficking\" (LB21)", b);
    b = breaks_of(ub, "en", "1-888-373-7888 233-733", buf, sizeof buf);
    check(strcmp(b, "15 22") == 0, "line breaks: none inside 1-888-373-7888 or 233-733 (LB25: HY x NU)", b);
    b = breaks_of(ub, "en", "call now !", buf, sizeof buf);
    check(strcmp(b, "5 10") == 0, "line breaks: none before \"!\" after a space (LB13)", b);
    b = breaks_of(ub, "en", "at https://example.org/give-now today", buf, sizeof buf);
    check(strcmp(b, "3 32 37") == 0, "line breaks: none inside a URL (handout's tailoring)", b);
    /* ภาษา|ไทย: four and three letters of three bytes */
    b = breaks_of(ub, "th", "\u0E20\u0E32\u0E29\u0E32\u0E44\u0E17\u0E22", buf, sizeof buf);
    check(strcmp(b, "12 21") == 0, "line breaks: Thai \"ภาษาไทย\" between ภาษา and ไทย (dictionary)", b);
    /* 人口，热线。: between ideographs, never before the full-width comma or stop (LB13: CL) */
    b = breaks_of(ub, "zh", "\u4EBA\u53E3\uFF0C\u70ED\u7EBF\u3002", buf, sizeof buf);
    check(strcmp(b, "3 9 12 18") == 0, "line breaks: Chinese between ideographs, not before \"，\" or \"。\"", b);
    b = breaks_of(ub, "ko", "\uD55C\uAD6D\uC5B4 \uD55C\uAD6D", buf, sizeof buf);
    check(strcmp(b, "10 16") == 0, "line breaks: Korean at its spaces only (keep-all)", b);
    unicode_breaker_free(ub);
}

/* UAX #9 on short texts, the levels worked out by hand from the standard's rules (W2, W7, N1,
 * N2, I1, I2) and the reordering of L2. */
static void test_bidi(void)
{
    /* "ab " then alef lam (U+0627 U+0644, 2 bytes each) then " 12", base from the first strong
     * letter (L, level 0): W2 makes "12" an Arabic number (the last strong before it is AL), W3
     * makes AL R, N1 puts the space between R and AN at R, I1 raises R to 1 and AN to 2 */
    unsigned char lv[32], para = 9;
    const char *t = "ab \xD8\xA7\xD9\x84 12";
    check(unicode_bidi_levels(t, strlen(t), -1, lv, &para) && para == 0 && lv[0] == 0 && lv[2] == 0 &&
              lv[3] == 1 && lv[6] == 1 && lv[7] == 1 && lv[8] == 2 && lv[9] == 2,
          "bidi: \"ab ال 12\": an LTR paragraph, levels 0 0 0 1 1 1 2 2 (W2, N1, I1)", NULL);
    /* an RTL paragraph (first strong AL): alef, a space, "1-888" (AN ES AN by W2, which W4 does not
     * join: plain UAX #9 puts the hyphen at 1 and shows "888-1"; handout's tailoring keeps the
     * number at 2 as a whole), a space, alef */
    t = "\xD8\xA7 1-888 \xD8\xA7";
    check(unicode_bidi_levels(t, strlen(t), -1, lv, &para) && para == 1 && lv[0] == 1 && lv[2] == 1 &&
              lv[3] == 2 && lv[4] == 2 && lv[7] == 2 && lv[8] == 1 && lv[9] == 1,
          "bidi: \"ا 1-888 ا\" is RTL, the whole number at level 2 (tailored)", NULL);
    t = "abc";
    check(unicode_bidi_levels(t, 3, 1, lv, &para) && para == 1 && lv[0] == 2 && lv[2] == 2,
          "bidi: Latin in a paragraph forced right to left is at level 2", NULL);
    unsigned char runs[] = { 1, 1, 2, 2, 1 };
    size_t order[5];
    check(unicode_reorder(runs, 5, order) && order[0] == 4 && order[1] == 2 && order[2] == 3 && order[3] == 1 &&
              order[4] == 0,
          "bidi: levels 1 1 2 2 1 show as 4 2 3 1 0 (L2: the level-2 pair keeps its order)", NULL);
    check(unicode_rtl_language("ar") && unicode_rtl_language("fa-IR") && unicode_rtl_language("ckb") &&
              !unicode_rtl_language("en") && !unicode_rtl_language("ca") && !unicode_rtl_language(NULL),
          "bidi: ar, fa-IR and ckb are right-to-left languages; en and ca are not", NULL);
}

static void test_tables(void)
{
    diag *d = diag_new(NULL);
    md_doc doc;
    static const struct {
        const char *md;
        int line; /* the header row's line; 0: not a table */
    } cases[] = {
        { "| a | b |\n|---|---|\n| 1 | 2 |\n", 1 },
        { "Intro\na | b\n:-- | --:\n", 2 },
        { "a | b\n- | -\n", 1 },
        { "# T\n\n- item\n\n  x | y\n  --|--\n", 5 },
        { "one column\n|---|\n", 1 },
        { "A - B | C, and D\n\nCall us:\n- first\n- second\n", 0 },
        { "Title\n---\n\nText.\n", 0 },
        { "a | b\n\n|---|\n", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[160], want[32];
        int ok = markdown_parse(cases[i].md, strlen(cases[i].md), "t.md", &doc, d);
        snprintf(want, sizeof want, "t.md:%d:", cases[i].line);
        snprintf(name, sizeof name, "markdown table %zu: %s", i + 1,
                 cases[i].line ? "an error at its header row" : "not a table, parsed");
        if (cases[i].line)
            check(!ok && strstr(diag_last(d), want) && strstr(diag_last(d), "tables are not supported"), name,
                  diag_last(d));
        else
            check(ok, name, diag_last(d));
        if (ok)
            markdown_free(&doc);
    }
    diag_free(d);
}

void test_unicode(void)
{
    test_nfc();
    test_scripts();
    test_soft_hyphens();
    test_line_breaks();
    test_bidi();
    test_tables();
}
