/* Unit tests for hyphen (break points from the hyphenation dictionaries). The English and Spanish
 * cases use the Debian dictionaries in /usr/share/hyphen (hyphen-en-us, hyphen-es) and assert the
 * points their patterns really give; the rules of the module itself (minimums, non-standard
 * patterns, caching) are tested against small dictionaries written into a temporary folder named
 * by HANDOUT_HYPHEN_DIR. Each row shows the expected split, e.g. "hy-phen-ation". */
#include "unit.h"
#include "hyphenate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HYPHEN_TEST_MAX 32

/* The points for word as text ("2 6"), "" when none. */
static const char *hyphen_list(hyphenator *h, const char *lang, const char *word, size_t len, size_t max)
{
    static char buf[256];
    size_t pts[HYPHEN_TEST_MAX];
    size_t n = hyphenator_points(h, lang, word, len, pts, max);
    buf[0] = '\0';
    for (size_t i = 0; i < n && i < HYPHEN_TEST_MAX; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, sizeof buf - used, "%s%zu", i ? " " : "", pts[i]);
    }
    return buf;
}

/* The word with '-' at each point ("hy-phen-ation"). */
static const char *hyphen_split(hyphenator *h, const char *lang, const char *word)
{
    static char buf[256];
    size_t pts[HYPHEN_TEST_MAX];
    size_t len = strlen(word);
    size_t n = hyphenator_points(h, lang, word, len, pts, HYPHEN_TEST_MAX);
    size_t o = 0, prev = 0;
    for (size_t i = 0; i <= n && o + 1 < sizeof buf; i++) {
        size_t to = i < n ? pts[i] : len;
        for (size_t k = prev; k < to && o + 1 < sizeof buf; k++)
            buf[o++] = word[k];
        if (i < n && o + 1 < sizeof buf)
            buf[o++] = '-';
        prev = to;
    }
    buf[o] = '\0';
    return buf;
}

/* Every point falls inside the word and on a UTF-8 character boundary, in increasing order. */
static int hyphen_on_boundaries(hyphenator *h, const char *lang, const char *word)
{
    size_t pts[HYPHEN_TEST_MAX];
    size_t len = strlen(word);
    size_t n = hyphenator_points(h, lang, word, len, pts, HYPHEN_TEST_MAX);
    for (size_t i = 0; i < n; i++) {
        if (pts[i] == 0 || pts[i] >= len || ((unsigned char)word[pts[i]] & 0xC0) == 0x80)
            return 0;
        if (i > 0 && pts[i] <= pts[i - 1])
            return 0;
    }
    return n > 0;
}

static void hyphen_expect(hyphenator *h, const char *lang, const char *word, const char *points,
                          const char *split)
{
    char name[160], detail[320];
    const char *got = hyphen_list(h, lang, word, strlen(word), HYPHEN_TEST_MAX);
    snprintf(name, sizeof name, "hyphen %s \"%s\" -> %s (%s)", lang ? lang : "NULL", word,
             points[0] ? points : "none", split);
    snprintf(detail, sizeof detail, "points \"%s\", split %s", got, hyphen_split(h, lang, word));
    check(strcmp(got, points) == 0 && strcmp(hyphen_split(h, lang, word), split) == 0, name, detail);
}

/* ---- the Debian dictionaries ---- */

static void hyphen_test_system(void)
{
    hyphenator *h = hyphenator_new();
    check(h != NULL, "hyphen hyphenator_new", NULL);
    if (!h)
        return;
    static const struct {
        const char *lang, *word, *points, *split;
    } rows[] = {
        /* 1-8: English, hyph_en_US.dic (LEFTHYPHENMIN 2, RIGHTHYPHENMIN 3) */
        { "en", "hyphenation", "2 6", "hy-phen-ation" },
        { "en", "trafficking", "4 8", "traf-fick-ing" },
        { "en", "community", "3 5", "com-mu-nity" },
        { "en", "typography", "2 5 7", "ty-pog-ra-phy" },
        { "en", "table", "2", "ta-ble" },
        { "en-US", "community", "3 5", "com-mu-nity" },
        { "en_us", "dictionary", "3 6", "dic-tio-nary" },
        { "EN-Latn-US", "community", "3 5", "com-mu-nity" },
        /* 9-11: case */
        { "en", "Community", "3 5", "Com-mu-nity" },
        { "en", "HYPHENATION", "2 6", "HY-PHEN-ATION" },
        { "en", "community's", "3 5", "com-mu-nity's" },
        /* 12-17: punctuation around a word: offsets of the word as given */
        { "en", "(community),", "4 6", "(com-mu-nity)," },
        { "en", "\"hyphenation.\"", "3 7", "\"hy-phen-ation.\"" },
        { "en", "\xE2\x80\x9C" "trafficking\xE2\x80\x9D" ";", "7 11",
          "\xE2\x80\x9C" "traf-fick-ing\xE2\x80\x9D" ";" },
        { "en", "[table]!", "3", "[ta-ble]!" },
        { "en", "...", "", "..." },
        { "en", "(a)", "", "(a)" },
        /* 18-25: Spanish, hyph_es_ES.dic (LEFTHYPHENMIN 2, RIGHTHYPHENMIN 2); multi-byte letters */
        { "es", "informaci\xC3\xB3n", "2 5 7", "in-for-ma-ci\xC3\xB3n" },
        { "es", "organizaci\xC3\xB3n", "2 4 6 8", "or-ga-ni-za-ci\xC3\xB3n" },
        { "es", "cami\xC3\xB3n", "2", "ca-mi\xC3\xB3n" },
        { "es", "ni\xC3\xB1o", "2", "ni-\xC3\xB1o" },
        { "es", "\xC3\xB1" "and\xC3\xBA", "4", "\xC3\xB1" "an-d\xC3\xBA" },
        { "es", "murci\xC3\xA9lago", "3 9", "mur-ci\xC3\xA9la-go" },
        { "es-MX", "informaci\xC3\xB3n", "2 5 7", "in-for-ma-ci\xC3\xB3n" },
        { "es", "\xC2\xBFInformaci\xC3\xB3n?", "4 7 9", "\xC2\xBFIn-for-ma-ci\xC3\xB3n?" },
        /* 26-27: capitals beyond ASCII are folded (U+00D3 -> U+00F3, U+00D1 -> U+00F1) */
        { "es", "ORGANIZACI\xC3\x93N", "2 4 6 8", "OR-GA-NI-ZA-CI\xC3\x93N" },
        { "es", "\xC3\x91" "AND\xC3\x9A", "4", "\xC3\x91" "AN-D\xC3\x9A" },
        /* 28-36: words that are not broken */
        { "en", "mp3player", "", "mp3player" },
        { "en", "communities2", "", "communities2" },
        { "en", "user@community", "", "user@community" },
        { "en", "and/or/community", "", "and/or/community" },
        { "en", "well-known", "", "well-known" },
        { "en", "community-based", "", "community-based" },
        { "en", "com\xC2\xADmunity", "", "com\xC2\xADmunity" },
        { "en", "hyphen\xE2\x80\x94" "ation", "", "hyphen\xE2\x80\x94" "ation" },
        { "en", "community.org", "", "community.org" },
        /* 37-42: languages without a dictionary, and malformed codes */
        { "vi", "community", "", "community" },
        { "vi", "Nguy\xE1\xBB\x85n", "", "Nguy\xE1\xBB\x85n" },
        { "xx", "community", "", "community" },
        { "", "community", "", "community" },
        { "../hyphen/hyph_en", "community", "", "community" },
        { "en/US", "community", "", "community" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        hyphen_expect(h, rows[i].lang, rows[i].word, rows[i].points, rows[i].split);
    hyphen_expect(h, NULL, "community", "", "community");

    /* offsets on character boundaries */
    static const char *const accented[] = {
        "informaci\xC3\xB3n", "organizaci\xC3\xB3n", "ORGANIZACI\xC3\x93N", "murci\xC3\xA9lago",
        ("\xC2\xA1" "Comunicaci\xC3\xB3n!"), "pensamiento", "\xC3\xA1rboles", "ping\xC3\xBCino",
    };
    for (size_t i = 0; i < sizeof accented / sizeof accented[0]; i++) {
        char name[128];
        snprintf(name, sizeof name, "hyphen es \"%s\": points on character boundaries", accented[i]);
        check(hyphen_on_boundaries(h, "es", accented[i]), name, hyphen_split(h, "es", accented[i]));
    }

    /* minimums: at least 2 characters before and 3 after every English break */
    static const char *const english[] = { "hyphenation", "trafficking", "community", "typography",
                                           "table", "dictionary", "responsibility", "abbreviation" };
    int mins_ok = 1;
    for (size_t i = 0; i < sizeof english / sizeof english[0]; i++) {
        size_t pts[HYPHEN_TEST_MAX], len = strlen(english[i]);
        size_t n = hyphenator_points(h, "en", english[i], len, pts, HYPHEN_TEST_MAX);
        if (n == 0 || pts[0] < 2 || pts[n - 1] > len - 3)
            mins_ok = 0;
    }
    check(mins_ok, "hyphen en: 2 characters before and 3 after every break (hyph_en_US.dic)", NULL);

    /* the length is honoured: no NUL needed, nothing read past it */
    check(strcmp(hyphen_list(h, "en", "communityXYZ", 9, HYPHEN_TEST_MAX), "3 5") == 0,
          "hyphen word given by length, not NUL", hyphen_list(h, "en", "communityXYZ", 9, HYPHEN_TEST_MAX));
    /* max caps the count, keeping the first points */
    check(strcmp(hyphen_list(h, "es", "organizaci\xC3\xB3n", 13, 2), "2 4") == 0,
          "hyphen max = 2 keeps the first two points", hyphen_list(h, "es", "organizaci\xC3\xB3n", 13, 2));
    size_t none[1];
    check(hyphenator_points(h, "en", "community", 9, none, 0) == 0, "hyphen max = 0 gives 0", NULL);
    check(hyphenator_points(h, "en", "community", 0, none, 1) == 0, "hyphen empty word gives 0", NULL);
    check(hyphenator_points(h, "en", "comm\xFFunity", 10, none, 1) == 0, "hyphen invalid UTF-8 gives 0",
          NULL);
    check(hyphenator_points(NULL, "en", "community", 9, none, 1) == 0, "hyphen NULL hyphenator gives 0",
          NULL);
    /* a word longer than HYPHEN_MAX_WORD is left whole */
    char lng[HYPHEN_MAX_WORD + 2];
    for (size_t i = 0; i < sizeof lng - 1; i++)
        lng[i] = "community"[i % 9];
    lng[sizeof lng - 1] = '\0';
    check(strcmp(hyphen_list(h, "en", lng, sizeof lng - 1, HYPHEN_TEST_MAX), "") == 0 &&
              strcmp(hyphen_list(h, "en", lng, HYPHEN_MAX_WORD, HYPHEN_TEST_MAX), "") != 0,
          "hyphen HYPHEN_MAX_WORD bytes are broken, one more is not", NULL);
    /* the same answer from the cache */
    hyphen_expect(h, "en", "hyphenation", "2 6", "hy-phen-ation");
    hyphen_expect(h, "es", "informaci\xC3\xB3n", "2 5 7", "in-for-ma-ci\xC3\xB3n");
    hyphenator_free(h);
    hyphenator_free(NULL);
}

/* ---- the module's rules, on dictionaries of our own ---- */

static char hyphen_dir[] = "/tmp/handout-hyphen-XXXXXX";

static int hyphen_write(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", hyphen_dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fputs(text, f);
    return fclose(f) == 0;
}

static void hyphen_remove(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", hyphen_dir, name);
    remove(path);
}

static void hyphen_test_own(void)
{
    if (!mkdtemp(hyphen_dir)) {
        check(0, "hyphen temporary folder", hyphen_dir);
        return;
    }
    const char *env = getenv("HANDOUT_HYPHEN_DIR");
    char *saved = env ? strdup(env) : NULL;
    setenv("HANDOUT_HYPHEN_DIR", hyphen_dir, 1);
    hyphenator *h = hyphenator_new();

    /* lazily: the files are written after the hyphenator was made */
    /* xa: no minimums stated, so 2 before and 3 after; "1b1" allows a break on both sides of b */
    hyphen_write("hyph_xa.dic", "UTF-8\n1b1\n");
    /* xb: the dictionary's own minimums, 1 and 1 */
    hyphen_write("hyph_xb.dic", "UTF-8\nLEFTHYPHENMIN 1\nRIGHTHYPHENMIN 1\n1b1\n");
    /* xc: a non-standard break, "schiffahrt" -> "schiff-fahrt" (the spelling changes) */
    hyphen_write("hyph_xc.dic", "UTF-8\n1b1\nf1f/ff=f,1,2\n");
    /* xd: an 8-bit dictionary is not used */
    hyphen_write("hyph_xd.dic", "ISO8859-1\n1b1\n");
    /* xe: the region is tried first, then the language, then ll_LL */
    hyphen_write("hyph_xe_XE.dic", "UTF-8\n1b1\n");

    hyphen_expect(h, "xa", "abababab", "2 3 4 5", "ab-a-b-a-bab");
    hyphen_expect(h, "xa", "abcab", "2", "ab-cab");
    hyphen_expect(h, "xa", "abab", "", "abab");
    hyphen_expect(h, "xa", "\xC3\x89" "B\xC3\x89" "B\xC3\x89" "B\xC3\x89", "3 5 6",
                  "\xC3\x89" "B-\xC3\x89-B-\xC3\x89" "B\xC3\x89");
    hyphen_expect(h, "xb", "abababab", "1 2 3 4 5 6 7", "a-b-a-b-a-b-a-b");
    hyphen_expect(h, "xc", "schiffahrt", "", "schiffahrt");
    hyphen_expect(h, "xc", "\xC3\xA9" "bschiffahrtbab", "3 13", "\xC3\xA9" "b-schiffahrt-bab");
    hyphen_expect(h, "xd", "abababab", "", "abababab");
    hyphen_expect(h, "xe", "abababab", "2 3 4 5", "ab-a-b-a-bab");
    hyphen_expect(h, "xe-YY", "abababab", "2 3 4 5", "ab-a-b-a-bab");

    /* cached: once loaded, a dictionary no longer needs its file; a missing one stays missing */
    hyphen_remove("hyph_xa.dic");
    hyphen_expect(h, "xa", "abababab", "2 3 4 5", "ab-a-b-a-bab");
    hyphen_expect(h, "xf", "abababab", "", "abababab");
    hyphen_write("hyph_xf.dic", "UTF-8\n1b1\n");
    hyphen_expect(h, "xf", "abababab", "", "abababab");
    hyphenator_free(h);

    /* a folder that does not exist: no crash, no points */
    setenv("HANDOUT_HYPHEN_DIR", "/nonexistent/handout-hyphen", 1);
    h = hyphenator_new();
    check(h != NULL, "hyphen missing folder: hyphenator_new", NULL);
    hyphen_expect(h, "en", "hyphenation", "", "hyphenation");
    hyphen_expect(h, "es", "informaci\xC3\xB3n", "", "informaci\xC3\xB3n");
    hyphenator_free(h);

    if (saved) {
        setenv("HANDOUT_HYPHEN_DIR", saved, 1);
        free(saved);
    } else {
        unsetenv("HANDOUT_HYPHEN_DIR");
    }
    static const char *const files[] = { "hyph_xb.dic", "hyph_xc.dic", "hyph_xd.dic", "hyph_xe_XE.dic",
                                         "hyph_xf.dic" };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        hyphen_remove(files[i]);
    rmdir(hyphen_dir);
}

void test_hyphen(void)
{
    hyphen_test_system();
    hyphen_test_own();
}
