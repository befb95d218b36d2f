/* webform: see webform.h. */
#define _DEFAULT_SOURCE /* scandir, alphasort */
#include "webform.h"
#include "ini.h"
#include "strfmt.h"
#include "utf8.h"

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const FIELD_NAMES[WF_COUNT] = {
    "general", "product", "language", "quantity", "version", "agency", "local_phone", "logo", "name", "contact",
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
        ini_check_keys(f, s, PRODUCT_KEYS, d);
        web_product *p = &c->products[c->nproducts++];
        p->id = strdup(sec);
        const char *names[3] = { "product", "paper", "layout" };
        char **dest[3] = { &p->product, &p->paper, &p->layout };
        for (int k = 0; k < 3; k++) {
            const char *v = ini_get(f, sec, names[k]);
            diag_loc loc = { path, ini_line(f, sec, names[k]), sec, names[k] };
            if (!v || !*v) {
                loc.line = ini_section_line(f, s);
                diag_error(d, loc, "expected a value, found %s", v ? "an empty one" : "none");
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
                diag_error(d, loc, "expected %s or %s, found \"%s\"", want, other, v);
                ok = false;
            }
        }
        if (p->layout) {
            p->layout_path = strfmt("%s/layouts/%s.ini", c->root, p->layout);
            if (!p->layout_path || !is_file(p->layout_path)) {
                diag_loc loc = { path, ini_line(f, sec, "layout"), sec, "layout" };
                diag_error(d, loc, "expected a layout in layouts/, found \"%s\" (no %s)", p->layout,
                           p->layout_path ? p->layout_path : "file");
                ok = false;
            } else if (!map_sections(p, d)) {
                ok = false;
            }
        }
    }
    if (ok && c->nproducts == 0) {
        diag_error(d, diag_at(path, 0), "expected at least one product (a section), found none");
        ok = false;
    }
    ini_free(f);
    free(path);
    return ok;
}

static int only_dirs(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

static bool load_languages(web_catalogue *c, diag *d)
{
    char *dir = strfmt("%s/content", c->root);
    struct dirent **names = NULL;
    int n = dir ? scandir(dir, &names, only_dirs, alphasort) : -1;
    if (n < 0) {
        diag_error(d, diag_at(dir ? dir : "content", 0), "expected a folder of content sets, found none");
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
            } else if (!scope || strcmp(scope, "reference") != 0) {
                const char *label = ini_get(f, "content", "description");
                web_language *l = &c->languages[c->nlanguages++];
                l->code = strdup(names[i]->d_name);
                l->label = strdup(label && *label ? label : names[i]->d_name);
            }
            ini_free(f);
        }
        free(ini);
        free(names[i]);
    }
    free(names);
    if (ok && c->nlanguages == 0) {
        diag_error(d, diag_at(dir, 0), "expected at least one content set (a folder with a content.ini), found none");
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
    ok = load_languages(c, d) && ok;
    if (!ok) {
        webcat_free(c);
        return NULL;
    }
    return c;
}

const web_product *webcat_product(const web_catalogue *c, const char *id)
{
    for (int i = 0; id && i < c->nproducts; i++)
        if (strcmp(c->products[i].id, id) == 0)
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
    f->value[field] = malloc(len + 1);
    if (f->value[field]) {
        memcpy(f->value[field], value, len);
        f->value[field][len] = '\0';
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

/* Free text the page accepts: valid UTF-8 with no control character, and no double quote or
 * backslash (the values go into an INI file between double quotes). */
static bool check_text(web_form *f, web_field field, const char *label)
{
    const char *v = f->value[field];
    if (f->value_too_long[field]) {
        webform_add(f, field, true, "%s: expected at most %d bytes, found more", label, WEB_MAX_VALUE);
        return false;
    }
    size_t n = strlen(v);
    if (utf8_invalid_at(v, n) >= 0) {
        webform_add(f, field, true, "%s: expected UTF-8 text, found bytes that are not", label);
        return false;
    }
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            webform_add(f, field, true, "%s: expected one line of text, found a control character (byte %u)", label, *p);
            return false;
        }
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

void webform_check(web_form *f, const web_catalogue *c, bool ordering)
{
    const char *v = f->value[WF_PRODUCT];
    f->product = webcat_product(c, v);
    if (blank(v))
        webform_add(f, WF_PRODUCT, true, "Product: expected a choice from the list, found none");
    else if (!f->product)
        webform_add(f, WF_PRODUCT, true, "Product: expected a choice from the list, found \"%.60s\"", v);

    v = f->value[WF_LANGUAGE];
    f->language = webcat_language(c, v);
    if (blank(v))
        webform_add(f, WF_LANGUAGE, true, "Language: expected a choice from the list, found none");
    else if (!f->language)
        webform_add(f, WF_LANGUAGE, true, "Language: expected a choice from the list, found \"%.60s\"", v);

    v = f->value[WF_QUANTITY];
    f->quantity = 0;
    if (blank(v)) {
        webform_add(f, WF_QUANTITY, true, "Quantity: expected a whole number from 1 to %d, found none", WEB_MAX_QUANTITY);
    } else {
        const char *p = v;
        while (*p == ' ')
            p++;
        long q = 0;
        bool ok = isdigit((unsigned char)*p);
        for (; ok && isdigit((unsigned char)*p); p++)
            q = q > WEB_MAX_QUANTITY ? q : q * 10 + (*p - '0');
        while (*p == ' ')
            p++;
        if (!ok || *p || q < 1 || q > WEB_MAX_QUANTITY)
            webform_add(f, WF_QUANTITY, true, "Quantity: expected a whole number from 1 to %d, found \"%.20s\"",
                         WEB_MAX_QUANTITY, v);
        else
            f->quantity = q;
    }

    v = f->value[WF_VERSION];
    f->print_shop = false;
    if (v && strcmp(v, "print-shop") == 0)
        f->print_shop = true;
    else if (!blank(v) && strcmp(v, "sheet") != 0)
        webform_add(f, WF_VERSION, true, "Version: expected sheet or print-shop, found \"%.30s\"", v);

    if (f->product && f->product->partner) {
        if (blank(f->value[WF_AGENCY]))
            webform_add(f, WF_AGENCY, true, "Agency name: expected the partner agency's name, found none");
        else
            check_text(f, WF_AGENCY, "Agency name");
        if (blank(f->value[WF_LOCAL_PHONE]))
            webform_add(f, WF_LOCAL_PHONE, true, "Local number: expected the agency's telephone number, found none");
        else if (check_text(f, WF_LOCAL_PHONE, "Local number"))
            check_phone(f);
    }
    if (ordering) {
        if (blank(f->value[WF_NAME]))
            webform_add(f, WF_NAME, true, "Your name: expected the name of whoever orders, found none");
        else
            check_text(f, WF_NAME, "Your name");
        if (blank(f->value[WF_CONTACT]))
            webform_add(f, WF_CONTACT, true, "Email or telephone: expected a way for staff to reach you, found none");
        else
            check_text(f, WF_CONTACT, "Email or telephone");
    }
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

char *webform_job_text(const web_form *f, const char *name, const char *shown, const char *date, long quantity,
                       const char *csv, const char *logo)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&buf, &len);
    if (!o)
        return NULL;
    const web_product *p = f->product;
    int n;
    fprintf(o, "; Ordered on the web page (handout serve) on %s.\n; Build it with: handout batch %s\n\n", date, shown);
    fprintf(o, "[job]\nname        = \"Web order %s\"\nkind        = order\ndate        = %s\n",
            strncmp(name, "order-", 6) == 0 ? name + 6 : name, date);
    /* who ordered: the partner agency, else the person, else the page */
    const char *who_ordered = p->partner && !blank(f->value[WF_AGENCY]) ? f->value[WF_AGENCY]
                              : !blank(f->value[WF_NAME])                ? f->value[WF_NAME]
                                                                         : "a visitor to the web page";
    const char *a = trimmed(who_ordered, &n);
    fprintf(o, "partner     = \"%.*s\"\n", n, a);
    fprintf(o, "description = \"%s, %s, %s, %s", p->product, p->paper, f->language->label,
            f->print_shop ? "for a print shop (one item per page, with bleed)" : "on sheets for printing");
    if (f->value[WF_NAME] && !blank(f->value[WF_NAME])) {
        const char *who = trimmed(f->value[WF_NAME], &n);
        fprintf(o, "; ordered by %.*s", n, who);
        if (f->value[WF_CONTACT] && !blank(f->value[WF_CONTACT])) {
            int m;
            const char *how = trimmed(f->value[WF_CONTACT], &m);
            fprintf(o, " (%.*s)", m, how);
        }
    }
    fprintf(o, "\"\n\n[%s]\nlayout   = %s\nlanguage = %s\nquantity = %ld\n", p->id, p->layout, f->language->code, quantity);
    if (f->print_shop)
        fputs("version  = print-shop\n", o);
    if (csv)
        fprintf(o, "data     = %s\n", csv);
    if (p->partner)
        fprintf(o, "set_logo = %s\n", logo ? logo : "");
    if (fclose(o) != 0) {
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
    if (file && same_file(file, flen, csv))
        return strstr(line, "local_phone") ? WF_LOCAL_PHONE : WF_AGENCY;
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
    if (key && klen == 7 && strncmp(key, "--count", 7) == 0)
        return WF_QUANTITY;
    const web_product *p = f->product;
    for (int i = 0; p && section && i < p->nsections; i++)
        if (strlen(p->sections[i]) == slen && strncmp(p->sections[i], section, slen) == 0)
            return p->section_field[i];
    return WF_GENERAL;
}

/* One line of the engine's: "handout: error: FILE:LINE: [SECTION] KEY: TEXT". */
static void take_line(web_form *f, const char *line, const char *job, const char *csv, const char *logo)
{
    bool error;
    const char *rest;
    if (strncmp(line, "handout: error: ", 16) == 0)
        error = true, rest = line + 16;
    else if (strncmp(line, "handout: warning: ", 18) == 0)
        error = false, rest = line + 18;
    else
        return;
    const char *file = NULL, *section = NULL, *key = NULL;
    size_t flen = 0, slen = 0, klen = 0;
    const char *sep = strstr(rest, ": ");
    if (sep && rest[0] != '[') {
        size_t n = (size_t)(sep - rest);
        const char *colon = memchr(rest, ':', n);
        bool has_space = memchr(rest, ' ', n) != NULL;
        if (!has_space && (memchr(rest, '/', n) || colon)) {
            file = rest;
            flen = colon ? (size_t)(colon - rest) : n;
            rest = sep + 2;
        }
    }
    if (rest[0] == '[') {
        const char *close = strchr(rest, ']');
        if (close) {
            section = rest + 1;
            slen = (size_t)(close - rest - 1);
            rest = close + 1;
            while (*rest == ' ')
                rest++;
        }
    }
    sep = strstr(rest, ": ");
    if (sep && sep > rest && !memchr(rest, ' ', (size_t)(sep - rest)) && sep - rest < 40) {
        key = rest;
        klen = (size_t)(sep - rest);
        rest = sep + 2;
    }
    web_field fld = field_of_line(f, file, flen, section, slen, key, klen, line, job, csv, logo);
    if (section && fld == WF_GENERAL)
        webform_add(f, fld, error, "%s (layout element %.*s)", rest, (int)slen, section);
    else
        webform_add(f, fld, error, "%s", rest);
}

void webform_take_log(web_form *f, const char *log, const char *job, const char *csv, const char *logo)
{
    if (!log)
        return;
    const char *p = log;
    while (*p) {
        size_t n = strcspn(p, "\n");
        char *line = strndup(p, n);
        if (line) {
            take_line(f, line, job, csv, logo);
            free(line);
        }
        p += n;
        if (*p == '\n')
            p++;
    }
}
