/* ini: iniparser behind a pre-scan. iniparser 4.1 lower-cases names, cuts an unquoted value at
 * the first ';' or '#', refuses lines of 1023 bytes or more and a byte-order mark, and lets the
 * last of two equal keys win; the pre-scan turns each of these into a clear error. */
#include "ini.h"
#include "inputs.h"
#include "suggest.h"
#include "readfile.h"
#include "utf8.h"

#include <ctype.h>
#include <errno.h>
#include <iniparser.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INI_MAX_LINE 1023 /* iniparser reads lines into 1024 bytes: 1,022 characters, line end, NUL */

typedef struct ini_key {
    char *name;
    char *value;
    int line;
} ini_key;

typedef struct ini_section {
    char *name;
    int line;
    ini_key *keys;
    int nkeys, cap;
} ini_section;

struct ini_file {
    char *path;
    ini_section *secs;
    int nsecs, cap;
};

static char *dup_lower(const char *s, size_t n)
{
    char *r = malloc(n + 1);
    if (!r)
        return NULL;
    for (size_t i = 0; i < n; i++)
        r[i] = (char)tolower((unsigned char)s[i]);
    r[n] = '\0';
    return r;
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && isspace((unsigned char)(*s)[0]))
        (*s)++, (*n)--;
    while (*n > 0 && isspace((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

void ini_free(ini_file *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->nsecs; i++) {
        for (int k = 0; k < f->secs[i].nkeys; k++) {
            free(f->secs[i].keys[k].name);
            free(f->secs[i].keys[k].value);
        }
        free(f->secs[i].keys);
        free(f->secs[i].name);
    }
    free(f->secs);
    free(f->path);
    free(f);
}

static ini_section *add_section(ini_file *f, char *name, int line)
{
    if (f->nsecs == f->cap) {
        int cap = f->cap ? f->cap * 2 : 8;
        ini_section *s = realloc(f->secs, (size_t)cap * sizeof *s);
        if (!s)
            return NULL;
        f->secs = s;
        f->cap = cap;
    }
    ini_section *s = &f->secs[f->nsecs++];
    memset(s, 0, sizeof *s);
    s->name = name;
    s->line = line;
    return s;
}

static ini_key *add_key(ini_section *s, char *name, int line)
{
    if (s->nkeys == s->cap) {
        int cap = s->cap ? s->cap * 2 : 8;
        ini_key *k = realloc(s->keys, (size_t)cap * sizeof *k);
        if (!k)
            return NULL;
        s->keys = k;
        s->cap = cap;
    }
    ini_key *k = &s->keys[s->nkeys++];
    k->name = name;
    k->value = NULL;
    k->line = line;
    return k;
}

static int find_section(const ini_file *f, const char *name)
{
    for (int i = 0; i < f->nsecs; i++)
        if (strcmp(f->secs[i].name, name) == 0)
            return i;
    return -1;
}

static int find_key(const ini_section *s, const char *name)
{
    for (int k = 0; k < s->nkeys; k++)
        if (strcmp(s->keys[k].name, name) == 0)
            return k;
    return -1;
}

/* Reads one value as written (after '=') the way iniparser 4.1 reads it, and refuses what it
 * would read differently from what the author wrote. iniparser tries, in order:
 *   key = "VALUE"...   up to the next '"' (no escapes); whatever follows the quote is dropped
 *   key = 'VALUE'...   the same with single quotes
 *   key = VALUE        cut at the first ';' or '#', then trimmed ("" and '' give empty)
 * so the value is refused when text follows its closing quote, when its quote is never closed,
 * and when an unquoted value holds ';' or '#' anywhere (a comment belongs on a line of its own).
 * `line` is the line as written, quoted in messages. Returns the value iniparser will give
 * (caller frees), or NULL after an error. */
static char *scan_value(const char *v, size_t n, const char *line, size_t linen, diag *d,
                        diag_loc loc)
{
    trim(&v, &n);
    if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[1] == v[0]) {
        /* "" or '': iniparser reads an empty value only when nothing follows */
        if (n == 2)
            return strdup("");
        diag_error(d, "ini-text-after-empty-quotes", loc,
                   "expected nothing after an empty quoted value, found %.*s in the line: %.*s", (int)(n - 2), v + 2,
                   (int)linen, line);
        return NULL;
    }
    if (n > 0 && (v[0] == '"' || v[0] == '\'')) {
        char q = v[0];
        const char *close = memchr(v + 1, q, n - 1);
        if (!close) {
            diag_error(d, "ini-unclosed-quote", loc,
                       "expected a closing %c to end the value, found none in the line: %.*s; "
                       "write the %c at the end of the value, or remove the opening one",
                       q, (int)linen, line, q);
            return NULL;
        }
        size_t after = (size_t)(v + n - (close + 1));
        if (after > 0) { /* iniparser drops what follows the closing quote */
            diag_error(d, "ini-text-after-quote", loc,
                       "expected the whole value inside the quotes, found %.*s after the closing "
                       "%c in the line: %.*s; put the closing %c at the end of the value (%s)",
                       (int)after, close + 1, q, (int)linen, line, q,
                       q == '"' ? "to print quotation marks, write typographic ones: “ ”"
                                : "for an apostrophe inside, write the value in double quotes or use ’");
            return NULL;
        }
        return strndup(v + 1, (size_t)(close - v) - 1);
    }
    for (size_t i = 0; i < n; i++) {
        if (v[i] == '#' || v[i] == ';') {
            bool has_quote = memchr(v, '"', n) != NULL;
            if (has_quote)
                diag_error(d, "ini-needs-quotes", loc,
                           "expected no '%c' in a value without quotes (INI reads it as the start "
                           "of a comment and drops the rest), found %.*s in the line: %.*s; "
                           "write the value without '\"' and put it in double quotes, or use "
                           "typographic quotes",
                           v[i], (int)n, v, (int)linen, line);
            else
                diag_error(d, "ini-needs-quotes", loc,
                           "expected a value in double quotes because it holds '%c' (INI reads "
                           "it as the start of a comment and drops the rest), found %.*s in the "
                           "line: %.*s; write %s = \"%.*s\" (a comment goes on a line of its own)",
                           v[i], (int)n, v, (int)linen, line, loc.key, (int)n, v);
            return NULL;
        }
    }
    return strndup(v, n);
}

/* The pre-scan: structure, line numbers and the traps. Returns the number of errors. */
static int prescan(ini_file *f, const char *buf, size_t len, diag *d)
{
    int errors = diag_errors(d);
    const char *path = f->path;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        diag_error(d, "ini-byte-order-mark", diag_at(path, 1),
                   "expected plain UTF-8 text, found a byte-order mark at the start; save the "
                   "file as UTF-8 without BOM");
        return 1;
    }
    if (memchr(buf, '\0', len)) {
        diag_error(d, "ini-nul-byte", diag_at(path, 0), "expected text, found a NUL byte (is this a binary file?)");
        return 1;
    }
    ini_section *cur = NULL;
    bool skip_section = false; /* after a refused header */
    int line = 0;
    size_t pos = 0;
    while (pos < len) {
        line++;
        const char *s = buf + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + (nl ? 1 : 0);
        if (n >= INI_MAX_LINE) { /* a '\r' before the '\n' counts: iniparser reads it too */
            diag_error(d, "ini-line-too-long", diag_at(path, line),
                       "expected lines shorter than %d characters, found one of %zu; move long text "
                       "into a Markdown file",
                       INI_MAX_LINE, n);
            continue;
        }
        if (n > 0 && s[n - 1] == '\r')
            n--;
        long bad = utf8_invalid_at(s, n);
        if (bad >= 0) {
            diag_error(d, "ini-not-utf8", diag_at(path, line),
                       "expected UTF-8 text, found the invalid byte 0x%02X at column %ld", (unsigned char)s[bad],
                       bad + 1);
            continue;
        }
        trim(&s, &n);
        if (n == 0 || s[0] == ';' || s[0] == '#')
            continue;
        if (s[n - 1] == '\\') {
            diag_error(d, "ini-line-continued", diag_at(path, line),
                       "expected one value per line, found a line continued with '\\'");
            continue;
        }
        if (s[0] == '[') {
            /* iniparser takes a line as a header only when it ends with ']', and then reads the
             * name up to the first ']'; anything else starting with '[' it reads as a key */
            const char *end = memchr(s, ']', n);
            if (!end || end != s + n - 1) {
                diag_error(d, "ini-header-not-alone", diag_at(path, line),
                           "expected a section header [name] alone on its line (a comment goes on "
                           "a line of its own), found %.*s",
                           (int)n, s);
                cur = NULL;
                skip_section = true;
                continue;
            }
            const char *name = s + 1;
            size_t nn = (size_t)(end - name);
            trim(&name, &nn);
            if (nn == 0) {
                diag_error(d, "ini-empty-section-name", diag_at(path, line),
                           "expected a section name between [ and ], found none");
                cur = NULL;
                skip_section = true;
                continue;
            }
            if (memchr(name, ':', nn)) { /* iniparser joins section and key with ':' */
                diag_error(d, "ini-colon-in-section-name", diag_at(path, line),
                           "expected a section name without ':', found [%.*s]", (int)nn, name);
                cur = NULL;
                skip_section = true;
                continue;
            }
            skip_section = false;
            char *low = dup_lower(name, nn);
            if (!low)
                return 1;
            int prev = find_section(f, low);
            if (prev >= 0) {
                diag_error(d, "ini-duplicate-section", diag_at(path, line),
                           "expected each section once, found [%s] again (first on line %d)", low, f->secs[prev].line);
                free(low);
                cur = &f->secs[prev];
                continue;
            }
            cur = add_section(f, low, line);
            if (!cur)
                return 1;
            continue;
        }
        const char *eq = memchr(s, '=', n);
        if (!eq) {
            diag_error(d, "ini-not-key-value", diag_at(path, line), "expected key = value, found %.*s", (int)n, s);
            continue;
        }
        const char *k = s;
        size_t kn = (size_t)(eq - s);
        trim(&k, &kn);
        if (!cur && skip_section)
            continue; /* the keys of a section whose header was refused */
        if (!cur) {
            diag_error(d, "ini-key-outside-section", diag_at(path, line),
                       "expected every key inside a [section], found %.*s before the first one", (int)kn, k);
            continue;
        }
        char *key = dup_lower(k, kn);
        if (!key)
            return 1;
        diag_loc loc = { path, line, cur->name, key };
        int prevk = find_key(cur, key);
        if (kn == 0) {
            diag_error(d, "ini-empty-key-name", loc, "expected a key name before '=', found none");
            free(key);
            continue;
        }
        if (prevk >= 0) {
            diag_error(d, "ini-duplicate-key", loc,
                       "expected each key once per section, found it again (first on line %d)", cur->keys[prevk].line);
            free(key);
            continue;
        }
        char *value = scan_value(eq + 1, (size_t)(s + n - (eq + 1)), s, n, d, loc);
        ini_key *nk = add_key(cur, key, line);
        if (!nk) {
            free(key);
            free(value);
            return 1;
        }
        nk->value = value; /* NULL after an error: the load fails */
    }
    return diag_errors(d) - errors;
}

/* iniparser reports through a global callback; keep its last message here. */
static char ini_parser_message[512];

__attribute__((format(printf, 1, 2))) static int ini_error_callback(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(ini_parser_message, sizeof ini_parser_message, fmt, ap);
    va_end(ap);
    size_t l = strlen(ini_parser_message);
    while (l > 0 && ini_parser_message[l - 1] == '\n')
        ini_parser_message[--l] = '\0';
    return n;
}

ini_file *ini_load(const char *path, diag *d)
{
    ini_file *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->path = strdup(path);
    size_t len = 0;
    char why[512];
    char *buf = f->path ? readfile(path, (size_t)16 << 20, &len, why, sizeof why) : NULL;
    if (!buf) {
        diag_error(d, !f->path ? "internal-out-of-memory" : readfile_error_id(errno), diag_at(path, 0), "%s",
                   f->path ? why : "out of memory");
        ini_free(f);
        return NULL;
    }
    inputs_note(path);
    int bad = prescan(f, buf, len, d);
    free(buf);
    if (bad) {
        ini_free(f);
        return NULL;
    }
    iniparser_set_error_callback(ini_error_callback);
    ini_parser_message[0] = '\0';
    dictionary *dict = iniparser_load(path);
    if (!dict) {
        diag_error(d, "ini-unparsable", diag_at(path, 0), "cannot be read as INI: %s",
                   ini_parser_message[0] ? ini_parser_message : "unknown reason");
        ini_free(f);
        return NULL;
    }
    /* What iniparser read must be what the pre-scan read: the same sections, the same number of
     * keys in each, the same values. A difference means a line the pre-scan took one way and
     * iniparser another; it is refused rather than printed wrong. */
    char full[1024];
    bool same = iniparser_getnsec(dict) == f->nsecs;
    if (!same)
        diag_error(d, "internal-ini-mismatch", diag_at(path, 0),
                   "expected the INI reader to find the %d sections the pre-scan found, found %d; "
                   "please report this file",
                   f->nsecs, iniparser_getnsec(dict));
    for (int i = 0; same && i < f->nsecs; i++) {
        ini_section *s = &f->secs[i];
        int nk = iniparser_getsecnkeys(dict, s->name);
        if (nk != s->nkeys) {
            diag_loc loc = { path, s->line, s->name, NULL };
            diag_error(d, "internal-ini-mismatch", loc,
                       "expected the INI reader to find the %d keys the pre-scan found, found %d; "
                       "please report this file",
                       s->nkeys, nk);
            same = false;
        }
        for (int k = 0; same && k < s->nkeys; k++) {
            snprintf(full, sizeof full, "%s:%s", s->name, s->keys[k].name);
            const char *v = iniparser_getstring(dict, full, NULL);
            if (!v || strcmp(v, s->keys[k].value) != 0) {
                diag_loc loc = { path, s->keys[k].line, s->name, s->keys[k].name };
                diag_error(d, "internal-ini-mismatch", loc,
                           "expected the INI reader to read the value as \"%s\", found \"%s\"; "
                           "please report this line",
                           s->keys[k].value, v ? v : "(none)");
                same = false;
            }
        }
    }
    if (!same) {
        iniparser_freedict(dict);
        ini_free(f);
        return NULL;
    }
    iniparser_freedict(dict);
    return f;
}

const char *ini_path(const ini_file *f)
{
    return f->path;
}

int ini_section_count(const ini_file *f)
{
    return f->nsecs;
}

const char *ini_section_name(const ini_file *f, int s)
{
    return f->secs[s].name;
}

int ini_section_line(const ini_file *f, int s)
{
    return f->secs[s].line;
}

int ini_section_index(const ini_file *f, const char *name)
{
    return find_section(f, name);
}

int ini_key_count(const ini_file *f, int s)
{
    return f->secs[s].nkeys;
}

const char *ini_key_name(const ini_file *f, int s, int k)
{
    return f->secs[s].keys[k].name;
}

const char *ini_key_value(const ini_file *f, int s, int k)
{
    return f->secs[s].keys[k].value;
}

int ini_key_line(const ini_file *f, int s, int k)
{
    return f->secs[s].keys[k].line;
}

const char *ini_get(const ini_file *f, const char *section, const char *key)
{
    int s = find_section(f, section);
    if (s < 0)
        return NULL;
    int k = find_key(&f->secs[s], key);
    return k < 0 ? NULL : f->secs[s].keys[k].value;
}

int ini_line(const ini_file *f, const char *section, const char *key)
{
    int s = find_section(f, section);
    if (s < 0)
        return 0;
    if (!key)
        return f->secs[s].line;
    int k = find_key(&f->secs[s], key);
    return k < 0 ? 0 : f->secs[s].keys[k].line;
}

void ini_check_keys(const ini_file *f, int s, const char *const *keys, const char *id, diag *d)
{
    for (int k = 0; k < f->secs[s].nkeys; k++) {
        const char *key = f->secs[s].keys[k].name;
        int i;
        for (i = 0; keys[i]; i++)
            if (strcmp(keys[i], key) == 0)
                break;
        if (!keys[i]) {
            diag_loc loc = { f->path, f->secs[s].keys[k].line, f->secs[s].name, key };
            suggest_unknown_key(d, id, loc, key, keys, NULL);
        }
    }
}
