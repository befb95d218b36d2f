/* content: fields, overrides and placeholders. A placeholder is {name} with name made of
 * a-z, 0-9 and '_' (field names are case-insensitive because INI keys are lower-cased). */
#include "content.h"
#include "data.h"
#include "grow.h"
#include "inputs.h"
#include "ini.h"
#include "readfile.h"
#include "theme.h"
#include "utf8.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define CONTENT_MAX_DEPTH 8

typedef struct field {
    char *key;
    char *value;
    int line; /* in content.ini; 0 when set on the command line */
    bool used; /* some expansion read it */
} field;

struct content {
    char *dir;
    char *ini_path;
    field *fields;
    size_t n, cap;
    const data_table *table; /* the current item's record, or NULL */
    size_t row;
    long serial; /* 0: none yet */
    long record_serial; /* which copy of its record the item is ({record_serial}, from 1); 0: none */
    struct sibling {
        char lang[32];
        content *set;
    } *siblings; /* other languages' sets, loaded on first use by {field@lang}; only the set
                  * that was loaded first (the owner) holds any */
    size_t nsiblings, capsiblings;
    content *owner; /* for a sibling: the set that holds it; NULL for the set a build loaded */
    content_status status; /* [content] status */
    int status_line;       /* its line in content.ini; 0 when absent */
    const theme *theme;    /* {theme.KEY}'s values (borrowed), or NULL; a sibling uses its owner's */
};

/* The length of the last component of a folder path ("content/en" gives "en"), and where it
 * starts (content_new has removed any trailing '/'). */
static size_t last_component(const char *dir, const char **start)
{
    size_t n = strlen(dir);
    size_t b = n;
    while (b > 0 && dir[b - 1] != '/')
        b--;
    *start = dir + b;
    return n - b;
}

char *content_sibling_path(const char *dir, const char *lang)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    size_t b = n;
    while (b > 0 && dir[b - 1] != '/')
        b--;
    size_t size = b + strlen(lang) + 1;
    char *out = malloc(size);
    if (out)
        snprintf(out, size, "%.*s%s", (int)b, dir, lang);
    return out;
}

/* The content set of another language beside this one (content/<lang>/), loaded once for the
 * whole family of sets: a sibling's own {field@lang} finds the sets its owner already holds, and
 * the owner itself by its folder's name, so sets that name each other load each set once. */
static content *content_sibling(content *c, const char *lang, diag *d, diag_loc loc)
{
    if (c->owner)
        c = c->owner;
    const char *own;
    size_t ownn = last_component(c->dir, &own);
    if (ownn == strlen(lang) && strncmp(own, lang, ownn) == 0)
        return c;
    for (size_t i = 0; i < c->nsiblings; i++)
        if (strcmp(c->siblings[i].lang, lang) == 0)
            return c->siblings[i].set;
    if (!GROW(c->siblings, c->nsiblings, c->capsiblings)) {
        diag_error(d, "internal-out-of-memory", loc, "out of memory");
        return NULL;
    }
    char *dir = content_sibling_path(c->dir, lang);
    if (!dir)
        return NULL;
    content *other = content_load(dir, d);
    free(dir);
    if (!other)
        return NULL;
    other->owner = c;
    snprintf(c->siblings[c->nsiblings].lang, sizeof c->siblings[0].lang, "%s", lang);
    c->siblings[c->nsiblings++].set = other;
    return other;
}

static bool is_name_char(int ch);
static content *content_sibling(content *c, const char *lang, diag *d, diag_loc loc);

content *content_for_file(content *c, const char *name, diag *d)
{
    if (strncmp(name, "../", 3) != 0)
        return NULL;
    const char *lang = name + 3;
    size_t n = strcspn(lang, "/");
    if (n == 0 || n >= 32 || lang[n] != '/')
        return NULL;
    char code[32];
    snprintf(code, sizeof code, "%.*s", (int)n, lang);
    for (size_t i = 0; i < n; i++)
        if (!(is_name_char((unsigned char)code[i]) || code[i] == '-'))
            return NULL;
    return content_sibling(c, code, d, diag_at(name, 0));
}

void content_use_record(content *c, const data_table *t, size_t row, long serial)
{
    c->table = t;
    c->row = row;
    c->serial = serial;
    c->record_serial = serial > 0 ? 1 : 0;
}

void content_use_copy(content *c, long record_serial)
{
    c->record_serial = record_serial;
}

content *content_new(const char *dir)
{
    content *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->dir = strdup(dir);
    if (c->dir) { /* "content/en/" names the set "content/en" */
        size_t l = strlen(c->dir);
        while (l > 1 && c->dir[l - 1] == '/')
            c->dir[--l] = '\0';
        dir = c->dir;
    }
    size_t n = strlen(dir) + sizeof "/content.ini";
    c->ini_path = malloc(n);
    if (!c->dir || !c->ini_path) {
        content_free(c);
        return NULL;
    }
    snprintf(c->ini_path, n, "%s/content.ini", dir);
    return c;
}

void content_free(content *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->fields[i].key);
        free(c->fields[i].value);
    }
    free(c->fields);
    for (size_t i = 0; i < c->nsiblings; i++)
        content_free(c->siblings[i].set);
    free(c->siblings);
    free(c->dir);
    free(c->ini_path);
    free(c);
}

const char *content_dir(const content *c)
{
    return c->dir;
}

const char *content_ini_path(const content *c)
{
    return c->ini_path;
}

static field *find_field(const content *c, const char *key, size_t keylen)
{
    for (size_t i = 0; i < c->n; i++)
        if (strlen(c->fields[i].key) == keylen && strncmp(c->fields[i].key, key, keylen) == 0)
            return &c->fields[i];
    return NULL;
}

static bool set_field(content *c, const char *key, const char *value, int line)
{
    field *f = find_field(c, key, strlen(key));
    char *v = strdup(value);
    if (!v)
        return false;
    if (f) {
        free(f->value);
        f->value = v;
        f->line = line;
        return true;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        field *nf = realloc(c->fields, cap * sizeof *nf);
        if (!nf) {
            free(v);
            return false;
        }
        c->fields = nf;
        c->cap = cap;
    }
    char *k = strdup(key);
    if (!k) {
        free(v);
        return false;
    }
    c->fields[c->n].key = k;
    c->fields[c->n].value = v;
    c->fields[c->n].line = line;
    c->fields[c->n].used = false;
    c->n++;
    return true;
}

void content_each_unused(const content *c, void (*fn)(void *ctx, const char *key, int line), void *ctx)
{
    for (size_t i = 0; i < c->n; i++)
        if (!c->fields[i].used && c->fields[i].line > 0)
            fn(ctx, c->fields[i].key, c->fields[i].line);
}

void content_each_used(const content *c, void (*fn)(void *ctx, const char *key), void *ctx)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->fields[i].used)
            fn(ctx, c->fields[i].key);
    for (size_t i = 0; i < c->nsiblings; i++)
        content_each_used(c->siblings[i].set, fn, ctx); /* fields read as {field@lang} */
}

void content_mark_used(content *c, const char *key)
{
    field *f = find_field(c, key, strlen(key));
    if (f)
        f->used = true;
}

bool content_set(content *c, const char *key, const char *value)
{
    return set_field(c, key, value, 0);
}

const char *content_get(const content *c, const char *key)
{
    field *f = find_field(c, key, strlen(key));
    return f ? f->value : NULL;
}

bool content_origin(const content *c, const char *needle, diag_loc *loc)
{
    for (size_t i = 0; i < c->n; i++)
        if (strstr(c->fields[i].value, needle)) {
            diag_loc l = { c->fields[i].line ? c->ini_path : "--set", c->fields[i].line,
                           c->fields[i].line ? "content" : NULL, c->fields[i].key };
            *loc = l;
            return true;
        }
    return false;
}

static bool is_name_char(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
}

/* [content] status: draft or reviewed (absent: the set says nothing of its review); anything
 * else is an error naming the file, the section and the key. */
static bool read_status(content *c, diag *d)
{
    field *f = find_field(c, "status", strlen("status"));
    c->status = CONTENT_STATUS_UNSTATED;
    c->status_line = f ? f->line : 0;
    if (!f)
        return true;
    if (strcmp(f->value, "draft") == 0) {
        c->status = CONTENT_STATUS_DRAFT;
    } else if (strcmp(f->value, "reviewed") == 0) {
        c->status = CONTENT_STATUS_REVIEWED;
    } else {
        diag_loc loc = { c->ini_path, f->line, "content", "status" };
        diag_error(d, "content-bad-status", loc, "expected draft or reviewed, found \"%s\"", f->value);
        return false;
    }
    return true;
}

content *content_load(const char *dir, diag *d)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        diag_error(d, "content-not-a-folder", diag_at(dir, 0),
                   "expected a content folder (such as content/en), found %s",
                   errno == ENOENT ? "nothing at that path" : strerror(errno));
        return NULL;
    }
    if (!S_ISDIR(st.st_mode)) {
        const char *kind = readfile_kind(st.st_mode);
        diag_error(d, "content-not-a-folder", diag_at(dir, 0),
                   "expected a content folder (such as content/en), found %s", kind ? kind : "a file");
        return NULL;
    }
    content *c = content_new(dir);
    if (!c)
        return NULL;
    if (stat(c->ini_path, &st) != 0) {
        diag_error(d, "content-no-ini", diag_at(c->ini_path, 0),
                   "expected the content set's fields in this file, found no such file");
        content_free(c);
        return NULL;
    }
    ini_file *f = ini_load(c->ini_path, d);
    if (!f) {
        content_free(c);
        return NULL;
    }
    int s = ini_section_index(f, "content");
    bool ok = true;
    if (s < 0) {
        diag_error(d, "content-no-section", diag_at(c->ini_path, 0), "expected a [content] section, found none");
        ok = false;
    }
    for (int i = 0; i < ini_section_count(f); i++)
        if (i != s) {
            diag_loc loc = { c->ini_path, ini_section_line(f, i), ini_section_name(f, i), NULL };
            diag_error(d, "content-extra-section", loc, "expected only the [content] section, found this one");
            ok = false;
        }
    for (int k = 0; ok && k < ini_key_count(f, s); k++) {
        const char *key = ini_key_name(f, s, k);
        bool good = key[0] != '\0';
        for (const char *p = key; *p; p++)
            good = good && is_name_char((unsigned char)*p);
        if (!good) {
            diag_loc loc = { c->ini_path, ini_key_line(f, s, k), "content", key };
            diag_error(d, "content-bad-field-name", loc, "expected a field name of a-z, 0-9 and '_', found \"%s\"",
                       key);
            ok = false;
            continue;
        }
        if (!set_field(c, key, ini_key_value(f, s, k), ini_key_line(f, s, k)))
            ok = false;
    }
    ini_free(f);
    if (ok && !read_status(c, d))
        ok = false;
    if (!ok) {
        content_free(c);
        return NULL;
    }
    return c;
}

int content_line(const content *c, const char *key)
{
    const field *f = find_field(c, key, strlen(key));
    return f ? f->line : 0;
}

content_status content_get_status(const content *c, int *line)
{
    if (line)
        *line = c->status_line;
    return c->status;
}

void content_each_sibling(const content *c, void (*fn)(void *ctx, const content *set), void *ctx)
{
    for (size_t i = 0; i < c->nsiblings; i++)
        fn(ctx, c->siblings[i].set);
}

bool content_lists_layout(const content *c, const char *name, bool *listed)
{
    const field *f = find_field(c, "layouts", strlen("layouts"));
    if (!f)
        return false;
    *listed = false;
    size_t n = strlen(name);
    for (const char *p = f->value; *p;) {
        p += strspn(p, " ,\t");
        size_t k = strcspn(p, " ,\t");
        if (k == n && strncmp(p, name, n) == 0)
            *listed = true;
        p += k;
    }
    return true;
}

bool content_set_arg(content *c, const char *arg, diag *d)
{
    const char *eq = strchr(arg, '=');
    diag_loc loc = { "--set", 0, NULL, NULL };
    if (!eq || eq == arg) {
        diag_error(d, "content-set-not-key-value", loc, "expected key=value, found \"%s\"", arg);
        return false;
    }
    size_t kn = (size_t)(eq - arg);
    char key[128];
    if (kn >= sizeof key) {
        diag_error(d, "content-set-name-too-long", loc, "expected a field name under 128 characters, found one of %zu",
                   kn);
        return false;
    }
    for (size_t i = 0; i < kn; i++) {
        int ch = tolower((unsigned char)arg[i]);
        if (!is_name_char(ch)) {
            diag_error(d, "content-bad-field-name", loc, "expected a field name of a-z, 0-9 and '_', found \"%.*s\"",
                       (int)kn, arg);
            return false;
        }
        key[i] = (char)ch;
    }
    key[kn] = '\0';
    if (utf8_invalid_at(eq + 1, strlen(eq + 1)) >= 0) {
        diag_error(d, "content-set-not-utf8", loc, "%s: expected a UTF-8 value, found invalid bytes", key);
        return false;
    }
    return set_field(c, key, eq + 1, 0);
}

typedef struct sbuf {
    char *s;
    size_t n, cap;
    bool failed;   /* out of memory, or too_long */
    bool too_long; /* the text would pass CONTENT_MAX_TEXT */
    int level;     /* expand_into calls under way; 1 is the text given to content_expand */
    size_t top_at; /* where in that text the piece being expanded starts */
    bool marks;    /* content_expand_marked: another language's text between CONTENT_LANG_* */
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (n > CONTENT_MAX_TEXT - b->n) {
        b->too_long = b->failed = true;
        return;
    }
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->failed = true;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static diag_loc loc_at(diag_loc loc, const char *text, size_t off)
{
    if (loc.line > 0 && loc.key == NULL) {
        for (size_t i = 0; i < off; i++)
            if (text[i] == '\n')
                loc.line++;
    }
    return loc;
}

static bool expand_into(const content *c, const char *in, sbuf *out, diag *d, diag_loc loc,
                        const field **stack, int depth);

/* Whether field f may be expanded at this depth: not already being expanded (one stack for all
 * the sets of a family, so {a@es} in en and {b@en} in es are one cycle) and not too deep. */
static bool enter_field(const field **stack, int depth, const field *f, const char *name,
                        const char *lang, diag *d, diag_loc loc)
{
    for (int k = 0; k < depth; k++)
        if (stack[k] == f) {
            diag_error(d, "content-placeholder-cycle", loc,
                       "expected placeholders that end, found a cycle: {%s%s%s} contains itself "
                       "through its own value",
                       name, lang ? "@" : "", lang ? lang : "");
            return false;
        }
    if (depth >= CONTENT_MAX_DEPTH) {
        diag_error(d, "content-placeholder-too-deep", loc,
                   "expected placeholders nested at most %d deep, found deeper at {%s%s%s}", CONTENT_MAX_DEPTH, name,
                   lang ? "@" : "", lang ? lang : "");
        return false;
    }
    return true;
}

/* expand_into, counting the calls under way so that the piece of the top text being expanded
 * is known when the text grows past the limit. */
static bool expand_level(const content *c, const char *in, sbuf *out, diag *d, diag_loc loc,
                         const field **stack, int depth)
{
    out->level++;
    bool ok = expand_into(c, in, out, d, loc, stack, depth);
    out->level--;
    return ok;
}

const theme *content_theme(const content *c)
{
    return c->theme ? c->theme : c->owner ? c->owner->theme : NULL;
}

void content_use_theme(content *c, const theme *t)
{
    c->theme = t;
}

/* {theme.KEY} at the start of in: the theme's value, as it is (a theme's values hold no
 * placeholders). *used: the bytes of the placeholder. False after reporting at loc. */
static bool expand_theme(const content *c, const char *in, sbuf *out, diag *d, diag_loc loc, size_t *used)
{
    size_t j = 7, n = strlen(in);
    char key[64];
    size_t kn = 0;
    while (j < n && is_name_char(tolower((unsigned char)in[j])) && kn + 1 < sizeof key)
        key[kn++] = (char)tolower((unsigned char)in[j++]);
    key[kn] = '\0';
    if (kn == 0 || j >= n || in[j] != '}') {
        size_t show = j < n ? j + 1 : j;
        if (show > 40)
            show = 40;
        diag_error(d, "content-bad-placeholder", loc,
                   "expected a placeholder {theme.KEY} with a name of a-z, 0-9 and '_', found \"%.*s\"; write '{{' "
                   "for a literal brace",
                   (int)show, in);
        return false;
    }
    *used = j + 1;
    const theme *t = content_theme(c);
    if (!t) {
        diag_error(d, "theme-none", loc,
                   "expected a theme for {theme.%s} (themes/default.ini in the project folder, or --theme FILE), "
                   "found none",
                   key);
        return false;
    }
    const char *v = theme_get(t, key);
    if (!v) {
        theme_unknown_key(t, d, "theme-unknown-reference", loc, key);
        return false;
    }
    sb_add(out, v, strlen(v));
    return true;
}

/* One expand_into call: the text, where it stands, and where its output and messages go. */
typedef struct expansion {
    const content *c;    /* the set whose fields the text names */
    const char *in;      /* the text */
    size_t n;            /* its length */
    sbuf *out;
    diag *d;
    diag_loc loc;        /* the text's place */
    const field **stack; /* the fields being expanded (enter_field) */
    int depth;
} expansion;

/* A placeholder {name}, {name@lang} or {name:0N} as it is written. */
typedef struct placeholder {
    char name[128]; /* lower case, cut to fit */
    size_t kn;      /* name's length */
    char lang[32];  /* {name@lang}: lang; else "" */
    int pad;        /* {name:0N}: N; else -1 */
    size_t end;     /* the offset of its closing '}' in the text */
    diag_loc loc;   /* where it starts */
} placeholder;

/* The optional format of the placeholder at i whose name ends at j: {name:0N}, zero-padded to N
 * digits; p->pad and p->end. False after reporting. */
static bool parse_format(const expansion *x, size_t i, size_t j, placeholder *p)
{
    const char *in = x->in;
    size_t n = x->n;
    p->pad = -1;
    p->end = j;
    if (j < n && in[j] == ':') {
        size_t q = j + 1;
        int w = 0;
        bool good = q < n && in[q] == '0';
        for (q = q + (good ? 1 : 0); good && q < n && isdigit((unsigned char)in[q]) && w < 100; q++)
            w = w * 10 + (in[q] - '0');
        if (!good || q >= n || in[q] != '}' || w < 1 || w > 20) {
            diag_error(x->d, "content-bad-placeholder-format", p->loc,
                       "expected a format such as {%s:05} (zero-padded to 5 digits), found \"%.*s\"", p->name,
                       (int)(q < n ? q - i + 1 : q - i), in + i);
            return false;
        }
        p->pad = w;
        p->end = q;
    }
    return true;
}

/* The placeholder that starts at i (a '{' not doubled, nor {theme.KEY}). False after reporting. */
static bool parse_placeholder(const expansion *x, size_t i, placeholder *p)
{
    const char *in = x->in;
    size_t n = x->n;
    p->loc = loc_at(x->loc, in, i);
    size_t j = i + 1;
    while (j < n && is_name_char(tolower((unsigned char)in[j])))
        j++;
    size_t name_end = j;
    p->lang[0] = '\0';
    if (j < n && in[j] == '@') {
        /* {field@lang}: a field of the sibling content set content/<lang>/ */
        size_t q = j + 1;
        while (q < n && (is_name_char((unsigned char)in[q]) || in[q] == '-') && q - j < sizeof p->lang)
            q++;
        if (q > j + 1 && q - j - 1 < sizeof p->lang)
            snprintf(p->lang, sizeof p->lang, "%.*s", (int)(q - j - 1), in + j + 1);
        j = q;
    }
    if (j >= n || (in[j] != '}' && in[j] != ':') || name_end == i + 1 || (name_end != j && !p->lang[0])) {
        size_t show = j < n ? j - i + 1 : j - i;
        if (show > 40)
            show = 40;
        diag_error(x->d, "content-bad-placeholder", p->loc,
                   "expected a placeholder {field} with a name of a-z, 0-9 and '_', found "
                   "\"%.*s\"; write '{{' for a literal brace",
                   (int)show, in + i);
        return false;
    }
    p->kn = name_end - i - 1;
    if (p->kn >= sizeof p->name)
        p->kn = sizeof p->name - 1;
    for (size_t k = 0; k < p->kn; k++)
        p->name[k] = (char)tolower((unsigned char)in[i + 1 + k]);
    p->name[p->kn] = '\0';
    return parse_format(x, i, j, p);
}

/* {field@lang}: the field of the sibling set, expanded there, between the marks of its language
 * when the text is expanded with them. False after reporting. */
static bool expand_sibling(const expansion *x, const placeholder *p)
{
    sbuf *out = x->out;
    content *other = content_sibling((content *)x->c, p->lang, x->d, p->loc);
    if (!other)
        return false;
    const field *of = find_field(other, p->name, p->kn);
    if (!of) {
        diag_error(x->d, "content-unknown-field", p->loc, "expected {%s@%s} to name a field of %s, found no such field",
                   p->name, p->lang, other->ini_path);
        return false;
    }
    if (!enter_field(x->stack, x->depth, of, p->name, p->lang, x->d, p->loc))
        return false;
    ((field *)of)->used = true;
    x->stack[x->depth] = of;
    diag_loc oloc = { other->ini_path, of->line, "content", of->key };
    const char *olang = content_get(other, "language");
    if (out->marks) {
        char mark[40];
        int ml = snprintf(mark, sizeof mark, "%c%s%c", CONTENT_LANG_BEGIN, olang && *olang ? olang : p->lang,
                          CONTENT_LANG_CODE_END);
        sb_add(out, mark, ml > 0 && (size_t)ml < sizeof mark ? (size_t)ml : 0);
    }
    if (!expand_level(other, of->value, out, x->d, oloc, x->stack, x->depth + 1))
        return false;
    if (out->marks) {
        char close = CONTENT_LANG_END;
        sb_add(out, &close, 1);
    }
    return true;
}

/* A value that is no content field: the serial, the record's serial, or a column of the record
 * (*value; NULL when the name is none of these). numbuf holds a serial. False after reporting an
 * empty column. */
static bool record_value(const expansion *x, const placeholder *p, char *numbuf, size_t size, const char **value)
{
    const content *c = x->c;
    diag_loc loc = x->loc;
    const char *name = p->name;
    *value = NULL;
    if (strcmp(name, "serial") == 0 && c->serial > 0) {
        snprintf(numbuf, size, "%ld", c->serial);
        *value = numbuf;
    } else if (strcmp(name, "record_serial") == 0 && c->record_serial > 0) {
        snprintf(numbuf, size, "%ld", c->record_serial);
        *value = numbuf;
    }
    long col = !*value && c->table ? data_column_index(c->table, name) : -1;
    if (col >= 0) {
        *value = data_value(c->table, c->row, (size_t)col);
        if ((*value)[0] == '\0') {
            diag_error(x->d, "data-empty-field", diag_at(data_path(c->table), data_row_line(c->table, c->row)),
                       "column \"%s\": expected a value for {%s} (used by %s%s%s%s%s), found "
                       "an empty field",
                       name, name, loc.file ? loc.file : "", loc.section ? " [" : "",
                       loc.section ? loc.section : "", loc.section ? "] " : "", loc.key ? loc.key : "");
            return false;
        }
    }
    return true;
}

/* A record's value or the serial: used as it is, placeholders not expanded; zero-padded by the
 * placeholder's format. False after reporting a value that is no number for it. */
static bool add_record_value(const expansion *x, const placeholder *p, const char *value)
{
    if (p->pad > 0) {
        size_t vl = strlen(value);
        for (size_t k = 0; k < vl; k++)
            if (!isdigit((unsigned char)value[k])) {
                diag_error(x->d, "content-pad-not-number", p->loc, "expected a number for {%s:0%d}, found \"%s\"",
                           p->name, p->pad, value);
                return false;
            }
        for (size_t k = vl; k < (size_t)p->pad; k++)
            sb_add(x->out, "0", 1);
    }
    sb_add(x->out, value, strlen(value));
    return true;
}

/* Content field f, its own placeholders expanded. False after reporting. */
static bool expand_field(const expansion *x, const placeholder *p, const field *f)
{
    const content *c = x->c;
    if (p->pad > 0) {
        diag_error(x->d, "content-pad-on-field", p->loc,
                   "expected {%s:0%d} on a number (a column or serial), found a content field", p->name, p->pad);
        return false;
    }
    if (!enter_field(x->stack, x->depth, f, p->name, NULL, x->d, p->loc))
        return false;
    ((field *)f)->used = true;
    x->stack[x->depth] = f;
    diag_loc floc = { f->line ? c->ini_path : "--set", f->line, f->line ? "content" : NULL, f->key };
    return expand_level(c, f->value, x->out, x->d, floc, x->stack, x->depth + 1);
}

/* The placeholder that starts at i, expanded; *next: the offset after it. False after reporting. */
static bool expand_placeholder(const expansion *x, size_t i, size_t *next)
{
    placeholder p;
    if (!parse_placeholder(x, i, &p))
        return false;
    *next = p.end + 1;
    if (p.lang[0])
        return expand_sibling(x, &p);
    const char *value;
    char numbuf[32];
    if (!record_value(x, &p, numbuf, sizeof numbuf, &value))
        return false;
    const field *f = value ? NULL : find_field(x->c, p.name, p.kn);
    if (!value && !f) {
        const content *c = x->c;
        char *cols = c->table ? data_column_list(c->table) : NULL;
        diag_error(x->d, "content-unknown-field", p.loc,
                   "expected {%s} to name a field of %s%s%s%s%s%s or a --set value, found no "
                   "such field",
                   p.name, c->ini_path, cols ? ", a column of " : "", cols ? data_path(c->table) : "",
                   cols ? " (" : "", cols ? cols : "", cols ? ")" : "");
        free(cols);
        return false;
    }
    return value ? add_record_value(x, &p, value) : expand_field(x, &p, f);
}

static bool expand_into(const content *c, const char *in, sbuf *out, diag *d, diag_loc loc,
                        const field **stack, int depth)
{
    const expansion x = { c, in, strlen(in), out, d, loc, stack, depth };
    size_t i = 0, n = x.n;
    while (i < n && !out->failed) {
        char ch = in[i];
        if (out->level == 1)
            out->top_at = i;
        if (ch == '{' && i + 1 < n && in[i + 1] == '{') {
            sb_add(out, "{", 1);
            i += 2;
            continue;
        }
        if (ch == '}' && i + 1 < n && in[i + 1] == '}') {
            sb_add(out, "}", 1);
            i += 2;
            continue;
        }
        if (ch == '}') {
            diag_error(d, "content-lone-brace", loc_at(loc, in, i),
                       "expected '}' only to close a {field} placeholder, found a lone '}'; write "
                       "'}}' for a literal brace");
            return false;
        }
        if (ch != '{') {
            size_t j = i;
            while (j < n && in[j] != '{' && in[j] != '}')
                j++;
            sb_add(out, in + i, j - i);
            i = j;
            continue;
        }
        if (n - i > 7 && strncasecmp(in + i + 1, "theme.", 6) == 0) {
            size_t used = 0;
            if (!expand_theme(c, in + i, out, d, loc_at(loc, in, i), &used))
                return false;
            i += used;
            continue;
        }
        if (!expand_placeholder(&x, i, &i))
            return false;
    }
    return !out->failed;
}

/* content_varies at a depth of fields: each placeholder read as expand_into reads it. */
static bool varies_at(const content *c, const char *in, int depth)
{
    if (depth > CONTENT_MAX_DEPTH)
        return true; /* expand_into refuses it: no claim that it is the same */
    for (const char *s = in; (s = strchr(s, '{')) != NULL;) {
        if (s[1] == '{') {
            s += 2;
            continue;
        }
        size_t n = 0;
        while (s[1 + n] && is_name_char(tolower((unsigned char)s[1 + n])))
            n++;
        const char *after = s + 1 + n;
        if (n == 5 && *after == '.' && strncasecmp(s + 1, "theme", 5) == 0) { /* the same for every item */
            s = after;
            continue;
        }
        if (*after == '@') { /* another language's field: no record is read there */
            s = after;
            continue;
        }
        if (n == 0 || n >= 128 || (*after != '}' && *after != ':'))
            return true; /* malformed: expand_into reports it */
        char name[128];
        for (size_t k = 0; k < n; k++)
            name[k] = (char)tolower((unsigned char)s[1 + k]);
        name[n] = '\0';
        if (strcmp(name, "serial") == 0 || strcmp(name, "record_serial") == 0)
            return true;
        if (c->table && data_column_index(c->table, name) >= 0)
            return true;
        const field *f = find_field(c, name, n);
        if (f && varies_at(c, f->value, depth + 1))
            return true;
        s = after;
    }
    return false;
}

bool content_varies(const content *c, const char *in)
{
    return in && varies_at(c, in, 0);
}

static char *expand_top(const content *c, const char *in, diag *d, diag_loc loc, bool marks);

char *content_expand(const content *c, const char *in, diag *d, diag_loc loc)
{
    return expand_top(c, in, d, loc, false);
}

char *content_expand_marked(const content *c, const char *in, diag *d, diag_loc loc)
{
    return expand_top(c, in, d, loc, true);
}

static char *expand_top(const content *c, const char *in, diag *d, diag_loc loc, bool marks)
{
    sbuf out = { 0 };
    out.marks = marks;
    const field *stack[CONTENT_MAX_DEPTH + 1];
    sb_add(&out, "", 0);
    if (!expand_level(c, in, &out, d, loc, stack, 0) || out.failed) {
        if (out.too_long) {
            /* the place and the placeholder where the text passed the limit */
            const char *at = in + out.top_at;
            size_t name = at[0] == '{' ? strcspn(at, "}") + 1 : 0;
            size_t len = strlen(in);
            if (name > 0 && name <= 64 && at[name - 1] == '}')
                diag_error(d, "content-text-too-long", loc_at(loc, in, out.top_at),
                           "expected at most %d KiB (%d bytes) of text once placeholders are filled, found more "
                           "from %.*s (fields whose values repeat other placeholders multiply the text)",
                           CONTENT_MAX_TEXT >> 10, CONTENT_MAX_TEXT, (int)name, at);
            else if (len > CONTENT_MAX_TEXT)
                diag_error(d, "content-text-too-long", loc,
                           "expected at most %d KiB (%d bytes) of text, found %zu bytes; shorten it",
                           CONTENT_MAX_TEXT >> 10, CONTENT_MAX_TEXT, len);
            else
                diag_error(d, "content-text-too-long", loc_at(loc, in, out.top_at),
                           "expected at most %d KiB (%d bytes) of text once placeholders are filled, found more",
                           CONTENT_MAX_TEXT >> 10, CONTENT_MAX_TEXT);
        }
        free(out.s);
        return NULL;
    }
    return out.s;
}

char *content_read_file(const content *c, const char *name, char **path_out, diag *d, diag_loc loc)
{
    if (name[0] == '\0') {
        diag_error(d, "content-empty-file-name", loc, "expected a file name, found an empty value");
        return NULL;
    }
    size_t n = strlen(c->dir) + strlen(name) + 2;
    char *path = malloc(n);
    if (!path)
        return NULL;
    if (name[0] == '/')
        snprintf(path, n, "%s", name);
    else
        snprintf(path, n, "%s/%s", c->dir, name);
    size_t len = 0;
    char why[512];
    inputs_note(path);
    /* one sentence for every failure, naming the file (the place is the key that names it): a
     * FIFO, a folder, a device, over CONTENT_MAX_FILE (the limit, the file and its size), missing,
     * unreadable */
    char *buf = readfile_as(path, "a text file", path, CONTENT_MAX_FILE, &len, why, sizeof why);
    if (!buf) {
        diag_error(d, readfile_error_id(errno), loc, "%s", why);
        free(path);
        return NULL;
    }
    long bad = utf8_invalid_at(buf, len);
    if (bad >= 0 || memchr(buf, '\0', len)) {
        int line = 1;
        size_t upto = bad >= 0 ? (size_t)bad : strlen(buf);
        for (size_t i = 0; i < upto; i++)
            line += buf[i] == '\n';
        diag_error(d, "content-file-not-utf8", diag_at(path, line), "expected UTF-8 text, found %s",
                   bad >= 0 ? "an invalid byte" : "a NUL byte");
        free(buf);
        free(path);
        return NULL;
    }
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        memmove(buf, buf + 3, len - 2);
    if (path_out)
        *path_out = path;
    else
        free(path);
    return buf;
}
