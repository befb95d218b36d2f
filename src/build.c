/* build: a build_request resolved into a build_spec, and run. See build.h. */
#include "build.h"
#include "ink.h"
#include "grow.h"
#include "readfile.h"
#include "split.h"
#include "status.h"
#include "strfmt.h"
#include "theme.h"
#include "units.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef HANDOUT_VERSION
#define HANDOUT_VERSION "0.1.0"
#endif

int build_source_date_epoch(long long *epoch, diag *d)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    *epoch = -1;
    if (!s)
        return EXIT_OK;
    long long v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9' && p - s < 12; p++)
        v = v * 10 + (*p - '0');
    if (p == s || *p != '\0' || v > 253402300799LL) {
        diag_error(d, "usage-source-date-epoch", diag_at("SOURCE_DATE_EPOCH", 0), "expected seconds since 1970 (digits only), found \"%s\"", s);
        return EXIT_USAGE;
    }
    *epoch = v;
    return EXIT_OK;
}

static char *base_name(const char *path, const char *strip)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    size_t start = n;
    while (start > 0 && path[start - 1] != '/')
        start--;
    size_t len = n - start;
    size_t sl = strip ? strlen(strip) : 0;
    if (sl && len > sl && strncmp(path + start + len - sl, strip, sl) == 0)
        len -= sl;
    return strfmt("%.*s", (int)len, path + start);
}

/* The output path: -o, else output/<layout>-<content>.pdf, output/<layout>-<size>-<content>.pdf
 * with --size (the folder made when missing, unless nothing is to be written). NULL when out of
 * memory. */
static char *output_path(const build_request *o, diag *d)
{
    if (o->output)
        return strdup(o->output);
    struct stat osb;
    if (!o->dry_run && stat("output", &osb) != 0 && mkdir("output", 0777) != 0)
        diag_error(d, "output-mkdir-failed", diag_at("output", 0), "cannot make the folder: %s", strerror(errno));
    char *lb = base_name(o->layout, ".ini"), *cb = base_name(o->content, NULL);
    char *output = !lb || !cb ? NULL
                   : o->size ? strfmt("output/%s-%s-%s.pdf", lb, o->size, cb)
                             : strfmt("output/%s-%s.pdf", lb, cb);
    free(lb);
    free(cb);
    return output;
}

/* [page] languages: the content set of each language, content/<lang>/ beside the one given, with
 * the --set values. False when out of memory. */
static bool load_languages(build_spec *s, diag *d)
{
    const build_request *o = s->rq;
    const char *p = s->lay->languages;
    size_t cap_dirs = 0, cap_langs = 0;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ", ");
        if (n == 0)
            break;
        char *lang = strndup(p, n);
        char *dir = lang ? content_sibling_path(o->content, lang) : NULL;
        free(lang);
        if (!dir || !GROW(s->lang_dirs, s->nlangs, cap_dirs) || !GROW(s->lang_sets, s->nlangs, cap_langs)) {
            free(dir);
            return false;
        }
        s->lang_dirs[s->nlangs] = dir;
        content *lc = content_load(dir, d);
        if (lc)
            content_use_theme(lc, s->theme);
        for (int i = 0; lc && i < o->nsets; i++)
            content_set_arg(lc, o->sets[i], d);
        s->lang_sets[s->nlangs++] = lc;
        p += n;
    }
    return true;
}

/* How many items: --count, else the data file's records, a full sheet, or one; -1 after a usage
 * message (more than the data file's records). */
static long item_count(const build_spec *s, diag *d)
{
    const build_request *o = s->rq;
    long count = o->count ? strtol(o->count, NULL, 10) : 0;
    if (s->data) {
        long rows = data_items(s->data); /* the records, or the copies their quantities ask for */
        if (count > rows && o->job_item)
            return rows; /* a batch repeats the records: each is checked once */
        if (count > rows && data_has_quantities(s->data)) {
            diag_error(d, "usage-count-past-records", diag_at("--count", 0),
                       "expected at most the %ld items that the quantities of %s add up to, found %ld", rows, data_path(s->data), count);
            return -1;
        }
        if (count > rows) {
            diag_error(d, "usage-count-past-records", diag_at("--count", 0), "expected at most the %ld records of %s, found %ld", rows,
                       data_path(s->data), count);
            return -1;
        }
        return count == 0 ? rows : count;
    }
    return count == 0 ? (s->ro.mode == OUTPUT_SHEET ? sheet_per_page(s->sh) : 1) : count;
}

/* The data file: --data, else the layout's own; a job's set_<column> replaces the column in every
 * record, as in a batch (plan.c). */
static void load_data(build_spec *s, diag *d)
{
    const build_request *o = s->rq;
    s->data_file = o->data ? strdup(o->data) : s->lay->data ? project_path(s->root, s->lay->data) : NULL;
    if (!s->data_file)
        return;
    s->data = data_load(s->data_file, d);
    for (int i = 0; s->data && o->job_item && i < o->nsets; i++) {
        char key[128];
        snprintf(key, sizeof key, "%.*s", (int)strcspn(o->sets[i], "="), o->sets[i]);
        long col = data_column_index(s->data, key);
        if (col >= 0 && !data_set_column(s->data, (size_t)col, strchr(o->sets[i], '=') + 1))
            diag_error(d, "internal-out-of-memory", diag_at(data_path(s->data), 0), "expected memory for set_%s, found none", key);
    }
    /* quantities per record: the named column, else a column named quantity when there is one;
     * "none", and a job's items (the job says the quantity) unless they name the column
     * (quantity_column), turn them off (after a job's set_ columns, which may set the quantities) */
    const char *qc = o->quantity_column;
    if (s->data && (!o->job_item || qc) && !(qc && strcmp(qc, "none") == 0))
        data_use_quantity(s->data, qc ? qc : "quantity", qc != NULL, d);
}

/* How the pages are made: pages, print-shop pages, tiles or sheets (with a printer's drift). */
static void load_output_mode(build_spec *s, diag *d)
{
    const build_request *o = s->rq;
    const layout *l = s->lay;
    render_opts *ro = &s->ro;
    ro->mode = o->print_shop ? OUTPUT_PRINT_SHOP : o->tile ? OUTPUT_TILES : OUTPUT_PAGES;
    if (o->tile) {
        const char *why = NULL;
        ro->tile_margin = 36;
        ro->overlap = 36;
        if (!units_page_size(o->tile, &ro->tile_w, &ro->tile_h, &why))
            diag_error(d, "usage-bad-tile", diag_at("--tile", 0), "expected %s, found \"%s\"", why, o->tile);
        if (o->overlap && !units_length(o->overlap, &ro->overlap, &why))
            diag_error(d, "usage-bad-overlap", diag_at("--overlap", 0), "expected %s, found \"%s\"", why, o->overlap);
    }
    const char *name = o->sheet ? o->sheet : o->print_shop || o->tile ? NULL : l->sheet;
    if (name && strcmp(name, "none") != 0) {
        /* a path on the command line is taken as given; a name, from sheets/ */
        s->sheet_path = project_sheet_path(s->root, name, o->sheet != NULL);
        s->sh = s->sheet_path ? sheet_load(s->sheet_path, d) : NULL;
        if (s->sh && sheet_prepare(s->sh, l->page_w, l->page_h, d))
            ro->mode = OUTPUT_SHEET;
    }
    ro->pdfx = o->print_shop || o->pdfx;
    ro->ink_limit = INK_LIMIT_DEFAULT;
    ro->overprint_black = o->overprint_black;
    if (o->printer) {
        s->have_printer = printer_load(o->printer, &s->printer, d);
        if (s->have_printer && s->printer.ink_limit > 0)
            ro->ink_limit = s->printer.ink_limit;
        if (s->have_printer && s->printer.overprint_black)
            ro->overprint_black = true;
        if (s->have_printer && ro->mode != OUTPUT_SHEET && printer_moves(&s->printer))
            diag_error(d, "printer-needs-sheet", diag_at(o->printer, 0), "expected sheet output for a printer adjustment, found %s",
                       o->print_shop ? "--print-shop" : "no sheet");
    }
    const char *why = NULL;
    if (o->ink_limit && !ink_parse_limit(o->ink_limit, &ro->ink_limit, &why))
        diag_error(d, "usage-bad-ink-limit", diag_at("--ink-limit", 0), "expected %s, found \"%s\"", why, o->ink_limit);
}

/* The check of what a build set, before it is saved: on an item for victims, a number shown alone
 * where its source asks materials to mention other ways in too (known-numbers.ini `mention`: the
 * hotline asks for its text line and chat) is a warning; then the profile's rules, if any. */
static bool build_check(void *ctx, const render_stats *st, diag *d)
{
    build_spec *s = ctx;
    if (s->known && s->lay->audience == AUDIENCE_VICTIM) {
        size_t total = 1;
        for (size_t i = 0; i < st->n; i++)
            total += strlen(st->runs[i].text) + 1;
        char *all = malloc(total);
        if (!all)
            return false;
        size_t at = 0;
        for (size_t i = 0; i < st->n; i++) {
            size_t tl = strlen(st->runs[i].text);
            memcpy(all + at, st->runs[i].text, tl);
            at += tl;
            all[at++] = ' ';
        }
        all[at] = '\0';
        mention_miss m;
        if (numbers_unmentioned(s->known, all, &m)) {
            diag_loc loc = { s->rq->layout, 0, "page", "audience" };
            diag_warn(d, "numbers-channels-unmentioned", loc,
                      "expected a mention of %s beside the %s, %s, on an item for victims (its source asks "
                      "materials that advertise the number to mention them: %s), found the number alone",
                      m.missing, m.label, m.known, m.source);
        }
        free(all);
    }
    return s->profile ? compliance_check(s->profile, st, d) : true;
}

/* A layout built once per language ([page] languages) is built in the staff's languages too (a
 * profile's staff_languages, --set staff_languages=CODES): each code the list lacks is added.
 * False without memory. */
static bool add_languages(layout *l, const char *langs)
{
    for (const char *q = langs ? langs : ""; *q;) {
        q += strspn(q, " ,");
        size_t n = strcspn(q, ", ");
        if (n == 0)
            break;
        bool have = false;
        for (const char *p = l->languages; *p && !have;) {
            p += strspn(p, " ,");
            size_t m = strcspn(p, ", ");
            have = m == n && strncmp(p, q, n) == 0;
            p += m;
        }
        if (!have) {
            char *more = strfmt("%s, %.*s", l->languages, (int)n, q);
            if (!more)
                return false;
            free(l->languages);
            l->languages = more;
        }
        q += n;
    }
    return true;
}

/* The files the layout names besides its content: the known numbers, the compliance profile and
 * the other languages' content sets. False when out of memory. */
static bool load_named(build_spec *s, diag *d)
{
    const layout *l = s->lay;
    s->numbers_path = project_named_path(s->root, "data", "known-numbers", ".ini");
    if (!s->numbers_path)
        return false;
    struct stat nsb;
    if (stat(s->numbers_path, &nsb) == 0) {
        s->known = numbers_load(s->numbers_path, d);
    } else {
        free(s->numbers_path);
        s->numbers_path = NULL;
    }
    s->ro.numbers = s->known;
    if (l->compliance) {
        s->profile_path = project_named_path(s->root, "profiles", l->compliance, ".ini");
        if (!s->profile_path)
            return false;
        s->profile = compliance_load(s->profile_path, l->compliance, l, d);
        if (s->profile && !compliance_use_county(s->profile, s->root, content_get(s->set, "county"), d) &&
            diag_errors(d) == 0)
            return false;
        const char *staff = content_get(s->set, "staff_languages");
        bool staff_ok = s->profile && compliance_use_staff_languages(s->profile, staff, d);
        if (s->profile && !staff_ok && diag_errors(d) == 0)
            return false;
        if (staff_ok && compliance_staff_share(s->profile) && s->lay->languages && !add_languages(s->lay, staff))
            return false;
    }
    if (l->compliance || (s->known && l->audience == AUDIENCE_VICTIM)) {
        s->ro.check = build_check;
        s->ro.check_ctx = s;
    }
    if (l->languages) {
        if (!load_languages(s, d))
            return false;
        s->ro.languages = s->lang_sets;
        s->ro.nlanguages = s->nlangs;
    }
    return true;
}

/* --posting-instructions: the posting sheet from the layout's profile, a last page of a plain
 * build (docs/compliance.md, "The posting sheet"). */
static void load_posting(build_spec *s, diag *d)
{
    if (!s->rq->posting)
        return;
    diag_loc at = { "--posting-instructions", 0, NULL, NULL };
    if (!s->lay->compliance || !s->profile) {
        diag_error(d, "usage-posting-no-profile", at,
                   "expected a layout that names a compliance profile ([page] compliance), found %s without one",
                   s->rq->layout);
        return;
    }
    if (s->ro.mode != OUTPUT_PAGES) {
        diag_error(d, "usage-posting-not-plain", at, "expected plain pages (no sheet, tiles or print-shop pages), found %s",
                   s->ro.mode == OUTPUT_SHEET ? "a sheet" : s->ro.mode == OUTPUT_TILES ? "--tile" : "--print-shop");
        return;
    }
    s->posting = posting_new(s->root, s->profile, s->profile_path, s->theme, d);
    if (s->posting) {
        s->ro.appendix = posting_layout(s->posting);
        s->ro.appendix_content = posting_content(s->posting);
    }
}

build_spec *build_spec_load(const build_request *o, diag *d)
{
    build_spec *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->rq = o;
    s->status = build_source_date_epoch(&s->epoch, d);
    if (s->status)
        return s;
    /* its kind, named (a folder, a FIFO, a device...), before anything opens it */
    struct stat sb;
    bool there = stat(o->layout, &sb) == 0;
    int err = there ? 0 : errno;
    char *size = NULL;
    char *renamed = err == ENOENT ? layout_renamed_path(o->layout, &size) : NULL;
    if (renamed) /* a file a layout made for several sizes replaced: name the one to build */
        diag_error(d, "layout-renamed", diag_at(o->layout, 0),
                   "expected a layout file, found %s; %s is now %s at size %s: build %s --size %s", strerror(err),
                   o->layout, renamed, size, renamed, size);
    else if (!there || !S_ISREG(sb.st_mode))
        diag_error(d, "layout-not-a-file", diag_at(o->layout, 0), "expected a layout file, found %s",
                   there ? readfile_kind(sb.st_mode) : strerror(err));
    free(renamed);
    free(size);
    if (!there || !S_ISREG(sb.st_mode)) {
        s->status = EXIT_INPUT;
        return s;
    }
    int before = diag_errors(d);
    s->set = content_load(o->content, d);
    for (int i = 0; s->set && i < o->nsets; i++)
        content_set_arg(s->set, o->sets[i], d);
    if (s->set && o->size) {
        /* built at one of its sizes: the size's name is the field {size_name}, by which a design
         * made in variants of one size (a restroom sticker for women's and men's rooms) picks
         * its words; it overrides a --set size_name */
        char *arg = strfmt("size_name=%s", o->size);
        if (!arg || !content_set_arg(s->set, arg, d))
            s->status = EXIT_INPUT;
        free(arg);
    }
    s->root = project_root(o->layout);
    bool ok = s->root != NULL, no_theme = false;
    if (ok && s->set && diag_errors(d) == before) {
        s->theme = theme_for(s->root, o->theme, &no_theme, d);
        content_use_theme(s->set, s->theme);
    }
    s->lay = s->set && ok && diag_errors(d) == before ? layout_load_size(o->layout, o->size, s->set, d) : NULL;
    if (s->lay && ok) {
        load_data(s, d);
        s->fontdb = o->fonts;
        if (!s->fontdb) {
            s->fontdb = fonts_new(s->root);
            s->own_fontdb = true;
        }
        ok = load_named(s, d);
        if (ok && diag_errors(d) == before)
            load_output_mode(s, d);
        if (ok && diag_errors(d) == before)
            load_posting(s, d);
    }
    if (s->lay && ok && !s->fontdb) {
        diag_error(d, "internal-fontconfig", (diag_loc){ 0 }, "fontconfig could not be initialised");
        s->status = EXIT_INTERNAL;
        return s;
    }
    if (!ok) {
        diag_error(d, "internal-out-of-memory", diag_at(o->layout, 0), "out of memory");
        s->status = EXIT_INTERNAL;
        return s;
    }
    if (!s->lay || diag_errors(d) > before) {
        s->status = EXIT_INPUT;
        return s;
    }
    s->output = output_path(o, d);
    s->count = item_count(s, d);
    if (s->count < 0) {
        s->status = EXIT_USAGE;
        return s;
    }
    if (s->nlangs > 0)
        s->count *= s->nlangs;
    if (!s->output)
        s->status = EXIT_INTERNAL;
    render_opts *ro = &s->ro;
    ro->dry_run = o->dry_run;
    ro->output = s->output;
    ro->dump = o->dump;
    ro->epoch = s->epoch;
    ro->creator = "handout " HANDOUT_VERSION;
    ro->sheet = s->sh;
    ro->no_marks = o->no_marks;
    ro->printer = s->have_printer ? &s->printer : NULL;
    ro->count = s->count;
    ro->data = s->data;
    ro->max_pages = o->max_pages ? strtol(o->max_pages, NULL, 10) : 0;
    ro->jobs = o->jobs ? (int)strtol(o->jobs, NULL, 10) : 1;
    return s;
}

void build_spec_free(build_spec *s)
{
    if (!s)
        return;
    free(s->root);
    free(s->sheet_path);
    free(s->data_file);
    free(s->profile_path);
    free(s->numbers_path);
    for (int i = 0; i < s->nlangs; i++) {
        free(s->lang_dirs[i]);
        content_free(s->lang_sets[i]);
    }
    free(s->lang_dirs);
    free(s->lang_sets);
    free(s->output);
    posting_free(s->posting);
    compliance_free(s->profile);
    numbers_free(s->known);
    sheet_free(s->sh);
    data_free(s->data);
    if (s->own_fontdb)
        fonts_free(s->fontdb);
    layout_free(s->lay);
    content_free(s->set);
    theme_free(s->theme);
    free(s);
}

/* The line(s) that say what was written. */
static void say_written(const build_spec *s, long parts, int pages)
{
    const layout *l = s->lay;
    const render_opts *ro = &s->ro;
    const sheet *sh = s->sh;
    double bleed = ro->mode == OUTPUT_PRINT_SHOP ? 2 * l->bleed : 0;
    double w = ro->mode == OUTPUT_SHEET ? sh->page_w : ro->mode == OUTPUT_TILES ? ro->tile_w : l->page_w + bleed;
    double h = ro->mode == OUTPUT_SHEET ? sh->page_h : ro->mode == OUTPUT_TILES ? ro->tile_h : l->page_h + bleed;
    if (parts > 1)
        fprintf(stderr, "handout: wrote %ld files like %s, numbered -001 to -%03ld (%d pages in all, %.6g x %.6g pt)\n",
                parts, s->output, parts, pages, w, h);
    else
        fprintf(stderr, "handout: wrote %s (%d page%s, %.6g x %.6g pt)\n", s->output, pages, pages == 1 ? "" : "s", w, h);
    if (ro->mode == OUTPUT_SHEET) {
        int per = sheet_per_page(sh);
        long count = s->count, sheets = (count + per - 1) / per;
        fprintf(stderr, "handout: %ld item%s on %ld sheet%s, %d per sheet%s\n", count, count == 1 ? "" : "s", sheets,
                sheets == 1 ? "" : "s", per,
                !l->two_sided                         ? ""
                : sh->duplex == DUPLEX_SHORT_EDGE ? " (fronts and backs, short-edge duplex)"
                                                  : " (fronts and backs, long-edge duplex)");
    }
}

/* The sets whose draft status has been reported by one build (each once) and where to report. */
typedef struct draft_ctx {
    const build_spec *s;
    diag *d;
    const char *seen[64];
    int nseen;
} draft_ctx;

/* A warning when set is a draft translation ([content] status = draft) and the layout is for
 * victims or the public (audience victim or public, not donor): docs/formats.md. */
static void warn_draft(void *ctx, const content *set)
{
    draft_ctx *dc = ctx;
    if (!set)
        return;
    int line = 0;
    if (content_get_status(set, &line) != CONTENT_STATUS_DRAFT)
        return;
    const char *path = content_ini_path(set);
    for (int i = 0; i < dc->nseen; i++)
        if (strcmp(dc->seen[i], path) == 0)
            return;
    if (dc->nseen < (int)(sizeof dc->seen / sizeof dc->seen[0]))
        dc->seen[dc->nseen++] = path;
    const char *lang = content_get(set, "language");
    const char *name = content_get(set, "description");
    diag_loc loc = { path, line, "content", "status" };
    diag_warn(dc->d, "content-draft-translation", loc,
              "expected a translation a native speaker has reviewed in %s (audience = %s: read by victims and the "
              "public), found a draft: language %s%s%s%s is not yet reviewed; have it reviewed, then set status = "
              "reviewed and reviewed_by",
              dc->s->rq->layout, dc->s->lay->audience == AUDIENCE_VICTIM ? "victim" : "public",
              lang && *lang ? lang : content_dir(set), name && *name ? " (" : "", name && *name ? name : "",
              name && *name ? ")" : "");
}

/* Every content set the build printed from: the set given (unless the layout prints its own
 * [page] languages), those languages' sets, and the other languages' sets read through
 * {field@lang} or ../<lang>/ files. */
static void warn_drafts(const build_spec *s, diag *d)
{
    if (!s->lay || s->lay->audience == AUDIENCE_DONOR)
        return;
    draft_ctx dc = { s, d, { 0 }, 0 };
    if (s->set && s->nlangs == 0)
        warn_draft(&dc, s->set);
    if (s->set)
        content_each_sibling(s->set, warn_draft, &dc);
    for (int i = 0; i < s->nlangs; i++)
        if (s->lang_sets[i]) {
            warn_draft(&dc, s->lang_sets[i]);
            content_each_sibling(s->lang_sets[i], warn_draft, &dc);
        }
}

/* With quantities: how many items each record made (the first 20 records, in order). */
static void say_quantities(const build_spec *s)
{
    const data_table *t = s->data;
    if (!t || !data_has_quantities(t))
        return;
    size_t rows = data_rows(t);
    fprintf(stderr, "handout: %ld item%s from the %zu record%s of %s, by their quantities:", data_items(t),
            data_items(t) == 1 ? "" : "s", rows, rows == 1 ? "" : "s", data_path(t));
    for (size_t r = 0; r < rows && r < 20; r++)
        fprintf(stderr, "%s %ld", r ? "," : "", data_quantity(t, r));
    fprintf(stderr, "%s\n", rows > 20 ? ", ..." : "");
}

int build_spec_run(build_spec *s, diag *d)
{
    if (s->status)
        return s->status;
    int pages = 0;
    long parts = 1;
    s->ro.pages_out = &pages;
    s->ro.parts_out = &parts;
    int status = split_build(s->lay, s->set, s->fontdb, &s->ro, d);
    s->ro.pages_out = NULL;
    s->ro.parts_out = NULL;
    warn_drafts(s, d);
    if (status == EXIT_OK && !s->rq->dry_run) {
        say_written(s, parts, pages);
        say_quantities(s);
    }
    return status;
}
