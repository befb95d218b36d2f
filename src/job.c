/* job: the job file, read through ini.h and checked key by key. */
#define _DEFAULT_SOURCE /* scandir, alphasort */
#include "job.h"
#include "ink.h"
#include "project.h"
#include "layout.h"
#include "strfmt.h"
#include "suggest.h"
#include "ini.h"
#include "readfile.h"
#include "units.h"

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const JOB_KEYS[] = { "name", "kind", "date", "place", "partner", "description", "theme", NULL };
static const char *const ITEM_KEYS[] = { "layout", "language", "quantity", "quantity_column", "data", "output", "version", "ink_limit", "overprint_black",
                                         "set_<field>", NULL };

bool job_set_theme(job *j, const char *theme)
{
    char *t = strdup(theme);
    if (!t)
        return false;
    free(j->theme);
    j->theme = t;
    return true;
}

const char *job_kind_name(job_kind k)
{
    return k == JOB_ORDER ? "order" : "event";
}

bool job_is_job_file(const char *path)
{
    diag *d = diag_new(NULL);
    ini_file *f = d ? ini_load(path, d) : NULL;
    bool is_job;
    if (f) {
        is_job = ini_section_index(f, "job") >= 0 && !ini_get(f, "job", "type");
    } else {
        /* unreadable as INI: by its folder, jobs/x.ini */
        const char *slash = strrchr(path, '/');
        size_t n = slash ? (size_t)(slash - path) : 0;
        is_job = n >= 4 && strncmp(slash - 4, "jobs", 4) == 0 && (n == 4 || slash[-5] == '/');
    }
    ini_free(f);
    diag_free(d);
    return is_job;
}

void job_free(job *j)
{
    if (!j)
        return;
    for (int i = 0; i < j->nitems; i++) {
        job_item *it = &j->items[i];
        free(it->section);
        free(it->name);
        free(it->layout);
        free(it->size);
        free(it->content);
        free(it->language);
        free(it->data);
        free(it->quantity_column);
        free(it->ink_limit);
        for (int k = 0; k < it->nsets; k++)
            free(it->sets[k]);
        free(it->sets);
        free(it->error);
    }
    free(j->items);
    free(j->path);
    free(j->root);
    free(j->name);
    free(j->slug);
    free(j->place);
    free(j->partner);
    free(j->description);
    free(j->theme);
    free(j);
}

/* The strings given, end to end (the list ends with NULL). Caller frees. */
static char *concat(const char *first, ...)
{
    va_list ap;
    size_t n = 1;
    va_start(ap, first);
    for (const char *p = first; p; p = va_arg(ap, const char *))
        n += strlen(p);
    va_end(ap);
    char *s = malloc(n);
    if (!s)
        return NULL;
    s[0] = '\0';
    va_start(ap, first);
    for (const char *p = first; p; p = va_arg(ap, const char *))
        strcat(s, p);
    va_end(ap);
    return s;
}

static bool is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static bool is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The kind of what is at path (readfile_kind: "a named pipe (FIFO)", "a folder"...) when
 * something is there but not a regular file; NULL when nothing is there or it is a regular file. */
static const char *odd_kind(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? readfile_kind(sb.st_mode) : NULL;
}

static void unknown_key(diag *d, diag_loc loc, const char *key, const char *const *keys)
{
    char guess[80] = "";
    if (strncmp(key, "set", 3) == 0 && key[3] && key[3] != '_')
        /* set-organisation, setorganisation: the separator is '_' */
        snprintf(guess, sizeof guess, "set_%s", key + 3 + (key[3] == '-' || key[3] == '.'));
    suggest_unknown_key(d, "job-unknown-key", loc, key, keys, guess[0] ? guess : NULL);
}

/* The name in dir (entries ending in suffix, which is cut) nearest to word, for suggestions. */
static char *nearest_entry(const char *dir, const char *suffix, const char *word)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    char *best = NULL;
    size_t bestd = 99, sl = strlen(suffix);
    for (int i = 0; i < n; i++) {
        char *e = names[i]->d_name;
        size_t el = strlen(e);
        if (e[0] != '.' && el > sl && strcmp(e + el - sl, suffix) == 0) {
            /* a layout made for several sizes goes by LAYOUT-SIZE too (flyer-letter) */
            char *path = strcmp(suffix, ".ini") == 0 ? strfmt("%s/%s", dir, e) : NULL;
            char *sizes = path ? layout_size_names(path) : NULL;
            free(path);
            e[el - sl] = '\0';
            for (char *p = sizes, *c = e; c;) {
                size_t dist = suggest_distance(word, c);
                if (dist < bestd && suggest_near(word, dist)) {
                    free(best);
                    best = strdup(c);
                    bestd = dist;
                }
                if (c != e)
                    free(c);
                c = NULL;
                if (p && *p) {
                    size_t k = strcspn(p, ",");
                    c = strfmt("%s-%.*s", e, (int)k, p);
                    p += k + (p[k] == ',');
                }
            }
            free(sizes);
        }
        free(names[i]);
    }
    free(names);
    return best;
}

bool job_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return false;
    int y = atoi(s), m = atoi(s + 5), dd = atoi(s + 8);
    static const int DAYS[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < 1900 || m < 1 || m > 12 || dd < 1 || dd > DAYS[m - 1])
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && dd == 29 && !leap);
}

/* Lower-case a-z and 0-9, any other run of characters becomes one '-'. */
static char *job_slug(const char *s, size_t max)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n && k < max; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '\'' || (ch == 0xe2 && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x99)) {
            i += ch == '\'' ? 0 : 2; /* an apostrophe joins: "St Mark's" gives st-marks */
            continue;
        }
        if (isalnum(ch) && ch < 128)
            out[k++] = (char)tolower(ch);
        else if (k > 0 && out[k - 1] != '-')
            out[k++] = '-';
    }
    while (k > 0 && out[k - 1] == '-')
        k--;
    out[k] = '\0';
    return out;
}

static bool valid_field(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

/* ---- the [job] section ---- */

static bool load_header(job *j, const ini_file *f, diag *d)
{
    int s = ini_section_index(f, "job");
    if (s < 0) {
        diag_error(d, "job-no-section", diag_at(j->path, 0),
                   "expected a [job] section (name, kind, date, place or partner), found none");
        return false;
    }
    int before = diag_errors(d);
    for (int k = 0; k < ini_key_count(f, s); k++) {
        const char *key = ini_key_name(f, s, k);
        int known = 0;
        while (JOB_KEYS[known] && strcmp(JOB_KEYS[known], key) != 0)
            known++;
        if (!JOB_KEYS[known]) {
            diag_loc loc = { j->path, ini_key_line(f, s, k), "job", key };
            unknown_key(d, loc, key, JOB_KEYS);
        }
    }
    diag_loc sec = { j->path, ini_section_line(f, s), "job", NULL };
    const char *name = ini_get(f, "job", "name");
    const char *kind = ini_get(f, "job", "kind");
    const char *date = ini_get(f, "job", "date");
    const char *place = ini_get(f, "job", "place");
    const char *partner = ini_get(f, "job", "partner");
    const char *desc = ini_get(f, "job", "description");
    diag_loc loc = { j->path, 0, "job", NULL };
    if (!name || !*name) {
        loc.key = "name", loc.line = name ? ini_line(f, "job", "name") : sec.line;
        diag_error(d, "job-no-name", loc, "expected the job's name (it names the output folder), found %s",
                   name ? "an empty value" : "none");
    } else {
        j->name = strdup(name);
        j->slug = job_slug(name, 80);
        if (j->slug && !*j->slug) {
            loc.key = "name", loc.line = ini_line(f, "job", "name");
            diag_error(d, "job-bad-name", loc, "expected a name with letters or digits (a-z, 0-9), found \"%s\"", name);
        }
    }
    loc.key = "kind", loc.line = kind ? ini_line(f, "job", "kind") : sec.line;
    if (!kind)
        diag_error(d, "job-bad-kind", loc, "expected event or order, found none");
    else if (strcmp(kind, "event") == 0)
        j->kind = JOB_EVENT;
    else if (strcmp(kind, "order") == 0)
        j->kind = JOB_ORDER;
    else
        diag_error(d, "job-bad-kind", loc, "expected event or order, found \"%s\"", kind);
    loc.key = "date", loc.line = date ? ini_line(f, "job", "date") : sec.line;
    if (!date)
        diag_error(d, "job-bad-date", loc, "expected a date as YYYY-MM-DD (e.g. 2025-03-14), found none");
    else if (!job_date(date))
        diag_error(d, "job-bad-date", loc, "expected a date as YYYY-MM-DD (e.g. 2025-03-14), a real day, found \"%s\"",
                   date);
    else
        memcpy(j->date, date, 11);
    if (kind && j->kind == JOB_EVENT && (!place || !*place) && diag_errors(d) == before) {
        loc.key = "place", loc.line = place ? ini_line(f, "job", "place") : sec.line;
        diag_error(d, "job-no-place", loc, "expected where the event is (kind = event), found %s",
                   place ? "an empty value" : "none");
    }
    if (kind && j->kind == JOB_ORDER && (!partner || !*partner) && diag_errors(d) == before) {
        loc.key = "partner", loc.line = partner ? ini_line(f, "job", "partner") : sec.line;
        diag_error(d, "job-no-partner", loc, "expected who ordered (kind = order), found %s",
                   partner ? "an empty value" : "none");
    }
    j->place = place && *place ? strdup(place) : NULL;
    j->partner = partner && *partner ? strdup(partner) : NULL;
    j->description = desc && *desc ? strdup(desc) : NULL;
    const char *theme = ini_get(f, "job", "theme");
    if (theme) {
        /* the theme of every item: a name in themes/ or a path, as a layout is named */
        j->theme = project_named_path(j->root, "themes", theme, ".ini");
        struct stat sb;
        if (j->theme && (stat(j->theme, &sb) != 0 || !S_ISREG(sb.st_mode))) {
            loc.key = "theme", loc.line = ini_line(f, "job", "theme");
            diag_error(d, "job-unknown-theme", loc,
                       "expected a theme (a name in themes/ or a path to a file), found \"%s\" (%s is no file)", theme,
                       j->theme);
        }
    }
    return diag_errors(d) == before;
}

/* ---- items ---- */

/* Keeps the message just reported as the item's reason, unless it has one already. */
static void item_mark(job_item *it, diag *d)
{
    if (!it->error) {
        const char *last = diag_last(d);
        const char *prefix = "handout: error: ";
        it->error = strdup(strncmp(last, prefix, strlen(prefix)) == 0 ? last + strlen(prefix) : last);
    }
}

/* Reports a problem of an item; the first becomes the item's reason. */
__attribute__((format(printf, 5, 6))) static void item_error(job_item *it, diag *d, const char *id, diag_loc loc,
                                                             const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(d, id, loc, fmt, ap);
    va_end(ap);
    item_mark(it, d);
}

static void resolve_layout(job *j, job_item *it, const char *v, diag *d, diag_loc loc)
{
    size_t n = strlen(v);
    bool path = strchr(v, '/') || (n > 4 && strcmp(v + n - 4, ".ini") == 0);
    it->layout = project_named_path(j->root, "layouts", v, ".ini");
    if (!it->layout || is_file(it->layout))
        return;
    /* the layouts folder where the name was looked for: the project's, else the current folder's
     * (project_path), as for a job in an orders folder outside the project */
    char *dir = project_path(j->root, "layouts");
    if (!path && dir) { /* LAYOUT-SIZE: a layout at one of the sizes it lists (layout.h) */
        char *sized = layout_sized_path(dir, v, &it->size);
        if (sized) {
            free(it->layout);
            it->layout = sized;
            free(dir);
            return;
        }
    }
    char *size = NULL, *renamed = path ? layout_renamed_path(it->layout, &size) : NULL;
    if (renamed) { /* a file a layout made for several sizes replaced (layouts/flyer-a4.ini) */
        const char *base = strrchr(it->layout, '/') ? strrchr(it->layout, '/') + 1 : it->layout;
        item_error(it, d, "layout-renamed", loc,
                   "expected a layout file, found \"%s\" (%s does not exist); it is now %s at size %s: write "
                   "layout = %.*s",
                   v, it->layout, renamed, size, (int)(strlen(base) - 4), base);
        free(renamed);
        free(size);
        free(dir);
        return;
    }
    const char *kind = odd_kind(it->layout);
    if (kind) { /* it is there, but a FIFO, a folder or a device is no layout: not read, named */
        item_error(it, d, "input-not-regular", loc, "expected a layout file, found %s, %s", it->layout, kind);
        free(dir);
        return;
    }
    char *near = path || !dir ? NULL : nearest_entry(dir, ".ini", v);
    free(dir);
    if (near)
        item_error(
            it, d, "job-unknown-layout", loc,
            "expected a layout (a name in layouts/ or a path), found \"%s\" (%s does not exist); did you mean \"%s\"?",
            v, it->layout, near);
    else
        item_error(it, d, "job-unknown-layout", loc,
                   "expected a layout (a name in layouts/ or a path), found \"%s\" (%s does not exist)", v, it->layout);
    free(near);
}

static void resolve_language(job *j, job_item *it, const char *v, diag *d, diag_loc loc)
{
    it->language = strdup(v);
    it->content = project_named_path(j->root, "content", v, "");
    if (!it->content)
        return;
    char ini[4096];
    snprintf(ini, sizeof ini, "%s/content.ini", it->content);
    if (is_dir(it->content) && is_file(ini))
        return;
    struct stat sb;
    if (stat(it->content, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
        const char *kind = readfile_kind(sb.st_mode);
        item_error(it, d, "input-not-regular", loc,
                   "expected a content set (a folder in content/ with a content.ini), found %s, %s", it->content,
                   kind ? kind : "a file");
        return;
    }
    const char *kind = is_dir(it->content) ? odd_kind(ini) : NULL;
    if (kind) {
        item_error(it, d, "input-not-regular", loc, "expected a content set's content.ini file, found %s, %s", ini,
                   kind);
        return;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/content", j->root);
    char *near = strchr(v, '/') ? NULL : nearest_entry(dir, "", v);
    if (near)
        item_error(
            it, d, "job-unknown-language", loc,
            "expected a content set (a folder in content/ with a content.ini), found \"%s\" (%s); did you mean \"%s\"?",
            v, ini, near);
    else
        item_error(it, d, "job-unknown-language", loc,
                   "expected a content set (a folder in content/ with a content.ini), found \"%s\" (no %s)", v, ini);
    free(near);
}

static void load_item(job *j, job_item *it, const ini_file *f, int s, diag *d)
{
    const char *sec = ini_section_name(f, s);
    it->section = strdup(sec);
    it->line = ini_section_line(f, s);
    it->sets = calloc((size_t)ini_key_count(f, s) + 1, sizeof *it->sets);
    const char *layout_v = NULL, *language = NULL, *quantity = NULL, *data = NULL, *output = NULL, *version = NULL;
    const char *ink_limit = NULL, *overprint = NULL, *qcol = NULL;
    for (int k = 0; k < ini_key_count(f, s); k++) {
        const char *key = ini_key_name(f, s, k), *v = ini_key_value(f, s, k);
        diag_loc loc = { j->path, ini_key_line(f, s, k), sec, key };
        if (strcmp(key, "layout") == 0)
            layout_v = v;
        else if (strcmp(key, "language") == 0)
            language = v;
        else if (strcmp(key, "quantity") == 0)
            quantity = v;
        else if (strcmp(key, "quantity_column") == 0)
            qcol = v;
        else if (strcmp(key, "data") == 0)
            data = v;
        else if (strcmp(key, "output") == 0)
            output = v;
        else if (strcmp(key, "version") == 0)
            version = v;
        else if (strcmp(key, "ink_limit") == 0)
            ink_limit = v;
        else if (strcmp(key, "overprint_black") == 0)
            overprint = v;
        else if (strncmp(key, "set_", 4) == 0 && valid_field(key + 4) && it->sets)
            it->sets[it->nsets++] = concat(key + 4, "=", v, NULL);
        else if (strncmp(key, "set_", 4) == 0)
            item_error(it, d, "job-bad-set-key", loc,
                       "expected set_ and a field name of a-z, 0-9 and '_', found \"%s\"", key);
        else
            unknown_key(d, loc, key, ITEM_KEYS), item_mark(it, d);
    }
    diag_loc loc = { j->path, it->line, sec, NULL };
    loc.key = "layout";
    if (!layout_v || !*layout_v)
        item_error(it, d, "job-no-layout", loc, "expected a layout (a name in layouts/ or a path), found %s",
                   layout_v ? "an empty value" : "none");
    else
        loc.line = ini_line(f, sec, "layout"), resolve_layout(j, it, layout_v, d, loc);
    loc.key = "language", loc.line = it->line;
    if (!language || !*language)
        item_error(it, d, "job-no-language", loc, "expected a language (a content set in content/, e.g. en), found %s",
                   language ? "an empty value" : "none");
    else
        loc.line = ini_line(f, sec, "language"), resolve_language(j, it, language, d, loc);
    loc.key = "quantity", loc.line = quantity ? ini_line(f, sec, "quantity") : it->line;
    const char *why = NULL;
    if (qcol) {
        /* the records' quantities: a column name, and no quantity beside it */
        diag_loc ql = { j->path, ini_line(f, sec, "quantity_column"), sec, "quantity_column" };
        if (!*qcol || strcmp(qcol, "none") == 0)
            item_error(it, d, "job-bad-quantity-column", ql,
                       "expected the name of the data file's column of copies per record, found %s%s%s", *qcol ? "\"" : "an empty value",
                       qcol, *qcol ? "\"" : "");
        else if (quantity)
            item_error(it, d, "job-quantity-twice", loc,
                       "expected quantity or quantity_column (the records' own quantities), found both");
        else
            it->quantity_column = strdup(qcol);
    } else if (!quantity)
        item_error(it, d, "job-no-quantity", loc, "expected how many to make, a whole number from 1 to %ld, found none",
                   JOB_MAX_QUANTITY);
    else if (!units_int(quantity, &it->quantity, &why) || it->quantity < 1 || it->quantity > JOB_MAX_QUANTITY) {
        it->quantity = 0; /* never a value out of range, even in an item that is not built */
        item_error(it, d, "job-bad-quantity", loc, "expected a whole number from 1 to %ld, found \"%s\"",
                   JOB_MAX_QUANTITY, quantity);
    }
    if (version) {
        loc.key = "version", loc.line = ini_line(f, sec, "version");
        if (strcmp(version, "print-shop") == 0)
            it->print_shop = true;
        else if (strcmp(version, "sheet") != 0)
            item_error(it, d, "job-bad-version", loc, "expected sheet or print-shop, found \"%s\"", version);
    }
    if (ink_limit) {
        /* checked here, handed to the build as --ink-limit */
        double lim;
        loc.key = "ink_limit", loc.line = ini_line(f, sec, "ink_limit");
        if (!ink_parse_limit(ink_limit, &lim, &why))
            item_error(it, d, "job-bad-ink-limit", loc, "expected %s, found \"%s\"", why, ink_limit);
        else
            it->ink_limit = strdup(ink_limit);
    }
    if (overprint) {
        loc.key = "overprint_black", loc.line = ini_line(f, sec, "overprint_black");
        if (strcmp(overprint, "yes") == 0)
            it->overprint_black = true;
        else if (strcmp(overprint, "no") != 0)
            item_error(it, d, "job-bad-overprint-black", loc, "expected yes or no, found \"%s\"", overprint);
    }
    if (data) {
        loc.key = "data", loc.line = ini_line(f, sec, "data");
        it->data = *data ? project_path(j->root, data) : NULL;
        if (!*data)
            item_error(it, d, "job-empty-data", loc,
                       "expected a CSV file, found an empty value (leave the key out for none)");
        else if (it->data && odd_kind(it->data))
            item_error(it, d, "input-not-regular", loc, "expected a CSV file, found %s, %s", it->data,
                       odd_kind(it->data));
        else if (it->data && !is_file(it->data))
            item_error(it, d, "job-data-missing", loc, "expected a CSV file, found \"%s\" (no such file)", data);
    }
    const char *base = output ? output : sec;
    char *name = NULL;
    if (output) {
        loc.key = "output", loc.line = ini_line(f, sec, "output");
        size_t n = strlen(output);
        size_t cut = n > 4 && strcmp(output + n - 4, ".pdf") == 0 ? n - 4 : n;
        bool ok = cut > 0 && output[0] != '.';
        for (size_t i = 0; i < cut && ok; i++)
            ok = isalnum((unsigned char)output[i]) || output[i] == '-' || output[i] == '_' || output[i] == '.';
        if (!ok)
            item_error(it, d, "job-bad-output-name", loc,
                       "expected a file name of letters, digits, '-', '_' and '.' (no folder), found \"%s\"", output);
        else
            name = strndup(output, cut);
    } else {
        name = job_slug(base, 80);
        if (name && !*name) {
            loc.key = NULL, loc.line = it->line;
            item_error(
                it, d, "job-bad-section-name", loc,
                "expected a section name with letters or digits (it names the output), found [%s]; or set output", sec);
        }
    }
    it->name = name;
}

job *job_load(const char *path, diag *d)
{
    return job_load_at(path, NULL, d);
}

job *job_load_at(const char *path, const char *root, diag *d)
{
    ini_file *f = ini_load(path, d);
    if (!f)
        return NULL;
    job *j = calloc(1, sizeof *j);
    if (!j) {
        ini_free(f);
        return NULL;
    }
    j->path = strdup(path);
    j->root = root ? strdup(root) : project_root(path);
    bool ok = j->path && j->root && load_header(j, f, d);
    int nsec = ini_section_count(f);
    if (ok) {
        /* the limit, before any item is read: the section that passes it, and how many there are */
        int items = 0, over = -1;
        for (int s = 0; s < nsec; s++)
            if (strcmp(ini_section_name(f, s), "job") != 0 && ++items == JOB_MAX_ITEMS + 1)
                over = s;
        if (over >= 0) {
            diag_loc loc = { path, ini_section_line(f, over), ini_section_name(f, over), NULL };
            diag_error(d, "job-too-many-items", loc,
                       "expected at most %d items in one job file (split it into several jobs), found %d",
                       JOB_MAX_ITEMS, items);
            ok = false;
        }
    }
    j->items = calloc((size_t)nsec + 1, sizeof *j->items);
    ok = ok && j->items;
    for (int s = 0; ok && s < nsec; s++) {
        if (strcmp(ini_section_name(f, s), "job") == 0)
            continue;
        job_item *it = &j->items[j->nitems++];
        load_item(j, it, f, s, d);
        for (int o = 0; o < j->nitems - 1 && it->name; o++) {
            if (j->items[o].name && strcmp(j->items[o].name, it->name) == 0) {
                diag_loc loc = { path, it->line, it->section, ini_get(f, it->section, "output") ? "output" : NULL };
                item_error(it, d, "job-duplicate-output", loc,
                           "expected an output name of its own, found \"%s\", the output of [%s] too (set output)",
                           it->name, j->items[o].section);
                break;
            }
        }
        if (it->name && !it->error && strcmp(it->name, "report") == 0) {
            diag_loc loc = { path, it->line, it->section, NULL };
            item_error(it, d, "job-output-named-report", loc,
                       "expected an output name other than \"report\" (the job's report is report.pdf); set output");
        }
    }
    if (ok && j->nitems == 0) {
        diag_error(d, "job-no-items", diag_at(path, 0),
                   "expected at least one item (a section with layout, language and quantity), found none");
        ok = false;
    }
    ini_free(f);
    if (!ok) {
        job_free(j);
        return NULL;
    }
    return j;
}
