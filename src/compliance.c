/* compliance: the [profile] section of a profile INI (documented in docs/compliance.md) and the
 * checks. Every failure names the profile, its citation and the rule (the key). */
#include "compliance.h"
#include "ini.h"
#include "project.h"
#include "units.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_RULES 32

struct compliance {
    char *path;
    char *name;
    char *citation;
    char *description;
    double min_w, min_h;      /* page at least, points (0: no rule) */
    double max_w, max_h;      /* page at most (0: no rule) */
    double min_type;          /* points (0: no rule) */
    char *languages;          /* required, "en, es" */
    long extra_languages;     /* how many more languages beyond the required ones */
    bool per_page;            /* one language per page */
    bool mirror;              /* must be mirrored */
    char *require[MAX_RULES]; /* phrases, each "a | b" (any of the alternatives) */
    int nrequire;
    char *bold[MAX_RULES];    /* phrases that must be set in a bold weight */
    int nbold;
    char *el_name[MAX_RULES]; /* required elements: element_NAME = phrases */
    char *el_phrase[MAX_RULES];
    int nel;
    char *prescribed;         /* the statute's text, word for word */
    char *prescribed_effective;
    bool transparent;         /* no opaque fill behind the text (a transparent cling) */
    bool bold_all;            /* every line in a bold weight */
    bool qr_code;             /* a QR code on the page */
    char *county_data;        /* county_languages: the data file's name (data/NAME.ini) */
    char *county;             /* the county asked for (--set county=NAME), as written */
    char *county_langs;       /* its languages beyond the listed ones, "zh, tl, vi"; NULL: no rule */
    char *county_names;       /* the same as the source writes them */
    char *county_path;        /* the data file read */
    char *note[8];            /* the NOTES' values, in NOTES' order (NULL: not given) */
    char *staff_share;        /* staff_languages: the share of the staff ("10%") whose language is required */
    char *staff_langs;        /* the staff's languages asked for (--set staff_languages=CODES); NULL: none */
    char orientation;         /* 'l' landscape, 'p' portrait, 0: no rule */
    char *area;               /* language_area as written: "en 2/3, es 1/3" or "equal"; NULL: no rule */
    const layout *l;
};

static const char *const KEYS[] = { "description", "citation", "min_width", "min_height",
                                    "max_width", "max_height", "min_type", "languages",
                                    "extra_languages", "one_language_per_page", "mirror",
                                    "effective", "source", "read", "who", "where", "how_many", "cannot_check",
                                    "prescribed_text", "prescribed_effective", "transparent", "bold_all", "qr_code",
                                    "county_languages", "staff_languages", "orientation", "language_area", NULL };
/* Keys that only inform the reader (and `handout list`): kept as written, not checked. */
static const char *const NOTES[] = { "description", "effective", "source", "read", "who", "where", "how_many", "cannot_check", NULL };

void compliance_free(compliance *c)
{
    if (!c)
        return;
    free(c->path);
    free(c->name);
    free(c->citation);
    free(c->description);
    free(c->languages);
    free(c->area);
    for (int i = 0; i < c->nrequire; i++)
        free(c->require[i]);
    for (int i = 0; i < c->nbold; i++)
        free(c->bold[i]);
    for (int i = 0; i < c->nel; i++) {
        free(c->el_name[i]);
        free(c->el_phrase[i]);
    }
    free(c->prescribed);
    free(c->prescribed_effective);
    free(c->county_data);
    free(c->county);
    free(c->county_langs);
    free(c->county_names);
    free(c->county_path);
    for (int i = 0; i < (int)(sizeof c->note / sizeof c->note[0]); i++)
        free(c->note[i]);
    free(c->staff_share);
    free(c->staff_langs);
    free(c);
}

const char *compliance_note(const compliance *c, const char *key)
{
    for (int i = 0; NOTES[i] && i < (int)(sizeof c->note / sizeof c->note[0]); i++)
        if (strcmp(NOTES[i], key) == 0)
            return c->note[i];
    return NULL;
}

const char *compliance_languages(const compliance *c)
{
    return c->languages ? c->languages : "";
}

const char *compliance_citation(const compliance *c)
{
    return c->citation ? c->citation : "";
}

const char *compliance_description(const compliance *c)
{
    return c->description ? c->description : "";
}

/* Appends to out (size max) "; " and the formatted text, as far as it fits. */
static void summary_add(char *out, size_t max, const char *fmt, ...)
{
    size_t n = strlen(out);
    if (n + 3 >= max)
        return;
    if (n > 0) {
        strcpy(out + n, "; ");
        n += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out + n, max - n, fmt, ap);
    va_end(ap);
}

void compliance_summary(const compliance *c, char *out, size_t max)
{
    if (max == 0)
        return;
    out[0] = '\0';
    if (c->min_w > 0 || c->min_h > 0)
        summary_add(out, max, "page at least %.4g x %.4g in", c->min_w / 72, c->min_h / 72);
    if (c->max_w > 0 || c->max_h > 0)
        summary_add(out, max, "page at most %.4g x %.4g in", c->max_w / 72, c->max_h / 72);
    if (c->orientation)
        summary_add(out, max, "%s", c->orientation == 'l' ? "landscape" : "portrait");
    if (c->min_type > 0)
        summary_add(out, max, "type at least %.4g pt", c->min_type);
    if (c->bold_all)
        summary_add(out, max, "every line bold");
    for (int i = 0; i < c->nbold; i++)
        summary_add(out, max, "bold \"%s\"", c->bold[i]);
    if (c->languages && c->languages[0])
        summary_add(out, max, "languages %s", c->languages);
    if (c->extra_languages > 0)
        summary_add(out, max, "%ld more language%s", c->extra_languages, c->extra_languages == 1 ? "" : "s");
    if (c->county_data)
        summary_add(out, max, "the county's Voting Rights Act language (data/%s.ini, --set county=NAME)", c->county_data);
    if (c->staff_share)
        summary_add(out, max, "any language spoken by %s or more of the staff (--set staff_languages=CODES)", c->staff_share);
    if (c->per_page)
        summary_add(out, max, "one language per page");
    if (c->area)
        summary_add(out, max, "text area by language %s", c->area);
    for (int i = 0; i < c->nrequire; i++)
        summary_add(out, max, "\"%s\"", c->require[i]);
    for (int i = 0; i < c->nel; i++)
        summary_add(out, max, "element %s", c->el_name[i]);
    if (c->prescribed)
        summary_add(out, max, "the statute's text word for word (effective %s)", c->prescribed_effective);
    if (c->transparent)
        summary_add(out, max, "transparent");
    if (c->mirror)
        summary_add(out, max, "mirrored");
    if (c->qr_code)
        summary_add(out, max, "a QR code");
    if (!out[0])
        snprintf(out, max, "no rule");
}

/* language_area: "equal", or "CODE SHARE, CODE SHARE..." with each SHARE a fraction (2/3) or a
 * percentage (67%). Fills up to max codes and shares (0..1); *equal says which form. False when
 * the value is neither. */
static bool area_parse(const char *v, char (*codes)[16], double *shares, int max, int *n_out)
{
    int n = 0;
    if (strcmp(v, "equal") == 0) {
        if (n_out)
            *n_out = 0;
        return true;
    }
    const char *p = v;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        size_t cl = strcspn(p, " ,");
        if (cl == 0 || cl > 15 || p[cl] != ' ')
            return false;
        const char *code = p;
        p += cl;
        while (*p == ' ')
            p++;
        char *end;
        double num = strtod(p, &end), share;
        if (end == p || num < 0)
            return false;
        if (*end == '/') {
            const char *q = end + 1;
            double den = strtod(q, &end);
            if (end == q || den <= 0)
                return false;
            share = num / den;
        } else if (*end == '%') {
            share = num / 100;
            end++;
        } else {
            return false;
        }
        if (share > 1 || (*end && *end != ',' && *end != ' '))
            return false;
        if (codes && n < max) {
            snprintf(codes[n], 16, "%.*s", (int)cl, code);
            shares[n] = share;
        }
        n++;
        p = end;
    }
    if (n_out)
        *n_out = n < max ? n : max;
    return n > 0;
}

static bool is_note(const char *key)
{
    for (int i = 0; NOTES[i]; i++)
        if (strcmp(NOTES[i], key) == 0)
            return true;
    return false;
}

compliance *compliance_load(const char *path, const char *name, const layout *l, diag *d)
{
    int before = diag_errors(d);
    ini_file *f = ini_load(path, d);
    if (!f)
        return NULL;
    compliance *c = calloc(1, sizeof *c);
    if (!c) {
        ini_free(f);
        return NULL;
    }
    c->path = strdup(path);
    c->name = strdup(name);
    c->l = l;
    int s = ini_section_index(f, "profile");
    if (s < 0) {
        diag_error(d, "profile-no-section", diag_at(path, 0), "expected a [profile] section, found none");
        ini_free(f);
        compliance_free(c);
        return NULL;
    }
    for (int k = 0; k < ini_key_count(f, s); k++) {
        const char *key = ini_key_name(f, s, k), *v = ini_key_value(f, s, k);
        diag_loc loc = { path, ini_key_line(f, s, k), "profile", key };
        const char *why = NULL;
        bool known = false;
        for (int i = 0; KEYS[i]; i++)
            known = known || strcmp(KEYS[i], key) == 0;
        for (int i = 0; NOTES[i] && i < (int)(sizeof c->note / sizeof c->note[0]); i++)
            if (strcmp(NOTES[i], key) == 0) {
                free(c->note[i]);
                c->note[i] = strdup(v);
            }
        if (strncmp(key, "require_", 8) == 0 && c->nrequire < MAX_RULES) {
            c->require[c->nrequire++] = strdup(v);
        } else if (strncmp(key, "bold_", 5) == 0 && strcmp(key, "bold_all") != 0 && c->nbold < MAX_RULES) {
            c->bold[c->nbold++] = strdup(v);
        } else if (strncmp(key, "element_", 8) == 0 && key[8] && c->nel < MAX_RULES) {
            c->el_name[c->nel] = strdup(key + 8);
            c->el_phrase[c->nel++] = strdup(v);
        } else if (!known) {
            diag_error(d, "profile-unknown-key", loc,
                       "expected a known key (%s, require_N, bold_N, element_NAME), found an unknown one",
                       "citation, min_width, min_height, max_width, max_height, min_type, languages, extra_languages, "
                       "one_language_per_page, mirror, transparent, bold_all, qr_code, prescribed_text, prescribed_effective, "
                       "county_languages, staff_languages, orientation, language_area, effective, source, read, who, where, how_many, cannot_check");
        } else if (strcmp(key, "orientation") == 0) {
            if (strcmp(v, "landscape") == 0 || strcmp(v, "portrait") == 0)
                c->orientation = v[0];
            else
                diag_error(d, "profile-bad-choice", loc, "expected landscape or portrait, found \"%s\"", v);
        } else if (strcmp(key, "language_area") == 0) {
            if (!area_parse(v, NULL, NULL, 0, NULL))
                diag_error(d, "profile-bad-number", loc,
                           "expected equal or each language's share of the text area (en 2/3, es 1/3), found \"%s\"", v);
            free(c->area);
            c->area = strdup(v);
        } else if (strcmp(key, "staff_languages") == 0) {
            size_t n = strspn(v, "0123456789.");
            if (n == 0 || strcmp(v + n, "%") != 0)
                diag_error(d, "profile-bad-number", loc, "expected a share of the staff in percent (10%%), found \"%s\"", v);
            free(c->staff_share);
            c->staff_share = strdup(v);
        } else if (strcmp(key, "county_languages") == 0) {
            free(c->county_data);
            c->county_data = strdup(v);
        } else if (strcmp(key, "prescribed_text") == 0) {
            free(c->prescribed);
            c->prescribed = strdup(v);
        } else if (strcmp(key, "prescribed_effective") == 0) {
            free(c->prescribed_effective);
            c->prescribed_effective = strdup(v);
        } else if (strcmp(key, "citation") == 0) {
            free(c->citation);
            c->citation = strdup(v);
        } else if (strcmp(key, "description") == 0) {
            free(c->description);
            c->description = strdup(v);
        } else if (strcmp(key, "languages") == 0) {
            c->languages = strdup(v);
        } else if (strcmp(key, "extra_languages") == 0) {
            if (!units_int(v, &c->extra_languages, &why))
                diag_error(d, "profile-bad-number", loc, "expected %s, found \"%s\"", why, v);
        } else if (strcmp(key, "one_language_per_page") == 0 || strcmp(key, "mirror") == 0 ||
                   strcmp(key, "transparent") == 0 || strcmp(key, "bold_all") == 0 || strcmp(key, "qr_code") == 0) {
            bool yes = strcmp(v, "yes") == 0;
            if (!yes && strcmp(v, "no") != 0)
                diag_error(d, "profile-bad-choice", loc, "expected yes or no, found \"%s\"", v);
            if (key[0] == 'o')
                c->per_page = yes;
            else if (key[0] == 't')
                c->transparent = yes;
            else if (key[0] == 'b')
                c->bold_all = yes;
            else if (key[0] == 'q')
                c->qr_code = yes;
            else
                c->mirror = yes;
        } else if (!is_note(key)) {
            double *dst = strcmp(key, "min_width") == 0    ? &c->min_w
                          : strcmp(key, "min_height") == 0 ? &c->min_h
                          : strcmp(key, "max_width") == 0  ? &c->max_w
                          : strcmp(key, "max_height") == 0 ? &c->max_h
                                                           : &c->min_type;
            if (!units_length(v, dst, &why))
                diag_error(d, "profile-bad-length", loc, "expected %s, found \"%s\"", why, v);
        }
    }
    if (c->prescribed && !c->prescribed_effective)
        diag_error(d, "profile-no-effective-date", diag_at(path, 0),
                   "expected prescribed_effective (the date from which the statute's text applies) with "
                   "prescribed_text, found none");
    if (!c->citation)
        diag_error(d, "profile-no-citation", diag_at(path, 0),
                   "expected a citation (the statute the profile encodes), found none");
    ini_free(f);
    if (diag_errors(d) > before) {
        compliance_free(c);
        return NULL;
    }
    return c;
}

/* ---- languages by county (county_languages) ---- */

/* The county's name as a section of the data file: lower case, without a trailing " county". */
static void county_key(const char *county, char *out, size_t max)
{
    size_t n = 0;
    for (const char *p = county; *p && n + 1 < max; p++)
        out[n++] = (char)tolower((unsigned char)*p);
    out[n] = '\0';
    while (n > 0 && out[n - 1] == ' ')
        out[--n] = '\0';
    if (n > 7 && strcmp(out + n - 7, " county") == 0)
        out[n - 7] = '\0';
}

bool compliance_use_county(compliance *c, const char *root, const char *county, diag *d)
{
    if (!county || !county[0])
        return true;
    free(c->county);
    c->county = strdup(county);
    if (!c->county)
        return false;
    size_t cn = strlen(c->county);
    while (cn > 0 && c->county[cn - 1] == ' ')
        c->county[--cn] = '\0';
    if (cn > 7 && strcasecmp(c->county + cn - 7, " county") == 0)
        c->county[cn - 7] = '\0';
    diag_loc setloc = { "--set", 0, "content", "county" };
    if (!c->county_data) {
        diag_warn(d, "compliance-county-unused", setloc,
                  "expected a profile with languages by county (county_languages), found profile %s (%s) without "
                  "them: county = %s changes nothing",
                  c->name, compliance_citation(c), county);
        return true;
    }
    free(c->county_path);
    c->county_path = project_named_path(root, "data", c->county_data, ".ini");
    if (!c->county_path)
        return false;
    int before = diag_errors(d);
    ini_file *f = ini_load(c->county_path, d);
    if (!f)
        return diag_errors(d) == before;
    char key[128], known[512] = "";
    county_key(county, key, sizeof key);
    int found = -1;
    for (int s = 0; s < ini_section_count(f); s++) {
        if (strcmp(ini_section_name(f, s), key) == 0)
            found = s;
        size_t n = strlen(known);
        snprintf(known + n, sizeof known - n, "%s%s", n ? ", " : "", ini_section_name(f, s));
    }
    if (found < 0) {
        diag_warn(d, "compliance-county-unsourced", setloc,
                  "expected a county whose Voting Rights Act languages %s records with their source (%s), found "
                  "\"%s\": the check asks for %s only; find the county's languages in the Census Bureau's "
                  "section 203 determination",
                  c->county_path, known[0] ? known : "none", county, compliance_languages(c));
        ini_free(f);
        return true;
    }
    static const char *const CKEYS[] = { "languages", "names", "source", "checked", NULL };
    ini_check_keys(f, found, CKEYS, "compliance-county-key", d);
    const char *langs = NULL, *names = "", *source = NULL, *checked = NULL;
    for (int k = 0; k < ini_key_count(f, found); k++) {
        const char *kn = ini_key_name(f, found, k), *v = ini_key_value(f, found, k);
        if (strcmp(kn, "languages") == 0)
            langs = v;
        else if (strcmp(kn, "names") == 0)
            names = v;
        else if (strcmp(kn, "source") == 0)
            source = v;
        else if (strcmp(kn, "checked") == 0)
            checked = v;
    }
    int line = ini_section_line(f, found);
    diag_loc at = { c->county_path, line, ini_section_name(f, found), NULL };
    if (!langs || !langs[0]) {
        at.key = "languages";
        diag_error(d, "compliance-county-no-source", at, "expected the county's languages (or none), found none");
    }
    if (!source || (!strstr(source, "https://") && !strstr(source, "http://"))) {
        at.key = "source";
        diag_error(d, "compliance-county-no-source", at, "expected the address of the page the languages were read from, found %s",
                   source ? source : "none");
    }
    size_t cl = checked ? strlen(checked) : 0;
    if (cl != 10 || checked[4] != '-' || checked[7] != '-' || strspn(checked, "0123456789-") != 10) {
        at.key = "checked";
        diag_error(d, "compliance-county-no-source", at, "expected the date the source was read (YYYY-MM-DD), found %s",
                   checked ? checked : "none");
    }
    if (diag_errors(d) == before && strcmp(langs, "none") != 0) {
        c->county_langs = strdup(langs);
        c->county_names = strdup(names);
    }
    ini_free(f);
    return diag_errors(d) == before;
}

bool compliance_use_staff_languages(compliance *c, const char *langs, diag *d)
{
    if (!langs || !langs[strspn(langs, " ,")])
        return true;
    diag_loc setloc = { "--set", 0, "content", "staff_languages" };
    if (!c->staff_share) {
        diag_warn(d, "compliance-staff-languages-unused", setloc,
                  "expected a profile that asks for the staff's languages (staff_languages), found profile %s (%s) "
                  "without it: staff_languages = %s changes nothing",
                  c->name, compliance_citation(c), langs);
        return true;
    }
    for (const char *q = langs; *q; q++)
        if (!isalnum((unsigned char)*q) && !strchr(" ,-_", *q)) {
            diag_error(d, "compliance-bad-staff-languages", setloc,
                       "expected the codes of content sets (vi, zh), separated by commas, found \"%s\"", langs);
            return false;
        }
    free(c->staff_langs);
    c->staff_langs = strdup(langs);
    return c->staff_langs != NULL;
}

const char *compliance_staff_share(const compliance *c)
{
    return c->staff_share;
}

const char *compliance_county(const compliance *c)
{
    return c->county;
}

const char *compliance_county_languages(const compliance *c)
{
    return c->county_langs;
}

const char *compliance_county_names(const compliance *c)
{
    return c->county_names ? c->county_names : "";
}

const char *compliance_county_path(const compliance *c)
{
    return c->county_path;
}

/* Does text hold the phrase (spaces normalised), in any of its " | " alternatives? */
static bool holds(const char *text, const char *alternatives)
{
    const char *p = alternatives;
    while (*p) {
        while (*p == ' ' || *p == '|')
            p++;
        size_t n = strcspn(p, "|");
        while (n > 0 && p[n - 1] == ' ')
            n--;
        if (n > 0) {
            char alt[256];
            snprintf(alt, sizeof alt, "%.*s", (int)(n < 255 ? n : 255), p);
            if (strstr(text, alt))
                return true;
        }
        p += n;
        p += strcspn(p, "|");
    }
    return false;
}

/* "profile NAME (CITATION), rule RULE: expected EXPECTED, found FOUND" */
static void rule_error(const compliance *c, diag *d, const char *id, const char *rule, const char *expected,
                       const char *found)
{
    diag_loc loc = { c->l->path, 0, "page", "compliance" };
    diag_error(d, id, loc, "profile %s (%s), rule %s: expected %s, found %s", c->name, c->citation, rule, expected,
               found);
}

/* ---- the prescribed text, word for word ----
 * Both texts are reduced to the characters that carry the words: letters, digits and punctuation,
 * without spaces and line breaks, hyphens and dashes (a word hyphenated at a line's end, "con-"
 * "fidential", reads as one; "leave—whether" as "leave — whether"), quotation marks (straight or
 * curly) and the soft hyphen; the curly apostrophe reads as the straight one. What is left must
 * match character for character, so a word changed, added or left out is found. */

typedef struct sig {
    char *c;      /* the characters kept */
    size_t *at;   /* for each, its offset in the original text */
    size_t n;
} sig;

static void sig_free(sig *g)
{
    free(g->c);
    free(g->at);
}

static bool sig_make(const char *t, sig *g)
{
    size_t len = strlen(t);
    g->c = malloc(len + 1);
    g->at = malloc((len + 1) * sizeof *g->at);
    g->n = 0;
    if (!g->c || !g->at)
        return false;
    static const char *const DROP[] = { "\xE2\x80\x94", "\xE2\x80\x93", "\xE2\x80\x90", "\xE2\x80\x91",
                                        "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x9E", "\xC2\xAB",
                                        "\xC2\xBB", "\xC2\xAD", "\xC2\xA0", NULL };
    for (size_t i = 0; i < len;) {
        unsigned char ch = (unsigned char)t[i];
        size_t skip = 0;
        for (int k = 0; DROP[k] && !skip; k++)
            if (strncmp(t + i, DROP[k], strlen(DROP[k])) == 0)
                skip = strlen(DROP[k]);
        if (skip) {
            i += skip;
            continue;
        }
        if (strncmp(t + i, "\xE2\x80\x99", 3) == 0 || strncmp(t + i, "\xE2\x80\x98", 3) == 0) {
            g->at[g->n] = i;
            g->c[g->n++] = '\'';
            i += 3;
            continue;
        }
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '-' || ch == '"') {
            i++;
            continue;
        }
        g->at[g->n] = i;
        g->c[g->n++] = (char)ch;
        i++;
    }
    g->c[g->n] = '\0';
    return true;
}

/* The word of t around offset at (between spaces), at most max bytes, into out. */
static void word_at(const char *t, size_t at, char *out, size_t max)
{
    size_t b = at, e = at, len = strlen(t);
    while (b > 0 && t[b - 1] != ' ')
        b--;
    while (e < len && t[e] != ' ')
        e++;
    /* and the next word, for context */
    if (e < len) {
        e++;
        while (e < len && t[e] != ' ')
            e++;
    }
    snprintf(out, max, "%.*s", (int)(e - b < max - 1 ? e - b : max - 1), t + b);
}

/* Whether the page text holds the prescribed text; if not, the statute's words where the closest
 * copy departs from it and what the page has there. */
static bool prescribed_holds(const char *page, const char *text, char *want, char *got, size_t max)
{
    sig P = { 0 }, S = { 0 };
    bool ok = false;
    if (!sig_make(page, &P) || !sig_make(text, &S)) {
        sig_free(&P);
        sig_free(&S);
        snprintf(want, max, "the text");
        snprintf(got, max, "no memory to compare it");
        return false;
    }
    size_t best = 0, best_at = 0;
    for (size_t i = 0; i < P.n && best < S.n; i++) {
        size_t k = 0;
        while (k < S.n && i + k < P.n && P.c[i + k] == S.c[k])
            k++;
        if (k > best) {
            best = k;
            best_at = i;
        }
    }
    if (best == S.n) {
        ok = true;
    } else if (best == 0) {
        word_at(text, S.at[0], want, max);
        snprintf(got, max, "none of it");
    } else {
        word_at(text, S.at[best], want, max);
        if (best_at + best < P.n)
            word_at(page, P.at[best_at + best], got, max);
        else
            snprintf(got, max, "the end of the text");
    }
    sig_free(&P);
    sig_free(&S);
    return ok;
}

/* ---- the checks, one function per kind of rule ---- */

/* min_width/min_height and max_width/max_height: "at least 11 by 17 inches", either way up */
static void check_page_size(const compliance *c, const render_stats *st, diag *d)
{
    char buf[512], got[512];
    snprintf(got, sizeof got, "%.4g x %.4g in", st->page_w / 72, st->page_h / 72);
    bool fits_min = (st->page_w >= c->min_w - 0.01 && st->page_h >= c->min_h - 0.01) ||
                    (st->page_h >= c->min_w - 0.01 && st->page_w >= c->min_h - 0.01);
    bool fits_max = ((c->max_w <= 0 || st->page_w <= c->max_w + 0.01) && (c->max_h <= 0 || st->page_h <= c->max_h + 0.01)) ||
                    ((c->max_w <= 0 || st->page_h <= c->max_w + 0.01) && (c->max_h <= 0 || st->page_w <= c->max_h + 0.01));
    if (!fits_min) {
        snprintf(buf, sizeof buf, "a page of at least %.4g x %.4g in (either way up)", c->min_w / 72, c->min_h / 72);
        rule_error(c, d, "compliance-page-too-small", "min_width/min_height", buf, got);
    }
    if (!fits_max) {
        snprintf(buf, sizeof buf, "a page of at most %.4g x %.4g in (either way up)", c->max_w / 72, c->max_h / 72);
        rule_error(c, d, "compliance-page-too-large", "max_width/max_height", buf, got);
    }
}

/* orientation: the page (trim) is wider than high (landscape) or higher than wide (portrait) */
static void check_orientation(const compliance *c, const render_stats *st, diag *d)
{
    char buf[512], got[512];
    if (!c->orientation)
        return;
    bool land = st->page_w > st->page_h + 0.01, port = st->page_h > st->page_w + 0.01;
    if ((c->orientation == 'l' && land) || (c->orientation == 'p' && port))
        return;
    snprintf(buf, sizeof buf, "a %s page (%s)", c->orientation == 'l' ? "landscape" : "portrait",
             c->orientation == 'l' ? "wider than high" : "higher than wide");
    snprintf(got, sizeof got, "%.4g in wide and %.4g in high (%s)", st->page_w / 72, st->page_h / 72,
             land ? "landscape" : port ? "portrait" : "square");
    rule_error(c, d, "compliance-orientation", "orientation", buf, got);
}

/* min_type: the smallest type set */
static void check_type_size(const compliance *c, const render_stats *st, diag *d)
{
    char buf[512], got[512];
    const render_run *small = NULL;
    for (size_t i = 0; i < st->n; i++)
        if (!small || st->runs[i].size < small->size)
            small = &st->runs[i];
    if (c->min_type > 0 && small && small->size < c->min_type - 0.005) {
        snprintf(buf, sizeof buf, "every line at least %.4g pt", c->min_type);
        snprintf(got, sizeof got, "%.4g pt in [%s] (\"%.40s\")", small->size, small->element, small->text);
        rule_error(c, d, "compliance-type-too-small", "min_type", buf, got);
    }
}

/* All the text set, in reading order, for phrases: a run that ends in a hyphen (a line broken
 * after "1-888-", or "con-" at a line's end) goes on without a space. NULL without memory. */
static char *page_text(const render_stats *st)
{
    size_t total = 1;
    for (size_t i = 0; i < st->n; i++)
        total += strlen(st->runs[i].text) + 1;
    char *all = malloc(total);
    if (!all)
        return NULL;
    size_t at = 0;
    for (size_t i = 0; i < st->n; i++) {
        const char *t = st->runs[i].text;
        size_t tl = strlen(t);
        memcpy(all + at, t, tl);
        at += tl;
        if (tl == 0 || t[tl - 1] != '-')
            all[at++] = ' ';
    }
    all[at] = '\0';
    return all;
}

/* require_N: phrases the text holds */
static void check_required_phrases(const compliance *c, const char *all, diag *d)
{
    char buf[512];
    for (int i = 0; i < c->nrequire; i++)
        if (!holds(all, c->require[i])) {
            snprintf(buf, sizeof buf, "the text to hold \"%s\"", c->require[i]);
            rule_error(c, d, "compliance-phrase-missing", "require", buf, "it nowhere");
        }
}

/* bold_all and bold_N: weights */
static void check_bold(const compliance *c, const render_stats *st, diag *d)
{
    char buf[512], got[512];
    if (c->bold_all)
        for (size_t k = 0; k < st->n; k++)
            if (st->runs[k].weight < 200) {
                snprintf(got, sizeof got, "\"%.40s\" in [%s] in a lighter weight", st->runs[k].text, st->runs[k].element);
                rule_error(c, d, "compliance-not-bold", "bold_all", "every line in a bold weight", got);
                break;
            }
    for (int i = 0; i < c->nbold; i++) {
        bool found = false, bold = false;
        for (size_t k = 0; k < st->n; k++)
            if (holds(st->runs[k].text, c->bold[i])) {
                found = true;
                bold = bold || st->runs[k].weight >= 200;
            }
        if (!found || !bold) {
            snprintf(buf, sizeof buf, "\"%s\" in a bold weight", c->bold[i]);
            rule_error(c, d, "compliance-not-bold", "bold", buf, found ? "it only in a lighter weight" : "it nowhere");
        }
    }
}

/* element_NAME: required elements, each found by a phrase it holds */
static void check_elements(const compliance *c, const char *all, diag *d)
{
    char buf[512];
    for (int i = 0; i < c->nel; i++)
        if (!holds(all, c->el_phrase[i])) {
            char rule[96];
            snprintf(rule, sizeof rule, "element_%s", c->el_name[i]);
            snprintf(buf, sizeof buf, "the element \"%s\" (text holding \"%s\")", c->el_name[i], c->el_phrase[i]);
            rule_error(c, d, "compliance-element-missing", rule, buf, "it nowhere");
        }
}

/* prescribed_text: the statute's words, word for word */
static void check_prescribed(const compliance *c, const char *all, diag *d)
{
    char buf[512], got[512], want[160], where[160];
    if (!c->prescribed || prescribed_holds(all, c->prescribed, want, where, sizeof want))
        return;
    snprintf(buf, sizeof buf, "the statute's text (effective %s) word for word, with \"%s\"", c->prescribed_effective,
             want);
    snprintf(got, sizeof got, "\"%s\" there", where);
    if (strcmp(where, "none of it") == 0 || strcmp(where, "the end of the text") == 0)
        snprintf(got, sizeof got, "%s", where);
    rule_error(c, d, "compliance-prescribed-text", "prescribed_text", buf, got);
}

/* transparent: a transparent cling, nothing opaque painted behind the text */
static void check_transparent(const compliance *c, diag *d)
{
    char got[512];
    if (!c->transparent)
        return;
    double page = c->l->page_w * c->l->page_h;
    if (c->l->background.space != COLOUR_NONE)
        rule_error(c, d, "compliance-not-transparent", "transparent",
                   "no opaque background (the statute asks for a transparent cling)", "a [page] background colour");
    for (int i = 0; i < c->l->nelements; i++) {
        const element *e = &c->l->elements[i];
        if (e->type == EL_BOX && e->fill.space != COLOUR_NONE && e->w * e->h >= page / 4) {
            snprintf(got, sizeof got, "the box [%s] filling %.0f %% of the page", e->name, 100 * e->w * e->h / page);
            rule_error(c, d, "compliance-not-transparent", "transparent",
                       "no opaque background (the statute asks for a transparent cling)", got);
        }
    }
}

/* languages and extra_languages: the required ones present, and enough in all */
static void check_languages(const compliance *c, const render_stats *st, diag *d)
{
    char buf[512], got[512];
    char seen[32][16];
    int nseen = 0;
    for (size_t i = 0; i < st->n; i++) {
        int k;
        for (k = 0; k < nseen; k++)
            if (strcasecmp(seen[k], st->runs[i].lang) == 0)
                break;
        if (k == nseen && nseen < 32 && st->runs[i].lang[0])
            snprintf(seen[nseen++], sizeof seen[0], "%s", st->runs[i].lang);
    }
    long required = 0;
    const char *p = c->languages ? c->languages : "";
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ", ");
        if (n == 0)
            break;
        char lang[16];
        snprintf(lang, sizeof lang, "%.*s", (int)(n < 15 ? n : 15), p);
        required++;
        bool have = false;
        for (int k = 0; k < nseen; k++)
            have = have || strcasecmp(seen[k], lang) == 0;
        if (!have) {
            snprintf(buf, sizeof buf, "text in the language \"%s\"", lang);
            snprintf(got, sizeof got, "none (tag elements with lang = %s)", lang);
            rule_error(c, d, "compliance-language-missing", "languages", buf, got);
        }
        p += n;
    }
    if (c->county_langs) {
        bool have = false;
        const char *q = c->county_langs;
        while (*q && !have) {
            while (*q == ' ' || *q == ',')
                q++;
            size_t n = strcspn(q, ", ");
            for (int k = 0; k < nseen && n > 0; k++)
                have = have || (strlen(seen[k]) == n && strncasecmp(seen[k], q, n) == 0);
            q += n;
        }
        if (!have) {
            char list[400] = ""; /* fits in got with " only" */
            for (int k = 0; k < nseen; k++) { /* as many as fit, whole */
                size_t n = strlen(list), m = strlen(seen[k]);
                if (n + 2 + m + 1 > sizeof list)
                    break;
                if (n > 0) {
                    memcpy(list + n, ", ", 2);
                    n += 2;
                }
                memcpy(list + n, seen[k], m + 1);
            }
            snprintf(buf, sizeof buf,
                     "text in one of the languages %s County must offer under the Voting Rights Act (%s: %s; %s)",
                     c->county, c->county_langs, c->county_names, c->county_path);
            snprintf(got, sizeof got, "%s only", list[0] ? list : "no language");
            rule_error(c, d, "compliance-county-language-missing", "county_languages", buf, got);
        }
    }
    /* the staff's languages (staff_languages, --set staff_languages=CODES): each one present */
    for (const char *q = c->staff_langs ? c->staff_langs : ""; *q;) {
        q += strspn(q, " ,");
        size_t n = strcspn(q, ", ");
        if (n == 0)
            break;
        bool have = false;
        for (int k = 0; k < nseen; k++)
            have = have || (strlen(seen[k]) == n && strncasecmp(seen[k], q, n) == 0);
        if (!have) {
            snprintf(buf, sizeof buf, "text in the language \"%.*s\", which %s or more of the staff speak (--set "
                     "staff_languages)", (int)(n < 15 ? n : 15), q, c->staff_share);
            snprintf(got, sizeof got, "none (tag elements with lang = %.*s, or add it to [page] languages)",
                     (int)(n < 15 ? n : 15), q);
            rule_error(c, d, "compliance-staff-language-missing", "staff_languages", buf, got);
        }
        q += n;
    }
    if (nseen < required + c->extra_languages) {
        snprintf(buf, sizeof buf, "%ld languages in all (%s and %ld more)", required + c->extra_languages,
                 c->languages ? c->languages : "", c->extra_languages);
        snprintf(got, sizeof got, "%d", nseen);
        rule_error(c, d, "compliance-too-few-languages", "extra_languages", buf, got);
    }
}

/* qr_code: the layout places a QR code */
static void check_qr_code(const compliance *c, diag *d)
{
    if (!c->qr_code)
        return;
    for (int i = 0; i < c->l->nelements; i++)
        if (c->l->elements[i].type == EL_QR)
            return;
    rule_error(c, d, "compliance-no-qr-code", "qr_code", "a QR code on the page (a [qr] element)", "none");
}

/* language_area: each language's share of the text area. The statute's words ("the English notice
 * must cover approximately two-thirds of the sign") are about the room each notice takes on the
 * sign, so the measure is the box of each text or markdown element that set any line, counted in
 * the language its lines carry (the element's lang, else the content set's: as for `languages`).
 * "Approximately": each share within 5 percentage points of the one asked for. */
#define AREA_TOLERANCE 0.05
static void check_language_area(const compliance *c, const render_stats *st, diag *d)
{
    char buf[512], got[512];
    char want[16][16], lang[32][16];
    double share[16], area[32] = { 0 }, total = 0;
    int nwant = 0, nlang = 0;
    if (!c->area || !area_parse(c->area, want, share, 16, &nwant))
        return;
    for (int i = 0; i < c->l->nelements; i++) {
        const element *e = &c->l->elements[i];
        if (e->type != EL_TEXT && e->type != EL_MARKDOWN)
            continue;
        const char *el = NULL;
        for (size_t k = 0; k < st->n && !el; k++)
            if (strcmp(st->runs[k].element, e->name) == 0 && st->runs[k].lang[0])
                el = st->runs[k].lang;
        if (!el)
            continue;
        int k;
        for (k = 0; k < nlang; k++)
            if (strcasecmp(lang[k], el) == 0)
                break;
        if (k == nlang) {
            if (nlang == 32)
                continue;
            snprintf(lang[nlang++], sizeof lang[0], "%s", el);
        }
        area[k] += e->w * e->h;
        total += e->w * e->h;
    }
    if (total <= 0)
        return;
    size_t at = 0;
    got[0] = '\0';
    for (int k = 0; k < nlang && at < sizeof got; k++)
        at += (size_t)snprintf(got + at, sizeof got - at, "%s%s %.1f %%", k ? ", " : "", lang[k], 100 * area[k] / total);
    bool ok = true;
    if (nwant == 0) { /* equal */
        for (int k = 0; k < nlang; k++)
            ok = ok && (area[k] / total) >= 1.0 / nlang - AREA_TOLERANCE && (area[k] / total) <= 1.0 / nlang + AREA_TOLERANCE;
        snprintf(buf, sizeof buf, "an equal share of the text area for each language (within %.0f percentage points)",
                 100 * AREA_TOLERANCE);
    } else {
        at = 0;
        for (int w = 0; w < nwant; w++) {
            double have = 0;
            for (int k = 0; k < nlang; k++)
                if (strcasecmp(lang[k], want[w]) == 0)
                    have = area[k] / total;
            ok = ok && have >= share[w] - AREA_TOLERANCE && have <= share[w] + AREA_TOLERANCE;
            at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%s %.1f %%", w ? ", " : "", want[w], 100 * share[w]);
        }
        if (at < sizeof buf)
            snprintf(buf + at, sizeof buf - at, " of the text area (each within %.0f percentage points)", 100 * AREA_TOLERANCE);
    }
    if (!ok)
        rule_error(c, d, "compliance-language-area", "language_area", buf, got);
}

/* one_language_per_page */
static void check_one_language_per_page(const compliance *c, const render_stats *st, diag *d)
{
    char got[512];
    if (!c->per_page)
        return;
    for (int page = 1; page <= st->pages; page++) {
        const char *first = NULL;
        for (size_t i = 0; i < st->n; i++)
            if (st->runs[i].page == page) {
                if (!first)
                    first = st->runs[i].lang;
                else if (strcasecmp(first, st->runs[i].lang) != 0) {
                    snprintf(got, sizeof got, "%s and %s on page %d", first, st->runs[i].lang, page);
                    rule_error(c, d, "compliance-mixed-languages", "one_language_per_page", "one language per page", got);
                    break;
                }
            }
    }
}

bool compliance_check(void *ctx, const render_stats *st, diag *d)
{
    compliance *c = ctx;
    int before = diag_errors(d);
    check_page_size(c, st, d);
    check_orientation(c, st, d);
    check_type_size(c, st, d);
    char *all = page_text(st);
    if (!all)
        return false;
    check_required_phrases(c, all, d);
    check_bold(c, st, d);
    check_elements(c, all, d);
    check_prescribed(c, all, d);
    free(all);
    check_transparent(c, d);
    check_languages(c, st, d);
    check_one_language_per_page(c, st, d);
    check_language_area(c, st, d);
    check_qr_code(c, d);
    if (c->mirror && !c->l->mirror)
        rule_error(c, d, "compliance-not-mirrored", "mirror",
                   "a mirrored layout ([page] mirror = yes) for mounting behind glass", "it not mirrored");
    return diag_errors(d) == before;
}
