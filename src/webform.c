/* webform: see webform.h. */
#define _DEFAULT_SOURCE /* scandir, alphasort */
#include "webform.h"
#include "ini.h"
#include "layout.h"
#include "strfmt.h"
#include "utf8.h"

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const char *const FIELD_NAMES[WF_COUNT] = {
    "general", "product", "language", "quantity", "version", "agency", "local_phone", "logo", "name", "contact",
    "state", "county", "staff_languages",
};

static const char *const PRODUCT_KEYS[] = { "product", "paper", "layout", "partner", "languages", NULL };

const char *web_field_name(web_field f)
{
    return f < WF_COUNT ? FIELD_NAMES[f] : "general";
}

web_field web_field_by_name(const char *name)
{
    for (int f = 1; f < WF_COUNT; f++)
        if (strcmp(name, FIELD_NAMES[f]) == 0)
            return (web_field)f;
    return WF_COUNT;
}

/* ---- the catalogue ---- */

static void product_free(web_product *p)
{
    free(p->id);
    free(p->product);
    free(p->paper);
    free(p->layout);
    free(p->layout_path);
    for (int i = 0; i < p->nsections; i++)
        free(p->sections[i]);
    free(p->sections);
    free(p->section_field);
    free(p->profile);
    free(p->state);
    free(p->county_data);
    for (int i = 0; i < p->ncounties; i++)
        free(p->counties[i]);
    free(p->counties);
}

void webcat_free(web_catalogue *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->nproducts; i++)
        product_free(&c->products[i]);
    free(c->products);
    for (int i = 0; i < c->nlanguages; i++) {
        free(c->languages[i].code);
        free(c->languages[i].label);
    }
    free(c->languages);
    for (int i = 0; i < c->nstates; i++)
        free(c->states[i]);
    free(c->states);
    free(c->root);
    free(c);
}

static bool is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Which partner field a value uses, or WF_COUNT. */
static web_field partner_field_in(const char *v)
{
    if (strstr(v, "{agency"))
        return WF_AGENCY;
    if (strstr(v, "{local_phone"))
        return WF_LOCAL_PHONE;
    if (strstr(v, "{logo"))
        return WF_LOGO;
    return WF_COUNT;
}

/* Learns which sections of the product's layout use a partner field. */
static bool map_sections(web_product *p, diag *d)
{
    ini_file *f = ini_load(p->layout_path, d);
    if (!f)
        return false;
    int n = ini_section_count(f);
    p->sections = calloc((size_t)n + 1, sizeof *p->sections);
    p->section_field = calloc((size_t)n + 1, sizeof *p->section_field);
    bool ok = p->sections && p->section_field;
    for (int s = 0; ok && s < n; s++) {
        web_field found = WF_COUNT;
        for (int k = 0; k < ini_key_count(f, s) && found == WF_COUNT; k++)
            found = partner_field_in(ini_key_value(f, s, k));
        if (found == WF_COUNT)
            continue;
        if (found == WF_LOGO)
            p->logo = true;
        p->sections[p->nsections] = strdup(ini_section_name(f, s));
        p->section_field[p->nsections++] = found;
    }
    ini_free(f);
    return ok;
}

static bool load_products(web_catalogue *c, diag *d)
{
    char *path = strfmt("%s/web/products.ini", c->root);
    ini_file *f = path ? ini_load(path, d) : NULL;
    if (!f) {
        free(path);
        return false;
    }
    int n = ini_section_count(f);
    c->products = calloc((size_t)n + 1, sizeof *c->products);
    bool ok = c->products != NULL;
    for (int s = 0; ok && s < n; s++) {
        const char *sec = ini_section_name(f, s);
        ini_check_keys(f, s, PRODUCT_KEYS, "web-unknown-key", d);
        web_product *p = &c->products[c->nproducts++];
        p->id = strdup(sec);
        const char *names[3] = { "product", "paper", "layout" };
        char **dest[3] = { &p->product, &p->paper, &p->layout };
        for (int k = 0; k < 3; k++) {
            const char *v = ini_get(f, sec, names[k]);
            diag_loc loc = { path, ini_line(f, sec, names[k]), sec, names[k] };
            if (!v || !*v) {
                loc.line = ini_section_line(f, s);
                diag_error(d, "web-missing-value", loc, "expected a value, found %s", v ? "an empty one" : "none");
                ok = false;
            } else {
                *dest[k] = strdup(v);
            }
        }
        const char *flags[2] = { "partner", "languages" };
        for (int k = 0; k < 2; k++) {
            const char *v = ini_get(f, sec, flags[k]);
            const char *want = k == 0 ? "yes" : "fixed";
            const char *other = k == 0 ? "no" : "any";
            if (!v)
                continue;
            if (strcmp(v, want) == 0) {
                if (k == 0)
                    p->partner = true;
                else
                    p->fixed_languages = true;
            } else if (strcmp(v, other) != 0) {
                diag_loc loc = { path, ini_line(f, sec, flags[k]), sec, flags[k] };
                diag_error(d, "web-bad-choice", loc, "expected %s or %s, found \"%s\"", want, other, v);
                ok = false;
            }
        }
        if (p->layout) {
            p->layout_path = strfmt("%s/layouts/%s.ini", c->root, p->layout);
            if (p->layout_path && !is_file(p->layout_path) && !strchr(p->layout, '/')) {
                /* LAYOUT-SIZE: a layout at one of the sizes it lists (the job built names it so) */
                char *dir = strfmt("%s/layouts", c->root), *size = NULL;
                char *sized = dir ? layout_sized_path(dir, p->layout, &size) : NULL;
                if (sized) {
                    free(p->layout_path);
                    p->layout_path = sized;
                }
                free(size);
                free(dir);
            }
            if (!p->layout_path || !is_file(p->layout_path)) {
                diag_loc loc = { path, ini_line(f, sec, "layout"), sec, "layout" };
                diag_error(d, "web-unknown-layout", loc, "expected a layout in layouts/, found \"%s\" (no %s)",
                           p->layout, p->layout_path ? p->layout_path : "file");
                ok = false;
            } else if (!map_sections(p, d)) {
                ok = false;
            }
        }
    }
    if (ok && c->nproducts == 0) {
        diag_error(d, "web-no-products", diag_at(path, 0), "expected at least one product (a section), found none");
        ok = false;
    }
    ini_free(f);
    free(path);
    return ok;
}

/* ---- the notices by state ---- */

static int ini_files(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return e->d_name[0] != '.' && n > 4 && strcmp(e->d_name + n - 4, ".ini") == 0;
}

/* A county as the page shows it: the data file's section (lower case) with each word capitalised. */
static char *county_shown(const char *section)
{
    char *v = strdup(section);
    for (char *p = v; p && *p; p++)
        if (p == v || p[-1] == ' ' || p[-1] == '-')
            *p = (char)toupper((unsigned char)*p);
    return v;
}

/* The profile's state, counties and staff rule, onto the notice p. Quiet: a profile the engine
 * refuses is reported when the notice is built. False only without memory. */
static bool read_profile(const web_catalogue *c, web_product *p, const char *profile)
{
    char *path = strfmt("%s/profiles/%s.ini", c->root, profile);
    diag *quiet = diag_new(NULL);
    ini_file *f = path && quiet && is_file(path) ? ini_load(path, quiet) : NULL;
    bool ok = path && quiet;
    const char *desc = f ? ini_get(f, "profile", "description") : NULL;
    size_t n = desc ? strcspn(desc, ":") : 0;
    while (n > 0 && desc[n - 1] == ' ')
        n--;
    p->profile = strdup(profile);
    p->state = n > 0 ? strndup(desc, n) : strdup(profile);
    ok = ok && p->profile && p->state;
    const char *cd = f ? ini_get(f, "profile", "county_languages") : NULL;
    p->staff_languages = f && ini_get(f, "profile", "staff_languages") != NULL;
    if (ok && cd && *cd && !strchr(cd, '/')) {
        p->county_data = strdup(cd);
        char *dpath = strfmt("%s/data/%s.ini", c->root, cd);
        ini_file *df = dpath && is_file(dpath) ? ini_load(dpath, quiet) : NULL;
        int nc = df ? ini_section_count(df) : 0;
        p->counties = calloc((size_t)nc + 1, sizeof *p->counties);
        ok = p->county_data && p->counties;
        for (int i = 0; ok && i < nc; i++) {
            p->counties[p->ncounties] = county_shown(ini_section_name(df, i));
            ok = p->counties[p->ncounties++] != NULL;
        }
        ini_free(df);
        free(dpath);
    }
    ini_free(f);
    diag_free(quiet);
    free(path);
    return ok;
}

static int by_state(const void *a, const void *b)
{
    const web_product *x = a, *y = b;
    int k = strcmp(x->state, y->state);
    k = k ? k : strcmp(x->paper, y->paper);
    return k ? k : strcmp(x->id, y->id);
}

/* Every layout that names a compliance profile is a notice of that profile's state: one products.ini
 * lists takes the state; any other becomes a choice of its own (product "Mandated notice", its
 * layout's description as the paper), so that a new profile and its layout appear without a change
 * here. The notices go last, by state. */
static bool load_notices(web_catalogue *c, diag *d)
{
    char *dir = strfmt("%s/layouts", c->root);
    struct dirent **names = NULL;
    int n = dir ? scandir(dir, &names, ini_files, alphasort) : -1;
    bool ok = n >= 0;
    web_product *grown = ok ? realloc(c->products, ((size_t)c->nproducts + (size_t)n + 1) * sizeof *grown) : NULL;
    ok = ok && grown;
    if (grown)
        c->products = grown;
    diag *quiet = diag_new(NULL);
    ok = ok && quiet;
    for (int i = 0; i < (n > 0 ? n : 0); i++) {
        char *path = ok ? strfmt("%s/%s", dir, names[i]->d_name) : NULL;
        ini_file *f = path ? ini_load(path, quiet) : NULL;
        const char *profile = f ? ini_get(f, "page", "compliance") : NULL;
        if (profile && *profile && !strchr(profile, '/')) {
            char *name = strndup(names[i]->d_name, strlen(names[i]->d_name) - 4);
            web_product *p = NULL;
            for (int k = 0; name && k < c->nproducts && !p; k++)
                if (strcmp(c->products[k].layout, name) == 0 && !c->products[k].profile)
                    p = &c->products[k];
            if (!p && name && !webcat_product(c, name)) {
                const char *desc = ini_get(f, "page", "description");
                p = &c->products[c->nproducts++];
                memset(p, 0, sizeof *p);
                p->id = strdup(name);
                p->product = strdup("Mandated notice");
                p->layout = strdup(name);
                p->layout_path = strdup(path);
                p->fixed_languages = true;
                ok = p->id && p->product && p->layout && p->layout_path;
                ok = ok && map_sections(p, d);
                p->paper = NULL;
                if (ok && read_profile(c, p, profile))
                    p->paper = desc && *desc && strstr(desc, p->state) ? strdup(desc)
                               : strfmt("%s: %s", p->state, desc && *desc ? desc : name);
                ok = ok && p->paper;
            } else if (p) {
                ok = read_profile(c, p, profile);
            }
            free(name);
        }
        ini_free(f);
        free(path);
        free(names[i]);
    }
    free(names);
    free(dir);
    diag_free(quiet);
    if (!ok) {
        diag_error(d, "internal-out-of-memory", diag_at("layouts", 0), "out of memory reading the notices");
        return false;
    }
    /* the notices last, by state (a stable partition: the other products keep their order) */
    int first = c->nproducts;
    for (int i = 0; i < c->nproducts; i++)
        if (c->products[i].state && first == c->nproducts)
            first = i;
    for (int i = first + 1; i < c->nproducts; i++) {
        if (c->products[i].state)
            continue;
        web_product t = c->products[i];
        memmove(&c->products[first + 1], &c->products[first], (size_t)(i - first) * sizeof t);
        c->products[first++] = t;
    }
    qsort(c->products + first, (size_t)(c->nproducts - first), sizeof *c->products, by_state);
    c->states = calloc((size_t)(c->nproducts - first) + 1, sizeof *c->states);
    for (int i = first; c->states && i < c->nproducts; i++)
        if (c->nstates == 0 || strcmp(c->states[c->nstates - 1], c->products[i].state) != 0)
            c->states[c->nstates++] = strdup(c->products[i].state);
    return c->states != NULL;
}

static int only_dirs(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

/* A set whose [content] layouts key is there but names none: it goes into no layout yet. */
static bool no_layouts(const ini_file *f)
{
    const char *v = ini_get(f, "content", "layouts");
    return v && v[strspn(v, " ,\t")] == '\0';
}

static bool load_languages(web_catalogue *c, diag *d)
{
    char *dir = strfmt("%s/content", c->root);
    struct dirent **names = NULL;
    int n = dir ? scandir(dir, &names, only_dirs, alphasort) : -1;
    if (n < 0) {
        diag_error(d, "web-no-content-folder", diag_at(dir ? dir : "content", 0),
                   "expected a folder of content sets, found none");
        free(dir);
        return false;
    }
    c->languages = calloc((size_t)n + 1, sizeof *c->languages);
    bool ok = c->languages != NULL;
    for (int i = 0; i < n; i++) {
        char *ini = strfmt("%s/%s/content.ini", dir, names[i]->d_name);
        if (ok && ini && is_file(ini)) {
            ini_file *f = ini_load(ini, d);
            const char *scope = f ? ini_get(f, "content", "scope") : NULL;
            if (!f) {
                ok = false;
            } else if ((!scope || strcmp(scope, "reference") != 0) && !no_layouts(f)) {
                const char *label = ini_get(f, "content", "description");
                const char *status = ini_get(f, "content", "status");
                web_language *l = &c->languages[c->nlanguages++];
                l->code = strdup(names[i]->d_name);
                l->label = strdup(label && *label ? label : names[i]->d_name);
                l->draft = status && strcmp(status, "draft") == 0;
            }
            ini_free(f);
        }
        free(ini);
        free(names[i]);
    }
    free(names);
    if (ok && c->nlanguages == 0) {
        diag_error(d, "web-no-content-sets", diag_at(dir, 0),
                   "expected at least one content set (a folder with a content.ini), found none");
        ok = false;
    }
    free(dir);
    return ok;
}

web_catalogue *webcat_load(const char *root, diag *d)
{
    web_catalogue *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->root = strdup(root);
    bool ok = c->root != NULL;
    ok = load_products(c, d) && ok;
    ok = ok && load_notices(c, d);
    ok = load_languages(c, d) && ok;
    if (!ok) {
        webcat_free(c);
        return NULL;
    }
    return c;
}

const web_product *webcat_product(const web_catalogue *c, const char *product)
{
    for (int i = 0; product && i < c->nproducts; i++)
        if (strcmp(c->products[i].id, product) == 0)
            return &c->products[i];
    return NULL;
}

const web_language *webcat_language(const web_catalogue *c, const char *code)
{
    for (int i = 0; code && i < c->nlanguages; i++)
        if (strcmp(c->languages[i].code, code) == 0)
            return &c->languages[i];
    return NULL;
}

/* ---- one form ---- */

void webform_init(web_form *f)
{
    memset(f, 0, sizeof *f);
}

void webform_free(web_form *f)
{
    for (int i = 0; i < WF_COUNT; i++)
        free(f->value[i]);
    for (int i = 0; i < f->nmsgs; i++)
        free(f->msgs[i].text);
    free(f->msgs);
    free(f->logo_path);
    memset(f, 0, sizeof *f);
}

void webform_set(web_form *f, web_field field, const char *value, size_t len)
{
    if (field <= WF_GENERAL || field >= WF_COUNT)
        return;
    free(f->value[field]);
    f->value[field] = NULL;
    f->value_too_long[field] = len > WEB_MAX_VALUE;
    if (len > WEB_MAX_VALUE)
        len = WEB_MAX_VALUE;
    f->value_len[field] = 0;
    f->value[field] = malloc(len + 1);
    if (f->value[field]) {
        memcpy(f->value[field], value, len);
        f->value[field][len] = '\0';
        f->value_len[field] = len;
    }
}

void webform_add(web_form *f, web_field field, bool error, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (text)
        vsnprintf(text, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    if (!text)
        return;
    for (int i = 0; i < f->nmsgs; i++) {
        if (f->msgs[i].field == field && strcmp(f->msgs[i].text, text) == 0) {
            f->msgs[i].error = f->msgs[i].error || error;
            free(text);
            return;
        }
    }
    if (f->nmsgs == f->capmsgs) {
        int cap = f->capmsgs ? f->capmsgs * 2 : 8;
        web_msg *m = realloc(f->msgs, (size_t)cap * sizeof *m);
        if (!m) {
            free(text);
            return;
        }
        f->msgs = m;
        f->capmsgs = cap;
    }
    f->msgs[f->nmsgs++] = (web_msg){ field, error, text };
}

int webform_errors(const web_form *f)
{
    int n = 0;
    for (int i = 0; i < f->nmsgs; i++)
        n += f->msgs[i].error;
    return n;
}

static bool blank(const char *v)
{
    if (!v)
        return true;
    while (*v == ' ' || *v == '\t')
        v++;
    return *v == '\0';
}

/* What each field is called beside it on the page. */
static const char *const FIELD_LABELS[WF_COUNT] = {
    "", "Product", "Language", "Quantity", "Version", "Agency name", "Local number", "Logo", "Your name",
    "Email or telephone", "State", "County", "Staff languages",
};

/* How many of v's first n bytes to show so that a shortened value ends between characters. */
static int shown(const char *v, int max)
{
    int n = (int)strlen(v);
    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)v[max] & 0xC0) == 0x80)
        max--;
    return max;
}

/* Every value the page takes is one line of UTF-8 text: no invalid byte, no control character (C0
 * with NUL, which would cut the value short, DEL, C1), no line or paragraph separator, and no
 * bidirectional override or isolate (which would show the line in another order than it was
 * typed, to staff reading the job file). */
static bool check_chars(web_form *f, web_field field)
{
    const char *v = f->value[field], *label = FIELD_LABELS[field];
    size_t n = f->value_len[field];
    if (f->value_too_long[field]) /* cut at the limit: a character cut in two there is not an error */
        n = (size_t)shown(v, (int)n);
    long bad = utf8_invalid_at(v, n);
    if (bad >= 0) {
        webform_add(f, field, true, "%s: expected UTF-8 text, found bytes that are not (0x%02X at byte %ld)", label,
                    (unsigned char)v[bad], bad + 1);
        return false;
    }
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode(v + i, n - i, &cp);
        if (cp < 0x20 || cp == 0x7F) {
            webform_add(f, field, true, "%s: expected one line of text, found a control character (byte %u)", label,
                        (unsigned)cp);
            return false;
        }
        if (cp >= 0x80 && cp < 0xA0) {
            webform_add(f, field, true, "%s: expected one line of text, found a control character (U+%04X)", label,
                        (unsigned)cp);
            return false;
        }
        if (cp == 0x2028 || cp == 0x2029) {
            webform_add(f, field, true, "%s: expected one line of text, found a %s separator (U+%04X)", label,
                        cp == 0x2028 ? "line" : "paragraph", (unsigned)cp);
            return false;
        }
        if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
            webform_add(f, field, true,
                        "%s: expected text without bidirectional controls, found U+%04X, which shows the text in "
                        "another order than it was typed", label, (unsigned)cp);
            return false;
        }
        i += len;
    }
    return true;
}

/* Free text: at most WEB_MAX_VALUE bytes; printed text (the agency's name and number, which the
 * layout's placeholders and the partner's data file carry) also without '"', '\' and braces. */
static bool check_text(web_form *f, web_field field, bool printed)
{
    const char *v = f->value[field], *label = FIELD_LABELS[field];
    if (f->value_too_long[field]) {
        webform_add(f, field, true, "%s: expected at most %d bytes, found more", label, WEB_MAX_VALUE);
        return false;
    }
    for (const char *p = v; printed && *p; p++) {
        if (*p == '"' || *p == '\\' || *p == '{' || *p == '}') {
            webform_add(f, field, true, "%s: expected text without the character %c, found \"%s\"", label, *p, v);
            return false;
        }
    }
    return true;
}

static void check_phone(web_form *f)
{
    const char *v = f->value[WF_LOCAL_PHONE];
    int digits = 0;
    for (const char *p = v; *p; p++) {
        if (isdigit((unsigned char)*p))
            digits++;
        else if (!strchr(" +-().", *p)) {
            webform_add(f, WF_LOCAL_PHONE, true,
                         "Local number: expected digits, spaces and + - ( ) . only, found \"%s\"", v);
            return;
        }
    }
    if (digits < 3 || digits > 15)
        webform_add(f, WF_LOCAL_PHONE, true, "Local number: expected 3 to 15 digits, found %d in \"%s\"", digits, v);
}

static char *order_description(const web_form *f);
static const char *trimmed(const char *v, int *len);
static char ini_quote(const char *v, size_t n, bool word);

/* The name and contact go into the job's description, one INI value: it must be one the INI
 * reader reads back exactly (it always holds a ';', so in quotes: not both '"' and '\''). */
static void check_writable(web_form *f)
{
    char *d = order_description(f);
    if (!d || ini_quote(d, strlen(d), false)) {
        free(d);
        return;
    }
    free(d);
    const char *name = f->value[WF_NAME] ? f->value[WF_NAME] : "", *how = f->value[WF_CONTACT] ? f->value[WF_CONTACT] : "";
    bool name_both = strchr(name, '"') && strchr(name, '\''), how_any = strpbrk(how, "\"'") != NULL;
    web_field at = name_both || !how_any ? WF_NAME : WF_CONTACT;
    webform_add(f, at, true,
                "%s: expected either straight double quotes (\") or apostrophes ('), not both, in your name and "
                "contact together, found \"%s\": the order's job file cannot hold both in one value; write one "
                "kind as typographic quotes (“ ” or ’)", FIELD_LABELS[at], at == WF_NAME ? name : how);
}

/* A list of the choices for a message: "A, B and C" (at most 400 bytes: "..." after). */
static void list_of(char *out, size_t max, char *const *items, int n)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < n && len + 4 < max; i++) {
        int w = snprintf(out + len, max - len, "%s%s", i == 0 ? "" : i == n - 1 ? " and " : ", ", items[i]);
        if (w < 0 || (size_t)w >= max - len) {
            snprintf(out + len, max - len, "...");
            break;
        }
        len += (size_t)w;
    }
}

/* The notice's state, county and staff languages: a value the page does not offer is a bad
 * choice (400); a county left out where the law depends on it is a field to fill in (422). */
static void check_notice(web_form *f, const web_catalogue *c, const bool ok[WF_COUNT])
{
    const web_product *p = f->product;
    const char *v = f->value[WF_STATE];
    char choices[400];
    if (ok[WF_STATE] && !blank(v)) {
        int n;
        const char *t = trimmed(v, &n);
        bool known = false;
        for (int i = 0; i < c->nstates && !known; i++)
            known = (int)strlen(c->states[i]) == n && strncasecmp(c->states[i], t, (size_t)n) == 0;
        if (!known) {
            list_of(choices, sizeof choices, c->states, c->nstates);
            webform_add(f, WF_STATE, true, "State: expected a state whose posting law has a profile (%s), found \"%.*s\"",
                        choices, shown(v, 60), v);
            f->bad_choice = true;
        } else if (p && p->state && ((int)strlen(p->state) != n || strncasecmp(p->state, t, (size_t)n) != 0)) {
            webform_add(f, WF_STATE, true, "State: expected %s, the state of the notice chosen (%s), found \"%.*s\"; "
                        "choose one of %.*s's notices", p->state, p->paper, shown(v, 60), v, n, t);
            f->bad_choice = true;
        }
    }
    if (!p || !p->state)
        return;
    v = f->value[WF_COUNTY];
    if (p->county_data && ok[WF_COUNTY]) {
        list_of(choices, sizeof choices, p->counties, p->ncounties);
        int n;
        const char *t = blank(v) ? "" : trimmed(v, &n);
        bool known = false;
        for (int i = 0; *t && i < p->ncounties && !known; i++)
            known = (int)strlen(p->counties[i]) == n && strncasecmp(p->counties[i], t, (size_t)n) == 0;
        if (!*t) {
            webform_add(f, WF_COUNTY, true, "County: expected the county where the notice is posted (%s's law asks for "
                        "one of its languages: %s), found none", p->state, choices[0] ? choices : "none recorded");
        } else if (!known) {
            webform_add(f, WF_COUNTY, true, "County: expected a county whose languages data/%s.ini records (%s), found "
                        "\"%.*s\"", p->county_data, choices[0] ? choices : "none", shown(v, 60), v);
            f->bad_choice = true;
        }
    }
    v = f->value[WF_STAFF_LANGUAGES];
    if (p->staff_languages && ok[WF_STAFF_LANGUAGES] && !blank(v)) {
        /* codes of the page's languages, separated by commas or spaces */
        for (const char *q = v; *q;) {
            q += strspn(q, ", ");
            size_t n = strcspn(q, ", ");
            if (n == 0)
                break;
            bool known = false;
            for (int i = 0; i < c->nlanguages && !known; i++)
                known = strlen(c->languages[i].code) == n && strncmp(c->languages[i].code, q, n) == 0;
            if (!known) {
                char *codes[64];
                int k = 0;
                for (int i = 0; i < c->nlanguages && k < 64; i++)
                    codes[k++] = c->languages[i].code;
                list_of(choices, sizeof choices, codes, k);
                webform_add(f, WF_STAFF_LANGUAGES, true, "Staff languages: expected the codes of the page's languages "
                            "(%s), separated by commas, found \"%.*s\" in \"%.*s\"", choices, (int)(n > 20 ? 20 : n), q,
                            shown(v, 60), v);
                f->bad_choice = true;
                break;
            }
            q += n;
        }
    }
}

void webform_check(web_form *f, const web_catalogue *c, bool ordering)
{
    /* the characters first: a value that fails here is not looked at (nor quoted) again */
    bool ok[WF_COUNT];
    for (int k = 1; k < WF_COUNT; k++)
        ok[k] = k == WF_LOGO || !f->value[k] || check_chars(f, (web_field)k);

    const char *v = f->value[WF_PRODUCT];
    f->product = ok[WF_PRODUCT] ? webcat_product(c, v) : NULL;
    if (ok[WF_PRODUCT] && blank(v))
        webform_add(f, WF_PRODUCT, true, "Product: expected a choice from the list, found none");
    else if (ok[WF_PRODUCT] && !f->product)
        webform_add(f, WF_PRODUCT, true, "Product: expected a choice from the list, found \"%.*s\"", shown(v, 60), v);

    v = f->value[WF_LANGUAGE];
    f->language = ok[WF_LANGUAGE] ? webcat_language(c, v) : NULL;
    if (ok[WF_LANGUAGE] && blank(v))
        webform_add(f, WF_LANGUAGE, true, "Language: expected a choice from the list, found none");
    else if (ok[WF_LANGUAGE] && !f->language)
        webform_add(f, WF_LANGUAGE, true, "Language: expected a choice from the list, found \"%.*s\"", shown(v, 60), v);

    v = f->value[WF_QUANTITY];
    f->quantity = 0;
    if (ok[WF_QUANTITY] && blank(v)) {
        webform_add(f, WF_QUANTITY, true, "Quantity: expected a whole number from 1 to %d, found none", WEB_MAX_QUANTITY);
    } else if (ok[WF_QUANTITY]) {
        const char *p = v;
        while (*p == ' ')
            p++;
        long q = 0;
        bool digits = isdigit((unsigned char)*p);
        for (; digits && isdigit((unsigned char)*p); p++)
            q = q > WEB_MAX_QUANTITY ? q : q * 10 + (*p - '0');
        while (*p == ' ')
            p++;
        if (!digits || *p || q < 1 || q > WEB_MAX_QUANTITY)
            webform_add(f, WF_QUANTITY, true, "Quantity: expected a whole number from 1 to %d, found \"%.*s\"",
                         WEB_MAX_QUANTITY, shown(v, 20), v);
        else
            f->quantity = q;
    }

    v = f->value[WF_VERSION];
    f->print_shop = false;
    if (ok[WF_VERSION] && v && strcmp(v, "print-shop") == 0)
        f->print_shop = true;
    else if (ok[WF_VERSION] && !blank(v) && strcmp(v, "sheet") != 0)
        webform_add(f, WF_VERSION, true, "Version: expected sheet or print-shop, found \"%.*s\"", shown(v, 30), v);

    if (f->product && f->product->partner) {
        if (ok[WF_AGENCY] && blank(f->value[WF_AGENCY]))
            webform_add(f, WF_AGENCY, true, "Agency name: expected the partner agency's name, found none");
        else if (ok[WF_AGENCY])
            check_text(f, WF_AGENCY, true);
        if (ok[WF_LOCAL_PHONE] && blank(f->value[WF_LOCAL_PHONE]))
            webform_add(f, WF_LOCAL_PHONE, true, "Local number: expected the agency's telephone number, found none");
        else if (ok[WF_LOCAL_PHONE] && check_text(f, WF_LOCAL_PHONE, true))
            check_phone(f);
    }

    check_notice(f, c, ok);

    /* who orders: needed for an order; checked whenever given, since every job file records it */
    static const struct { web_field k; const char *none; } WHO[] = {
        { WF_NAME, "Your name: expected the name of whoever orders, found none" },
        { WF_CONTACT, "Email or telephone: expected a way for staff to reach you, found none" },
    };
    bool who_ok = true;
    for (size_t i = 0; i < sizeof WHO / sizeof WHO[0]; i++) {
        web_field k = WHO[i].k;
        if (!ok[k]) {
            who_ok = false;
        } else if (!blank(f->value[k])) {
            who_ok = check_text(f, k, false) && who_ok;
        } else if (ordering) {
            webform_add(f, k, true, "%s", WHO[i].none);
            who_ok = false;
        }
    }
    if (who_ok && f->product && f->language)
        check_writable(f);
}

/* ---- what a form becomes ---- */

static const char *trimmed(const char *v, int *len)
{
    while (*v == ' ' || *v == '\t')
        v++;
    int n = (int)strlen(v);
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    *len = n;
    return v;
}

/* How a value is written for iniparser 4.1 (and ini.c's pre-scan, which compares the two) to read
 * it back exactly: '"' (in double quotes), '\'' (in single quotes), ' ' (bare) or 0 (it cannot be).
 * A quoted value ends at the next quote of its kind, with no escape; a bare value is cut at ';' or
 * '#', trimmed, read as quoted when it starts with a quote, and continued on the next line when it
 * ends with '\'. No value may hold a line end, nor make a line of 1,023 bytes or more (kept to
 * 1,000 here, with its key). word: bare when it can be (a layout's name, a path), else quoted;
 * otherwise quoted when it can be (free text). */
static char ini_quote(const char *v, size_t n, bool word)
{
    if (n > 1000 || memchr(v, '\n', n) || memchr(v, '\r', n))
        return 0;
    bool dq = !memchr(v, '"', n), sq = !memchr(v, '\'', n);
    bool bare = n == 0 || (!memchr(v, ';', n) && !memchr(v, '#', n) && v[0] != '"' && v[0] != '\'' &&
                           !isspace((unsigned char)v[0]) && !isspace((unsigned char)v[n - 1]) && v[n - 1] != '\\');
    if (word && bare)
        return ' ';
    return dq ? '"' : sq ? '\'' : bare ? ' ' : 0;
}

/* KEY = VALUE, the key padded as given; false when the value cannot be written (ini_quote). */
static bool put(FILE *o, const char *key, const char *v, size_t n, bool word)
{
    char q = ini_quote(v, n, word);
    if (!q)
        return false;
    if (q == ' ')
        fprintf(o, "%s= %.*s\n", key, (int)n, v);
    else
        fprintf(o, "%s= %c%.*s%c\n", key, q, (int)n, v, q);
    return true;
}

/* The job's description: the product, the paper, the language and the version, then who ordered
 * and how to reach them. Caller frees. */
static char *order_description(const web_form *f)
{
    const web_product *p = f->product;
    char *buf = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&buf, &len);
    if (!o)
        return NULL;
    fprintf(o, "%s, %s, %s, %s", p->product, p->paper, f->language->label,
            f->print_shop ? "for a print shop (one item per page, with bleed)" : "on sheets for printing");
    if (!blank(f->value[WF_NAME])) {
        int n;
        const char *who = trimmed(f->value[WF_NAME], &n);
        fprintf(o, "; ordered by %.*s", n, who);
        if (!blank(f->value[WF_CONTACT])) {
            const char *how = trimmed(f->value[WF_CONTACT], &n);
            fprintf(o, " (%.*s)", n, how);
        }
    }
    if (fclose(o) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

char *webform_job_text(const web_form *f, const char *name, const char *shown_as, const char *date, long quantity,
                       const char *csv, const char *logo)
{
    char *buf = NULL, *desc = order_description(f);
    size_t len = 0;
    FILE *o = desc ? open_memstream(&buf, &len) : NULL;
    if (!o) {
        free(desc);
        return NULL;
    }
    const web_product *p = f->product;
    int n;
    fprintf(o, "; Ordered on the web page (handout serve) on %s.\n; Build it with: handout batch ", date);
    for (const char *c = shown_as; *c; c++) /* a comment: a line end in the path would end it */
        fputc((unsigned char)*c < 0x20 ? '?' : *c, o);
    fputs("\n\n[job]\n", o);
    char *title = strfmt("Web order %s", strncmp(name, "order-", 6) == 0 ? name + 6 : name);
    bool ok = title && put(o, "name        ", title, strlen(title), false);
    free(title);
    ok = ok && put(o, "kind        ", "order", 5, true) && put(o, "date        ", date, strlen(date), true);
    /* who ordered: the partner agency, else the person, else the page */
    const char *who_ordered = p->partner && !blank(f->value[WF_AGENCY]) ? f->value[WF_AGENCY]
                              : !blank(f->value[WF_NAME])                ? f->value[WF_NAME]
                                                                         : "a visitor to the web page";
    const char *a = trimmed(who_ordered, &n);
    ok = ok && put(o, "partner     ", a, (size_t)n, false) && put(o, "description ", desc, strlen(desc), false);
    fprintf(o, "\n[%s]\n", p->id);
    ok = ok && put(o, "layout   ", p->layout, strlen(p->layout), true) &&
         put(o, "language ", f->language->code, strlen(f->language->code), true);
    fprintf(o, "quantity = %ld\n", quantity);
    if (f->print_shop)
        fputs("version  = print-shop\n", o);
    if (ok && csv)
        ok = put(o, "data     ", csv, strlen(csv), true);
    /* a partner card names its logo even when none is given (set_logo empty); a layout with a
     * logo area only when one is given, so that an order without one is as before */
    if (ok && (p->partner || (p->logo && logo && *logo)))
        ok = put(o, "set_logo ", logo ? logo : "", logo ? strlen(logo) : 0, true);
    /* a notice: the county and the staff's languages its law depends on, as the build's --set */
    if (ok && p->county_data && !blank(f->value[WF_COUNTY])) {
        const char *v = trimmed(f->value[WF_COUNTY], &n);
        ok = put(o, "set_county ", v, (size_t)n, false);
    }
    if (ok && p->staff_languages && !blank(f->value[WF_STAFF_LANGUAGES])) {
        const char *v = trimmed(f->value[WF_STAFF_LANGUAGES], &n);
        ok = put(o, "set_staff_languages ", v, (size_t)n, false);
    }
    free(desc);
    if (fclose(o) != 0 || !ok) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* One CSV field, quoted (RFC 4180). */
static void csv_field(FILE *o, const char *v, int n)
{
    fputc('"', o);
    for (int i = 0; i < n; i++) {
        if (v[i] == '"')
            fputc('"', o);
        fputc(v[i], o);
    }
    fputc('"', o);
}

char *webform_partner_csv(const web_form *f, const char *code)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&buf, &len);
    if (!o)
        return NULL;
    int n;
    fputs("code,agency,local_phone\n", o);
    csv_field(o, code, (int)strlen(code));
    fputc(',', o);
    const char *a = trimmed(f->value[WF_AGENCY] ? f->value[WF_AGENCY] : "", &n);
    csv_field(o, a, n);
    fputc(',', o);
    a = trimmed(f->value[WF_LOCAL_PHONE] ? f->value[WF_LOCAL_PHONE] : "", &n);
    csv_field(o, a, n);
    fputc('\n', o);
    if (fclose(o) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* ---- the engine's messages ---- */

static bool same_file(const char *a, size_t alen, const char *b)
{
    return b && strlen(b) == alen && strncmp(a, b, alen) == 0;
}

static web_field field_of_line(const web_form *f, const char *file, size_t flen, const char *section, size_t slen,
                               const char *key, size_t klen, const char *line, const char *job, const char *csv,
                               const char *logo)
{
    if (logo && *logo && strstr(line, logo))
        return WF_LOGO;
    if (file && same_file(file, flen, csv)) /* the column: the record's key, or named in its text */
        return (key && klen == 11 && strncmp(key, "local_phone", 11) == 0) || strstr(line, "local_phone")
                   ? WF_LOCAL_PHONE
                   : WF_AGENCY;
    if (file && same_file(file, flen, job)) {
        static const struct { const char *key; web_field f; } keys[] = {
            { "quantity", WF_QUANTITY }, { "language", WF_LANGUAGE }, { "layout", WF_PRODUCT },
            { "set_logo", WF_LOGO },     { "partner", WF_AGENCY },    { "data", WF_AGENCY },
        };
        for (size_t i = 0; key && i < sizeof keys / sizeof keys[0]; i++)
            if (strlen(keys[i].key) == klen && strncmp(key, keys[i].key, klen) == 0)
                return keys[i].f;
        return WF_GENERAL;
    }
    if ((key && klen == 7 && strncmp(key, "--count", 7) == 0) || (file && same_file(file, flen, "--count")))
        return WF_QUANTITY;
    const web_product *p = f->product;
    for (int i = 0; p && section && i < p->nsections; i++)
        if (strlen(p->sections[i]) == slen && strncmp(p->sections[i], section, slen) == 0)
            return p->section_field[i];
    return WF_GENERAL;
}

void webform_take_records(web_form *f, const char *records, const char *job, const char *csv, const char *logo)
{
    if (!records)
        return;
    char *copy = strdup(records);
    for (char *line = copy, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        diag_record r;
        if (!diag_record_parse(line, &r))
            continue;
        bool error = strcmp(r.level, "error") == 0;
        const char *file = r.file[0] ? r.file : NULL, *section = r.section[0] ? r.section : NULL;
        const char *key = r.key[0] ? r.key : NULL;
        web_field fld = field_of_line(f, file, file ? strlen(file) : 0, section, section ? strlen(section) : 0, key,
                                      key ? strlen(key) : 0, r.text, job, csv, logo);
        /* a notice's county and staff languages: by the rule's id (the profile's check names the
         * layout, or the --set value the job's set_county and set_staff_languages gave) */
        if (r.id && (strncmp(r.id, "compliance-county-", 18) == 0 || strcmp(r.id, "compliance-staff-language-missing") == 0 ||
                     strncmp(r.id, "compliance-staff-languages-", 27) == 0 || strcmp(r.id, "compliance-bad-staff-languages") == 0))
            fld = r.id[11] == 'c' ? WF_COUNTY : WF_STAFF_LANGUAGES;
        if (section && fld == WF_GENERAL)
            webform_add(f, fld, error, "%s (layout element %s)", r.text, section);
        else
            webform_add(f, fld, error, "%s", r.text);
    }
    free(copy);
}

