/* unicode: NFC normalisation, scripts, marks and names through ICU's C API (icu-uc). ICU works in
 * UTF-16; text comes in and goes out as UTF-8. */
#include "unicode.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ubidi.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

static char *copy_of(const char *s, size_t len)
{
    char *c = malloc(len + 1);
    if (c) {
        memcpy(c, s, len);
        c[len] = '\0';
    }
    return c;
}

char *unicode_nfc(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (unsigned char)s[i] < 0x80)
        i++;
    if (i == len)
        return copy_of(s, len); /* ASCII is in NFC already */
    if (len > (size_t)INT32_MAX / 4)
        return NULL;
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
    if (U_FAILURE(err))
        return NULL;
    int32_t n16 = 0;
    u_strFromUTF8(NULL, 0, &n16, s, (int32_t)len, &err);
    if (err == U_INVALID_CHAR_FOUND)
        return copy_of(s, len); /* not UTF-8: left as it is, for the caller to report */
    if (U_FAILURE(err) && err != U_BUFFER_OVERFLOW_ERROR)
        return NULL;
    err = U_ZERO_ERROR;
    /* NFC makes text at most three times longer (Unicode's stated bound, UAX #15) */
    UChar *src = malloc(((size_t)n16 + 1) * sizeof *src);
    UChar *dst = malloc(((size_t)n16 * 3 + 1) * sizeof *dst);
    char *out = NULL;
    if (!src || !dst)
        goto done;
    u_strFromUTF8(src, n16 + 1, NULL, s, (int32_t)len, &err);
    int32_t nn = U_SUCCESS(err) ? unorm2_normalize(nfc, src, n16, dst, n16 * 3 + 1, &err) : 0;
    if (U_FAILURE(err))
        goto done;
    int32_t n8 = 0;
    u_strToUTF8(NULL, 0, &n8, dst, nn, &err);
    if (U_FAILURE(err) && err != U_BUFFER_OVERFLOW_ERROR)
        goto done;
    err = U_ZERO_ERROR;
    out = malloc((size_t)n8 + 1);
    if (!out)
        goto done;
    u_strToUTF8(out, n8 + 1, NULL, dst, nn, &err);
    if (U_FAILURE(err)) {
        free(out);
        out = NULL;
    }
done:
    free(src);
    free(dst);
    return out;
}

/* Scripts whose letters change shape, join or reorder around one another and that are set now:
 * each word is shaped by HarfBuzz (pdf.c); Arabic and Hebrew right to left; Thai, Lao, Khmer and Myanmar, written without spaces
 * between words, break where ICU's dictionaries find words (unicode_line_breaks). */
static const UScriptCode SHAPED_SET[] = {
    USCRIPT_DEVANAGARI, USCRIPT_BENGALI, USCRIPT_GURMUKHI, USCRIPT_GUJARATI, USCRIPT_ORIYA,
    USCRIPT_TAMIL,      USCRIPT_TELUGU,  USCRIPT_KANNADA,  USCRIPT_MALAYALAM, USCRIPT_SINHALA,
    USCRIPT_THAI,       USCRIPT_LAO,     USCRIPT_KHMER,    USCRIPT_MYANMAR,   USCRIPT_ARABIC,
    USCRIPT_HEBREW,
};

bool unicode_shaped_script(uint32_t cp)
{
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript((UChar32)cp, &err);
    if (U_FAILURE(err))
        return false;
    for (size_t i = 0; i < sizeof SHAPED_SET / sizeof SHAPED_SET[0]; i++)
        if (sc == SHAPED_SET[i])
            return true;
    return false;
}

/* Scripts still refused: those no test has set yet (Tibetan, Mongolian, written vertically,
 * Javanese, Balinese and the rarer Indic and South-East Asian scripts). */
static const UScriptCode SHAPED[] = {
    USCRIPT_TIBETAN,    USCRIPT_MONGOLIAN,  USCRIPT_BALINESE, USCRIPT_JAVANESE,    USCRIPT_SUNDANESE,  USCRIPT_LANNA,
    USCRIPT_CHAM,       USCRIPT_BUGINESE, USCRIPT_BATAK,       USCRIPT_LEPCHA,     USCRIPT_LIMBU,
    USCRIPT_MEITEI_MAYEK, USCRIPT_CHAKMA, USCRIPT_SYLOTI_NAGRI, USCRIPT_SAURASHTRA, USCRIPT_KAITHI,
    USCRIPT_SHARADA,    USCRIPT_TAKRI,    USCRIPT_TIRHUTA,     USCRIPT_GRANTHA,    USCRIPT_NEWA,
    USCRIPT_MODI,
};

/* The script's name as people write it: "Tai_Tham" as "Tai Tham", "Nko" as "N'Ko". */
static void script_name(UScriptCode sc, char *buf, size_t size)
{
    const char *name = sc == USCRIPT_NKO ? "N'Ko" : uscript_getName(sc);
    snprintf(buf, size, "%s", name ? name : "an unknown script");
    for (char *p = buf; *p; p++)
        if (*p == '_')
            *p = ' ';
}

const char *unicode_refused_script(uint32_t cp, char *buf, size_t size)
{
    UChar32 c = (UChar32)cp;
    UCharDirection dir = u_charDirection(c);
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(c, &err);
    if (U_FAILURE(err))
        sc = USCRIPT_UNKNOWN;
    bool named = sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED && sc != USCRIPT_UNKNOWN;
    switch (dir) {
    case U_RIGHT_TO_LEFT:
    case U_RIGHT_TO_LEFT_ARABIC:
    case U_ARABIC_NUMBER:
        /* Arabic (Persian, Urdu...) and Hebrew are set right to left (ubidi), and the
         * right-to-left mark and Arabic letter mark order the text around them */
        if (sc == USCRIPT_ARABIC || sc == USCRIPT_HEBREW || unicode_bidi_control(cp) ||
            (!named && u_charType(c) != U_FORMAT_CHAR))
            return NULL;
        if (u_charType(c) == U_FORMAT_CHAR) {
            snprintf(buf, size, "a right-to-left mark");
        } else if (named) {
            char name[64];
            script_name(sc, name, sizeof name);
            bool joins = u_getIntPropertyValue(c, UCHAR_JOINING_TYPE) != U_JT_NON_JOINING;
            snprintf(buf, size, "%s (right-to-left%s)", name, joins ? ", shaped" : "");
        } else {
            snprintf(buf, size, "a right-to-left character");
        }
        return buf;
    default:
        break;
    }
    for (size_t i = 0; i < sizeof SHAPED / sizeof SHAPED[0]; i++)
        if (sc == SHAPED[i]) {
            char name[64];
            script_name(sc, name, sizeof name);
            snprintf(buf, size, "%s (shaped)", name);
            return buf;
        }
    return NULL;
}

bool unicode_script_tag(const char *s, size_t len, char tag[5])
{
    tag[0] = '\0';
    size_t i = 0;
    while (i < len) {
        UChar32 c;
        U8_NEXT((const uint8_t *)s, i, len, c);
        if (c < 0)
            continue;
        if (c < 0x80 && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
            continue; /* ASCII digits, spaces and punctuation: Common */
        UErrorCode err = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript(c, &err);
        if (U_FAILURE(err) || sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED || sc == USCRIPT_UNKNOWN)
            continue;
        const char *t = uscript_getShortName(sc);
        if (!t || strlen(t) != 4)
            continue;
        memcpy(tag, t, 5);
        return true;
    }
    return false;
}

bool unicode_is_mark(uint32_t cp)
{
    int8_t t = u_charType((UChar32)cp);
    return (t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK) &&
           !u_hasBinaryProperty((UChar32)cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

void unicode_name(uint32_t cp, char *buf, size_t size)
{
    UErrorCode err = U_ZERO_ERROR;
    if (size == 0)
        return;
    int32_t n = u_charName((UChar32)cp, U_UNICODE_CHAR_NAME, buf, (int32_t)size, &err);
    if (U_FAILURE(err) || n <= 0 || (size_t)n >= size) {
        buf[0] = '\0';
        return;
    }
    for (char *p = buf; *p; p++)
        *p = (char)tolower((unsigned char)*p);
}

/* ---- line breaking ---- */

#define BREAK_LOCALES 8

struct unicode_breaker {
    struct {
        char lang[32];
        UBreakIterator *it;
    } slot[BREAK_LOCALES];
    int n, next; /* slots in use; the one to reuse when all are */
};

unicode_breaker *unicode_breaker_new(void)
{
    return calloc(1, sizeof(unicode_breaker));
}

void unicode_breaker_free(unicode_breaker *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->n; i++)
        ubrk_close(b->slot[i].it);
    free(b);
}

/* The iterator for lang, opened on first use; NULL when ICU cannot open one. */
static UBreakIterator *breaker_for(unicode_breaker *b, const char *lang)
{
    char loc[32];
    snprintf(loc, sizeof loc, "%s", lang ? lang : "");
    for (char *p = loc; *p; p++)
        if (*p == '-')
            *p = '_'; /* ICU's locale ids: zh_Hant, not zh-Hant */
    for (int i = 0; i < b->n; i++)
        if (strcmp(b->slot[i].lang, loc) == 0)
            return b->slot[i].it;
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *it = ubrk_open(UBRK_LINE, loc, NULL, 0, &err);
    if (U_FAILURE(err))
        return NULL;
    int k = b->n < BREAK_LOCALES ? b->n++ : b->next++ % BREAK_LOCALES;
    if (b->slot[k].it)
        ubrk_close(b->slot[k].it);
    snprintf(b->slot[k].lang, sizeof b->slot[k].lang, "%s", loc);
    b->slot[k].it = it;
    return it;
}

/* Whether c is a Hangul syllable or jamo (line break classes H2, H3, JL, JV, JT). */
static bool hangul(UChar32 c)
{
    if (c < 0x1100)
        return false;
    int lb = u_getIntPropertyValue(c, UCHAR_LINE_BREAK);
    return lb == U_LB_H2 || lb == U_LB_H3 || lb == U_LB_JL || lb == U_LB_JV || lb == U_LB_JT;
}

/* Whether the run of non-spaces s[a..z) is a URL or an e-mail address. */
static bool url_like(const char *s, size_t a, size_t z)
{
    if (z - a >= 4 && memcmp(s + a, "www.", 4) == 0)
        return true;
    for (size_t i = a; i < z; i++)
        if (s[i] == '@' || (i + 3 <= z && memcmp(s + i, "://", 3) == 0))
            return true;
    return false;
}

bool unicode_line_breaks(unicode_breaker *b, const char *lang, const char *s, size_t len,
                         unsigned char *brk)
{
    memset(brk, 0, len + 1);
    if (len > (size_t)INT32_MAX)
        return false;
    UBreakIterator *it = breaker_for(b, lang);
    if (!it)
        return false;
    UErrorCode err = U_ZERO_ERROR;
    UText ut = UTEXT_INITIALIZER;
    utext_openUTF8(&ut, s, (int64_t)len, &err);
    if (U_SUCCESS(err))
        ubrk_setUText(it, &ut, &err);
    if (U_FAILURE(err)) {
        utext_close(&ut);
        return false;
    }
    /* with UTF-8 text the iterator's indexes are byte offsets */
    for (int32_t at = ubrk_first(it); at != UBRK_DONE; at = ubrk_next(it))
        if (at >= 0 && (size_t)at <= len)
            brk[at] = 1;
    utext_close(&ut);
    brk[0] = 0;
    /* Korean is written with spaces between words and breaks there (CSS's word-break: keep-all):
     * no break between two Hangul letters */
    UChar32 prev = -1;
    for (size_t i = 0; i < len;) {
        size_t at = i;
        UChar32 c;
        U8_NEXT((const uint8_t *)s, i, len, c);
        if (brk[at] && hangul(prev) && hangul(c))
            brk[at] = 0;
        prev = c;
    }
    /* no break inside a URL or an e-mail address */
    size_t a = 0;
    while (a < len) {
        while (a < len && s[a] == ' ')
            a++;
        size_t z = a;
        while (z < len && s[z] != ' ')
            z++;
        if (z > a && url_like(s, a, z))
            memset(brk + a + 1, 0, z - a - 1);
        a = z;
    }
    return true;
}

/* ---- bidi ---- */

/* The bytes of the digit at s[i] (ASCII, Arabic-Indic or Extended Arabic-Indic), or 0. */
static size_t digit_at(const char *s, size_t i, size_t len)
{
    unsigned char c = (unsigned char)s[i];
    if (c >= '0' && c <= '9')
        return 1;
    if (i + 1 < len && ((c == 0xD9 && (unsigned char)s[i + 1] >= 0xA0 && (unsigned char)s[i + 1] <= 0xA9) ||
                        (c == 0xDB && (unsigned char)s[i + 1] >= 0xB0 && (unsigned char)s[i + 1] <= 0xB9)))
        return 2;
    return 0;
}

/* Sets levels[a..z) to one even level, the lowest at or above their least: the run reads left to
 * right as a whole, where it stands. */
static void keep_ltr(unsigned char *levels, size_t a, size_t z)
{
    unsigned char least = 255;
    for (size_t i = a; i < z; i++)
        least = levels[i] < least ? levels[i] : least;
    least = (unsigned char)((least + 1) & ~1u);
    memset(levels + a, least, z - a);
}

/* Handout's tailoring of UAX #9 (a higher-level protocol, as UAX #9 allows): a phone number
 * (digits with - . ( ) + / and single spaces between its groups) and a URL or e-mail address read
 * left to right as a whole, as if isolated (LRI ... PDI); plain UAX #9 shows "1-888-373-7888"
 * after an Arabic word as "7888-373-888-1". */
static void keep_numbers(const char *s, size_t len, unsigned char *levels)
{
    size_t i = 0;
    while (i < len) {
        size_t d = digit_at(s, i, len);
        bool opener = (s[i] == '+' || s[i] == '(') && i + 1 < len && digit_at(s, i + 1, len);
        if (!d && !opener) {
            i++;
            continue;
        }
        size_t a = i, z = i, digits = 0, seps = 0;
        while (i < len) {
            size_t n = digit_at(s, i, len);
            if (n) {
                digits++;
                i += n;
                z = i;
                continue;
            }
            char c = s[i];
            bool sep = c == '-' || c == '.' || c == '(' || c == ')' || c == '+' || c == '/';
            if (c == ' ')
                sep = i > a && (digit_at(s, i - 1, len) || s[i - 1] == ')') && i + 1 < len &&
                      (digit_at(s, i + 1, len) || s[i + 1] == '(');
            if (!sep)
                break;
            seps++;
            i++;
            if (c == ')')
                z = i;
        }
        if (digits >= 2 && seps > 0 && z > a)
            keep_ltr(levels, a, z);
        if (i == a)
            i++;
    }
    for (size_t t = 0; t < len;) {
        while (t < len && s[t] == ' ')
            t++;
        size_t e = t;
        while (e < len && s[e] != ' ')
            e++;
        if (e > t && url_like(s, t, e)) {
            size_t z = e;
            while (z > t && strchr(".,;:!?)", s[z - 1]))
                z--;
            keep_ltr(levels, t, z);
        }
        t = e;
    }
}

bool unicode_bidi_levels(const char *s, size_t len, int base, unsigned char *levels,
                         unsigned char *para)
{
    *para = base == 1 ? 1 : 0;
    memset(levels, *para, len);
    if (len == 0)
        return true;
    if (len > (size_t)INT32_MAX / 2)
        return false;
    /* no right-to-left character and a left-to-right base: all level 0 without ICU */
    bool rtl = base == 1;
    for (size_t i = 0; i < len && !rtl; i++)
        rtl = (unsigned char)s[i] >= 0xD6; /* U+0590 and up; decided below */
    if (!rtl)
        return true;
    UErrorCode err = U_ZERO_ERROR;
    int32_t n16 = 0;
    u_strFromUTF8(NULL, 0, &n16, s, (int32_t)len, &err);
    if (U_FAILURE(err) && err != U_BUFFER_OVERFLOW_ERROR)
        return false;
    err = U_ZERO_ERROR;
    UChar *u = malloc(((size_t)n16 + 1) * sizeof *u);
    UBiDi *bidi = ubidi_openSized(n16, 0, &err);
    bool ok = false;
    if (!u || U_FAILURE(err))
        goto done;
    u_strFromUTF8(u, n16 + 1, NULL, s, (int32_t)len, &err);
    UBiDiLevel pl = base == 1 ? 1 : base == 0 ? 0 : UBIDI_DEFAULT_LTR;
    ubidi_setPara(bidi, u, n16, pl, NULL, &err);
    if (U_FAILURE(err))
        goto done;
    const UBiDiLevel *lv = ubidi_getLevels(bidi, &err);
    if (U_FAILURE(err))
        goto done;
    *para = ubidi_getParaLevel(bidi) & 1;
    /* each UTF-16 unit's level onto the bytes of its character */
    size_t i = 0;
    int32_t k = 0;
    while (i < len && k < n16) {
        size_t at = i;
        UChar32 c;
        U8_NEXT((const uint8_t *)s, i, len, c);
        memset(levels + at, lv[k], i - at);
        k += c > 0xFFFF ? 2 : 1;
    }
    keep_numbers(s, len, levels);
    ok = true;
done:
    ubidi_close(bidi);
    free(u);
    return ok;
}

bool unicode_reorder(const unsigned char *levels, size_t n, size_t *order)
{
    if (n == 0)
        return true;
    if (n > (size_t)INT32_MAX)
        return false;
    int32_t small[64], *map = n <= 64 ? small : malloc(n * sizeof *map);
    if (!map)
        return false;
    ubidi_reorderVisual((const UBiDiLevel *)levels, (int32_t)n, map);
    for (size_t v = 0; v < n; v++)
        order[v] = (size_t)map[v];
    if (map != small)
        free(map);
    return true;
}

bool unicode_rtl_language(const char *lang)
{
    static const char *const RTL[] = { "ar", "fa", "ur", "he", "yi", "ps", "sd", "ug", "ckb", "dv", "iw", NULL };
    if (!lang)
        return false;
    size_t n = strcspn(lang, "-_");
    for (size_t i = 0; RTL[i]; i++)
        if (strlen(RTL[i]) == n && strncasecmp(lang, RTL[i], n) == 0)
            return true;
    return false;
}

bool unicode_bidi_control(uint32_t cp)
{
    return cp == 0x200E || cp == 0x200F || cp == 0x061C || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

void unicode_script_name(uint32_t cp, char *buf, size_t size)
{
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript((UChar32)cp, &err);
    const char *name = U_SUCCESS(err) ? uscript_getName(sc) : NULL;
    snprintf(buf, size, "%s", name ? name : "Unknown");
    for (char *p = buf; *p; p++)
        if (*p == '_')
            *p = ' '; /* "Canadian_Aboriginal" */
}
