/* theme: the theme file. One table says every key: its section, what kind of value it holds and
 * what that value is for; the file is read through ini.h and each value checked with units.h's
 * strict parsers. docs/formats.md ("Themes") documents the keys. */
#define _DEFAULT_SOURCE /* realpath */
#include "theme.h"
#include "ini.h"
#include "inputs.h"
#include "project.h"
#include "suggest.h"
#include "units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef enum { TK_TEXT, TK_FILE, TK_COLOUR, TK_FONT, TK_NUMBER, TK_LENGTH } theme_kind;

static const struct {
    const char *section, *key;
    theme_kind kind;
    double lo, hi; /* TK_NUMBER: the range */
} KEYS[] = {
    { "identity", "name", TK_TEXT, 0, 0 },
    { "identity", "logo", TK_FILE, 0, 0 },
    { "colors", "primary", TK_COLOUR, 0, 0 },
    { "colors", "accent", TK_COLOUR, 0, 0 },
    { "colors", "accent_on_dark", TK_COLOUR, 0, 0 },
    { "colors", "paper", TK_COLOUR, 0, 0 },
    { "colors", "tint", TK_COLOUR, 0, 0 },
    { "colors", "muted", TK_COLOUR, 0, 0 },
    { "colors", "rule", TK_COLOUR, 0, 0 },
    { "colors", "ink", TK_COLOUR, 0, 0 },
    { "colors", "ink_soft", TK_COLOUR, 0, 0 },
    { "colors", "guide", TK_COLOUR, 0, 0 },
    { "fonts", "font", TK_FONT, 0, 0 },
    { "fonts", "font_bold", TK_FONT, 0, 0 },
    { "type", "line_height", TK_NUMBER, 0.8, 4 },
    { "type", "h1_scale", TK_NUMBER, 0.5, 10 },
    { "type", "h2_scale", TK_NUMBER, 0.5, 10 },
    { "type", "h3_scale", TK_NUMBER, 0.5, 10 },
    { "spacing", "paragraph_spacing", TK_NUMBER, 0, 5 },
    { "spacing", "list_indent", TK_NUMBER, 0.5, 10 },
    { "spacing", "column_gap", TK_LENGTH, 0, 0 },
};
#define NKEYS (sizeof KEYS / sizeof KEYS[0])
static const char *const SECTIONS[] = { "identity", "colors", "fonts", "type", "spacing", NULL };

struct theme {
    char *path;
    char *value[NKEYS];
    double number[NKEYS]; /* TK_NUMBER: the value; TK_LENGTH: points */
};

static int key_index(const char *key)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(KEYS[i].key, key) == 0)
            return (int)i;
    return -1;
}

void theme_free(theme *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < NKEYS; i++)
        free(t->value[i]);
    free(t->path);
    free(t);
}

const char *theme_path(const theme *t)
{
    return t->path;
}

const char *theme_get(const theme *t, const char *key)
{
    int i = key_index(key);
    return i < 0 ? NULL : t->value[i];
}

double theme_number(const theme *t, const char *key)
{
    int i = key_index(key);
    return i < 0 ? 0 : t->number[i];
}

void theme_unknown_key(const theme *t, diag *d, const char *id, diag_loc loc, const char *key)
{
    size_t best = 99;
    for (size_t i = 0; i < NKEYS; i++) {
        size_t dist = suggest_distance(key, KEYS[i].key);
        if (dist < best)
            best = dist;
    }
    char near[160] = "";
    size_t nn = 0;
    for (size_t i = 0; i < NKEYS && suggest_near(key, best) && nn < sizeof near; i++)
        if (suggest_distance(key, KEYS[i].key) == best)
            nn += (size_t)snprintf(near + nn, sizeof near - nn, "%s{theme.%s}", nn ? " or " : "", KEYS[i].key);
    diag_error(d, id, loc, "expected a key of the theme %s%s%s%s, found {theme.%s}; docs/formats.md (Themes) lists them",
               t->path, nn ? " (did you mean " : "", near, nn ? "?)" : "", key);
}

/* The keys of one section, NULL-terminated, for ini_check_keys. */
static void section_keys(const char *section, const char **out)
{
    size_t n = 0;
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(KEYS[i].section, section) == 0)
            out[n++] = KEYS[i].key;
    out[n] = NULL;
}

/* The logo's path from the current folder: name taken from the folder of the theme file. */
static char *logo_path(const char *theme_path, const char *name)
{
    if (name[0] == '\0' || name[0] == '/')
        return strdup(name);
    const char *slash = strrchr(theme_path, '/');
    if (!slash)
        return strdup(name);
    size_t n = (size_t)(slash - theme_path) + 1;
    char *p = malloc(n + strlen(name) + 1);
    if (p) {
        memcpy(p, theme_path, n);
        strcpy(p + n, name);
    }
    return p;
}

/* The logo's absolute path, as {theme.logo} gives it: an image element takes a relative file
 * name from the content set's folder, not from the theme's. NULL when it is not there. */
static char *logo_abs(const char *theme_path, const char *name)
{
    char *p = logo_path(theme_path, name);
    char *abs = p ? realpath(p, NULL) : NULL;
    free(p);
    return abs;
}

/* Checks the value of KEYS[i] (v, as written) and stores it; false after reporting. */
static bool read_key(theme *t, const ini_file *f, size_t i, const char *v, diag *d)
{
    diag_loc loc = { t->path, ini_line(f, KEYS[i].section, KEYS[i].key), KEYS[i].section, KEYS[i].key };
    const char *why = NULL;
    bool ok = true;
    char expected[160];
    switch (KEYS[i].kind) {
    case TK_TEXT:
    case TK_FONT:
        if (v[0] == '\0' || strchr(v, '{') || strchr(v, '}')) {
            diag_error(d, "theme-bad-value", loc, "expected %s, found \"%s\"",
                       KEYS[i].kind == TK_FONT ? "a font (a fontconfig name such as \"Liberation Sans:bold\", "
                                                 "or a list of them), without braces"
                                               : "a text without braces",
                       v);
            return false;
        }
        break;
    case TK_FILE: {
        if (v[0] == '\0')
            break;
        char *p = logo_path(t->path, v);
        struct stat sb;
        bool there = p && stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
        if (p && there)
            inputs_note(p);
        free(p);
        if (!there) {
            diag_error(d, "theme-bad-value", loc,
                       "expected a PNG or JPEG file (named from the theme's folder), or nothing for no logo, "
                       "found \"%s\", which is not a file there",
                       v);
            return false;
        }
        break;
    }
    case TK_COLOUR: {
        colour c;
        ok = units_colour(v, &c, &why);
        break;
    }
    case TK_NUMBER:
        ok = units_number(v, &t->number[i], &why);
        if (ok && (t->number[i] < KEYS[i].lo || t->number[i] > KEYS[i].hi)) {
            snprintf(expected, sizeof expected, "a number from %g to %g", KEYS[i].lo, KEYS[i].hi);
            why = expected;
            ok = false;
        }
        break;
    case TK_LENGTH:
        ok = units_length(v, &t->number[i], &why);
        if (ok && t->number[i] > 720) {
            why = "a length of at most 10in";
            ok = false;
        }
        break;
    }
    if (!ok) {
        diag_error(d, "theme-bad-value", loc, "expected %s, found \"%s\"", why, v);
        return false;
    }
    t->value[i] = KEYS[i].kind == TK_FILE && v[0] ? logo_abs(t->path, v) : strdup(v);
    return t->value[i] != NULL;
}

theme *theme_load(const char *path, diag *d)
{
    int before = diag_errors(d);
    ini_file *f = ini_load(path, d);
    if (!f)
        return NULL;
    theme *t = calloc(1, sizeof *t);
    if (!t || !(t->path = strdup(path))) {
        free(t);
        ini_free(f);
        return NULL;
    }
    const char *keys[NKEYS + 1];
    for (int s = 0; s < ini_section_count(f); s++) {
        const char *name = ini_section_name(f, s);
        int k = 0;
        while (SECTIONS[k] && strcmp(SECTIONS[k], name) != 0)
            k++;
        if (!SECTIONS[k]) {
            diag_loc loc = { path, ini_section_line(f, s), name, NULL };
            diag_error(d, "theme-unknown-section", loc,
                       "expected a section identity, colors, fonts, type or spacing, found [%s]", name);
            continue;
        }
        section_keys(name, keys);
        ini_check_keys(f, s, keys, "theme-unknown-key", d);
    }
    for (size_t i = 0; i < NKEYS; i++) {
        const char *v = ini_get(f, KEYS[i].section, KEYS[i].key);
        if (!v) {
            int line = ini_line(f, KEYS[i].section, NULL);
            diag_loc loc = { path, line, KEYS[i].section, KEYS[i].key };
            diag_error(d, "theme-missing-key", loc,
                       "expected a value (every layout may use every theme key: a theme gives them all%s), found none",
                       KEYS[i].kind == TK_FILE ? "; write it empty for none" : "");
            continue;
        }
        read_key(t, f, i, v, d);
    }
    ini_free(f);
    if (diag_errors(d) > before) {
        theme_free(t);
        return NULL;
    }
    return t;
}

theme *theme_for(const char *root, const char *given, bool *none, diag *d)
{
    *none = false;
    char *path = given && strchr(given, '/') ? strdup(given)
                                             : project_named_path(root, "themes", given ? given : "default", ".ini");
    if (!path)
        return NULL;
    struct stat sb;
    theme *t = NULL;
    if (given || stat(path, &sb) == 0)
        t = theme_load(path, d);
    else
        *none = true;
    free(path);
    return t;
}
