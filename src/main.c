/* main: the commands build, check, calibrate and list, and the dispatch to batch, report and
 * serve. The command line is read once by cli.c into a cli_options that no command writes to; a
 * command turns it into what it runs (a build_request per build) and its outcome into an exit
 * status (status.h: 0 success, 1 invalid input, 2 usage error, 3 output not written, 4 internal
 * failure; where several meet, the most severe). */
#define _DEFAULT_SOURCE /* scandir, alphasort */
#include "build.h"
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
#include "proof.h"
#include "readfile.h"
#include "render.h"
#include "serve.h"
#include "orders.h"
#include "status.h"
#include "strfmt.h"
#include "theme.h"
#include "units.h"
#include "utf8.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef HANDOUT_VERSION
#define HANDOUT_VERSION "0.1.0"
#endif

/* What check adds up over its builds. */
typedef struct check_tally {
    int warnings; /* warnings seen */
    char **used;  /* the fields used, across layouts */
    size_t nused, capused;
} check_tally;

/* An error of the command itself, outside any build: printed (and counted) through a diag of its
 * own, so that it has its id and its form like every other message. */
__attribute__((format(printf, 3, 4))) static void say_error(const char *id, const char *file, const char *fmt, ...)
{
    diag *d = diag_new(stderr);
    va_list ap;
    va_start(ap, fmt);
    if (d)
        diag_verror(d, id, diag_at(file, 0), fmt, ap);
    else
        fputs("handout: error: out of memory\n", stderr);
    va_end(ap);
    diag_free(d);
}

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
        say_error("internal-out-of-memory", NULL, "%s", "out of memory");
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
    rq.quantity_column = o->value[OPT_QUANTITY_COLUMN];
    rq.jobs = o->value[OPT_JOBS];
    rq.max_pages = o->value[OPT_MAX_PAGES];
    rq.tile = o->value[OPT_TILE];
    rq.size = o->value[OPT_SIZE];
    rq.theme = o->value[OPT_THEME];
    rq.overlap = o->value[OPT_OVERLAP];
    rq.print_shop = o->given[OPT_PRINT_SHOP];
    rq.pdfx = o->given[OPT_PDFX];
    rq.ink_limit = o->value[OPT_INK_LIMIT];
    rq.overprint_black = o->given[OPT_OVERPRINT_BLACK];
    rq.no_marks = o->given[OPT_NO_MARKS];
    rq.posting = o->given[OPT_POSTING];
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
        return cli_usage_fail(cmd, "usage-unexpected-argument", "unexpected argument %s", o->args.items[2]);
    for (size_t i = 0; i < o->values[OPT_SET].n; i++) {
        const char *v = o->values[OPT_SET].items[i];
        const char *eq = strchr(v, '=');
        if (!eq || eq == v)
            return cli_usage_fail(cmd, "usage-bad-set", "--set: expected key=value, found \"%s\"", v);
        for (const char *k = v; k < eq; k++)
            if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_'))
                return cli_usage_fail(cmd, "usage-bad-set", "--set: expected a field name of a-z, 0-9 and '_', found \"%.*s\"",
                                       (int)(eq - v), v);
    }
    if (cmd == CMD_CALIBRATE && n != 1)
        return cli_usage_fail(cmd, "usage-missing-argument", "%s", "calibrate needs a layout file");
    if (cmd == CMD_LIST && n != 0)
        return cli_usage_fail(cmd, "usage-unexpected-argument", "%s", "list takes no arguments");
    if (cmd != CMD_BUILD)
        return -1;
    if (n != 2)
        return cli_usage_fail(cmd, "usage-missing-argument", "%s", "build needs a layout file and a content folder");
    const char *sheet_arg = o->value[OPT_SHEET];
    bool print_shop = o->given[OPT_PRINT_SHOP];
    if (print_shop && sheet_arg && strcmp(sheet_arg, "none") != 0)
        return cli_usage_fail(cmd, "usage-options-exclude", "%s", "--print-shop and --sheet exclude each other");
    if (o->value[OPT_TILE] && (print_shop || (sheet_arg && strcmp(sheet_arg, "none") != 0)))
        return cli_usage_fail(cmd, "usage-options-exclude", "%s", "--tile excludes --print-shop and --sheet");
    if (o->value[OPT_OVERLAP] && !o->value[OPT_TILE])
        return cli_usage_fail(cmd, "usage-options-exclude", "%s", "--overlap goes with --tile");
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
            return cli_usage_fail(cmd, "usage-bad-number", "%s: expected a whole number from 1 to %ld, found \"%s\"",
                                   table[NUMS[k].id].name, NUMS[k].max, v);
        }
    }
    return -1;
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
    diag *d; /* where the warnings go */
} unused_ctx;

static void report_unused(void *ctx, const char *key, int line)
{
    unused_ctx *u = ctx;
    static const char *const RESERVED[] = { "description", "language", "status", "source", "reviewed_by", "layouts",
                                            NULL };
    for (int i = 0; RESERVED[i]; i++)
        if (strcmp(key, RESERVED[i]) == 0)
            return;
    for (size_t i = 0; i < u->tally->nused; i++)
        if (strcmp(u->tally->used[i], key) == 0)
            return;
    diag_loc loc = { u->path, line, "content", key };
    diag_warn(u->d, "content-unused-field", loc,
              "expected every field to be used by a layout checked, found none using it; remove it, or check the "
              "layout that needs it too");
    u->count++;
}

/* handout check JOB.ini: every item of the job built as `handout batch` would build it (its
 * plan: layout, content set, set_ fields, data file, quantity rounded up to full sheets), to the
 * end but not written, each message headed by the job file and the item. A problem of the job
 * file itself is reported by job_load, in the job file's own place. Counts the items checked and
 * those with errors; returns the worst status. */
static int check_job(const char *path, const char *theme_name, plan_ctx *pc, check_tally *tally, int *checked, int *failed,
                     FILE *records)
{
    diag *d = diag_new(stderr);
    if (!d)
        return EXIT_INTERNAL;
    diag_set_records(d, records);
    job *j = job_load(path, d);
    if (!j) {
        (*failed)++; /* the job file, whose items cannot be told apart */
        diag_free(d);
        return EXIT_INPUT;
    }
    if (theme_name && !job_set_theme(j, theme_name)) { /* --theme: every item's, as in a batch */
        job_free(j);
        diag_free(d);
        return EXIT_INTERNAL;
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
        rq.size = it->size;
        rq.theme = j->theme;
        rq.content = it->content;
        rq.data = it->data;
        rq.count = count;
        rq.sets = (const char *const *)it->sets;
        rq.nsets = it->nsets;
        rq.context = context;
        rq.job_item = true;
        rq.quantity_column = it->quantity_column;
        rq.records = records;
        int st = cmd_build(&rq, tally);
        if (st == 0 && ip.reason) {
            /* a limit of a batch item that a build alone does not know (plan.h) */
            diag_loc loc = { j->path, it->line, it->section, "quantity" };
            diag_error(d, "job-item-over-limit", loc, "%s", ip.reason);
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

/* The name a layout goes by in [content] layouts: its file name without the folder and .ini. */
static size_t layout_name(const char *path, const char **start)
{
    const char *slash = strrchr(path, '/');
    *start = slash ? slash + 1 : path;
    size_t n = strlen(*start);
    if (n > 4 && strcmp(*start + n - 4, ".ini") == 0)
        n -= 4;
    return n;
}

/* Whether check builds the set with this layout (at this size, or NULL): always, unless the set
 * names its layouts; a layout at one of its sizes goes by LAYOUT or LAYOUT-SIZE there. */
static bool set_goes_into(const content *c, const char *layout_path, const char *size)
{
    const char *start;
    size_t n = layout_name(layout_path, &start);
    char name[512];
    snprintf(name, sizeof name, "%.*s", (int)n, start);
    bool listed = true;
    if (!content_lists_layout(c, name, &listed) || listed)
        return true;
    if (!size)
        return false;
    snprintf(name, sizeof name, "%.*s-%s", (int)n, start, size);
    content_lists_layout(c, name, &listed);
    return listed;
}

/* Every name in the set's [content] layouts must be a layout checked (all of layouts/ are): an
 * error for each that is not. Returns the number of errors. */
static int check_listed_layouts(const content *c, const strings *layouts, diag *d)
{
    const char *v = content_get(c, "layouts");
    int bad = 0;
    for (const char *p = v ? v : ""; *p;) {
        p += strspn(p, " ,\t");
        size_t k = strcspn(p, " ,\t");
        bool found = false;
        for (size_t i = 0; k > 0 && i < layouts->n && !found; i++) {
            const char *start;
            size_t n = layout_name(layouts->items[i], &start);
            found = n == k && strncmp(start, p, k) == 0;
            if (!found && k > n + 1 && strncmp(start, p, n) == 0 && p[n] == '-') {
                /* LAYOUT-SIZE: the layout at one of the sizes it lists */
                char size[256];
                snprintf(size, sizeof size, "%.*s", (int)(k - n - 1), p + n + 1);
                found = layout_lists_size(layouts->items[i], size);
            }
        }
        if (k > 0 && !found) {
            diag_loc loc = { content_ini_path(c), content_line(c, "layouts"), "content", "layouts" };
            diag_error(d, "content-unknown-layout", loc, "expected the names of layouts in layouts/ (without .ini), found \"%.*s\"",
                       (int)k, p);
            bad++;
        }
        p += k;
    }
    return bad;
}

/* handout check: every layout with every content set (those named, else every set of the
 * project), built to the end but not written; then, when every layout is checked (or with
 * --unused), the fields no layout used; and every item of every job file named. With no layout
 * and no job file, every layout in layouts/. Errors make the status 1; with --strict, so do
 * warnings; where statuses meet, the most severe counts. */
/* What check was asked to read: the layouts, job files and content sets, named or found. */
typedef struct check_inputs {
    strings layouts, jobs, sets;
    bool all_layouts;  /* every layout of the project: fields no layout uses are reported */
    bool nothing_named; /* the project in the current folder */
    bool scanned;       /* the sets were found in content/, not named */
} check_inputs;

/* The arguments sorted into layouts, job files and content sets; with nothing named, every
 * layout of the project in the current folder. EXIT_OK, or the status to stop with. */
static int check_sort_args(const cli_options *o, check_inputs *in, diag *d)
{
    bool ok = true;
    for (size_t i = 0; ok && i < o->args.n; i++) {
        const char *a = o->args.items[i];
        ok = strings_add(is_content_set(a) ? &in->sets : job_is_job_file(a) ? &in->jobs : &in->layouts, a);
    }
    for (size_t i = 0; ok && i < o->values[OPT_CONTENT].n; i++)
        ok = strings_add(&in->sets, o->values[OPT_CONTENT].items[i]);
    if (!ok)
        return EXIT_INTERNAL;
    if (in->layouts.n == 0 && in->jobs.n == 0) {
        if (!layouts_in("layouts", &in->layouts) || in->layouts.n == 0) {
            diag_error(d, "layout-none-to-check", diag_at("layouts", 0),
                       "expected a layout to check (layouts/*.ini, or LAYOUT.ini and JOB.ini files named), found none");
            return EXIT_INPUT;
        }
        in->all_layouts = in->nothing_named = true;
    } else if (in->layouts.n > 0) {
        in->all_layouts = every_layout(&in->layouts);
    }
    return EXIT_OK;
}

/* With layouts and no set named: every content/<lang>/ of the first layout's project (the
 * current folder when no layout was named), reference sets left out. */
static int check_find_sets(check_inputs *in, diag *d)
{
    if (in->layouts.n == 0 || in->sets.n > 0)
        return EXIT_OK;
    in->scanned = true;
    bool ok = true;
    char *root = in->nothing_named ? NULL : project_root(in->layouts.items[0]);
    char *dir = in->nothing_named ? strdup("content") : root ? strfmt("%s/content", root) : NULL;
    struct dirent **names = NULL;
    int n = dir ? scandir(dir, &names, only_visible_dirent, alphasort) : -1;
    for (int i = 0; i < n; i++) {
        char *set = strfmt("%s/%s", dir, names[i]->d_name);
        char *ini = set ? strfmt("%s/content.ini", set) : NULL;
        struct stat sb;
        if (ok && ini && stat(ini, &sb) == 0 && !reference_set(ini))
            ok = strings_add(&in->sets, set);
        free(ini);
        free(set);
        free(names[i]);
    }
    free(names);
    free(dir);
    free(root);
    if (!ok)
        return EXIT_INTERNAL;
    if (in->sets.n == 0) {
        diag_error(d, "content-no-set", (diag_loc){ 0 }, "expected a content set (content/<lang>/content.ini or --content), found none");
        return EXIT_INPUT;
    }
    return EXIT_OK;
}

/* Every layout with every content set, as dry-run builds; then the fields no build used. */
static int check_layouts(const cli_options *o, FILE *records, const check_inputs *in, check_tally *tally, int *failed,
                         diag *d)
{
    int worst = EXIT_OK;
    /* a field counts as used when any run used it: layouts read other languages' fields too */
    build_request base = request_of(o);
    base.records = records;
    for (size_t s = 0; s < in->sets.n; s++) {
        /* a set found in content/ that names its layouts ([content] layouts) is checked with
         * those alone; one that goes into none of the layouts checked is read on its own */
        diag *quiet = in->scanned ? diag_new(NULL) : NULL;
        content *probe = quiet ? content_load(in->sets.items[s], quiet) : NULL;
        int built = 0;
        if (probe && in->all_layouts)
            *failed += check_listed_layouts(probe, &in->layouts, d);
        for (size_t k = 0; k < in->layouts.n; k++) {
            build_request rq = base;
            rq.layout = in->layouts.items[k];
            rq.content = in->sets.items[s];
            rq.output = "/dev/null";
            rq.dry_run = true;
            /* a layout made for several sizes ([page] sizes) is checked at each the set takes */
            char *sizes = layout_size_names(rq.layout);
            char *next = sizes;
            bool any = false;
            do {
                rq.size = next;
                char *comma = next ? strchr(next, ',') : NULL;
                if (comma)
                    *comma = '\0';
                next = comma ? comma + 1 : NULL;
                if (probe && !set_goes_into(probe, rq.layout, rq.size))
                    continue;
                any = true;
                char ctx[300];
                snprintf(ctx, sizeof ctx, "size %s", rq.size ? rq.size : "");
                rq.context = rq.size ? ctx : base.context;
                int st = cmd_build(&rq, tally);
                if (st) {
                    (*failed)++;
                    worst = status_worst(worst, st);
                }
            } while (next);
            free(sizes);
            if (any)
                built++;
        }
        if (probe && built == 0) {
            /* read again to report, as a build would: its status and fields */
            content *alone = content_load(in->sets.items[s], d);
            content_free(alone);
        }
        content_free(probe);
        diag_free(quiet);
    }
    if (diag_errors(d) > 0)
        worst = status_worst(worst, EXIT_INPUT);
    for (size_t s = 0; (in->all_layouts || o->given[OPT_UNUSED]) && s < in->sets.n; s++) {
        diag *quiet = diag_new(NULL); /* the set was read (and reported on) by the builds */
        content *c = quiet ? content_load(in->sets.items[s], quiet) : NULL;
        if (c) {
            unused_ctx u = { tally, content_ini_path(c), 0, d };
            content_each_unused(c, report_unused, &u);
            tally->warnings += u.count;
        }
        content_free(c);
        diag_free(quiet);
    }
    return worst;
}

/* The closing line: what was checked, how many with errors, how many warnings. */
static void check_say(const check_inputs *in, int items, int failed, int warnings, bool strict)
{
    char layouts_part[128] = "", jobs_part[128] = "";
    if (in->layouts.n > 0)
        snprintf(layouts_part, sizeof layouts_part, "%zu layout%s x %zu content set%s", in->layouts.n,
                 in->layouts.n == 1 ? "" : "s", in->sets.n, in->sets.n == 1 ? "" : "s");
    if (in->jobs.n > 0)
        snprintf(jobs_part, sizeof jobs_part, "%d item%s of %zu job file%s", items, items == 1 ? "" : "s", in->jobs.n,
                 in->jobs.n == 1 ? "" : "s");
    fprintf(stderr, "handout: checked %s%s%s: %d with errors, %d warning%s%s\n", layouts_part,
            in->layouts.n > 0 && in->jobs.n > 0 ? " and " : "", jobs_part, failed, warnings, warnings == 1 ? "" : "s",
            strict && warnings ? " (errors with --strict)" : "");
}

static int cmd_check(const cli_options *o, FILE *records)
{
    diag *d = diag_new(stderr); /* check's own findings; each build has its own */
    if (!d)
        return EXIT_INTERNAL;
    diag_set_records(d, records);
    check_inputs in = { 0 };
    int st = check_sort_args(o, &in, d);
    if (st == EXIT_OK)
        st = check_find_sets(&in, d);
    check_tally tally = { 0 };
    int worst = st == EXIT_INTERNAL ? EXIT_INTERNAL : EXIT_OK, failed = 0, items = 0;
    bool go = st == EXIT_OK;
    if (go && in.layouts.n > 0)
        worst = status_worst(worst, check_layouts(o, records, &in, &tally, &failed, d));
    if (go && in.jobs.n > 0) {
        /* the plans read fonts and hash inputs as a batch does; the key they make is not used */
        plan_ctx *pc = plan_ctx_new("handout", "", NULL);
        for (size_t k = 0; pc && k < in.jobs.n; k++)
            worst = status_worst(worst, check_job(in.jobs.items[k], o->value[OPT_THEME], pc, &tally, &items, &failed, records));
        if (!pc)
            worst = EXIT_INTERNAL;
        plan_ctx_free(pc);
    }
    bool strict = o->given[OPT_STRICT];
    if (go)
        check_say(&in, items, failed, tally.warnings, strict);
    for (size_t i = 0; i < tally.nused; i++)
        free(tally.used[i]);
    free(tally.used);
    strings_free(&in.layouts);
    strings_free(&in.jobs);
    strings_free(&in.sets);
    diag_free(d);
    if (st == EXIT_INPUT)
        return EXIT_INPUT;
    if (worst)
        return worst;
    return strict && tally.warnings ? EXIT_INPUT : EXIT_OK;
}

/* One build; with a tally (check), its warnings and the fields it used are added to it. */
static int cmd_build(const build_request *o, check_tally *tally)
{
    diag *d = diag_new(stderr);
    if (!d)
        return EXIT_INTERNAL;
    diag_set_context(d, o->context);
    diag_set_records(d, o->records);
    build_spec *s = build_spec_load(o, d);
    int status = s ? build_spec_run(s, d) : EXIT_INTERNAL;
    if (status != 0 && !o->dry_run)
        fprintf(stderr, "handout: no PDF was written\n");
    if (tally)
        tally->warnings += diag_warnings(d);
    if (tally && s && !o->job_item) {
        /* the fields used, for the unused-field report over the layouts checked */
        if (s->set)
            content_each_used(s->set, note_used, tally);
        for (int i = 0; i < s->nlangs; i++)
            if (s->lang_sets[i])
                content_each_used(s->lang_sets[i], note_used, tally);
    }
    build_spec_free(s);
    diag_free(d);
    return status;
}

static int cmd_calibrate(const cli_options *opts)
{
    build_request rq = request_of(opts);
    rq.layout = opts->args.items[0];
    const build_request *o = &rq;
    long long epoch;
    diag *d = diag_new(stderr);
    int st = d ? build_source_date_epoch(&epoch, d) : EXIT_INTERNAL;
    if (st) {
        diag_free(d);
        return st;
    }
    content *c = content_new(".");
    char *root = project_root(o->layout);
    if (!c || !root) {
        diag_free(d);
        content_free(c);
        free(root);
        return EXIT_INTERNAL;
    }
    bool no_theme;
    theme *th = theme_for(root, o->theme, &no_theme, d); /* the layout's {theme.KEY} values */
    content_use_theme(c, th);
    layout *l = th || no_theme ? layout_load(o->layout, c, d) : NULL;
    fonts *f = fonts_new(root);
    sheet *sh = NULL;
    printer_adjust printer;
    bool have_printer = false;
    int status = EXIT_INPUT;
    const char *name = o->sheet ? o->sheet : l ? l->sheet : NULL;
    if (l && !name)
        diag_error(d, "calibrate-no-sheet", diag_at(o->layout, 0), "expected a sheet (the layout's [page] sheet, or --sheet), found none");
    if (l && name) {
        /* as a build finds it: a path on the command line as given; a name, from sheets/ */
        char *sp = project_sheet_path(root, name, o->sheet != NULL);
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
        bool duplex = opts->given[OPT_DUPLEX];
        status = duplex ? calibrate_duplex_write(sh, have_printer ? &printer : NULL, f, out, epoch, d)
                        : calibrate_write(sh, l->page_w, l->page_h, have_printer ? &printer : NULL, f, out,
                                          epoch, d);
        if (status == 0 && duplex) {
            fprintf(stderr, "handout: wrote %s: a duplex alignment sheet (2 pages: print them on one sheet, flip on %s edge)\n",
                    out, sh->duplex == DUPLEX_LONG_EDGE ? "long" : "short");
        } else if (status == 0) {
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
    theme_free(th);
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

/* list --sheets: each sheet of sheets/ with its description, paper and grid, and the size of its
 * cells when it is a stock preset (otherwise the layout's size is the cell). */
static int list_sheets(const char *given_root)
{
    const char *root = given_root ? given_root : ".";
    char path[4096], why[256], more[256];
    struct dirent **names = NULL;
    int found = 0;
    snprintf(path, sizeof path, "%s/sheets", root);
    int n = scandir(path, &names, only_ini, alphasort);
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s%ssheets/%s", given_root ? root : "", given_root ? "/" : "", names[i]->d_name);
        free(names[i]);
        found++;
        const char *skipped = list_unreadable(path, why, sizeof why);
        diag *d = skipped ? NULL : diag_new(NULL);
        sheet *s = d ? sheet_load(path, d) : NULL;
        if (!s) {
            list_line("sheet", path, skipped ? skipped : "(cannot be read: run handout check for details)", "");
            diag_free(d);
            continue;
        }
        if (s->cell_w >= 0)
            snprintf(more, sizeof more, " [paper %.6g x %.6g pt; %d x %d cells of %.6g x %.6g pt%s]", s->page_w, s->page_h,
                     s->columns, s->rows, s->cell_w, s->cell_h, s->shape == SHAPE_ROUND ? ", round" : "");
        else
            snprintf(more, sizeof more, " [paper %.6g x %.6g pt; %d x %d cells the size of the layout]", s->page_w,
                     s->page_h, s->columns, s->rows);
        list_line("sheet", path, s->description, more);
        sheet_free(s);
        diag_free(d);
    }
    free(names);
    if (found == 0) {
        say_error("sheet-none-to-list", root, "expected sheets/*.ini, found none");
        return EXIT_INPUT;
    }
    return 0;
}

/* list --profiles: each posting-law profile of profiles/ with its description, its citation and
 * what it requires (compliance_summary). */
static int list_profiles(const char *given_root)
{
    const char *root = given_root ? given_root : ".";
    char path[4096], why[256], rules[1024], more[1400];
    struct dirent **names = NULL;
    int found = 0;
    snprintf(path, sizeof path, "%s/profiles", root);
    int n = scandir(path, &names, only_ini, alphasort);
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s%sprofiles/%s", given_root ? root : "", given_root ? "/" : "", names[i]->d_name);
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(strlen(names[i]->d_name) - 4), names[i]->d_name);
        free(names[i]);
        found++;
        const char *skipped = list_unreadable(path, why, sizeof why);
        diag *d = skipped ? NULL : diag_new(NULL);
        compliance *c = d ? compliance_load(path, name, NULL, d) : NULL;
        if (!c) {
            list_line("profile", path, skipped ? skipped : "(cannot be read: run handout check on a layout naming it)", "");
            diag_free(d);
            continue;
        }
        compliance_summary(c, rules, sizeof rules);
        char *cite = list_shown(compliance_citation(c)), *req = list_shown(rules);
        snprintf(more, sizeof more, " [%s: %s]", cite ? cite : "?", req ? req : "?");
        free(cite);
        free(req);
        list_line("profile", path, compliance_description(c), more);
        compliance_free(c);
        diag_free(d);
    }
    free(names);
    if (found == 0) {
        say_error("profile-none-to-list", root, "expected profiles/*.ini, found none");
        return EXIT_INPUT;
    }
    return 0;
}

static int cmd_list(const cli_options *o)
{
    const char *given_root = o->value[OPT_ROOT];
    if (o->given[OPT_SHEETS])
        return list_sheets(given_root);
    if (o->given[OPT_PROFILES])
        return list_profiles(given_root);
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
        say_error("layout-none-to-list", root, "expected layouts/*.ini or content/*/content.ini, found none");
        return EXIT_INPUT;
    }
    return 0;
}

/* The command asked for, once its arguments are known to be usable. */
static int run(const cli_options *o)
{
    int st = o->command == CMD_BATCH || o->command == CMD_REPORT || o->command == CMD_SERVE ||
             o->command == CMD_ORDERS
             ? -1 : check_usage(o);
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
                say_error("output-target-refused", rp, "%s", why);
                return EXIT_OUTPUT;
            }
            records = fopen(rp, "w");
            if (!records) {
                say_error("output-write-failed", rp, "expected to write the diagnostics, found an error: %s",
                          strerror(errno));
                return EXIT_OUTPUT;
            }
        }
        build_request rq = request_of(o);
        rq.records = records;
        st = o->command == CMD_BUILD ? cmd_build(&rq, NULL) : cmd_check(o, records);
        if (records && (ferror(records) | fclose(records)) != 0 && st == EXIT_OK) {
            say_error("output-write-failed", rp, "%s", "expected to write the diagnostics, found an error");
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
    case CMD_ORDERS:
        return orders_main(o);
    case CMD_PROOF:
        return proof_main(o);
    default:
        return EXIT_INTERNAL;
    }
}

int main(int argc, char **argv)
{
    atomic_catch_signals();
    cli_options o;
    int status = cli_parse(argc, argv, &o);
    o.self_main = main; /* serve's warm renderer runs a build's main in a copy of the server */
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
            say_error("output-write-failed", NULL, "cannot write to standard output: %s", strerror(errno));
            status = EXIT_OUTPUT;
        }
    }
    return status;
}
