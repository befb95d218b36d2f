/* main: the command line. Parses once into an options struct, runs one command, and turns the
 * outcome into an exit status (documented in handout.1):
 *   0 success, 1 invalid input, 2 usage error, 3 output not written, 4 internal failure. */
#define _DEFAULT_SOURCE /* scandir, alphasort */
#include "content.h"
#include "data.h"
#include "batch.h"
#include "atomic.h"
#include "calibrate.h"
#include "compliance.h"
#include "diag.h"
#include "fonts.h"
#include "impose.h"
#include "job.h"
#include "numbers.h"
#include "ini.h"
#include "layout.h"
#include "plan.h"
#include "render.h"
#include "serve.h"
#include "units.h"

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

enum { EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_OUTPUT = 3, EXIT_INTERNAL = 4 };

typedef struct options {
    const char *command;
    const char *layout;
    const char *content;
    const char *output;
    const char *dump;
    const char *root;
    const char *sheet;   /* --sheet FILE|NAME|none */
    const char *data;    /* --data FILE.csv */
    const char *printer; /* --printer FILE */
    const char *count;   /* --count N */
    const char *jobs;    /* -j N, --jobs N */
    const char *max_pages; /* --max-pages N */
    const char *tile;    /* --tile PAPER */
    const char *overlap; /* --overlap LENGTH */
    bool print_shop;
    bool no_marks;
    bool strict;         /* check: warnings count as errors */
    bool dry_run;        /* check: build everything, write nothing */
    int warnings;        /* check: warnings seen */
    char **used;         /* check: fields used, across layouts */
    int nused, capused;
    const char **sets;
    int nsets;
    const char *extra[256]; /* check: layouts and job files after the first two */
    int nextra;
    const char *context; /* check: "jobs/x.ini:12: [posters]", put before an item's messages */
    bool job_item;       /* check: a job's item: set_ fields replace data columns (as in a batch),
                          * and the count stops at the data file's records */
} options;

static void usage(FILE *to)
{
    fputs("usage: handout build LAYOUT.ini CONTENT_DIR [-o OUT.pdf] [--set key=value]... [--dump FILE]\n"
          "       handout check LAYOUT.ini|JOB.ini... [--content DIR] [--strict] [--set key=value]... [--data FILE.csv]\n"
          "       handout calibrate LAYOUT.ini [--sheet FILE] [--printer FILE] [-o OUT.pdf]\n"
          "       handout list [--root DIR]\n"
          "       handout batch JOB.ini... [-j N] [--shard K/N] [--quiet|--verbose] [-o OUTDIR]\n"
          "       handout report DIST.csv [-o OUT.pdf]\n"
          "       handout serve [--port N] [--listen ADDRESS --token TOKEN] [--orders DIR] (handout serve --help)\n"
          "       handout --help | --version\n"
          "\n"
          "Commands:\n"
          "  build   make a print-ready PDF from a layout and a content set\n"
          "  check   preflight: every check of a build, for every content set, writing nothing;\n"
          "          for a job file, every item as the batch would build it\n"
          "  calibrate  a calibration sheet for the layout's sheet, to measure a printer's drift\n"
          "  list    list the layouts and content sets, with their descriptions\n"
          "  batch   build every item of event and order jobs, with reports and manifests (docs/batch.md)\n"
          "  report  a distribution report from a CSV log of what was handed out\n"
          "  serve   a local web page to pick, preview, download and order materials (docs/web.md)\n"
          "\n"
          "Options for build:\n"
          "  -o, --output FILE   the PDF to write (default output/LAYOUT-CONTENT.pdf)\n"
          "  --set KEY=VALUE     set or override a content field (repeatable)\n"
          "  --dump FILE         write a text description of the page ('-' for stdout)\n"
          "  --count N           how many items (default: one, or a full sheet)\n"
          "  --data FILE.csv     one item per record; {column} placeholders read it\n"
          "  --sheet FILE|none   impose items on a sheet (default: the layout's sheet)\n"
          "  --print-shop        one item per page, trim plus bleed, with TrimBox and BleedBox\n"
          "  --no-marks          no crop marks (pre-perforated stock)\n"
          "  --printer FILE      a printer's measured offset and scale (printers/*.ini)\n"
          "  --tile PAPER        split a large item over sheets of PAPER (letter, a4, \"W x H\")\n"
          "  --overlap LENGTH    how much tiles overlap (default 0.5in)\n"
          "  --max-pages N       pages per file; more make OUT-001.pdf, OUT-002.pdf... (500)\n"
          "  -j, --jobs N        build that many files at once (with --max-pages)\n"
          "Options for check:\n"
          "  --content DIR       check the layouts with this content set only (default: all)\n"
          "  --strict            warnings count as errors\n"
          "  (--set, --data, --sheet and --count apply to the layouts; a job's items use the job's)\n"
          "Options for list:\n"
          "  --root DIR          the folder holding layouts/ and content/ (default .)\n"
          "\n"
          "Exit status: 0 success, 1 invalid input, 2 usage error, 3 output not written,\n"
          "4 internal failure. See handout(1) and docs/formats.md.\n",
          to);
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "handout: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n", stderr);
    usage(stderr);
    return EXIT_USAGE;
}

/* Takes an option's value: "--opt value" or "--opt=value". */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (*i + 1 < argc)
        return argv[++*i];
    return NULL;
}

static bool is_option(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || (arg[n] == '=' && name[1] == '-'));
}

/* Returns -1 when parsing succeeded, else the exit status to use. */
static int parse_args(int argc, char **argv, options *o)
{
    o->sets = calloc((size_t)argc, sizeof *o->sets);
    if (!o->sets)
        return EXIT_INTERNAL;
    const char *positional[3];
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
            printf("handout %s\n", HANDOUT_VERSION);
            return 0;
        }
        const char **slot = NULL;
        const char *name = NULL;
        if (is_option(a, "-o") || is_option(a, "--output"))
            slot = &o->output, name = a[1] == 'o' ? "-o" : "--output";
        else if (is_option(a, "--dump"))
            slot = &o->dump, name = "--dump";
        else if (is_option(a, "--root"))
            slot = &o->root, name = "--root";
        else if (is_option(a, "--sheet"))
            slot = &o->sheet, name = "--sheet";
        else if (is_option(a, "--data"))
            slot = &o->data, name = "--data";
        else if (is_option(a, "--printer"))
            slot = &o->printer, name = "--printer";
        else if (is_option(a, "--count"))
            slot = &o->count, name = "--count";
        else if (is_option(a, "--jobs") || is_option(a, "-j"))
            slot = &o->jobs, name = a[1] == 'j' ? "-j" : "--jobs";
        else if (is_option(a, "--max-pages"))
            slot = &o->max_pages, name = "--max-pages";
        else if (is_option(a, "--tile"))
            slot = &o->tile, name = "--tile";
        else if (is_option(a, "--overlap"))
            slot = &o->overlap, name = "--overlap";
        if (strcmp(a, "--print-shop") == 0) {
            o->print_shop = true;
            continue;
        }
        if (strcmp(a, "--no-marks") == 0) {
            o->no_marks = true;
            continue;
        }
        if (strcmp(a, "--strict") == 0) {
            o->strict = true;
            continue;
        }
        if (is_option(a, "--content")) {
            const char *v = option_value(argc, argv, &i, "--content");
            if (!v || !*v)
                return usage_error("option %s needs a value", "--content");
            o->content = v;
            continue;
        }
        if (slot) {
            const char *v = option_value(argc, argv, &i, name);
            if (!v || !*v)
                return usage_error("option %s needs a value", name);
            *slot = v;
            continue;
        }
        if (is_option(a, "--set")) {
            const char *v = option_value(argc, argv, &i, "--set");
            const char *eq = v ? strchr(v, '=') : NULL;
            if (!eq || eq == v)
                return usage_error("--set: expected key=value, found \"%s\"", v ? v : "");
            for (const char *k = v; k < eq; k++)
                if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_'))
                    return usage_error("--set: expected a field name of a-z, 0-9 and '_', found \"%.*s\"",
                                       (int)(eq - v), v);
            o->sets[o->nsets++] = v;
            continue;
        }
        if (a[0] == '-' && a[1] != '\0')
            return usage_error("unknown option %s", a);
        if (npos == 3 && !(positional[0] && strcmp(positional[0], "check") == 0))
            return usage_error("unexpected argument %s", a);
        if (npos >= 3 && o->nextra == 248) /* two files are in positional */
            return usage_error("%s", "check takes at most 250 layouts and job files at once");
        if (npos < 3)
            positional[npos] = a;
        else
            o->extra[o->nextra++] = a;
        npos++;
    }
    if (npos == 0)
        return usage_error("%s", "a command is needed: build, check, calibrate, list, batch or report");
    o->command = positional[0];
    if (strcmp(o->command, "build") == 0 && (o->strict || (o->content && npos != 3)))
        return usage_error("%s", "--strict and --content are for check");
    if (strcmp(o->command, "build") == 0) {
        if (npos != 3)
            return usage_error("%s", "build needs a layout file and a content folder");
        if (o->root)
            return usage_error("option %s is for list", "--root");
        if (o->print_shop && o->sheet && strcmp(o->sheet, "none") != 0)
            return usage_error("%s", "--print-shop and --sheet exclude each other");
        if (o->tile && (o->print_shop || (o->sheet && strcmp(o->sheet, "none") != 0)))
            return usage_error("%s", "--tile excludes --print-shop and --sheet");
        if (o->overlap && !o->tile)
            return usage_error("%s", "--overlap goes with --tile");
        static const struct {
            const char *name;
            long max;
        } NUMS[] = { { "--count", 1000000 }, { "--jobs", 64 }, { "--max-pages", 100000 } };
        const char *vals[3] = { o->count, o->jobs, o->max_pages };
        for (int k = 0; k < 3; k++) {
            if (!vals[k])
                continue;
            long n = 0;
            const char *p = vals[k];
            for (; *p >= '0' && *p <= '9' && n < 100000000; p++)
                n = n * 10 + (*p - '0');
            if (p == vals[k] || *p || n < 1 || n > NUMS[k].max)
                return usage_error("%s: expected a whole number from 1 to %ld, found \"%s\"",
                                   NUMS[k].name, NUMS[k].max, vals[k]);
        }
        o->layout = positional[1];
        o->content = positional[2];
    } else if (strcmp(o->command, "check") == 0) {
        if (npos < 2)
            return usage_error("%s", "check needs one or more layout or job files");
        if (o->output || o->dump || o->print_shop || o->jobs || o->max_pages || o->tile || o->root)
            return usage_error("%s", "check writes nothing: it takes --content, --set, --data, --sheet, --count and --strict");
        o->layout = positional[1];
        if (npos >= 3) {
            memmove(o->extra + 1, o->extra, (size_t)o->nextra * sizeof o->extra[0]);
            o->extra[0] = positional[2];
            o->nextra++;
        }
    } else if (strcmp(o->command, "calibrate") == 0) {
        if (npos != 2)
            return usage_error("%s", "calibrate needs a layout file");
        if (o->dump || o->nsets || o->data || o->count || o->jobs || o->max_pages || o->print_shop ||
            o->no_marks || o->root)
            return usage_error("%s", "calibrate takes only --sheet, --printer and -o");
        o->layout = positional[1];
    } else if (strcmp(o->command, "list") == 0) {
        if (npos != 1)
            return usage_error("%s", "list takes no arguments");
        if (o->output || o->dump || o->nsets || o->sheet || o->data || o->printer || o->count || o->jobs || o->max_pages || o->tile || o->overlap ||
            o->print_shop || o->no_marks)
            return usage_error("%s", "list takes only --root");
    } else {
        return usage_error("unknown command %s (expected build, check, calibrate, list, batch or report)", o->command);
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
    options *o = ctx;
    for (int i = 0; i < o->nused; i++)
        if (strcmp(o->used[i], key) == 0)
            return;
    if (o->nused == o->capused) {
        int cap = o->capused ? o->capused * 2 : 64;
        char **nu = realloc(o->used, (size_t)cap * sizeof *nu);
        if (!nu)
            return;
        o->used = nu;
        o->capused = cap;
    }
    o->used[o->nused] = strdup(key);
    if (o->used[o->nused])
        o->nused++;
}

static int cmd_build(const options *o);

typedef struct unused_ctx {
    const options *o;
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
    for (int i = 0; i < u->o->nused; i++)
        if (strcmp(u->o->used[i], key) == 0)
            return;
    fprintf(stderr, "handout: warning: %s:%d: [content] %s: expected every field to be used by a layout "
            "checked, found none using it; remove it, or check the layout that needs it too\n",
            u->path, line, key);
    u->count++;
}

/* The worse of two exit statuses: the lower non-zero one (1 input is worse news than 4). */
static int worse(int a, int b)
{
    return !a || (b && b < a) ? b : a;
}

/* handout check JOB.ini: every item of the job built as `handout batch` would build it (its
 * plan: layout, content set, set_ fields, data file, quantity rounded up to full sheets), to the
 * end but not written, each message headed by the job file and the item. A problem of the job
 * file itself is reported by job_load, in the job file's own place. Counts the items checked and
 * those with errors; returns the worst status. */
static int check_job(options *o, const char *path, plan_ctx *pc, int *checked, int *failed)
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
    int worst = 0;
    for (int i = 0; i < j->nitems; i++) {
        const job_item *it = &j->items[i];
        (*checked)++;
        if (it->error) {
            /* already reported by job_load, with the job file, the item and the key */
            (*failed)++;
            worst = worse(worst, EXIT_INPUT);
            continue;
        }
        item_plan ip = { 0 };
        plan_item(pc, j, it, "output", &ip);
        char context[1024], count[32];
        snprintf(context, sizeof context, "%s:%d: [%s]", j->path, it->line, it->section);
        snprintf(count, sizeof count, "%ld", ip.e.items > 0 ? ip.e.items : it->quantity);
        options io = { 0 };
        io.command = "check";
        io.strict = o->strict;
        io.dry_run = true;
        io.output = "/dev/null";
        io.layout = it->layout;
        io.content = it->content;
        io.data = it->data;
        io.count = count;
        io.sets = (const char **)it->sets;
        io.nsets = it->nsets;
        io.context = context;
        io.job_item = true;
        int st = cmd_build(&io);
        o->warnings += io.warnings;
        if (st == 0 && ip.reason) {
            /* a limit of a batch item that a build alone does not know (plan.h) */
            diag_loc loc = { j->path, it->line, it->section, "quantity" };
            diag_error(d, loc, "%s", ip.reason);
            st = ip.status ? ip.status : EXIT_INPUT;
        }
        if (st) {
            (*failed)++;
            worst = worse(worst, st);
        }
        item_plan_free(&ip);
    }
    job_free(j);
    diag_free(d);
    return worst;
}

/* handout check: every layout with every content set (or --content), built to the end but
 * not written; then the fields no layout used; and every item of every job file named. Errors
 * make the status 1; with --strict, so do warnings. */
static int cmd_check(options *o)
{
    const char *layouts[260], *jobs[260];
    int nl = 0, nj = 0;
    const char *args[260];
    int nargs = 0;
    args[nargs++] = o->layout;
    for (int i = 0; i < o->nextra; i++)
        args[nargs++] = o->extra[i];
    for (int i = 0; i < nargs; i++) {
        if (job_is_job_file(args[i]))
            jobs[nj++] = args[i];
        else
            layouts[nl++] = args[i];
    }
    int worst = 0, checked = 0, failed = 0, ns = 0;
    if (nl > 0) {
        /* the content sets: --content, else every content/<lang>/ of the first layout's project */
        char *root = project_root(layouts[0]);
        static char sets[64][4400];
        if (o->content) {
            snprintf(sets[ns++], sizeof sets[0], "%s", o->content);
        } else if (root) {
            char dir[4096];
            snprintf(dir, sizeof dir, "%s/content", root);
            struct dirent **names = NULL;
            int n = scandir(dir, &names, only_visible_dirent, alphasort);
            for (int i = 0; i < n; i++) {
                char ini[4400];
                struct stat sb;
                snprintf(ini, sizeof ini, "%s/%s/content.ini", dir, names[i]->d_name);
                if (ns < 64 && stat(ini, &sb) == 0 && !reference_set(ini))
                    snprintf(sets[ns++], sizeof sets[0], "%s/%s", dir, names[i]->d_name);
                free(names[i]);
            }
            free(names);
        }
        free(root);
        if (ns == 0) {
            fprintf(stderr, "handout: error: expected a content set (content/<lang>/content.ini or --content), found none\n");
            return EXIT_INPUT;
        }
        /* a field counts as used when any run used it: layouts read other languages' fields too */
        for (int s = 0; s < ns; s++) {
            for (int k = 0; k < nl; k++) {
                o->layout = layouts[k];
                o->content = sets[s];
                o->output = "/dev/null";
                o->dry_run = true;
                int st = cmd_build(o);
                checked++;
                if (st) {
                    failed++;
                    worst = worse(worst, st);
                }
            }
        }
        for (int s = 0; s < ns; s++) {
            diag *d = diag_new(NULL);
            content *c = d ? content_load(sets[s], d) : NULL;
            if (c) {
                unused_ctx u = { o, content_ini_path(c), 0 };
                content_each_unused(c, report_unused, &u);
                o->warnings += u.count;
            }
            content_free(c);
            diag_free(d);
        }
        for (int i = 0; i < o->nused; i++)
            free(o->used[i]);
        free(o->used);
        o->used = NULL;
    }
    int items = 0;
    if (nj > 0) {
        /* the plans read fonts and hash inputs as a batch does; the key they make is not used */
        plan_ctx *pc = plan_ctx_new("handout", "", NULL);
        if (!pc)
            return EXIT_INTERNAL;
        for (int k = 0; k < nj; k++)
            worst = worse(worst, check_job(o, jobs[k], pc, &items, &failed));
        plan_ctx_free(pc);
    }
    char layouts_part[128] = "", jobs_part[128] = "";
    if (nl > 0)
        snprintf(layouts_part, sizeof layouts_part, "%d layout%s x %d content set%s", nl, nl == 1 ? "" : "s", ns,
                 ns == 1 ? "" : "s");
    if (nj > 0)
        snprintf(jobs_part, sizeof jobs_part, "%d item%s of %d job file%s", items, items == 1 ? "" : "s", nj,
                 nj == 1 ? "" : "s");
    fprintf(stderr, "handout: checked %s%s%s: %d with errors, %d warning%s%s\n", layouts_part,
            nl > 0 && nj > 0 ? " and " : "", jobs_part, failed, o->warnings, o->warnings == 1 ? "" : "s",
            o->strict && o->warnings ? " (errors with --strict)" : "");
    if (worst)
        return worst;
    return o->strict && o->warnings ? EXIT_INPUT : 0;
}

static int cmd_build(const options *o)
{
    long long epoch;
    int st = source_date_epoch(&epoch);
    if (st)
        return st;
    struct stat sb;
    const char *ctx = o->context ? o->context : "", *sep = o->context ? ": " : "";
    if (stat(o->layout, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fprintf(stderr, "handout: error: %s%s%s: expected a layout file, found %s\n", ctx, sep, o->layout,
                stat(o->layout, &sb) != 0 ? strerror(errno) : "a folder");
        return EXIT_INPUT;
    }
    diag *d = diag_new(stderr);
    if (!d)
        return EXIT_INTERNAL;
    diag_set_context(d, o->context);
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
    int nlangs = 0, caplangs = 0;
    if (l && root && l->compliance) {
        prof = compliance_load(root, l->compliance, l, d);
        ro.check = compliance_check;
        ro.check_ctx = prof;
    }
    if (l && c && l->languages) {
        /* one page per language: content/<lang>/ beside the content set given */
        char *base = strdup(o->content);
        size_t bl = base ? strlen(base) : 0;
        while (bl > 1 && base[bl - 1] == '/')
            base[--bl] = '\0';
        char *slash = base ? strrchr(base, '/') : NULL;
        const char *p = l->languages;
        while (base && *p) {
            while (*p == ' ' || *p == ',')
                p++;
            size_t n = strcspn(p, ", ");
            if (n == 0)
                break;
            char dir[4096];
            snprintf(dir, sizeof dir, "%.*s%s%.*s", slash ? (int)(slash - base) : 0, base, slash ? "/" : "",
                     (int)n, p);
            content *lc = content_load(dir, d);
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
            p += n;
        }
        free(base);
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
        if (o->output) {
            output = strdup(o->output);
        } else {
            /* the default folder is made when missing; a folder named with -o is not */
            struct stat osb;
            if (!o->dry_run && stat("output", &osb) != 0 && mkdir("output", 0777) != 0)
                fprintf(stderr, "handout: error: output: cannot make the folder: %s\n", strerror(errno));
            char *lb = base_name(o->layout, ".ini"), *cb = base_name(o->content, NULL);
            size_t n = (lb ? strlen(lb) : 0) + (cb ? strlen(cb) : 0) + 16;
            output = lb && cb ? malloc(n) : NULL;
            if (output)
                snprintf(output, n, "output/%s-%s.pdf", lb, cb);
            free(lb);
            free(cb);
        }
        long count = parse_count(o->count);
        if (data) {
            long rows = (long)data_rows(data);
            if (count > rows && o->job_item) {
                count = rows; /* a batch repeats the records: each is checked once */
            } else if (count > rows) {
                fprintf(stderr, "handout: error: --count: expected at most the %ld records of %s, found %ld\n",
                        rows, data_path(data), count);
                count = -1;
            } else if (count == 0) {
                count = rows;
            }
        } else if (count == 0) {
            count = ro.mode == OUTPUT_SHEET ? sheet_per_page(sh) : 1;
        }
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
        status = count < 0 ? EXIT_USAGE : output ? render_build(l, c, f, &ro, d) : EXIT_INTERNAL;
        if (status == 0 && !o->dry_run) {
            double w = ro.mode == OUTPUT_SHEET ? sh->page_w : ro.mode == OUTPUT_TILES ? ro.tile_w : l->page_w + (ro.mode == OUTPUT_PRINT_SHOP ? 2 * l->bleed : 0);
            double h = ro.mode == OUTPUT_SHEET ? sh->page_h : ro.mode == OUTPUT_TILES ? ro.tile_h : l->page_h + (ro.mode == OUTPUT_PRINT_SHOP ? 2 * l->bleed : 0);
            if (parts > 1)
                fprintf(stderr, "handout: wrote %ld files like %s, numbered -001 to -%03ld (%d pages in all, %.6g x %.6g pt)\n",
                        parts, output, parts, pages, w, h);
            else
                fprintf(stderr, "handout: wrote %s (%d page%s, %.6g x %.6g pt)\n", output, pages,
                        pages == 1 ? "" : "s", w, h);
            if (ro.mode == OUTPUT_SHEET) {
                int per = sheet_per_page(sh);
                fprintf(stderr, "handout: %ld item%s on %ld sheet%s, %d per sheet%s\n", count,
                        count == 1 ? "" : "s", (count + per - 1) / per,
                        (count + per - 1) / per == 1 ? "" : "s", per,
                        !l->two_sided ? "" : sh->duplex == DUPLEX_SHORT_EDGE ? " (fronts and backs, short-edge duplex)" : " (fronts and backs, long-edge duplex)");
            }
        }
    } else if (!f && l) {
        fprintf(stderr, "handout: error: %s%sfontconfig could not be initialised\n", ctx, sep);
        status = EXIT_INTERNAL;
    }
    if (status != 0 && !o->dry_run)
        fprintf(stderr, "handout: no PDF was written\n");
    if (o->dry_run) {
        ((options *)o)->warnings += diag_warnings(d);
    }
    if (o->dry_run && !o->job_item) {
        /* the fields used, for the unused-field report over the layouts checked */
        if (c)
            content_each_used(c, note_used, (void *)o);
        for (int i = 0; i < nlangs; i++)
            content_each_used(langs[i], note_used, (void *)o);
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

static int cmd_calibrate(const options *o)
{
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

static int only_ini(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return e->d_name[0] != '.' && n > 4 && strcmp(e->d_name + n - 4, ".ini") == 0;
}



static int cmd_list(const options *o)
{
    const char *root = o->root ? o->root : ".";
    char path[4096];
    struct dirent **names = NULL;
    int found = 0;
    snprintf(path, sizeof path, "%s/layouts", root);
    int n = scandir(path, &names, only_ini, alphasort);
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s%slayouts/%s", o->root ? root : "", o->root ? "/" : "",
                 names[i]->d_name);
        char *desc = layout_description(path);
        printf("layout   %-32s %s\n", path, desc ? desc : "(cannot be read: run handout build for details)");
        free(desc);
        free(names[i]);
        found++;
    }
    free(names);
    names = NULL;
    snprintf(path, sizeof path, "%s/content", root);
    n = scandir(path, &names, only_visible_dirent, alphasort);
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s%scontent/%s/content.ini", o->root ? root : "",
                 o->root ? "/" : "", names[i]->d_name);
        struct stat sb;
        if (stat(path, &sb) == 0) {
            diag *d = diag_new(NULL);
            ini_file *f = d ? ini_load(path, d) : NULL;
            const char *desc = f ? ini_get(f, "content", "description") : NULL;
            const char *scope = f ? ini_get(f, "content", "scope") : NULL;
            path[strlen(path) - strlen("/content.ini")] = '\0';
            printf("content  %-32s %s%s\n", path, f ? (desc ? desc : "") : "(cannot be read: run handout build for details)",
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

int main(int argc, char **argv)
{
    atomic_catch_signals();
    if (argc > 1 && strcmp(argv[1], "batch") == 0) return batch_main(argc, argv);
    if (argc > 1 && strcmp(argv[1], "report") == 0) return report_main(argc, argv);
    if (argc > 1 && strcmp(argv[1], "serve") == 0) return serve_main(argc, argv);
    options o = { 0 };
    int status = parse_args(argc, argv, &o);
    if (status < 0)
        status = strcmp(o.command, "build") == 0       ? cmd_build(&o)
                 : strcmp(o.command, "check") == 0     ? cmd_check(&o)
                 : strcmp(o.command, "calibrate") == 0 ? cmd_calibrate(&o)
                                                       : cmd_list(&o);
    free(o.sets);
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        if (status == 0) {
            fprintf(stderr, "handout: error: cannot write to standard output: %s\n", strerror(errno));
            status = EXIT_OUTPUT;
        }
    }
    return status;
}
