/* payload: QR payload rules. */
#include "payload.h"

#include "utf8.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *payload_tel(const char *number, char *why, size_t whylen)
{
    char digits[40];
    size_t n = 0;
    bool plus = false;
    for (const char *p = number; *p; p++) {
        if (*p == '+' && n == 0 && !plus)
            plus = true;
        else if (*p >= '0' && *p <= '9' && n < sizeof digits - 1)
            digits[n++] = *p;
        else if (*p == ' ' || *p == '-' || *p == '.' || *p == '(' || *p == ')')
            continue;
        else
            n = sizeof digits; /* a letter or stray sign: refuse */
    }
    const char *cc = "";
    bool ok = n < sizeof digits && n >= 3;
    if (ok && !plus) {
        if (n == 10)
            cc = "1"; /* a US number without its country code */
        else if (!(n == 11 && digits[0] == '1'))
            ok = false;
    }
    if (!ok || n > 15) {
        snprintf(why, whylen,
                 "expected a phone number of digits, spaces, dashes and brackets, with its country "
                 "code (+44 20 7946 0000) or as a 10-digit US number, found \"%s\"",
                 number);
        return NULL;
    }
    digits[n] = '\0';
    char *out = malloc(sizeof digits + 8);
    if (out)
        snprintf(out, sizeof digits + 8, "tel:+%s%s", cc, digits);
    else
        snprintf(why, whylen, "out of memory");
    return out;
}

char *payload_sms(const char *number, const char *body, const char **bad_key, char *why, size_t whylen)
{
    *bad_key = "sms";
    bool ok = true, any = false; /* digits, at least one, and a '+' only first */
    for (const char *p = number; *p; p++) {
        if (*p >= '0' && *p <= '9')
            any = true;
        else if (!(*p == '+' && p == number))
            ok = false;
    }
    if (!ok || !any) {
        snprintf(why, whylen, "expected a number to text (digits, such as 233733), found \"%s\"", number);
        return NULL;
    }
    if (body && strchr(body, ':')) {
        *bad_key = "sms_body";
        snprintf(why, whylen, "expected a message without ':' (it separates the SMSTO fields), found \"%s\"", body);
        return NULL;
    }
    size_t n = strlen(number) + (body ? strlen(body) : 0) + 8;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "SMSTO:%s%s%s", number, body && *body ? ":" : "", body ? body : "");
    else
        snprintf(why, whylen, "out of memory");
    return out;
}

const char *payload_url_problem(const char *url)
{
    bool ok = strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0;
    for (const char *p = url; ok && *p; p++)
        ok = (unsigned char)*p > 0x20 && (unsigned char)*p < 0x7F;
    if (!ok || strlen(url) < 12)
        return "expected an http:// or https:// address of printable ASCII (percent-encode spaces "
               "and other characters)";
    return NULL;
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

const char *payload_tracking_parameter(const char *url, char *found, size_t foundlen)
{
    static const char *const NAMES[] = { "src", "source", "ref", "referrer", "campaign", "partner",
                                         "event", "cid", "fbclid", "gclid", "dclid", "msclkid",
                                         "mc_cid", "mc_eid", "_hsenc", "igshid", NULL };
    const char *q = strchr(url, '?');
    const char *hash = strchr(url, '#');
    if (!q || (hash && hash < q) || foundlen == 0)
        return NULL;
    const char *k = q + 1;
    while (*k && *k != '#') {
        size_t kl = strcspn(k, "=&;#");
        /* the name as a server reads it: percent-decoded ('+' is a space there) */
        size_t o = 0;
        for (size_t i = 0; i < kl && o + 1 < foundlen; i++) {
            if (k[i] == '%' && i + 2 < kl && hex_value(k[i + 1]) >= 0 && hex_value(k[i + 2]) >= 0) {
                found[o++] = (char)(hex_value(k[i + 1]) << 4 | hex_value(k[i + 2]));
                i += 2;
            } else {
                found[o++] = k[i] == '+' ? ' ' : k[i];
            }
        }
        found[o] = '\0';
        if (strncasecmp(found, "utm_", 4) == 0)
            return found;
        for (int i = 0; NAMES[i]; i++)
            if (strcasecmp(found, NAMES[i]) == 0)
                return found;
        const char *next = k + strcspn(k, "&;#");
        if (*next != '&' && *next != ';')
            break;
        k = next + 1;
    }
    return NULL;
}

bool payload_text_ok(const char *payload, char *why, size_t whylen)
{
    long bad = utf8_invalid_at(payload, strlen(payload));
    if (bad < 0)
        return true;
    snprintf(why, whylen,
             "expected UTF-8 text (a code with letters beyond ASCII is marked as UTF-8 for the phone), "
             "found the byte 0x%02X at byte %ld, which is not UTF-8",
             (unsigned char)payload[bad], bad + 1);
    return false;
}

char *payload_alt(const char *payload)
{
    char body[256];
    const char *s = payload;
    if (strncmp(s, "tel:", 4) == 0) {
        const char *n = s + 4;
        size_t len = strlen(n);
        bool digits = len == 12 && strncmp(n, "+1", 2) == 0;
        for (size_t i = 1; digits && i < len; i++)
            digits = n[i] >= '0' && n[i] <= '9';
        if (digits)
            snprintf(body, sizeof body, "call 1-%.3s-%.3s-%.4s", n + 2, n + 5, n + 8);
        else
            snprintf(body, sizeof body, "call %.200s", n);
    } else if (strncmp(s, "SMSTO:", 6) == 0) {
        const char *num = s + 6, *colon = strchr(num, ':');
        if (colon && colon[1])
            snprintf(body, sizeof body, "text %.150s to %.*s", colon + 1, (int)(colon - num < 40 ? colon - num : 40), num);
        else
            snprintf(body, sizeof body, "text %.*s", (int)(colon ? (colon - num < 40 ? colon - num : 40) : 40), num);
    } else {
        const char *verb = "";
        bool web = false;
        if (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0) {
            s = strchr(s, '/') + 2;
            if (strncmp(s, "www.", 4) == 0)
                s += 4;
            web = true;
        } else if (strncmp(s, "mailto:", 7) == 0) {
            s += 7;
            verb = "email ";
        }
        size_t n = strlen(s);
        if (n > 200) { /* on a character boundary */
            n = 200;
            while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
                n--;
        } else if (web && n > 0 && s[n - 1] == '/') {
            n--;
        }
        snprintf(body, sizeof body, "%s%.*s", verb, (int)n, s);
    }
    for (char *c = body; *c; c++)
        if ((unsigned char)*c < 0x20)
            *c = ' ';
    size_t n = strlen(body) + 10;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "QR code: %s", body);
    return out;
}
