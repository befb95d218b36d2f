/* escape: one-line values, both ways. */
#include "escape.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The escape for byte c into buf (at most 5 bytes with the NUL), or NULL when c stands as it is. */
static const char *escape_of(unsigned char c, char buf[5])
{
    switch (c) {
    case '\\': return "\\\\";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default:
        if (c < 0x20 || c == 0x7F) {
            snprintf(buf, 5, "\\x%02X", c);
            return buf;
        }
        return NULL;
    }
}

void escape_fputs(const char *s, FILE *f)
{
    char buf[5];
    for (; *s; s++) {
        const char *e = escape_of((unsigned char)*s, buf);
        if (e)
            fputs(e, f);
        else
            fputc(*s, f);
    }
}

char *escape_dup(const char *s)
{
    char buf[5];
    size_t n = 0;
    for (const char *p = s; *p; p++) {
        const char *e = escape_of((unsigned char)*p, buf);
        n += e ? strlen(e) : 1;
    }
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (const char *p = s; *p; p++) {
        const char *e = escape_of((unsigned char)*p, buf);
        if (e) {
            memcpy(out + k, e, strlen(e));
            k += strlen(e);
        } else {
            out[k++] = *p;
        }
    }
    out[k] = '\0';
    return out;
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

void escape_undo(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r != '\\' || !r[1]) {
            *w++ = *r;
            continue;
        }
        char n = r[1];
        if (n == '\\' || n == 'n' || n == 'r' || n == 't') {
            *w++ = n == 'n' ? '\n' : n == 'r' ? '\r' : n == 't' ? '\t' : '\\';
            r++;
        } else if (n == 'x' && hex_digit(r[2]) >= 0 && hex_digit(r[3]) >= 0 &&
                   (hex_digit(r[2]) << 4 | hex_digit(r[3])) != 0) {
            *w++ = (char)(hex_digit(r[2]) << 4 | hex_digit(r[3]));
            r += 3;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

size_t escape_shown(const char *s, bool backslash, char *out, size_t size)
{
    size_t n = strlen(s), k = 0;
    if (size == 0)
        return 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp = 0;
        size_t len = utf8_decode(s + i, n - i, &cp);
        char esc[16];
        const char *piece = s + i;
        size_t plen = len;
        if (len == 0) { /* a byte that is not UTF-8 */
            snprintf(esc, sizeof esc, "\\x%02X", (unsigned char)s[i]);
            len = 1;
            piece = esc, plen = strlen(esc);
        } else if (cp < 0x20 || cp == 0x7F) {
            snprintf(esc, sizeof esc, "\\x%02X", (unsigned)cp);
            piece = esc, plen = strlen(esc);
        } else if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
            snprintf(esc, sizeof esc, "\\u%04X", (unsigned)cp);
            piece = esc, plen = strlen(esc);
        } else if (cp == '\\' && backslash) {
            piece = "\\\\", plen = 2;
        }
        if (k + plen >= size)
            break;
        memcpy(out + k, piece, plen);
        k += plen;
        i += len;
    }
    out[k] = '\0';
    return k;
}
