/* units: strict parsers for numbers, lengths, page sizes and colours. Nothing here depends on
 * the C locale: decimal points are always '.'. */
#include "units.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* Reads a decimal number at *sp, advancing *sp. Returns false when there is none. */
static bool read_number(const char **sp, double *out)
{
    const char *s = *sp;
    bool neg = false;
    if (*s == '-' || *s == '+') {
        neg = *s == '-';
        s++;
    }
    double v = 0;
    int digits = 0;
    while (isdigit((unsigned char)*s)) {
        if (v < 1e15)
            v = v * 10 + (*s - '0');
        else
            v = 1e300; /* absurdly large: callers reject by range */
        s++, digits++;
    }
    if (*s == '.') {
        s++;
        double scale = 0.1;
        while (isdigit((unsigned char)*s)) {
            v += (*s - '0') * scale;
            scale /= 10;
            s++, digits++;
        }
    }
    if (digits == 0)
        return false;
    *out = neg ? -v : v;
    *sp = s;
    return true;
}

bool units_number(const char *s, double *out, const char **expected)
{
    const char *p = skip_space(s);
    double v;
    if (read_number(&p, &v) && *skip_space(p) == '\0' && v < 1e9 && v > -1e9) {
        *out = v;
        return true;
    }
    if (expected)
        *expected = "a number such as 1.2";
    return false;
}

bool units_int(const char *s, long *out, const char **expected)
{
    const char *p = skip_space(s);
    long v = 0;
    int digits = 0;
    while (isdigit((unsigned char)*p) && digits < 9) {
        v = v * 10 + (*p - '0');
        p++, digits++;
    }
    if (digits > 0 && *skip_space(p) == '\0') {
        *out = v;
        return true;
    }
    if (expected)
        *expected = "a whole number such as 4";
    return false;
}

static const char LENGTH_EXPECTED[] = "a length with a unit (pt, in, mm, cm), such as 0.5in";

/* Reads one length at *sp (number, optional spaces, unit). */
static bool read_length(const char **sp, double *pt, bool *negative)
{
    const char *s = skip_space(*sp);
    double v;
    if (!read_number(&s, &v))
        return false;
    s = skip_space(s);
    double scale;
    if (strncasecmp(s, "pt", 2) == 0)
        scale = 1.0;
    else if (strncasecmp(s, "in", 2) == 0)
        scale = UNITS_PT_PER_IN;
    else if (strncasecmp(s, "mm", 2) == 0)
        scale = UNITS_PT_PER_MM;
    else if (strncasecmp(s, "cm", 2) == 0)
        scale = 10 * UNITS_PT_PER_MM;
    else if (v == 0 && !isalpha((unsigned char)*s)) {
        *pt = 0;
        *negative = false;
        *sp = s;
        return true;
    } else
        return false;
    s += 2;
    if (isalpha((unsigned char)*s))
        return false;
    *negative = v < 0;
    *pt = v * scale;
    *sp = s;
    return true;
}

bool units_length(const char *s, double *pt, const char **expected)
{
    const char *p = s;
    bool neg = false;
    double v;
    if (read_length(&p, &v, &neg) && *skip_space(p) == '\0') {
        if (neg) {
            if (expected)
                *expected = "a length that is not negative";
            return false;
        }
        if (v > 14400.0) { /* 200 in: the largest page PDF allows */
            if (expected)
                *expected = "a length of at most 200in (the largest PDF page)";
            return false;
        }
        *pt = v;
        return true;
    }
    if (expected)
        *expected = LENGTH_EXPECTED;
    return false;
}

bool units_rel_length(const char *s, double *value, units_basis *basis, const char **expected)
{
    const char *p = skip_space(s);
    double v;
    if (read_number(&p, &v) && *p == '%') {
        p++;
        units_basis b = UNITS_PERCENT;
        if (*p == 'w' || *p == 'W')
            b = UNITS_PERCENT_W, p++;
        else if (*p == 'h' || *p == 'H')
            b = UNITS_PERCENT_H, p++;
        if (*skip_space(p) == '\0' && v >= 0 && v <= 100) {
            *value = v;
            *basis = b;
            return true;
        }
        if (expected)
            *expected = "a percentage from 0% to 100% (10%, or 10%w of the trim width, 10%h of its height)";
        return false;
    }
    *basis = UNITS_ABSOLUTE;
    return units_length(s, value, expected);
}

bool units_distance(const char *s, double *pt, const char **expected)
{
    const char *p = skip_space(s);
    double v;
    if (read_number(&p, &v) && v > 0) {
        p = skip_space(p);
        double scale = 0;
        size_t ul = 0;
        if (strncasecmp(p, "mm", 2) == 0)
            scale = UNITS_PT_PER_MM, ul = 2;
        else if (strncasecmp(p, "cm", 2) == 0)
            scale = 10 * UNITS_PT_PER_MM, ul = 2;
        else if (strncasecmp(p, "m", 1) == 0)
            scale = 1000 * UNITS_PT_PER_MM, ul = 1;
        else if (strncasecmp(p, "ft", 2) == 0)
            scale = 12 * UNITS_PT_PER_IN, ul = 2;
        else if (strncasecmp(p, "in", 2) == 0)
            scale = UNITS_PT_PER_IN, ul = 2;
        if (scale > 0 && *skip_space(p + ul) == '\0' && v * scale <= 100000 * UNITS_PT_PER_MM) {
            *pt = v * scale;
            return true;
        }
    }
    if (expected)
        *expected = "a distance above 0 with a unit (m, cm, mm, ft, in), such as 1.5m or 10ft";
    return false;
}

bool units_list_next(const char **p, char *item, size_t size)
{
    const char *s = *p;
    while (*s == ' ' || *s == ',')
        s++;
    size_t n = strcspn(s, ",");
    size_t len = n;
    while (len > 0 && s[len - 1] == ' ')
        len--;
    *p = s + n;
    if (len == 0)
        return false;
    snprintf(item, size, "%.*s", (int)len, s);
    return true;
}

typedef struct page_name {
    const char *name;
    double w, h; /* points, portrait */
} page_name;

#define MM(x) ((x) * UNITS_PT_PER_MM)
static const page_name PAGE_NAMES[] = {
    { "letter", 612, 792 },        { "legal", 612, 1008 },      { "tabloid", 792, 1224 },
    { "ledger", 1224, 792 },       { "a0", MM(841), MM(1189) }, { "a1", MM(594), MM(841) },
    { "a2", MM(420), MM(594) },    { "a3", MM(297), MM(420) },  { "a4", MM(210), MM(297) },
    { "a5", MM(148), MM(210) },    { "a6", MM(105), MM(148) },  { "b4", MM(250), MM(353) },
    { "b5", MM(176), MM(250) },
};

const char *units_page_names(void)
{
    return "letter, legal, tabloid, ledger, a0, a1, a2, a3, a4, a5, a6, b4, b5";
}

bool units_page_size(const char *s, double *w, double *h, const char **expected)
{
    const char *p = skip_space(s);
    for (size_t i = 0; i < sizeof PAGE_NAMES / sizeof PAGE_NAMES[0]; i++) {
        size_t n = strlen(PAGE_NAMES[i].name);
        if (strncasecmp(p, PAGE_NAMES[i].name, n) == 0 && *skip_space(p + n) == '\0') {
            *w = PAGE_NAMES[i].w;
            *h = PAGE_NAMES[i].h;
            return true;
        }
    }
    double a, b;
    bool neg1 = false, neg2 = false;
    if (read_length(&p, &a, &neg1)) {
        p = skip_space(p);
        if (*p == 'x' || *p == 'X') {
            p++;
            if (read_length(&p, &b, &neg2) && *skip_space(p) == '\0' && !neg1 && !neg2 &&
                a >= 72 && b >= 72 && a <= 14400 && b <= 14400) {
                *w = a;
                *h = b;
                return true;
            }
        }
    }
    if (expected)
        *expected = "a page size name (letter, legal, tabloid, a4, a3, ...) or \"W x H\" "
                    "with units, each between 1in and 200in, such as \"8.5in x 11in\"";
    return false;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

bool units_colour(const char *s, colour *out, const char **expected)
{
    const char *p = skip_space(s);
    size_t n = strlen(p);
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (n > 0 && p[0] == '#' && (n == 7 || n == 4)) {
        int step = n == 7 ? 2 : 1;
        bool ok = true;
        double c[3];
        for (int i = 0; i < 3; i++) {
            int hi = hexval((unsigned char)p[1 + i * step]);
            int lo = step == 2 ? hexval((unsigned char)p[2 + i * step]) : hi;
            if (hi < 0 || lo < 0) {
                ok = false;
                break;
            }
            c[i] = (hi * 16 + lo) / 255.0;
        }
        if (ok) {
            out->space = COLOUR_RGB;
            out->c[0] = c[0], out->c[1] = c[1], out->c[2] = c[2], out->c[3] = 0;
            return true;
        }
    } else if (strncasecmp(p, "cmyk(", 5) == 0 && p[n - 1] == ')') {
        const char *q = p + 5;
        double c[4];
        bool ok = true;
        for (int i = 0; i < 4 && ok; i++) {
            q = skip_space(q);
            if (!read_number(&q, &c[i]) || c[i] < 0 || c[i] > 100)
                ok = false;
            q = skip_space(q);
            if (*q == '%')
                q = skip_space(q + 1);
            if (ok && i < 3) {
                if (*q == ',')
                    q++;
                else
                    ok = false;
            }
        }
        if (ok && q == p + n - 1) {
            out->space = COLOUR_CMYK;
            for (int i = 0; i < 4; i++)
                out->c[i] = c[i] / 100.0;
            return true;
        }
    }
    if (expected)
        *expected = "a colour \"#rrggbb\" (in double quotes) or cmyk(c,m,y,k) with each "
                    "component from 0 to 100";
    return false;
}
