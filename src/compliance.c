/* compliance: the [profile] section of a profile INI (documented in docs/compliance.md) and the
 * checks. Every failure names the profile, its citation and the rule (the key). */
#include "compliance.h"
#include "ini.h"
#include "units.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_RULES 32

struct compliance {
    char *path;
    char *name;
    char *citation;
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
    const layout *l;
};

static const char *const KEYS[] = { "description", "citation", "min_width", "min_height",
                                    "max_width", "max_height", "min_type", "languages",
                                    "extra_languages", "one_language_per_page", "mirror", NULL };

void compliance_free(compliance *c)
{
    if (!c)
        return;
    free(c->path);
    free(c->name);
    free(c->citation);
    free(c->languages);
    for (int i = 0; i < c->nrequire; i++)
        free(c->require[i]);
    for (int i = 0; i < c->nbold; i++)
        free(c->bold[i]);
    free(c);
}

const char *compliance_languages(const compliance *c)
{
    return c->languages ? c->languages : "";
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
        if (strncmp(key, "require_", 8) == 0 && c->nrequire < MAX_RULES) {
            c->require[c->nrequire++] = strdup(v);
        } else if (strncmp(key, "bold_", 5) == 0 && c->nbold < MAX_RULES) {
            c->bold[c->nbold++] = strdup(v);
        } else if (!known) {
            diag_error(d, "profile-unknown-key", loc,
                       "expected a known key (%s, require_N, bold_N), found an unknown one",
                       "citation, min_width, min_height, max_width, max_height, min_type, languages, extra_languages, "
                       "one_language_per_page, mirror");
        } else if (strcmp(key, "citation") == 0) {
            c->citation = strdup(v);
        } else if (strcmp(key, "languages") == 0) {
            c->languages = strdup(v);
        } else if (strcmp(key, "extra_languages") == 0) {
            if (!units_int(v, &c->extra_languages, &why))
                diag_error(d, "profile-bad-number", loc, "expected %s, found \"%s\"", why, v);
        } else if (strcmp(key, "one_language_per_page") == 0 || strcmp(key, "mirror") == 0) {
            bool yes = strcmp(v, "yes") == 0;
            if (!yes && strcmp(v, "no") != 0)
                diag_error(d, "profile-bad-choice", loc, "expected yes or no, found \"%s\"", v);
            if (key[0] == 'o')
                c->per_page = yes;
            else
                c->mirror = yes;
        } else if (strcmp(key, "description") != 0) {
            double *dst = strcmp(key, "min_width") == 0    ? &c->min_w
                          : strcmp(key, "min_height") == 0 ? &c->min_h
                          : strcmp(key, "max_width") == 0  ? &c->max_w
                          : strcmp(key, "max_height") == 0 ? &c->max_h
                                                           : &c->min_type;
            if (!units_length(v, dst, &why))
                diag_error(d, "profile-bad-length", loc, "expected %s, found \"%s\"", why, v);
        }
    }
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

bool compliance_check(void *ctx, const render_stats *st, diag *d)
{
    compliance *c = ctx;
    int before = diag_errors(d);
    char buf[512], got[512];
    snprintf(got, sizeof got, "%.4g x %.4g in", st->page_w / 72, st->page_h / 72);
    if ((c->min_w > 0 && st->page_w < c->min_w - 0.01) || (c->min_h > 0 && st->page_h < c->min_h - 0.01)) {
        snprintf(buf, sizeof buf, "a page of at least %.4g x %.4g in", c->min_w / 72, c->min_h / 72);
        rule_error(c, d, "compliance-page-too-small", "min_width/min_height", buf, got);
    }
    if ((c->max_w > 0 && st->page_w > c->max_w + 0.01) || (c->max_h > 0 && st->page_h > c->max_h + 0.01)) {
        snprintf(buf, sizeof buf, "a page of at most %.4g x %.4g in", c->max_w / 72, c->max_h / 72);
        rule_error(c, d, "compliance-page-too-large", "max_width/max_height", buf, got);
    }
    /* the smallest type */
    const render_run *small = NULL;
    for (size_t i = 0; i < st->n; i++)
        if (!small || st->runs[i].size < small->size)
            small = &st->runs[i];
    if (c->min_type > 0 && small && small->size < c->min_type - 0.005) {
        snprintf(buf, sizeof buf, "every line at least %.4g pt", c->min_type);
        snprintf(got, sizeof got, "%.4g pt in [%s] (\"%.40s\")", small->size, small->element, small->text);
        rule_error(c, d, "compliance-type-too-small", "min_type", buf, got);
    }
    /* all the text, for phrases */
    size_t total = 1;
    for (size_t i = 0; i < st->n; i++)
        total += strlen(st->runs[i].text) + 1;
    char *all = malloc(total);
    if (!all)
        return false;
    all[0] = '\0';
    for (size_t i = 0; i < st->n; i++) {
        strcat(all, st->runs[i].text);
        strcat(all, " ");
    }
    for (int i = 0; i < c->nrequire; i++)
        if (!holds(all, c->require[i])) {
            snprintf(buf, sizeof buf, "the text to hold \"%s\"", c->require[i]);
            rule_error(c, d, "compliance-phrase-missing", "require", buf, "it nowhere");
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
    free(all);
    /* languages: required ones present, and enough in all */
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
    if (nseen < required + c->extra_languages) {
        snprintf(buf, sizeof buf, "%ld languages in all (%s and %ld more)", required + c->extra_languages,
                 c->languages ? c->languages : "", c->extra_languages);
        snprintf(got, sizeof got, "%d", nseen);
        rule_error(c, d, "compliance-too-few-languages", "extra_languages", buf, got);
    }
    if (c->per_page) {
        for (int page = 1; page <= st->pages; page++) {
            const char *first = NULL;
            for (size_t i = 0; i < st->n; i++)
                if (st->runs[i].page == page) {
                    if (!first)
                        first = st->runs[i].lang;
                    else if (strcasecmp(first, st->runs[i].lang) != 0) {
                        snprintf(got, sizeof got, "%s and %s on page %d", first, st->runs[i].lang, page);
                        rule_error(c, d, "compliance-mixed-languages", "one_language_per_page", "one language per page",
                                   got);
                        break;
                    }
                }
        }
    }
    if (c->mirror && !c->l->mirror)
        rule_error(c, d, "compliance-not-mirrored", "mirror",
                   "a mirrored layout ([page] mirror = yes) for mounting behind glass", "it not mirrored");
    return diag_errors(d) == before;
}
