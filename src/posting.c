/* posting: the posting sheet's fields from a compliance profile, and its layout (posting.h). The
 * words come from the profile as written (who, where, how_many, cannot_check, source, read,
 * effective): a fact on the sheet is one the profile records from the statute it cites. */
#include "posting.h"
#include "project.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct posting {
    content *set;
    layout *lay;
};

/* The language names the sheet gives beside the codes of a profile's languages. */
static const char *const LANG_NAMES[][2] = {
    { "en", "English" }, { "es", "Spanish" }, { "fr", "French" },     { "zh", "Chinese" },
    { "tl", "Filipino" }, { "vi", "Vietnamese" }, { "ko", "Korean" }, { "km", "Cambodian" }, { NULL, NULL },
};

/* "English (en), Spanish (es)" for "en, es", appended to out (size max). */
static void name_languages(const char *codes, char *out, size_t max)
{
    const char *p = codes;
    bool first = true;
    while (p && *p) {
        p += strspn(p, ", ");
        size_t n = strcspn(p, ", ");
        if (n == 0)
            break;
        const char *name = NULL;
        for (int i = 0; LANG_NAMES[i][0]; i++)
            if (strlen(LANG_NAMES[i][0]) == n && strncmp(LANG_NAMES[i][0], p, n) == 0)
                name = LANG_NAMES[i][1];
        size_t at = strlen(out);
        if (at + 1 < max)
            snprintf(out + at, max - at, "%s%s%s%.*s%s", first ? "" : ", ", name ? name : "", name ? " (" : "", (int)n, p,
                     name ? ")" : "");
        first = false;
        p += n;
    }
}

/* v with each address (a word holding "://") cut to its host, into out (size max): a URL is
 * never broken across lines, and the profile keeps the addresses in full. */
static void hosts_only(const char *v, char *out, size_t max)
{
    size_t at = 0;
    out[0] = '\0';
    while (*v && at + 1 < max) {
        size_t n = strcspn(v, " ");
        const char *scheme = strstr(v, "://");
        if (scheme && scheme < v + n) {
            const char *host = scheme + 3;
            size_t hn = strcspn(host, "/ ");
            if (host + hn > v + n)
                hn = (size_t)(v + n - host);
            at += (size_t)snprintf(out + at, max - at, "%.*s", (int)hn, host);
        } else {
            at += (size_t)snprintf(out + at, max - at, "%.*s", (int)n, v);
        }
        v += n;
        if (at >= max)
            break;
        while (*v == ' ' && at + 1 < max) {
            out[at++] = ' ';
            out[at] = '\0';
            v++;
        }
    }
    if (at >= max)
        out[max - 1] = '\0';
}

/* Sets field key to v as text: a brace in a profile's words is a literal brace ({{, }}), not a
 * placeholder (fields' values are expanded in turn). */
static bool set_text(content *set, const char *key, const char *v)
{
    size_t n = 0;
    for (const char *p = v; *p; p++)
        n += (*p == '{' || *p == '}') ? 2 : 1;
    char *esc = malloc(n + 1);
    if (!esc)
        return false;
    char *o = esc;
    for (const char *p = v; *p; p++) {
        *o++ = *p;
        if (*p == '{' || *p == '}')
            *o++ = *p;
    }
    *o = '\0';
    bool ok = content_set(set, key, esc);
    free(esc);
    return ok;
}

static const char *or_unrecorded(const char *v)
{
    return v && *v ? v : "not recorded in the profile";
}

posting *posting_new(const char *root, const compliance *c, const char *profile_path, const theme *t, diag *d)
{
    char *path = project_named_path(root, "posting", "sheet-letter", ".ini");
    if (!path)
        return NULL;
    struct stat sb;
    if (stat(path, &sb) != 0) {
        diag_error(d, "posting-no-layout", diag_at("--posting-instructions", 0),
                   "expected the posting sheet's design at %s, found none", path);
        free(path);
        return NULL;
    }
    posting *p = calloc(1, sizeof *p);
    if (p)
        p->set = content_new(root);
    if (!p || !p->set) {
        free(path);
        posting_free(p);
        return NULL;
    }
    content_use_theme(p->set, t);
    char langs[1024] = "", rules[2048], buf[4096];
    name_languages(compliance_languages(c), langs, sizeof langs);
    if (compliance_county(c) && compliance_county_languages(c)) {
        size_t at = strlen(langs);
        snprintf(langs + at, sizeof langs - at, "%sand, for %s County, one of: ", at ? "; " : "", compliance_county(c));
        name_languages(compliance_county_languages(c), langs, sizeof langs);
    }
    compliance_summary(c, rules, sizeof rules);
    const char *eff = compliance_note(c, "effective");
    snprintf(buf, sizeof buf, "%s%s%s", compliance_citation(c), eff ? ", effective " : "", eff ? eff : "");
    bool ok = content_set(p->set, "language", "en") && set_text(p->set, "posting_citation", buf) &&
              set_text(p->set, "posting_notice", or_unrecorded(compliance_description(c))) &&
              set_text(p->set, "posting_who", or_unrecorded(compliance_note(c, "who"))) &&
              set_text(p->set, "posting_where", or_unrecorded(compliance_note(c, "where"))) &&
              set_text(p->set, "posting_how_many", or_unrecorded(compliance_note(c, "how_many"))) &&
              set_text(p->set, "posting_languages", langs[0] ? langs : "none named") &&
              set_text(p->set, "posting_rules", rules) &&
              set_text(p->set, "posting_cannot_check", or_unrecorded(compliance_note(c, "cannot_check")));
    char hosts[2048];
    hosts_only(or_unrecorded(compliance_note(c, "source")), hosts, sizeof hosts);
    const char *base = strrchr(profile_path, '/');
    snprintf(buf, sizeof buf,
             "Read %s from %s (the addresses in full: profiles/%s). The team's reading of the law, not legal advice: "
             "check the current text.",
             or_unrecorded(compliance_note(c, "read")), hosts, base ? base + 1 : profile_path);
    ok = ok && set_text(p->set, "posting_source", buf);
    if (!ok) {
        free(path);
        posting_free(p);
        return NULL;
    }
    p->lay = layout_load_size(path, NULL, p->set, d);
    free(path);
    if (!p->lay) {
        posting_free(p);
        return NULL;
    }
    return p;
}

void posting_free(posting *p)
{
    if (!p)
        return;
    layout_free(p->lay);
    content_free(p->set);
    free(p);
}

const layout *posting_layout(const posting *p)
{
    return p->lay;
}

content *posting_content(posting *p)
{
    return p->set;
}
