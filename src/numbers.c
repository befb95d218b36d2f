/* numbers: keypad normalisation (ITU E.161 letter groups) and a one-edit comparison
 * (Damerau-Levenshtein distance 1) of digit strings. */
#include "numbers.h"
#include "ini.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct entry {
    char *written, *label, *source;
    char *keywords; /* "HELP, INFO", or NULL: none documented */
    char *mention;  /* "text 233733 | 233-733, chat humantraffickinghotline.org/chat", or NULL */
    char digits[32];
} entry;

struct numbers {
    entry *v;
    size_t n, cap;
};

/* E.161: ABC 2, DEF 3, GHI 4, JKL 5, MNO 6, PQRS 7, TUV 8, WXYZ 9. */
static char keypad(int c)
{
    static const char MAP[] = "22233344455566677778889999";
    c = toupper(c);
    return c >= 'A' && c <= 'Z' ? MAP[c - 'A'] : (char)c;
}

/* Digits of a number as dialled; a leading US country code 1 is dropped from 11 digits. */
static size_t dial_digits(const char *s, size_t len, char *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < max; i++) {
        char c = keypad((unsigned char)s[i]);
        if (c >= '0' && c <= '9')
            out[n++] = c;
    }
    out[n] = '\0';
    if (n == 11 && out[0] == '1') {
        memmove(out, out + 1, n);
        n--;
    }
    return n;
}

numbers *numbers_new(void)
{
    return calloc(1, sizeof(numbers));
}

void numbers_free(numbers *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++) {
        free(n->v[i].written);
        free(n->v[i].label);
        free(n->v[i].source);
        free(n->v[i].keywords);
        free(n->v[i].mention);
    }
    free(n->v);
    free(n);
}

bool numbers_add(numbers *n, const char *number, const char *label, const char *source)
{
    if (n->n == n->cap) {
        size_t cap = n->cap ? n->cap * 2 : 8;
        entry *nv = realloc(n->v, cap * sizeof *nv);
        if (!nv)
            return false;
        n->v = nv;
        n->cap = cap;
    }
    entry *e = &n->v[n->n];
    if (dial_digits(number, strlen(number), e->digits, sizeof e->digits) < 5)
        return false;
    e->keywords = NULL;
    e->mention = NULL;
    e->written = strdup(number);
    e->label = strdup(label);
    e->source = strdup(source);
    if (!e->written || !e->label || !e->source)
        return false;
    n->n++;
    return true;
}

bool numbers_set_keywords(numbers *n, const char *keywords)
{
    if (n->n == 0)
        return false;
    entry *e = &n->v[n->n - 1];
    free(e->keywords);
    e->keywords = strdup(keywords);
    return e->keywords != NULL;
}

bool numbers_set_mention(numbers *n, const char *mention)
{
    if (n->n == 0)
        return false;
    entry *e = &n->v[n->n - 1];
    free(e->mention);
    e->mention = strdup(mention);
    return e->mention != NULL;
}

/* A date written YYYY-MM-DD. */
static bool is_date(const char *s)
{
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return false;
    return s[10] == '\0';
}

numbers *numbers_load(const char *path, diag *d)
{
    ini_file *f = ini_load(path, d);
    if (!f)
        return NULL;
    numbers *n = numbers_new();
    int before = diag_errors(d);
    for (int s = 0; n && s < ini_section_count(f); s++) {
        const char *sec = ini_section_name(f, s);
        const char *num = ini_get(f, sec, "number"), *label = ini_get(f, sec, "label"),
                   *source = ini_get(f, sec, "source");
        diag_loc loc = { path, ini_section_line(f, s), sec, NULL };
        if (!num || !label || !source)
            diag_error(d, "numbers-incomplete", loc, "expected number, label and source, found %s missing",
                       !num     ? "number"
                       : !label ? "label"
                                : "source");
        else if (!numbers_add(n, num, label, source))
            diag_error(d, "numbers-too-few-digits", loc, "number: expected at least 5 digits, found \"%s\"", num);
        else {
            const char *checked = ini_get(f, sec, "checked"), *kw = ini_get(f, sec, "keywords"),
                       *mention = ini_get(f, sec, "mention");
            /* messages name the entry and its date; its sources (addresses, quotations) are in the file */
            char where[512];
            const char *shown = strstr(path, "data/known-numbers.ini"); /* not a temporary folder's path */
            snprintf(where, sizeof where, "%s [%s], checked %s", shown ? shown : path, sec,
                     checked ? checked : "never");
            entry *e = &n->v[n->n - 1];
            free(e->source);
            e->source = strdup(where);
            if (!e->source) {
                numbers_free(n);
                n = NULL;
                break;
            }
            if (!checked || !is_date(checked)) {
                loc.key = "checked";
                diag_error(d, "numbers-no-date", loc,
                           "expected the date its source was read, as YYYY-MM-DD, found %s%s%s",
                           checked ? "\"" : "none", checked ? checked : "", checked ? "\"" : "");
            }
            if ((kw && !numbers_set_keywords(n, kw)) || (mention && !numbers_set_mention(n, mention))) {
                numbers_free(n);
                n = NULL;
            }
        }
    }
    ini_free(f);
    if (diag_errors(d) > before) {
        numbers_free(n);
        return NULL;
    }
    return n;
}

/* Exactly one edit apart: a substitution, an insertion or deletion, or two neighbours swapped. */
static bool one_edit(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la == lb) {
        size_t diff = 0, first = 0;
        for (size_t i = 0; i < la; i++)
            if (a[i] != b[i]) {
                if (diff == 0)
                    first = i;
                diff++;
            }
        if (diff == 1)
            return true;
        return diff == 2 && first + 1 < la && a[first] == b[first + 1] && a[first + 1] == b[first];
    }
    if (la + 1 != lb && lb + 1 != la)
        return false;
    const char *s = la < lb ? a : b, *l = la < lb ? b : a;
    size_t i = 0, j = 0;
    bool skipped = false;
    while (i < strlen(s) && j < strlen(l)) {
        if (s[i] == l[j]) {
            i++, j++;
        } else if (!skipped) {
            skipped = true;
            j++;
        } else {
            return false;
        }
    }
    return true;
}

#define RUN_GROUPS 16 /* groups of one run looked at; a phone number has at most 5 or 6 */

/* Whether digits (or digits without a leading country code 1) is a known number. */
static bool is_known(const numbers *n, const char *digits)
{
    const char *alt = digits[0] == '1' ? digits + 1 : digits;
    for (size_t k = 0; k < n->n; k++)
        if (strcmp(digits, n->v[k].digits) == 0 || strcmp(alt, n->v[k].digits) == 0)
            return true;
    return false;
}

/* Looks at every span of whole groups s..e of one run: spans that are a known number are fine,
 * and so is any span that overlaps one; the first other span one edit from a known number is a
 * near miss. */
static bool span_near_miss(const numbers *n, const char *text, const size_t *gs, const size_t *ge, size_t ng,
                           number_miss *miss)
{
    bool exact[RUN_GROUPS] = { false }; /* groups inside a span that is a known number */
    char digits[48];
    for (size_t s = 0; s < ng; s++)
        for (size_t e = s; e < ng; e++)
            if (dial_digits(text + gs[s], ge[e] - gs[s], digits, sizeof digits) >= 5 && is_known(n, digits))
                for (size_t g = s; g <= e; g++)
                    exact[g] = true;
    for (size_t s = 0; s < ng; s++)
        for (size_t e = s; e < ng; e++) {
            bool overlaps = false;
            for (size_t g = s; g <= e; g++)
                overlaps = overlaps || exact[g];
            if (overlaps || dial_digits(text + gs[s], ge[e] - gs[s], digits, sizeof digits) < 5)
                continue;
            const char *alt = digits[0] == '1' ? digits + 1 : digits;
            for (size_t k = 0; k < n->n; k++)
                if (one_edit(digits, n->v[k].digits) || one_edit(alt, n->v[k].digits)) {
                    size_t len = ge[e] - gs[s];
                    snprintf(miss->found, sizeof miss->found, "%.*s", (int)(len < 63 ? len : 63), text + gs[s]);
                    miss->label = n->v[k].label;
                    miss->known = n->v[k].written;
                    miss->source = n->v[k].source;
                    return true;
                }
        }
    return false;
}

bool numbers_near_miss(const numbers *n, const char *text, number_miss *miss)
{
    size_t len = strlen(text), i = 0;
    while (i < len) {
        if (!isdigit((unsigned char)text[i])) {
            i++;
            continue;
        }
        /* a run that starts with a digit: digits and separators; capital letters only after a
         * dash (1-800-FLA-SAFE); a space only before a digit or a bracket */
        size_t j = i;
        bool may_letter = false; /* after a dash, or within a keypad word */
        while (j < len) {
            unsigned char c = (unsigned char)text[j];
            if (isupper(c) && may_letter)
                may_letter = true;
            else if (isdigit(c) || c == '-' || c == '.' || c == '(' || c == ')' || c == '+')
                may_letter = c == '-';
            else if (c == ' ' && j + 1 < len && (isdigit((unsigned char)text[j + 1]) || text[j + 1] == '('))
                may_letter = false;
            else
                break;
            j++;
        }
        while (j > i && !isalnum((unsigned char)text[j - 1]))
            j--;
        /* the run's groups (digits or keypad letters between separators), and every span of
         * whole groups dialled as a number: "1-888-373-7887 (24/7)" holds 1-888-373-7887 as the
         * first four groups, which a phone dials without the "(24" that follows */
        size_t gs[RUN_GROUPS], ge[RUN_GROUPS], ng = 0;
        for (size_t p = i; p < j && ng < RUN_GROUPS;) {
            while (p < j && !isalnum((unsigned char)text[p]))
                p++;
            if (p >= j)
                break;
            gs[ng] = p;
            while (p < j && isalnum((unsigned char)text[p]))
                p++;
            ge[ng++] = p;
        }
        if (span_near_miss(n, text, gs, ge, ng, miss))
            return true;
        if (ng == RUN_GROUPS && ge[ng - 1] < j) {
            /* a run of more groups: go on from a few groups back, so that no span of a phone
             * number's length is left out */
            i = gs[RUN_GROUPS - 6];
            continue;
        }
        i = j > i ? j : i + 1;
    }
    return false;
}

/* ---- keywords ---- */

/* Whether the comma-separated list holds word (without regard to case). */
static bool list_has(const char *list, const char *word, size_t len)
{
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ",");
        size_t m = n;
        while (m > 0 && p[m - 1] == ' ')
            m--;
        if (m == len && m > 0 && strncasecmp(p, word, len) == 0)
            return true;
        p += n;
    }
    return false;
}

/* The known entry that documents keywords and whose number is digits, or NULL. */
static const entry *keyword_entry(const numbers *n, const char *digits)
{
    const char *alt = digits[0] == '1' ? digits + 1 : digits;
    for (size_t k = 0; k < n->n; k++)
        if (n->v[k].keywords && (strcmp(digits, n->v[k].digits) == 0 || strcmp(alt, n->v[k].digits) == 0))
            return &n->v[k];
    return NULL;
}

static bool keyword_fails(const entry *e, const char *word, size_t len, keyword_miss *miss)
{
    if (list_has(e->keywords, word, len))
        return false;
    snprintf(miss->keyword, sizeof miss->keyword, "%.*s", (int)(len < 31 ? len : 31), word);
    miss->label = e->label;
    miss->known = e->written;
    miss->keywords = e->keywords;
    miss->source = e->source;
    return true;
}

/* Quotes and brackets around a word, in ASCII and as the UTF-8 curly quotes and guillemets. */
static size_t quote_len(const char *s, size_t avail)
{
    static const char *const Q[] = { "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98", "\xE2\x80\x99",
                                     "\xC2\xAB", "\xC2\xBB", "\"", "'", "(", ")", "*", NULL };
    for (int i = 0; Q[i]; i++) {
        size_t l = strlen(Q[i]);
        if (l <= avail && memcmp(s, Q[i], l) == 0)
            return l;
    }
    return 0;
}

/* Words in capitals that name how a message is sent (SMS in French, Portuguese and Spanish
 * text, TEXT on an all-capitals poster), never what it says. */
static bool channel_word(const char *w, size_t len)
{
    static const char *const CH[] = { "SMS", "MMS", "TEXT", "TXT", NULL };
    for (int i = 0; CH[i]; i++)
        if (strlen(CH[i]) == len && memcmp(CH[i], w, len) == 0)
            return true;
    return false;
}

/* The short joining words of an all-capitals line ("TEXT HELP TO 233733"), read as the lower-case
 * words between a keyword and its number are. */
static bool join_word(const char *w, size_t len)
{
    static const char *const J[] = { "TO", "OR", "AT", "AU", "AL", "AO", "PAR", "POR", "PARA", NULL };
    for (int i = 0; J[i]; i++)
        if (strlen(J[i]) == len && memcmp(J[i], w, len) == 0)
            return true;
    return false;
}

/* Whether the word, all letters, spells e's number on a phone keypad ("BeFree" for 233733). */
static bool names_number(const entry *e, const char *w, size_t len)
{
    char digits[32];
    if (len < 5 || len >= sizeof digits)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!isalpha((unsigned char)w[i]))
            return false;
    return dial_digits(w, len, digits, sizeof digits) == len && strcmp(digits, e->digits) == 0;
}

/* The words before position end of text, from the nearest back: keywords in capitals, each at most
 * one short joining word ("to", "al", "or") from the next. A bracket or quote standing alone is
 * no word ("to (233733)"), and the number's keypad name just before it is the number's
 * ("to BeFree (233733)"). */
static bool keywords_before(const entry *e, const char *text, size_t end, keyword_miss *miss)
{
    size_t pos = end;
    int joins = 0;
    bool nearest = true;
    for (int words = 0; words < 8; words++) {
        while (pos > 0 && (text[pos - 1] == ' ' || text[pos - 1] == '\n' || text[pos - 1] == '\t'))
            pos--;
        size_t b = pos;
        while (b > 0 && text[b - 1] != ' ' && text[b - 1] != '\n' && text[b - 1] != '\t')
            b--;
        if (b == pos)
            return false;
        const char *w = text + b;
        size_t len = pos - b, q;
        pos = b;
        while (len > 0 && (q = quote_len(w, len)) > 0)
            w += q, len -= q;
        for (bool again = true; again && len > 0;) {
            again = false;
            for (size_t l = 1; l <= 3 && l <= len; l++)
                if (quote_len(w + len - l, l) == l) {
                    len -= l;
                    again = true;
                    break;
                }
        }
        if (len == 0)
            continue; /* "(" or a quote alone */
        if (nearest && names_number(e, w, len)) {
            nearest = false;
            continue; /* "BeFree (233733)": the number's name, not what is sent */
        }
        nearest = false;
        bool caps = len >= 2, lower = len > 0 && len <= 6;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)w[i];
            caps = caps && c >= 'A' && c <= 'Z';
            lower = lower && !(c >= 'A' && c <= 'Z') && !isdigit(c) && !ispunct(c);
        }
        if (caps && join_word(w, len))
            caps = false, lower = true; /* "TEXT HELP TO 233733" */
        if (caps && channel_word(w, len)) {
            joins = 0; /* "par SMS au 233733": the way a keyword is sent, not a keyword */
        } else if (caps) {
            if (keyword_fails(e, w, len, miss))
                return true;
            joins = 0;
        } else if (lower && joins == 0) {
            joins = 1;
        } else {
            return false;
        }
    }
    return false;
}

bool numbers_bad_keyword(const numbers *n, const char *text, keyword_miss *miss)
{
    size_t len = strlen(text);
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)text[i]) || (i > 0 && isalnum((unsigned char)text[i - 1])))
            continue;
        /* a number: digits, and dashes, dots or spaces between digits */
        size_t j = i;
        while (j < len && (isdigit((unsigned char)text[j]) ||
                           ((text[j] == '-' || text[j] == '.' || text[j] == ' ') && j + 1 < len &&
                            isdigit((unsigned char)text[j + 1]))))
            j++;
        char digits[32];
        if (j - i < sizeof digits && (j == len || !isalpha((unsigned char)text[j]))) {
            dial_digits(text + i, j - i, digits, sizeof digits);
            const entry *e = keyword_entry(n, digits);
            if (e && i >= 6 && strncasecmp(text + i - 6, "SMSTO:", 6) == 0) {
                /* SMSTO:NUMBER:MESSAGE; a one-word message is a keyword */
                if (text[j] == ':') {
                    const char *body = text + j + 1;
                    size_t bl = strcspn(body, " \n\t");
                    if (bl > 0 && body[bl] == '\0' && keyword_fails(e, body, bl, miss))
                        return true;
                }
            } else if (e && keywords_before(e, text, i, miss)) {
                return true;
            }
        }
        i = j;
    }
    /* the number written only as its keypad name: "Text AYUDA to BEFREE" */
    for (size_t i = 0; i < len; i++) {
        if (!isalpha((unsigned char)text[i]) || (i > 0 && isalnum((unsigned char)text[i - 1])))
            continue;
        size_t j = i;
        while (j < len && isalpha((unsigned char)text[j]))
            j++;
        if (j == len || !isalnum((unsigned char)text[j])) {
            for (size_t k = 0; k < n->n; k++)
                if (n->v[k].keywords && names_number(&n->v[k], text + i, j - i) &&
                    keywords_before(&n->v[k], text, i, miss))
                    return true;
        }
        i = j;
    }
    return false;
}

/* ---- the other ways in a number's source asks materials to mention ---- */

/* Whether text holds a phone-like run (digits and separators, no letters) dialled as digits. */
static bool holds_digits(const char *text, const char *digits)
{
    size_t len = strlen(text);
    for (size_t i = 0; i < len;) {
        if (!isdigit((unsigned char)text[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && (isdigit((unsigned char)text[j]) || strchr("-.() +", text[j])))
            j++;
        char got[32];
        dial_digits(text + i, j - i, got, sizeof got);
        if (strstr(got, digits))
            return true;
        i = j;
    }
    return false;
}

/* Whether text holds the needle: a number (digits and separators only) as dialled, else the
 * words without regard to case. */
static bool holds_needle(const char *text, const char *needle, size_t len)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%.*s", (int)(len < 127 ? len : 127), needle);
    bool number = buf[0] != '\0';
    for (const char *p = buf; *p; p++)
        number = number && (isdigit((unsigned char)*p) || strchr("-.() +", *p));
    if (number) {
        char digits[32];
        dial_digits(buf, strlen(buf), digits, sizeof digits);
        return holds_digits(text, digits);
    }
    size_t bl = strlen(buf);
    for (const char *t = text; *t; t++)
        if (strncasecmp(t, buf, bl) == 0)
            return true;
    return false;
}

/* Whether text holds any of item's alternatives ("chat a.org/chat | a.org": the first word names
 * the item). */
static bool holds_item(const char *text, const char *item, size_t len)
{
    size_t p = strcspn(item, " ");
    while (p < len) {
        while (p < len && (item[p] == ' ' || item[p] == '|'))
            p++;
        size_t e = p;
        while (e < len && item[e] != '|')
            e++;
        size_t n = e - p;
        while (n > 0 && item[p + n - 1] == ' ')
            n--;
        if (n > 0 && holds_needle(text, item + p, n))
            return true;
        p = e;
    }
    return false;
}

bool numbers_unmentioned(const numbers *n, const char *text, mention_miss *miss)
{
    for (size_t k = 0; k < n->n; k++) {
        const entry *e = &n->v[k];
        if (!e->mention || !holds_digits(text, e->digits))
            continue;
        miss->missing[0] = '\0';
        bool any = false;
        for (const char *p = e->mention; *p && !any;) {
            while (*p == ' ' || *p == ',')
                p++;
            size_t item = strcspn(p, ",");
            if (item == 0)
                break;
            any = holds_item(text, p, item);
            /* shown as "text (233733)": the item's name and its first alternative */
            size_t used = strlen(miss->missing), name = strcspn(p, " "), first;
            if (name > item)
                name = item;
            const char *alt = p + name;
            while (alt < p + item && *alt == ' ')
                alt++;
            first = strcspn(alt, "|,");
            if (alt + first > p + item)
                first = (size_t)(p + item - alt);
            while (first > 0 && alt[first - 1] == ' ')
                first--;
            snprintf(miss->missing + used, sizeof miss->missing - used, "%s%.*s (%.*s)", used ? " and " : "",
                     (int)name, p, (int)first, alt);
            p += item;
        }
        if (!any) {
            miss->label = e->label;
            miss->known = e->written;
            miss->source = e->source;
            return true;
        }
    }
    return false;
}

bool numbers_shows_phone(const numbers *n, const char *text)
{
    size_t len = strlen(text);
    for (size_t i = 0; i < len;) {
        if (!isdigit((unsigned char)text[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && (isdigit((unsigned char)text[j]) || isupper((unsigned char)text[j]) || strchr("-.() +", text[j])))
            j++;
        char got[64];
        dial_digits(text + i, j - i, got, sizeof got);
        for (size_t k = 0; k < n->n; k++)
            if (strlen(n->v[k].digits) >= 10 && strstr(got, n->v[k].digits))
                return true;
        i = j;
    }
    return false;
}
