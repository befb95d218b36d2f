/* main: the commands build, check, calibrate and list, and the dispatch to batch, report and
 * serve. The command line is read once by cli.c into a cli_options that no command writes to; a
 * command turns it into what it runs (a build_request per build) and its outcome into an exit
 * status (status.h: 0 success, 1 invalid input, 2 usage error, 3 output not written, 4 internal
 * failure; where several meet, the most severe). */
#define _DEFAULT_SOURCE /* scandir, alphasort */
#include "cli.h"
#include "content.h"
#include "data.h"
#include "batch.h"
#include "atomic.h"
#include "calibrate.h"
#include "compliance.h"
#include "diag.h"
#include "fonts.h"
#include "grow.h"
#include "impose.h"
#include "job.h"
#include "numbers.h"
#include "ini.h"
#include "layout.h"
#include "plan.h"
#include "readfile.h"
#include "render.h"
#include "serve.h"
#include "split.h"
#include "status.h"
#include "strfmt.h"
#include "units.h"
#include "utf8.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef HANDOUT_VERSION
#define HANDOUT_VERSION "0.1.0"
#endif

_Static_assert((int)RENDER_OK == (int)EXIT_OK && (int)RENDER_INPUT == (int)EXIT_INPUT &&
                   (int)RENDER_OUTPUT == (int)EXIT_OUTPUT && (int)RENDER_INTERNAL == (int)EXIT_INTERNAL,
               "render_build returns exit statuses (status.h)");

/* One build as asked: by build, or by check for each layout and content set, or for a job's item. */
typedef struct build_request {
    const char *layout;
    const char *content;
    const char *output;
    const char *dump;
    const char *sheet;     /* --sheet FILE|NAME|none */
    const char *data;      /* --data FILE.csv */
    const char *printer;   /* --printer FILE */
    const char *count;     /* --count N */
    const char *jobs;      /* -j N, --jobs N */
    const char *max_pages; /* --max-pages N */
    const char *tile;      /* --tile PAPER */
    const char *overlap;   /* --overlap LENGTH */
    bool print_shop;
    bool no_marks;
    const char *const *sets; /* key=value, in order */
    int nsets;
    bool dry_run;        /* check: build everything, write nothing */
    const char *context; /* check: "jobs/x.ini:12: [posters]", put before an item's messages */
    bool job_item;       /* check: a job's item: set_ fields replace data columns (as in a batch),
                          * and the count stops at the data file's records */
    FILE *records;       /* --diagnostics: every message also as a record (diag_set_records) */
} build_request;

/* What check adds up over its builds. */
typedef struct check_tally {
    int warnings; /* warnings seen */
    char **used;  /* the fields used, across layouts */
    size_t nused, capused;
} check_tally;

/* A list of strings of its own. */
typedef struct strings {
    char **items;
    size_t n, cap;
} strings;

static bool strings_add(strings *s, const char *v)
{
    char *copy = strdup(v);
    if (!copy || !GROW(s->items, s->n, s->cap)) {
        free(copy);
        fprintf(stderr, "handout: error: out of memory\n");
        return false;
    }
    s->items[s->n++] = copy;
    return true;
}

static void strings_free(strings *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->items[i]);
    free(s->items);
    memset(s, 0, sizeof *s);
}

/* The build the options ask for; layout and content from the arguments (build), or set later (check). */
static build_request request_of(const cli_options *o)
{
    build_request rq = { 0 };
    rq.output = o->value[OPT_OUTPUT];
    rq.dump = o->value[OPT_DUMP];
    rq.sheet = o->value[OPT_SHEET];
    rq.data = o->value[OPT_DATA];
    rq.printer = o->value[OPT_PRINTER];
    rq.count = o->value[OPT_COUNT];
    rq.jobs = o->value[OPT_JOBS];
    rq.max_pages = o->value[OPT_MAX_PAGES];
    rq.tile = o->value[OPT_TILE];
    rq.overlap = o->value[OPT_OVERLAP];
    rq.print_shop = o->given[OPT_PRINT_SHOP];
    rq.no_marks = o->given[OPT_NO_MARKS];
    rq.sets = o->values[OPT_SET].items;
    rq.nsets = (int)o->values[OPT_SET].n;
    if (o->command == CMD_BUILD && o->args.n == 2) {
        rq.layout = o->args.items[0];
        rq.content = o->args.items[1];
    }
    return rq;
}

/* What the option table does not say of build, check, calibrate and list: the arguments each
 * takes, the options that exclude each other, the --set fields and the numbers' ranges. Returns
 * -1, or EXIT_USAGE after the message. */
static int check_usage(const cli_options *o)
{
    cli_command cmd = o->command;
    size_t n = o->args.n;
    if (cmd != CMD_CHECK && n > 2)
        return cli_usage_error(cmd, "unexpected argument %s", o->args.items[2]);
    for (size_t i = 0; i < o->values[OPT_SET].n; i++) {
        const char *v = o->values[OPT_SET].items[i];
        const char *eq = strchr(v, '=');
        if (!eq || eq == v)
            return cli_usage_error(cmd, "--set: expected key=value, found \"%s\"", v);
        for (const char *k = v; k < eq; k++)
            if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_'))
                return cli_usage_error(cmd, "--set: expected a field name of a-z, 0-9 and '_', found \"%.*s\"",
                                       (int)(eq - v), v);
    }
    if (cmd == CMD_CALIBRATE && n != 1)
        return cli_usage_error(cmd, "%s", "calibrate needs a layout file");
    if (cmd == CMD_LIST && n != 0)
        return cli_usage_error(cmd, "%s", "list takes no arguments");
    if (cmd != CMD_BUILD)
        return -1;
    if (n != 2)
        return cli_usage_error(cmd, "%s", "build needs a layout file and a content folder");
    const char *sheet_arg = o->value[OPT_SHEET];
    bool print_shop = o->given[OPT_PRINT_SHOP];
    if (print_shop && sheet_arg && strcmp(sheet_arg, "none") != 0)
        return cli_usage_error(cmd, "%s", "--print-shop and --sheet exclude each other");
    if (o->value[OPT_TILE] && (print_shop || (sheet_arg && strcmp(sheet_arg, "none") != 0)))
        return cli_usage_error(cmd, "%s", "--tile excludes --print-shop and --sheet");
    if (o->value[OPT_OVERLAP] && !o->value[OPT_TILE])
        return cli_usage_error(cmd, "%s", "--overlap goes with --tile");
    static const struct {
        cli_opt id;
        long max;
    } NUMS[] = { { OPT_COUNT, 1000000 }, { OPT_JOBS, 64 }, { OPT_MAX_PAGES, 100000 } };
    for (size_t k = 0; k < sizeof NUMS / sizeof NUMS[0]; k++) {
        const char *v = o->value[NUMS[k].id];
        if (!v)
            continue;
        long num = 0;
        const char *p = v;
        for (; *p >= '0' && *p <= '9' && num < 100000000; p++)
            num = num * 10 + (*p - '0');
        if (p == v || *p || num < 1 || num > NUMS[k].max) {
            size_t nt;
            const cli_option_def *table = cli_option_table(&nt);
            return cli_usage_error(cmd, "%s: expected a whole number from 1 to %ld, found \"%s\"",
                                   table[NUMS[k].id].name, NUMS[k].max, v);
        }
    }
    return -1;
}

/* SOURCE_DATE_EPOCH (reproducible-builds.org): seconds since 1970, digits only. */
static int source_date_epoch(long long *epoch)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    *epoch = -1;
    if (!s)
        return 0;
    long long v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9' && p - s < 12; p++)
        v = v * 10 + (*p - '0');
    if (p == s || *p != '\0' || v > 253402300799LL) {
        fprintf(stderr,
                "handout: error: SOURCE_DATE_EPOCH: expected seconds since 1970 (digits only), "
                "found \"%s\"\n",
                s);
        return EXIT_USAGE;
    }
    *epoch = v;
    return 0;
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
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, path + start, len);
        s[len] = '\0';
    }
    return s;
}

/* The project folder of a layout: the parent of the folder holding it. */
static char *project_root(const char *layout_path)
{
    const char *slash = strrchr(layout_path, '/');
    size_t n = slash ? (size_t)(slash - layout_path) : 1;
    char *s = malloc(n + 4);
    if (s)
        snprintf(s, n + 4, "%.*s/..", (int)n, slash ? layout_path : ".");
    return s;
}

/* A path named in a layout (a sheet, a data file): absolute; else from the project folder when
 * it is there; else as given (from the current folder). */
static char *project_path(const char *root, const char *name)
{
    size_t n = strlen(root) + strlen(name) + 16;
    char *p = malloc(n);
    if (!p)
        return NULL;
    struct stat sb;
    snprintf(p, n, "%s/%s", root, name);
    if (name[0] == '/' || stat(p, &sb) != 0)
        snprintf(p, n, "%s", name);
    return p;
}

/* A sheet named in a layout ("letter-10up-cards") is sheets/NAME.ini in the project folder; a
 * value with a '/' or ending in .ini is a path. */
static char *sheet_path(const char *root, const char *name)
{
    size_t nl = strlen(name);
    if (strchr(name, '/') || (nl > 4 && strcmp(name + nl - 4, ".ini") == 0))
        return project_path(root, name);
    size_t n = strlen(root) + nl + 16;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/sheets/%s.ini", root, name);
    return p;
}

static long parse_count(const char *s)
{
    return s ? strtol(s, NULL, 10) : 0;
}

/* A reference set ([content] scope = reference) lends fields to other sets' layouts through
 * {field@lang}; it is not checked or built on its own. */
static bool reference_set(const char *ini)
{
    diag *d = diag_new(NULL);
    ini_file *f = d ? ini_load(ini, d) : NULL;
    const char *v = f ? ini_get(f, "content", "scope") : NULL;
    bool ref = v && strcmp(v, "reference") == 0;
    ini_free(f);
    diag_free(d);
    return ref;
}

static int only_visible_dirent(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

static void note_used(void *ctx, const char *key)
{
    check_tally *t = ctx;
    for (size_t i = 0; i < t->nused; i++)
        if (strcmp(t->used[i], key) == 0)
            return;
    char *copy = strdup(key);
    if (!copy || !GROW(t->used, t->nused, t->capused)) {
        free(copy);
        return;
    }
    t->used[t->nused++] = copy;
}

static int cmd_build(const build_request *o, check_tally *tally);

typedef struct unused_ctx {
    const check_tally *tally;
    const char *path;
    int count;
} unused_ctx;

static void report_unused(void *ctx, const char *key, int line)
{
    unused_ctx *u = ctx;
    static const char *const RESERVED[] = { "description", "language", NULL };
    for (int i = 0; RESERVED[i]; i++)
        if (strcmp(key, RESERVED[i]) == 0)
            return;
    for (size_t i = 0; i < u->tally->nused; i++)
        if (strcmp(u->tally->used[i], key) == 0)
            return;
    fprintf(stderr, "handout: warning: %s:%d: [content] %s: expected every field to be used by a layout "
            "checked, found none using it; remove it, or check the layout that needs it too\n",
            u->path, line, key);
    u->count++;
}

/* handout check JOB.ini: every item of the job built as `handout batch` would build it (its
 * plan: layout, content set, set_ fields, data file, quantity rounded up to full sheets), to the
 * end but not written, each message headed by the job file and the item. A problem of the job
 * file itself is reported by job_load, in the job file's own place. Counts the items checked and
 * those with errors; returns the worst status. */
static int check_job(const char *path, plan_ctx *pc, check_tally *tally, int *checked, int *failed)
{
    diag *d = diag_new(stderr);
    if (!d)
        return EXIT_INTERNAL;
    job *j = job_load(path, d);
    if (!j) {
        (*failed)++; /* the job file, whose items cannot be told apart */
        diag_free(d);
        return EXIT_INPUT;
    }
    int worst = EXIT_OK;
    for (int i = 0; i < j->nitems; i++) {
        const job_item *it = &j->items[i];
        (*checked)++;
        if (it->error) {
            /* already reported by job_load, with the job file, the item and the key */
            (*failed)++;
            worst = status_worst(worst, EXIT_INPUT);
            continue;
        }
        item_plan ip = { 0 };
        plan_item(pc, j, it, "output", &ip);
        char context[1024], count[32];
        snprintf(context, sizeof context, "%s:%d: [%s]", j->path, it->line, it->section);
        snprintf(count, sizeof count, "%ld", ip.e.items > 0 ? ip.e.items : it->quantity);
        build_request rq = { 0 };
        rq.dry_run = true;
        rq.output = "/dev/null";
        rq.layout = it->layout;
        rq.content = it->content;
        rq.data = it->data;
        rq.count = count;
        rq.sets = (const char *const *)it->sets;
        rq.nsets = it->nsets;
        rq.context = context;
        rq.job_item = true;
        int st = cmd_build(&rq, tally);
        if (st == 0 && ip.reason) {
            /* a limit of a batch item that a build alone does not know (plan.h) */
            diag_loc loc = { j->path, it->line, it->section, "quantity" };
            diag_error(d, loc, "%s", ip.reason);
            st = ip.status ? ip.status : EXIT_INPUT;
        }
        if (st) {
            (*failed)++;
            worst = status_worst(worst, st);
        }
        item_plan_free(&ip);
    }
    job_free(j);
    diag_free(d);
    return worst;
}

/* A folder holding content.ini: a content set. */
static bool is_content_set(const char *path)
{
    struct stat sb;
    char *ini = strfmt("%s/content.ini", path);
    bool yes = ini && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode) && stat(ini, &sb) == 0;
    free(ini);
    return yes;
}

static int only_ini(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return e->d_name[0] != '.' && n > 4 && strcmp(e->d_name + n - 4, ".ini") == 0;
}

/* The layouts of a folder (its *.ini files that are not job files), as DIR/NAME (NAME when dir is
 * NULL: the current folder's). False when the folder cannot be read or memory ran out. */
static bool layouts_in(const char *dir, strings *out)
{
    struct dirent **names = NULL;
    int n = scandir(dir ? dir : ".", &names, only_ini, alphasort);
    bool ok = n >= 0;
    for (int i = 0; i < n; i++) {
        char *p = dir ? strfmt("%s/%s", dir, names[i]->d_name) : strdup(names[i]->d_name);
        if (ok && p && !job_is_job_file(p))
            ok = strings_add(out, p);
        ok = ok && p;
        free(p);
        free(names[i]);
    }
    free(names);
    return ok;
}

/* Whether the layouts checked are every layout of the folders they are in: only then is a field
 * that none of them uses a field no layout uses. */
static bool every_layout(const strings *layouts)
{
    bool all = true;
    strings dirs = { 0 };
    for (size_t i = 0; all && i < layouts->n; i++) {
        const char *l = layouts->items[i];
        const char *slash = strrchr(l, '/');
        char *dir = slash ? strfmt("%.*s", slash == l ? 1 : (int)(slash - l), l) : NULL;
        bool seen = false;
        for (size_t k = 0; k < dirs.n && !seen; k++)
            seen = strcmp(dirs.items[k], dir ? dir : ".") == 0;
        if (!seen && !strings_add(&dirs, dir ? dir : "."))
            all = false;
        strings in = { 0 };
        if (all && !seen && !layouts_in(dir, &in))
            all = false;
        for (size_t k = 0; all && k < in.n; k++) {
            /* the same file under another name counts: compared by device and inode */
            struct stat want, have;
            bool found = false;
            if (stat(in.items[k], &want) != 0)
                continue;
            for (size_t m = 0; m < layouts->n && !found; m++)
                found = stat(layouts->items[m], &have) == 0 && have.st_dev == want.st_dev &&
                        have.st_ino == want.st_ino;
            all = found;
        }
        strings_free(&in);
        free(dir);
    }
    strings_free(&dirs);
    return all;
}

/* handout check: every layout with every content set (those named, else every set of the
 * project), built to the end but not written; then, when every layout is checked (or with
 * --unused), the fields no layout used; and every item of every job file named. With no layout
 * and no job file, every layout in layouts/. Errors make the status 1; with --strict, so do
 * warnings; where statuses meet, the most severe counts. */
static int cmd_check(const cli_options *o, FILE *records)
{
    strings layouts = { 0 }, jobs = { 0 }, sets = { 0 };
    bool ok = true, all_layouts = false, nothing_named = false;
    for (size_t i = 0; ok && i < o->args.n; i++) {
        const char *a = o->args.items[i];
        ok = strings_add(is_content_set(a) ? &sets : job_is_job_file(a) ? &jobs : &layouts, a);
    }
    for (size_t i = 0; ok && i < o->values[OPT_CONTENT].n; i++)
        ok = strings_add(&sets, o->values[OPT_CONTENT].items[i]);
    if (ok && layouts.n == 0 && jobs.n == 0) {
        /* nothing named: every layout of the project in the current folder */
        if (!layouts_in("layouts", &layouts) || layouts.n == 0) {
            fprintf(stderr, "handout: error: layouts: expected a layout to check (layouts/*.ini, or LAYOUT.ini "
                            "and JOB.ini files named), found none\n");
            strings_free(&layouts);
            strings_free(&sets);
            return EXIT_INPUT;
        }
        all_layouts = nothing_named = true;
    } else if (ok && layouts.n > 0) {
        all_layouts = every_layout(&layouts);
    }
    check_tally tally = { 0 };
    int worst = ok ? EXIT_OK : EXIT_INTERNAL, failed = 0;
    if (ok && layouts.n > 0 && sets.n == 0) {
        /* the content sets: every content/<lang>/ of the first layout's project (the current folder
         * when no layout was named) */
        char *root = nothing_named ? NULL : project_root(layouts.items[0]);
        char *dir = nothing_named ? strdup("content") : root ? strfmt("%s/content", root) : NULL;
        struct dirent **names = NULL;
        int n = dir ? scandir(dir, &names, only_visible_dirent, alphasort) : -1;
        for (int i = 0; i < n; i++) {
            char *set = strfmt("%s/%s", dir, names[i]->d_name);
            char *ini = set ? strfmt("%s/content.ini", set) : NULL;
            struct stat sb;
            if (ok && ini && stat(ini, &sb) == 0 && !reference_set(ini))
                ok = strings_add(&sets, set);
            free(ini);
            free(set);
            free(names[i]);
        }
        free(names);
        free(dir);
        free(root);
        if (ok && sets.n == 0) {
            fprintf(stderr, "handout: error: expected a content set (content/<lang>/content.ini or --content), found none\n");
            strings_free(&layouts);
            strings_free(&jobs);
            return EXIT_INPUT;
        }
    }
    if (ok && layouts.n > 0) {
        /* a field counts as used when any run used it: layouts read other languages' fields too */
        build_request base = request_of(o);
        base.records = records;
        for (size_t s = 0; s < sets.n; s++) {
            for (size_t k = 0; k < layouts.n; k++) {
                build_request rq = base;
                rq.layout = layouts.items[k];
                rq.content = sets.items[s];
                rq.output = "/dev/null";
                rq.dry_run = true;
                int st = cmd_build(&rq, &tally);
                if (st) {
                    failed++;
                    worst = status_worst(worst, st);
                }
            }
        }
        for (size_t s = 0; (all_layouts || o->given[OPT_UNUSED]) && s < sets.n; s++) {
            diag *d = diag_new(NULL);
            content *c = d ? content_load(sets.items[s], d) : NULL;
            if (c) {
                unused_ctx u = { &tally, content_ini_path(c), 0 };
                content_each_unused(c, report_unused, &u);
                tally.warnings += u.count;
            }
            content_free(c);
            diag_free(d);
        }
    }
    int items = 0;
    if (ok && jobs.n > 0) {
        /* the plans read fonts and hash inputs as a batch does; the key they make is not used */
        plan_ctx *pc = plan_ctx_new("handout", "", NULL);
        for (size_t k = 0; pc && k < jobs.n; k++)
            worst = status_worst(worst, check_job(jobs.items[k], pc, &tally, &items, &failed));
        if (!pc)
            worst = EXIT_INTERNAL;
        plan_ctx_free(pc);
    }
    char layouts_part[128] = "", jobs_part[128] = "";
    if (layouts.n > 0)
        snprintf(layouts_part, sizeof layouts_part, "%zu layout%s x %zu content set%s", layouts.n,
                 layouts.n == 1 ? "" : "s", sets.n, sets.n == 1 ? "" : "s");
    if (jobs.n > 0)
        snprintf(jobs_part, sizeof jobs_part, "%d item%s of %zu job file%s", items, items == 1 ? "" : "s", jobs.n,
                 jobs.n == 1 ? "" : "s");
    bool strict = o->given[OPT_STRICT];
    if (ok)
        fprintf(stderr, "handout: checked %s%s%s: %d with errors, %d warning%s%s\n", layouts_part,
                layouts.n > 0 && jobs.n > 0 ? " and " : "", jobs_part, failed, tally.warnings,
                tally.warnings == 1 ? "" : "s", strict && tally.warnings ? " (errors with --strict)" : "");
    for (size_t i = 0; i < tally.nused; i++)
        free(tally.used[i]);
    free(tally.used);
    strings_free(&layouts);
    strings_free(&jobs);
    strings_free(&sets);
    if (worst)
        return worst;
    return strict && tally.warnings ? EXIT_INPUT : EXIT_OK;
}

/* One build; with a tally (check), its warnings and the fields it used are added to it. */
/* [page] languages: the content set of each language, content/<lang>/ beside the one given, with
 * the --set values; as many as the list names. Returns how many were loaded into *out. */
static int load_languages(const char *list, const build_request *o, diag *d, content ***out)
{
    content **langs = NULL;
    int nlangs = 0, caplangs = 0;
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ", ");
        if (n == 0)
            break;
        char *lang = strndup(p, n);
        char *dir = lang ? content_sibling_path(o->content, lang) : NULL;
        free(lang);
        content *lc = dir ? content_load(dir, d) : NULL;
        for (int i = 0; lc && i < o->nsets; i++)
            content_set_arg(lc, o->sets[i], d);
        if (lc && nlangs == caplangs) {
            int cap = caplangs ? caplangs * 2 : 8;
            content **nl = realloc(langs, (size_t)cap * sizeof *nl);
            if (nl) {
                langs = nl;
                caplangs = cap;
            } else {
                diag_error(d, diag_at(dir, 0), "out of memory");
                content_free(lc);
                lc = NULL;
            }
        }
        if (lc)
            langs[nlangs++] = lc;
        free(dir);
        p += n;
    }
    *out = langs;
    return nlangs;
}

/* The output path: -o, else output/<layout>-<content>.pdf (the folder made when missing, unless
 * nothing is to be written). NULL when out of memory. */
static char *output_path(const build_request *o, diag *d)
{
    if (o->output)
        return strdup(o->output);
    struct stat osb;
    if (!o->dry_run && stat("output", &osb) != 0 && mkdir("output", 0777) != 0)
        diag_error(d, diag_at("output", 0), "cannot make the folder: %s", strerror(errno));
    char *lb = base_name(o->layout, ".ini"), *cb = base_name(o->content, NULL);
    size_t n = (lb ? strlen(lb) : 0) + (cb ? strlen(cb) : 0) + 16;
    char *output = lb && cb ? malloc(n) : NULL;
    if (output)
        snprintf(output, n, "output/%s-%s.pdf", lb, cb);
    free(lb);
    free(cb);
    return output;
}

/* How many items: --count, else the data file's records, a full sheet, or one; -1 after a usage
 * message (more than the data file's records). */
static long item_count(const build_request *o, const data_table *data, const sheet *sh, output_mode mode, diag *d)
{
    long count = parse_count(o->count);
    if (data) {
        long rows = (long)data_rows(data);
        if (count > rows && o->job_item)
            return rows; /* a batch repeats the records: each is checked once */
        if (count > rows) {
            diag_error(d, diag_at("--count", 0), "expected at most the %ld records of %s, found %ld", rows,
                       data_path(data), count);
            return -1;
        }
        return count == 0 ? rows : count;
    }
    return count == 0 ? (mode == OUTPUT_SHEET ? sheet_per_page(sh) : 1) : count;
}

/* The line(s) that say what was written. */
static void say_written(const layout *l, const render_opts *ro, const sheet *sh, const char *output, long parts,
                        int pages, long count)
{
    double w = ro->mode == OUTPUT_SHEET ? sh->page_w : ro->mode == OUTPUT_TILES ? ro->tile_w : l->page_w + (ro->mode == OUTPUT_PRINT_SHOP ? 2 * l->bleed : 0);
    double h = ro->mode == OUTPUT_SHEET ? sh->page_h : ro->mode == OUTPUT_TILES ? ro->tile_h : l->page_h + (ro->mode == OUTPUT_PRINT_SHOP ? 2 * l->bleed : 0);
    if (parts > 1)
        fprintf(stderr, "handout: wrote %ld files like %s, numbered -001 to -%03ld (%d pages in all, %.6g x %.6g pt)\n",
                parts, output, parts, pages, w, h);
    else
        fprintf(stderr, "handout: wrote %s (%d page%s, %.6g x %.6g pt)\n", output, pages, pages == 1 ? "" : "s", w, h);
    if (ro->mode == OUTPUT_SHEET) {
        int per = sheet_per_page(sh);
        fprintf(stderr, "handout: %ld item%s on %ld sheet%s, %d per sheet%s\n", count, count == 1 ? "" : "s",
                (count + per - 1) / per, (count + per - 1) / per == 1 ? "" : "s", per,
                !l->two_sided ? "" : sh->duplex == DUPLEX_SHORT_EDGE ? " (fronts and backs, short-edge duplex)" : " (fronts and backs, long-edge duplex)");
    }
}

static int cmd_build(const build_request *o, check_tally *tally)
{
    long long epoch;
    int st = source_date_epoch(&epoch);
    if (st)
        return st;
    struct stat sb;
    diag *d = diag_new(stderr);
    if (!d)
        return EXIT_INTERNAL;
    diag_set_context(d, o->context);
    diag_set_records(d, o->records);
    /* its kind, named (a folder, a FIFO, a device...), before anything opens it */
    bool there = stat(o->layout, &sb) == 0;
    if (!there || !S_ISREG(sb.st_mode)) {
        diag_error(d, diag_at(o->layout, 0), "expected a layout file, found %s",
                   there ? readfile_kind(sb.st_mode) : strerror(errno));
        diag_free(d);
        return EXIT_INPUT;
    }
    content *c = content_load(o->content, d);
    for (int i = 0; c && i < o->nsets; i++)
        content_set_arg(c, o->sets[i], d);
    layout *l = c && diag_errors(d) == 0 ? layout_load(o->layout, c, d) : NULL;
    char *root = project_root(o->layout);
    /* the data file: --data, else the layout's own (a path from the project folder) */
    data_table *data = NULL;
    if (o->data && l) {
        data = data_load(o->data, d);
    } else if (l && l->data && root) {
        char *dp = project_path(root, l->data);
        if (dp)
            data = data_load(dp, d);
        free(dp);
    }
    for (int i = 0; data && o->job_item && i < o->nsets; i++) {
        /* a job's set_<column> replaces the column in every record, as in a batch (plan.c) */
        char key[128];
        snprintf(key, sizeof key, "%.*s", (int)strcspn(o->sets[i], "="), o->sets[i]);
        long col = data_column_index(data, key);
        if (col >= 0 && !data_set_column(data, (size_t)col, strchr(o->sets[i], '=') + 1))
            diag_error(d, diag_at(data_path(data), 0), "expected memory for set_%s, found none", key);
    }
    fonts *f = root ? fonts_new(root) : NULL;
    sheet *sh = NULL;
    printer_adjust printer;
    bool have_printer = false;
    char *output = NULL;
    int status = EXIT_INPUT;
    render_opts ro = { 0 };
    compliance *prof = NULL;
    numbers *known = NULL;
    if (l && root) {
        /* the registry of known numbers, when the project has one */
        char np[4096];
        struct stat nsb;
        snprintf(np, sizeof np, "%s/data/known-numbers.ini", root);
        if (stat(np, &nsb) == 0)
            known = numbers_load(np, d);
        ro.numbers = known;
    }
    content **langs = NULL; /* one per language of [page] languages, as many as it lists */
    int nlangs = 0;
    if (l && root && l->compliance) {
        prof = compliance_load(root, l->compliance, l, d);
        ro.check = compliance_check;
        ro.check_ctx = prof;
    }
    if (l && c && l->languages) {
        nlangs = load_languages(l->languages, o, d, &langs);
        ro.languages = langs;
        ro.nlanguages = nlangs;
    }
    int pages = 0;
    long parts = 1;
    if (l && root && diag_errors(d) == 0) {
        ro.mode = o->print_shop ? OUTPUT_PRINT_SHOP : o->tile ? OUTPUT_TILES : OUTPUT_PAGES;
        const char *sheet_name = o->sheet ? o->sheet : o->print_shop || o->tile ? NULL : l->sheet;
        if (o->tile) {
            const char *why = NULL;
            ro.tile_margin = 36;
            ro.overlap = 36;
            if (!units_page_size(o->tile, &ro.tile_w, &ro.tile_h, &why))
                diag_error(d, diag_at("--tile", 0), "expected %s, found \"%s\"", why, o->tile);
            if (o->overlap && !units_length(o->overlap, &ro.overlap, &why))
                diag_error(d, diag_at("--overlap", 0), "expected %s, found \"%s\"", why, o->overlap);
        }
        if (sheet_name && strcmp(sheet_name, "none") != 0) {
            /* a path on the command line is taken as given; a name, from sheets/ */
            char *sp = o->sheet && strchr(o->sheet, '/') ? strdup(o->sheet) : sheet_path(root, sheet_name);
            sh = sp ? sheet_load(sp, d) : NULL;
            free(sp);
            if (sh && sheet_prepare(sh, l->page_w, l->page_h, d))
                ro.mode = OUTPUT_SHEET;
        }
        if (o->printer) {
            have_printer = printer_load(o->printer, &printer, d);
            if (have_printer && ro.mode != OUTPUT_SHEET)
                diag_error(d, diag_at(o->printer, 0), "expected sheet output for a printer adjustment, found %s",
                           o->print_shop ? "--print-shop" : "no sheet");
        }
    }
    if (l && f && diag_errors(d) == 0) {
        output = output_path(o, d);
        long count = item_count(o, data, sh, ro.mode, d);
        if (nlangs > 0)
            count *= nlangs;
        ro.dry_run = o->dry_run;
        ro.output = output;
        ro.dump = o->dump;
        ro.epoch = epoch;
        ro.creator = "handout " HANDOUT_VERSION;
        ro.sheet = sh;
        ro.no_marks = o->no_marks;
        ro.printer = have_printer ? &printer : NULL;
        ro.count = count;
        ro.data = data;
        ro.pages_out = &pages;
        ro.max_pages = o->max_pages ? strtol(o->max_pages, NULL, 10) : 0;
        ro.jobs = o->jobs ? (int)strtol(o->jobs, NULL, 10) : 1;
        ro.parts_out = &parts;
        status = count < 0 ? EXIT_USAGE : output ? split_build(l, c, f, &ro, d) : EXIT_INTERNAL;
        if (status == 0 && !o->dry_run)
            say_written(l, &ro, sh, output, parts, pages, count);
    } else if (!f && l) {
        diag_error(d, (diag_loc){ 0 }, "fontconfig could not be initialised");
        status = EXIT_INTERNAL;
    }
    if (status != 0 && !o->dry_run)
        fprintf(stderr, "handout: no PDF was written\n");
    if (tally)
        tally->warnings += diag_warnings(d);
    if (tally && !o->job_item) {
        /* the fields used, for the unused-field report over the layouts checked */
        if (c)
            content_each_used(c, note_used, tally);
        for (int i = 0; i < nlangs; i++)
            content_each_used(langs[i], note_used, tally);
    }
    free(output);
    compliance_free(prof);
    numbers_free(known);
    for (int i = 0; i < nlangs; i++)
        content_free(langs[i]);
    free(langs);
    sheet_free(sh);
    data_free(data);
    fonts_free(f);
    free(root);
    layout_free(l);
    content_free(c);
    diag_free(d);
    return status;
}

static int cmd_calibrate(const cli_options *opts)
{
    build_request rq = request_of(opts);
    rq.layout = opts->args.items[0];
    const build_request *o = &rq;
    long long epoch;
    int st = source_date_epoch(&epoch);
    if (st)
        return st;
    diag *d = diag_new(stderr);
    content *c = content_new(".");
    char *root = project_root(o->layout);
    if (!d || !c || !root) {
        diag_free(d);
        content_free(c);
        free(root);
        return EXIT_INTERNAL;
    }
    layout *l = layout_load(o->layout, c, d);
    fonts *f = fonts_new(root);
    sheet *sh = NULL;
    printer_adjust printer;
    bool have_printer = false;
    int status = EXIT_INPUT;
    const char *name = o->sheet ? o->sheet : l ? l->sheet : NULL;
    if (l && !name)
        diag_error(d, diag_at(o->layout, 0), "expected a sheet (the layout's [page] sheet, or --sheet), found none");
    if (l && name) {
        char *sp = sheet_path(root, name);
        sh = sp ? sheet_load(sp, d) : NULL;
        free(sp);
        if (sh && !sheet_prepare(sh, l->page_w, l->page_h, d)) {
            sheet_free(sh);
            sh = NULL;
        }
    }
    if (sh && o->printer)
        have_printer = printer_load(o->printer, &printer, d);
    if (sh && f && diag_errors(d) == 0) {
        const char *out = o->output ? o->output : "output/calibration.pdf";
        status = calibrate_write(sh, l->page_w, l->page_h, have_printer ? &printer : NULL, f, out,
                                 epoch, d);
        if (status == 0) {
            double ax, ay, bx, by;
            calibrate_targets(sh, &ax, &ay, &bx, &by);
            fprintf(stderr, "handout: wrote %s: targets A at (%.3f in, %.3f in) and B at (%.3f in, %.3f in) from the top-left corner\n",
                    out, ax / 72, ay / 72, bx / 72, by / 72);
        }
    }
    sheet_free(sh);
    fonts_free(f);
    layout_free(l);
    content_free(c);
    free(root);
    diag_free(d);
    return status;
}

/* s as list prints it, safe on a terminal: a control character (C0, DEL, C1: ESC would start an
 * escape sequence), a bidirectional override or isolate (it reorders what follows), a byte that is
 * not UTF-8, and '\' itself are shown escaped (\x1B, \u009B, \u202E, \xFF, \\); the rest as
 * it is. Caller frees; NULL when out of memory. */
static char *list_shown(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(4 * n + 1), *o = out; /* at most 4 bytes shown per byte read (\xHH) */
    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        uint32_t cp = 0;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if (len == 0) {
            o += sprintf(o, "\\x%02X", (unsigned char)s[i]);
            i++;
            continue;
        }
        if (cp < 0x20 || cp == 0x7F)
            o += sprintf(o, "\\x%02X", (unsigned)cp);
        else if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
            o += sprintf(o, "\\u%04X", (unsigned)cp);
        else if (cp == '\\')
            o += sprintf(o, "\\\\");
        else {
            memcpy(o, s + i, len);
            o += len;
        }
        i += len;
    }
    *o = '\0';
    return out;
}

/* One line of list: its kind, its path and what it says, each shown safely (list_shown). */
static void list_line(const char *kind, const char *path, const char *what, const char *more)
{
    char *p = list_shown(path), *w = list_shown(what);
    printf("%-8s %-32s %s%s\n", kind, p ? p : "?", w ? w : "?", more);
    free(p);
    free(w);
}

/* Why path cannot be listed, into buf; NULL when it is a regular file. Nothing is opened: a FIFO
 * or a device in layouts/ is named, never read (reading a FIFO would wait for ever). */
static const char *list_unreadable(const char *path, char *buf, size_t size)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        snprintf(buf, size, "(skipped: %s)", strerror(errno));
    else if (!S_ISREG(sb.st_mode))
        snprintf(buf, size, "(skipped: %s, not a regular file)", readfile_kind(sb.st_mode));
    else
        return NULL;
    return buf;
}

static int cmd_list(const cli_options *o)
{
    const char *given_root = o->value[OPT_ROOT];
    const char *root = given_root ? given_root : ".";
    char path[4096], why[256];
    struct dirent **names = NULL;
    int found = 0;
    snprintf(path, sizeof path, "%s/layouts", root);
    int n = scandir(path, &names, only_ini, alphasort);
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s%slayouts/%s", given_root ? root : "", given_root ? "/" : "",
                 names[i]->d_name);
        const char *skipped = list_unreadable(path, why, sizeof why);
        char *desc = skipped ? NULL : layout_description(path);
        list_line("layout", path, skipped ? skipped : desc ? desc : "(cannot be read: run handout build for details)", "");
        free(desc);
        free(names[i]);
        found++;
    }
    free(names);
    names = NULL;
    snprintf(path, sizeof path, "%s/content", root);
    n = scandir(path, &names, only_visible_dirent, alphasort);
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s%scontent/%s/content.ini", given_root ? root : "",
                 given_root ? "/" : "", names[i]->d_name);
        struct stat sb;
        if (stat(path, &sb) == 0) {
            const char *skipped = list_unreadable(path, why, sizeof why);
            diag *d = skipped ? NULL : diag_new(NULL);
            ini_file *f = d ? ini_load(path, d) : NULL;
            const char *desc = f ? ini_get(f, "content", "description") : NULL;
            const char *scope = f ? ini_get(f, "content", "scope") : NULL;
            path[strlen(path) - strlen("/content.ini")] = '\0';
            list_line("content", path,
                      skipped ? skipped : f ? (desc ? desc : "") : "(cannot be read: run handout build for details)",
                      scope && strcmp(scope, "reference") == 0 ? " (reference set: read by other sets' layouts)" : "");
            ini_free(f);
            diag_free(d);
            found++;
        }
        free(names[i]);
    }
    free(names);
    if (found == 0) {
        fprintf(stderr, "handout: error: %s: expected layouts/*.ini or content/*/content.ini, found none\n",
                root);
        return EXIT_INPUT;
    }
    return 0;
}

/* The command asked for, once its arguments are known to be usable. */
static int run(const cli_options *o)
{
    int st = o->command == CMD_BATCH || o->command == CMD_REPORT || o->command == CMD_SERVE ? -1 : check_usage(o);
    if (st >= 0)
        return st;
    switch (o->command) {
    case CMD_BUILD:
    case CMD_CHECK: {
        FILE *records = NULL;
        const char *rp = o->value[OPT_DIAGNOSTICS];
        if (rp) {
            char why[1024];
            if (!atomic_target_ok(rp, why, sizeof why)) {
                fprintf(stderr, "handout: error: %s: %s\n", rp, why);
                return EXIT_OUTPUT;
            }
            records = fopen(rp, "w");
            if (!records) {
                fprintf(stderr, "handout: error: %s: expected to write the diagnostics, found an error: %s\n", rp,
                        strerror(errno));
                return EXIT_OUTPUT;
            }
        }
        build_request rq = request_of(o);
        rq.records = records;
        st = o->command == CMD_BUILD ? cmd_build(&rq, NULL) : cmd_check(o, records);
        if (records && (ferror(records) | fclose(records)) != 0 && st == EXIT_OK) {
            fprintf(stderr, "handout: error: %s: expected to write the diagnostics, found an error\n", rp);
            st = EXIT_OUTPUT;
        }
        return st;
    }
    case CMD_CALIBRATE:
        return cmd_calibrate(o);
    case CMD_LIST:
        return cmd_list(o);
    case CMD_BATCH:
        return batch_main(o);
    case CMD_REPORT:
        return report_main(o);
    case CMD_SERVE:
        return serve_main(o);
    default:
        return EXIT_INTERNAL;
    }
}

int main(int argc, char **argv)
{
    atomic_catch_signals();
    cli_options o;
    int status = cli_parse(argc, argv, &o);
    if (status < 0 && o.version) {
        printf("handout %s\n", HANDOUT_VERSION);
        status = EXIT_OK;
    } else if (status < 0 && o.help) {
        cli_usage(o.command, stdout);
        status = EXIT_OK;
    } else if (status < 0) {
        status = run(&o);
    }
    cli_free(&o);
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        if (status == 0) {
            fprintf(stderr, "handout: error: cannot write to standard output: %s\n", strerror(errno));
            status = EXIT_OUTPUT;
        }
    }
    return status;
}
