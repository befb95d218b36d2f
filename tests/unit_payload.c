/* Unit tests: QR payload rules (src/payload.c) and QR capacity (src/qr.c), table-driven. Each row
 * is numbered and names where its expected value comes from:
 *   [RFC3966]  RFC 3966, the tel: URI: "tel:" then a global number, '+' and the digits
 *   [hotline]  the National Human Trafficking Hotline, 1-888-373-7888 (tel:+18883737888), text
 *              233733 (the ministry's page, ../shared/seed/)
 *   [SMSTO]    the SMSTO:number:message convention read by phone camera apps (ZXing's SMS result)
 *   [ISO18004] ISO/IEC 18004:2015 Table 7, data capacity in byte mode: version 1 holds 17 (L),
 *              14 (M), 11 (Q) and 7 (H) bytes; version 40 holds 2953 (L), 2331 (M), 1663 (Q) and
 *              1273 (H)
 *   [ECI]      ISO/IEC 18004:2015 7.4.2 and Table 4: an ECI header is the mode indicator 0111
 *              (4 bits) and, for a designator under 128 such as 000026 (UTF-8 in the AIM ECI
 *              register), one 8-bit codeword: 12 bits ahead of the 8-bit data. Version 1 then
 *              holds 16 (L), 13 (M), 10 (Q) and 6 (H) bytes, version 40 holds 2952, 2330, 1662
 *              and 1272 (Table 7 less the 12 bits, the 4-bit mode and the 8- or 16-bit count)
 *   [RFC3629]  RFC 3629, UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF
 *   [qrencode] libqrencode itself (QRcode_encodeString, 8-bit mode, case kept): what the ASCII
 *              payloads were encoded as before ECI, module for module
 *   [RFC3986]  RFC 3986 2.1, percent-encoding: "%73" is "s"
 *   [docs]     docs/formats.md, the rules this project states for url, tel, sms and audience
 *   [issue14]  issue 14 item 3, the alternative text of the three default codes: "QR code: call
 *              1-888-373-7888", "QR code: text HELP to 233733", "QR code: example.org/donate" */
#include "payload.h"
#include "qr.h"
#include "unit.h"

#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void tel_rows(void)
{
    static const struct {
        int row;
        const char *in, *out; /* out NULL: refused */
        const char *source;
    } rows[] = {
        { 1, "1-888-373-7888", "tel:+18883737888", "hotline" },
        { 2, "(888) 373-7888", "tel:+18883737888", "hotline, RFC3966" },
        { 3, "888.373.7888", "tel:+18883737888", "hotline, RFC3966" },
        { 4, "+1 888 373 7888", "tel:+18883737888", "RFC3966" },
        { 5, "+44 20 7946 0000", "tel:+442079460000", "RFC3966" },
        { 6, "1-800-FLOWERS", NULL, "docs: letters refused" },
        { 7, "373-7888", NULL, "docs: a number without its area code is not a global number" },
        { 8, "", NULL, "docs: empty" },
        { 9, "+1234567890123456", NULL, "RFC3966 via E.164: at most 15 digits" },
        { 10, "1-888-373-7888 ext 2", NULL, "docs: letters refused" },
    };
    char why[512], name[256];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *got = payload_tel(rows[i].in, why, sizeof why);
        snprintf(name, sizeof name, "payload tel row %d [%s]: \"%s\" -> %s", rows[i].row, rows[i].source, rows[i].in,
                 rows[i].out ? rows[i].out : "refused");
        bool ok = rows[i].out ? got && strcmp(got, rows[i].out) == 0 : !got && strstr(why, "expected a phone number");
        check(ok, name, got ? got : why);
        free(got);
    }
}

static void sms_rows(void)
{
    static const struct {
        int row;
        const char *number, *body, *out, *bad_key;
        const char *source;
    } rows[] = {
        { 1, "233733", "HELP", "SMSTO:233733:HELP", NULL, "hotline, SMSTO" },
        { 2, "233733", NULL, "SMSTO:233733", NULL, "SMSTO" },
        { 3, "233733", "", "SMSTO:233733", NULL, "SMSTO" },
        { 4, "+18883737888", "HELP", "SMSTO:+18883737888:HELP", NULL, "SMSTO" },
        { 5, "", "HELP", NULL, "sms", "docs: a number to text is required (an empty one gave SMSTO:)" },
        { 6, "+", NULL, NULL, "sms", "docs: a '+' alone is no number" },
        { 7, "HELP", NULL, NULL, "sms", "docs: digits only" },
        { 8, "2337+33", NULL, NULL, "sms", "docs: '+' only first" },
        { 9, "233733", "Help: now", NULL, "sms_body", "SMSTO: ':' separates the fields" },
    };
    char why[512], name[300];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *bad = NULL;
        char *got = payload_sms(rows[i].number, rows[i].body, &bad, why, sizeof why);
        snprintf(name, sizeof name, "payload sms row %d [%s]: \"%s\" \"%s\" -> %s", rows[i].row, rows[i].source,
                 rows[i].number, rows[i].body ? rows[i].body : "(none)", rows[i].out ? rows[i].out : "refused");
        bool ok = rows[i].out ? got && strcmp(got, rows[i].out) == 0
                              : !got && bad && strcmp(bad, rows[i].bad_key) == 0 && strstr(why, "expected");
        check(ok, name, got ? got : why);
        free(got);
    }
}

static void tracking_rows(void)
{
    static const struct {
        int row;
        const char *url, *found; /* found NULL: none */
        const char *source;
    } rows[] = {
        { 1, "https://example.org/donate?src=flyer7", "src", "docs" },
        { 2, "https://example.org/donate?utm_source=x&a=b", "utm_source", "docs" },
        { 3, "https://example.org/donate?a=1&SRC=x", "SRC", "docs: names without regard to case" },
        { 4, "https://example.org/donate?%73rc=x", "src", "RFC3986: %73 is s" },
        { 5, "https://example.org/donate?a=1;ref=x", "ref", "docs: ';' separates parameters too" },
        { 6, "https://example.org/donate?%75tm_medium=x", "utm_medium", "RFC3986" },
        { 7, "https://example.org/help", NULL, "docs" },
        { 8, "https://example.org/help?lang=es", NULL, "docs" },
        { 9, "https://example.org/help#src=x", NULL, "RFC3986: a fragment is not the query" },
        { 10, "https://example.org/help?a=1#x&src=2", NULL, "RFC3986: after '#' is the fragment" },
        { 11, "https://example.org/help?source_page=1", NULL, "docs: whole names only" },
    };
    char found[64], name[300];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *got = payload_tracking_parameter(rows[i].url, found, sizeof found);
        snprintf(name, sizeof name, "payload tracking row %d [%s]: %s -> %s", rows[i].row, rows[i].source,
                 rows[i].url, rows[i].found ? rows[i].found : "none");
        bool ok = rows[i].found ? got && strcmp(got, rows[i].found) == 0 : got == NULL;
        check(ok, name, got ? got : "(none)");
    }
}

static void url_rows(void)
{
    static const struct {
        int row;
        const char *url;
        bool ok;
    } rows[] = {
        { 1, "https://example.org/donate", true },
        { 2, "http://example.org/", true },
        { 3, "example.org/help", false },
        { 4, "https://example.org/a b", false },
        { 5, "https://ejemplo.org/dona\xC3\xA7\xC3\xA3o", false },
        { 6, "https://x", false },
    };
    char name[200];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *problem = payload_url_problem(rows[i].url);
        snprintf(name, sizeof name, "payload url row %d [docs]: %s is %s", rows[i].row, rows[i].url,
                 rows[i].ok ? "an address" : "refused");
        check(rows[i].ok ? problem == NULL : problem != NULL, name, problem);
    }
}

static void capacity_rows(void)
{
    static const struct {
        int row;
        char ecc;
        size_t bytes;
        int version; /* 0: too long */
    } rows[] = {
        { 1, 'L', 17, 1 },    { 2, 'L', 18, 2 },   { 3, 'M', 14, 1 },    { 4, 'M', 15, 2 },
        { 5, 'Q', 11, 1 },    { 6, 'H', 7, 1 },    { 7, 'L', 2953, 40 }, { 8, 'L', 2954, 0 },
        { 9, 'M', 2331, 40 }, { 10, 'M', 2332, 0 }, { 11, 'Q', 1663, 40 }, { 12, 'Q', 1664, 0 },
        { 13, 'H', 1273, 40 }, { 14, 'H', 1274, 0 },
    };
    char name[200], detail[64];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *s = malloc(rows[i].bytes + 1);
        if (!s)
            continue;
        /* lower-case letters: byte mode, as every payload here is encoded */
        for (size_t k = 0; k < rows[i].bytes; k++)
            s[k] = (char)('a' + k % 26);
        s[rows[i].bytes] = '\0';
        qr_code q;
        qr_status st = qr_encode(s, rows[i].ecc, &q);
        snprintf(name, sizeof name, "qr capacity row %d [ISO18004]: %zu bytes at %c -> %s %d", rows[i].row,
                 rows[i].bytes, rows[i].ecc, rows[i].version ? "version" : "too long, not", rows[i].version);
        snprintf(detail, sizeof detail, "status %d, version %d", (int)st, st == QR_OK ? q.version : 0);
        check(rows[i].version ? st == QR_OK && q.version == rows[i].version : st == QR_TOO_LONG, name, detail);
        if (st == QR_OK)
            qr_code_free(&q);
        free(s);
    }
}

/* text beyond ASCII: valid UTF-8 is encoded with the designator, anything else refused */
static void text_rows(void)
{
    static const struct {
        int row;
        const char *text;
        long bad; /* 1-based byte named in the reason; 0: accepted */
        int eci;  /* what qr_encode writes ahead of the data when accepted */
        const char *source;
    } rows[] = {
        { 1, "https://example.org/help", 0, 0, "ECI: ASCII carries no designator, as before" },
        { 2, "L\xC3\xADnea de ayuda", 0, 26, "ECI: Spanish, UTF-8 marked 000026" },
        { 3, "\xC4\x90\xC6\xB0\xE1\xBB\x9Dng d\xC3\xA2y n\xC3\xB3ng", 0, 26, "ECI: Vietnamese, 2- and 3-byte forms" },
        { 4, "https://ejemplo.org/l\xC3\xADnea", 0, 26, "ECI: an address beyond ASCII in a raw payload" },
        { 5, "caf\xE9", 4, 0, "RFC3629: a Latin-1 byte is not UTF-8" },
        { 6, "ab\xFF", 3, 0, "RFC3629: 0xFF never appears" },
        { 7, "x\xC0\xAF", 2, 0, "RFC3629: overlong '/'" },
        { 8, "\xED\xA0\x80", 1, 0, "RFC3629: a surrogate" },
        { 9, "end\xC3", 4, 0, "RFC3629: cut short" },
        { 10, "\xF4\x90\x80\x80", 1, 0, "RFC3629: past U+10FFFF" },
    };
    char why[512], name[300], detail[600], at[32];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        bool ok = payload_text_ok(rows[i].text, why, sizeof why);
        snprintf(at, sizeof at, "at byte %ld,", rows[i].bad);
        snprintf(name, sizeof name, "payload text row %d [%s]: %s", rows[i].row, rows[i].source,
                 rows[i].bad ? "refused, the byte named" : "accepted");
        check(rows[i].bad ? !ok && strstr(why, "expected UTF-8 text") && strstr(why, at) : ok, name, ok ? "accepted" : why);
        qr_code q = { 0 };
        qr_status st = qr_encode(rows[i].text, 'M', &q);
        snprintf(name, sizeof name, "qr text row %d [%s]: %s", rows[i].row, rows[i].source,
                 rows[i].bad ? "not encoded" : rows[i].eci ? "encoded with ECI 26" : "encoded without ECI");
        snprintf(detail, sizeof detail, "status %d, eci %d", (int)st, st == QR_OK ? q.eci : -1);
        check(rows[i].bad ? st == QR_BAD_INPUT : st == QR_OK && q.eci == rows[i].eci, name, detail);
        qr_code_free(&q);
    }
}

/* payloads beyond ASCII: the version counts the designator's 12 bits */
static void eci_capacity_rows(void)
{
    static const struct {
        int row;
        char ecc;
        size_t bytes;
        int version; /* 0: too long */
    } rows[] = {
        { 1, 'L', 17, 2 },    { 2, 'M', 14, 2 },    { 3, 'Q', 11, 2 },    { 4, 'H', 7, 2 },
        { 5, 'L', 2952, 40 }, { 6, 'L', 2953, 0 },  { 7, 'M', 2330, 40 }, { 8, 'M', 2331, 0 },
        { 9, 'Q', 1662, 40 }, { 10, 'Q', 1663, 0 }, { 11, 'H', 1272, 40 }, { 12, 'H', 1273, 0 },
        { 13, 'M', 60000, 0 },
    };
    char name[200], detail[64];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *s = malloc(rows[i].bytes + 1);
        if (!s)
            continue;
        /* "é" (2 bytes) first, then lower-case letters */
        s[0] = '\xC3';
        s[1] = '\xA9';
        for (size_t k = 2; k < rows[i].bytes; k++)
            s[k] = (char)('a' + k % 26);
        s[rows[i].bytes] = '\0';
        qr_code q = { 0 };
        qr_status st = qr_encode(s, rows[i].ecc, &q);
        snprintf(name, sizeof name, "qr ECI capacity row %d [ECI]: %zu bytes of UTF-8 at %c -> %s %d", rows[i].row,
                 rows[i].bytes, rows[i].ecc, rows[i].version ? "version" : "too long, not", rows[i].version);
        snprintf(detail, sizeof detail, "status %d, version %d, eci %d", (int)st, st == QR_OK ? q.version : 0,
                 st == QR_OK ? q.eci : 0);
        check(rows[i].version ? st == QR_OK && q.version == rows[i].version && q.eci == QR_ECI_UTF8 : st == QR_TOO_LONG,
              name, detail);
        qr_code_free(&q);
        free(s);
    }
}

/* ASCII payloads: the same symbol as libqrencode's own 8-bit, case-kept encoding, module for module */
static void ascii_same_rows(void)
{
    static const struct {
        int row;
        const char *text;
        char ecc;
    } rows[] = {
        { 1, "tel:+18883737888", 'M' },
        { 2, "SMSTO:233733:HELP", 'Q' },
        { 3, "https://example.org/Give?x=AbC&n=0042", 'M' },
        { 4, "https://humantraffickinghotline.org/en/statistics", 'H' },
        { 5, "Call 1-888-373-7888 or text 233733", 'L' },
    };
    static const QRecLevel levels[] = { ['L'] = QR_ECLEVEL_L, ['M'] = QR_ECLEVEL_M, ['Q'] = QR_ECLEVEL_Q, ['H'] = QR_ECLEVEL_H };
    char name[200];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        qr_code q = { 0 };
        qr_status st = qr_encode(rows[i].text, rows[i].ecc, &q);
        QRcode *ref = QRcode_encodeString(rows[i].text, 0, levels[(unsigned char)rows[i].ecc], QR_MODE_8, 1);
        bool same = st == QR_OK && ref && q.eci == 0 && q.width == ref->width && q.version == ref->version;
        for (int k = 0; same && k < q.width * q.width; k++)
            same = q.dark[k] == (ref->data[k] & 1);
        snprintf(name, sizeof name, "qr ASCII row %d [qrencode]: \"%s\" at %c is the symbol it always was, no ECI",
                 rows[i].row, rows[i].text, rows[i].ecc);
        check(same, name, NULL);
        QRcode_free(ref);
        qr_code_free(&q);
    }
}

static void alt_rows(void)
{
    static const struct {
        int row;
        const char *in, *out;
        const char *source;
    } rows[] = {
        { 1, "tel:+18883737888", "QR code: call 1-888-373-7888", "issue14, hotline" },
        { 2, "SMSTO:233733:HELP", "QR code: text HELP to 233733", "issue14, hotline" },
        { 3, "https://example.org/donate", "QR code: example.org/donate", "issue14" },
        { 4, "https://www.example.org/", "QR code: example.org", "docs/accessibility.md: scheme, www. and a final / left out" },
        { 5, "tel:+442079460000", "QR code: call +442079460000", "docs/accessibility.md: other numbers as given" },
        { 6, "SMSTO:233733", "QR code: text 233733", "SMSTO without a message" },
        { 7, "WIFI:S:x;;", "QR code: WIFI:S:x;;", "anything else as it is" },
    };
    char name[300];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *got = payload_alt(rows[i].in);
        snprintf(name, sizeof name, "payload alt row %d [%s]: \"%s\" -> \"%s\"", rows[i].row, rows[i].source, rows[i].in, rows[i].out);
        check(got && strcmp(got, rows[i].out) == 0, name, got ? got : "NULL");
        free(got);
    }
}

void test_payload(void)
{
    alt_rows();
    tel_rows();
    sms_rows();
    tracking_rows();
    url_rows();
    capacity_rows();
    text_rows();
    eci_capacity_rows();
    ascii_same_rows();
}
