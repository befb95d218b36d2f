/* unicode: NFC normalisation, scripts, marks and names through ICU's C API (icu-uc). ICU works in
 * UTF-16; text comes in and goes out as UTF-8. */
#include "unicode.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
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
 * each word is shaped by HarfBuzz (pdf.c), and their words are separated by spaces, where the
 * line breaker breaks. */
static const UScriptCode SHAPED_SET[] = {
    USCRIPT_DEVANAGARI, USCRIPT_BENGALI, USCRIPT_GURMUKHI, USCRIPT_GUJARATI, USCRIPT_ORIYA,
    USCRIPT_TAMIL,      USCRIPT_TELUGU,  USCRIPT_KANNADA,  USCRIPT_MALAYALAM, USCRIPT_SINHALA,
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

/* Scripts still refused: those written without spaces between words, which need a dictionary to
 * break lines (Thai, Lao, Khmer, Myanmar, Tibetan, and Javanese, Balinese and the like), and
 * those no test has set yet (Mongolian, written vertically, and the rarer Indic and South-East
 * Asian scripts). */
static const UScriptCode SHAPED[] = {
    USCRIPT_THAI,       USCRIPT_LAO,      USCRIPT_TIBETAN,     USCRIPT_MYANMAR,    USCRIPT_KHMER,
    USCRIPT_MONGOLIAN,  USCRIPT_BALINESE, USCRIPT_JAVANESE,    USCRIPT_SUNDANESE,  USCRIPT_LANNA,
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
    case U_RIGHT_TO_LEFT_EMBEDDING:
        snprintf(buf, size, "a right-to-left embedding");
        return buf;
    case U_RIGHT_TO_LEFT_OVERRIDE:
        snprintf(buf, size, "a right-to-left override");
        return buf;
    case U_RIGHT_TO_LEFT_ISOLATE:
        snprintf(buf, size, "a right-to-left isolate");
        return buf;
    case U_RIGHT_TO_LEFT:
    case U_RIGHT_TO_LEFT_ARABIC:
    case U_ARABIC_NUMBER:
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
