/* hyphen: libhyphen behind a small interface. libhyphen has no error channel: a dictionary that
 * cannot be opened loads as NULL, which is cached as "no dictionary" for that language.
 *
 * How libhyphen is called: hnj_hyphen_hyphenate2 wants a NUL-terminated, lower-case word in the
 * dictionary's encoding (here UTF-8), and a hyphens buffer of word_size + 5 bytes. For a UTF-8
 * dictionary it returns the hyphens vector indexed by character, not byte (hnj_hyphen_norm):
 * an odd hyphens[k] allows a break after character k. rep/pos/cut stay NULL unless a non-standard
 * pattern ("f1f/ff=f") matched; rep[k] then holds the replacement for the break after character
 * k, and such breaks are skipped. The arrays it allocates are ours to free. It applies the
 * dictionary's own LEFTHYPHENMIN/RIGHTHYPHENMIN (2 and 2 when unstated); the 2 and 3 default
 * of this module is applied afterwards, on characters. Beware: libhyphen's own allocator exits
 * the process when memory runs out (hnjalloc.c); nothing here can catch that. */
#include "hyphenate.h"

#include "utf8.h"

#include <hyphen.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define HYPHEN_DEFAULT_DIR "/usr/share/hyphen"
#define HYPHEN_TAG_MAX 8 /* "lll_RR" and its NUL */

typedef struct hyphen_dict {
    dev_t dev; /* the file, so that hyph_en.dic -> hyph_en_US.dic loads once */
    ino_t ino;
    HyphenDict *dict;
} hyphen_dict;

typedef struct hyphen_lang {
    char tag[HYPHEN_TAG_MAX]; /* "en_US", "es", "vi" */
    size_t dict;              /* index into dicts, or SIZE_MAX: no dictionary */
} hyphen_lang;

struct hyphenator {
    char *dir;
    hyphen_lang *langs;
    size_t nlangs, langcap;
    hyphen_dict *dicts;
    size_t ndicts, dictcap;
};

hyphenator *hyphenator_new(void)
{
    hyphenator *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    const char *dir = getenv("HANDOUT_HYPHEN_DIR");
    h->dir = strdup(dir && dir[0] ? dir : HYPHEN_DEFAULT_DIR);
    if (!h->dir) {
        free(h);
        return NULL;
    }
    return h;
}

void hyphenator_free(hyphenator *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->ndicts; i++) {
        hnj_hyphen_free(h->dicts[i].dict);
    }
    free(h->dicts);
    free(h->langs);
    free(h->dir);
    free(h);
}

/* ---- language codes ---- */

static bool hyphen_is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char hyphen_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static char hyphen_upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* BCP 47-ish: a primary language of 2 or 3 letters, then subtags after '-' or '_'; the first
 * subtag of 2 letters is the region ("en-Latn-US" -> en_US). Writes "ll" or "ll_RR" into tag.
 * False when the code is malformed (anything but letters there, so no path can be smuggled in). */
static bool hyphen_tag(const char *lang, char tag[HYPHEN_TAG_MAX])
{
    size_t n = 0;
    while (hyphen_is_alpha(lang[n]))
        n++;
    if (n < 2 || n > 3)
        return false;
    for (size_t i = 0; i < n; i++)
        tag[i] = hyphen_lower(lang[i]);
    tag[n] = '\0';
    const char *p = lang + n;
    bool region = false;
    while (*p) {
        if (*p != '-' && *p != '_')
            return false;
        p++;
        size_t k = 0;
        while (p[k] && p[k] != '-' && p[k] != '_') {
            if (!hyphen_is_alpha(p[k]) && !(p[k] >= '0' && p[k] <= '9'))
                return false;
            k++;
        }
        if (k == 0 || k > 8)
            return false;
        if (k == 2 && !region && hyphen_is_alpha(p[0]) && hyphen_is_alpha(p[1])) {
            tag[n] = '_';
            tag[n + 1] = hyphen_upper(p[0]);
            tag[n + 2] = hyphen_upper(p[1]);
            tag[n + 3] = '\0';
            region = true;
        }
        p += k;
    }
    return true;
}

/* Loads the file for one name ("en_US") into the dictionary list, or finds it there when it was
 * loaded under another name. Returns its index, or SIZE_MAX when the file is missing or not UTF-8. */
static size_t hyphen_load(hyphenator *h, const char *name)
{
    size_t plen = strlen(h->dir) + strlen(name) + sizeof "/hyph_.dic";
    char *path = malloc(plen);
    if (!path)
        return SIZE_MAX;
    snprintf(path, plen, "%s/hyph_%s.dic", h->dir, name);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        free(path);
        return SIZE_MAX;
    }
    for (size_t i = 0; i < h->ndicts; i++) {
        if (h->dicts[i].dev == st.st_dev && h->dicts[i].ino == st.st_ino) {
            free(path);
            return i;
        }
    }
    if (h->ndicts == h->dictcap) {
        size_t cap = h->dictcap ? h->dictcap * 2 : 4;
        hyphen_dict *nd = realloc(h->dicts, cap * sizeof *nd);
        if (!nd) {
            free(path);
            return SIZE_MAX;
        }
        h->dicts = nd;
        h->dictcap = cap;
    }
    HyphenDict *dict = hnj_hyphen_load(path);
    free(path);
    if (!dict || !dict->utf8) {
        if (dict)
            hnj_hyphen_free(dict);
        return SIZE_MAX;
    }
    h->dicts[h->ndicts].dev = st.st_dev;
    h->dicts[h->ndicts].ino = st.st_ino;
    h->dicts[h->ndicts].dict = dict;
    return h->ndicts++;
}

/* The dictionary for a language code, loaded on first use; NULL when there is none. */
static HyphenDict *hyphen_dict_for(hyphenator *h, const char *lang)
{
    char tag[HYPHEN_TAG_MAX];
    if (!lang || !hyphen_tag(lang, tag))
        return NULL;
    for (size_t i = 0; i < h->nlangs; i++)
        if (strcmp(h->langs[i].tag, tag) == 0)
            return h->langs[i].dict == SIZE_MAX ? NULL : h->dicts[h->langs[i].dict].dict;
    /* candidates: ll_RR, ll, ll_LL (Debian ships Spanish only as hyph_es_ES.dic) */
    char names[3][HYPHEN_TAG_MAX];
    size_t nn = 0;
    size_t ll = strcspn(tag, "_");
    if (tag[ll] == '_')
        memcpy(names[nn++], tag, sizeof tag);
    memcpy(names[nn], tag, ll);
    names[nn++][ll] = '\0';
    if (ll == 2) {
        names[nn][0] = tag[0];
        names[nn][1] = tag[1];
        names[nn][2] = '_';
        names[nn][3] = hyphen_upper(tag[0]);
        names[nn][4] = hyphen_upper(tag[1]);
        names[nn++][5] = '\0';
    }
    size_t found = SIZE_MAX;
    for (size_t i = 0; i < nn && found == SIZE_MAX; i++)
        found = hyphen_load(h, names[i]);
    if (h->nlangs == h->langcap) {
        size_t cap = h->langcap ? h->langcap * 2 : 4;
        hyphen_lang *nl = realloc(h->langs, cap * sizeof *nl);
        if (!nl) /* not cached: looked up again next time */
            return found == SIZE_MAX ? NULL : h->dicts[found].dict;
        h->langs = nl;
        h->langcap = cap;
    }
    memcpy(h->langs[h->nlangs].tag, tag, sizeof tag);
    h->langs[h->nlangs++].dict = found;
    return found == SIZE_MAX ? NULL : h->dicts[found].dict;
}

/* ---- words ---- */

/* Punctuation that may surround a word without being part of it. */
static bool hyphen_is_edge_punct(uint32_t cp)
{
    switch (cp) {
    case '"': case '\'': case '(': case ')': case '[': case ']': case '{': case '}':
    case ',': case '.': case ';': case ':': case '!': case '?':
    case 0x00A1: /* inverted exclamation mark */
    case 0x00AB: case 0x00BB: /* guillemets */
    case 0x00BF: /* inverted question mark */
    case 0x2018: case 0x2019: case 0x201A: case 0x201C: case 0x201D: case 0x201E:
    case 0x2026: /* ellipsis */
    case 0x2039: case 0x203A:
        return true;
    default:
        return false;
    }
}

/* Whether cp may stand inside a word that is hyphenated. */
static bool hyphen_is_word_char(uint32_t cp)
{
    if (cp < 0x80)
        return hyphen_is_alpha((char)cp) || cp == '\'';
    if (cp == 0x00A0 || cp == 0x00AD || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2026 ||
        cp == 0x2212)
        return false; /* no-break space, soft hyphen, hyphens and dashes, ellipsis, minus */
    return true;
}

/* The code point that ends just before byte `end` of s (UTF-8 valid). */
static size_t hyphen_last_cp(const char *s, size_t end, uint32_t *cp)
{
    size_t start = end - 1;
    while (start > 0 && ((unsigned char)s[start] & 0xC0) == 0x80)
        start--;
    return utf8_decode(s + start, end - start, cp);
}

size_t hyphenator_points(hyphenator *h, const char *lang, const char *word, size_t len, size_t *points,
                         size_t max)
{
    if (!h || !word || len == 0 || max == 0 || utf8_invalid_at(word, len) >= 0)
        return 0;
    /* strip surrounding punctuation */
    size_t start = 0, end = len;
    uint32_t cp;
    while (start < end) {
        size_t n = utf8_decode(word + start, end - start, &cp);
        if (!hyphen_is_edge_punct(cp))
            break;
        start += n;
    }
    while (end > start) {
        size_t n = hyphen_last_cp(word, end, &cp);
        if (!hyphen_is_edge_punct(cp))
            break;
        end -= n;
    }
    size_t core = end - start;
    if (core == 0 || core > HYPHEN_MAX_WORD)
        return 0;
    /* lower-case copy (same length: ASCII, and U+00C0..U+00DE but U+00D7 is C3 80..C3 9E), and
     * the byte offset after each character */
    char low[HYPHEN_MAX_WORD + 1];
    size_t after[HYPHEN_MAX_WORD];
    size_t nchars = 0;
    for (size_t i = start; i < end;) {
        size_t n = utf8_decode(word + i, end - i, &cp);
        if (!hyphen_is_word_char(cp))
            return 0;
        memcpy(low + (i - start), word + i, n);
        if (cp < 0x80)
            low[i - start] = hyphen_lower((char)cp);
        else if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
            low[i - start + 1] = (char)(0x80 | ((cp + 0x20) & 0x3F));
        i += n;
        after[nchars++] = i;
    }
    low[core] = '\0';

    HyphenDict *dict = hyphen_dict_for(h, lang);
    if (!dict)
        return 0;
    int lmin = dict->lhmin > 0 ? dict->lhmin : 2;
    int rmin = dict->rhmin > 0 ? dict->rhmin : 3;
    if (nchars < (size_t)(lmin + rmin))
        return 0;

    char hyphens[HYPHEN_MAX_WORD + 5];
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    size_t count = 0;
    if (hnj_hyphen_hyphenate2(dict, low, (int)core, hyphens, NULL, &rep, &pos, &cut) == 0) {
        /* a break after character k leaves k + 1 characters before it */
        for (size_t k = (size_t)lmin - 1; k + (size_t)rmin < nchars && count < max; k++) {
            if ((hyphens[k] & 1) && !(rep && rep[k]))
                points[count++] = after[k];
        }
    }
    if (rep) {
        for (size_t i = 0; i < core; i++)
            free(rep[i]);
        free(rep);
    }
    free(pos);
    free(cut);
    return count;
}
