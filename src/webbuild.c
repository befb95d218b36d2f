/* webbuild: see webbuild.h. */
#define _DEFAULT_SOURCE /* readlink, localtime_r */
#include "webbuild.h"
#include "atomic.h"
#include "childproc.h"
#include "diag.h"
#include "job.h"
#include "manifest.h"
#include "plan.h"
#include "preview.h"
#include "readfile.h"
#include "sha256.h"
#include "strfmt.h"
#include "warm.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
    ORDER_MAX_PER_DAY = 999,
    /* the preview's longer side in pixels: a Letter page 696 x 900, which the page shows at
     * about 520 px wide on a wide screen (web/form.css), so a screen of 1.3 device pixels to the
     * CSS pixel still sees it sharp */
    PREVIEW_PIXELS = 900,
    PREVIEW_CACHE_ENTRIES = 256,
};
#define PREVIEW_CACHE_BYTES ((size_t)64 << 20)

struct webbuild {
    const web_catalogue *cat;
    char *root, *orders;
    bool orders_in_project; /* root/orders: the job names its files from the project folder */
    double timeout;
    char exe[4096];
    char exe_sha[SHA256_HEX];
    char *pdftoppm;          /* or NULL */
    warm *warm;              /* the warm renderer, or NULL: builds and drawing the cold way */
    plan_ctx *plan;
    pthread_mutex_t engine;  /* the models (ini, content, layout, fonts) are read one at a time */
    pthread_mutex_t ordering; /* choosing an order's name */
    webbuild_claim claim;     /* or all NULL */
    preview_cache *previews;  /* previews per canonical input */
};

void webbuild_set_claim(webbuild *w, const webbuild_claim *c)
{
    w->claim = *c;
}

static char *find_program(const char *name)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/bin:/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        char *p = strfmt("%.*s/%s", (int)n, path, name);
        if (p && access(p, X_OK) == 0)
            return p;
        free(p);
        path += n;
        if (*path == ':')
            path++;
    }
    return NULL;
}

webbuild *webbuild_new(const web_catalogue *cat, const char *root, const char *orders, double timeout,
                       warm_main_fn entry, char *why, size_t whylen)
{
    webbuild *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    w->cat = cat;
    w->root = strdup(root);
    w->orders = strdup(orders);
    char *in_project = strfmt("%s/orders", root);
    w->orders_in_project = in_project && strcmp(in_project, orders) == 0;
    free(in_project);
    w->timeout = timeout;
    pthread_mutex_init(&w->engine, NULL);
    pthread_mutex_init(&w->ordering, NULL);
    ssize_t n = readlink("/proc/self/exe", w->exe, sizeof w->exe - 1);
    if (n <= 0) {
        snprintf(why, whylen, "cannot find this program's own file (/proc/self/exe)");
        webbuild_free(w);
        return NULL;
    }
    w->exe[n] = '\0';
    if (!sha256_file(w->exe, w->exe_sha, why, whylen)) {
        webbuild_free(w);
        return NULL;
    }
    w->plan = plan_ctx_new(w->exe, w->exe_sha, getenv("SOURCE_DATE_EPOCH"));
    w->pdftoppm = find_program("pdftoppm");
    w->previews = preview_cache_new(PREVIEW_CACHE_ENTRIES, PREVIEW_CACHE_BYTES);
    struct stat sb;
    if (!w->root || !w->orders || !w->plan || !w->previews) {
        snprintf(why, whylen, "out of memory");
    } else if (mkdir(orders, 0777) != 0 && errno != EEXIST) {
        snprintf(why, whylen, "cannot make the orders folder %s: %s", orders, strerror(errno));
    } else if (stat(orders, &sb) != 0 || !S_ISDIR(sb.st_mode) || access(orders, W_OK) != 0) {
        snprintf(why, whylen, "expected a folder this program can write orders to, found %s not writable", orders);
    } else {
        /* the warm renderer, unless switched off (HANDOUT_COLD_PREVIEWS=1: the builds and the
         * drawing the cold way, as before issue 17, for make bench's figure beside it) */
        const char *cold = getenv("HANDOUT_COLD_PREVIEWS");
        if (entry && !(cold && *cold && strcmp(cold, "0") != 0)) {
            char wwhy[512];
            w->warm = warm_start(entry, wwhy, sizeof wwhy);
            if (!w->warm)
                fprintf(stderr, "handout: serve: warning: %s; previews are drawn the cold way\n", wwhy);
        }
        return w;
    }
    webbuild_free(w);
    return NULL;
}

void webbuild_free(webbuild *w)
{
    if (!w)
        return;
    warm_stop(w->warm);
    plan_ctx_free(w->plan);
    preview_cache_free(w->previews);
    pthread_mutex_destroy(&w->engine);
    pthread_mutex_destroy(&w->ordering);
    free(w->pdftoppm);
    free(w->root);
    free(w->orders);
    free(w);
}

bool webbuild_has_preview(const webbuild *w)
{
    return w->pdftoppm != NULL;
}

/* Runs argv as childproc_run does: a preview's build (warm_ok) in the warm renderer when there is
 * one and it takes it, else by starting the program. Downloads and orders, whose builds are
 * larger and rarer, start the program: a program's start is little beside them. */
static bool run_child(webbuild *w, bool warm_ok, char *const argv[], const char *log, childproc_result *cr,
                      char *why, size_t whylen)
{
    if (warm_ok && w->warm && warm_run(w->warm, argv, log, w->timeout, cr, why, whylen))
        return true;
    return childproc_run(argv, log, w->timeout, cr, why, whylen);
}

void webbuild_preview_counts(webbuild *w, unsigned long *hits, unsigned long *misses, int *entries)
{
    preview_cache_counts(w->previews, hits, misses, entries);
}

void webbuild_result_free(webbuild_result *r)
{
    free(r->pdf);
    free(r->png);
    free(r->filename);
    free(r->order_name);
    free(r->order_path);
    memset(r, 0, sizeof *r);
}

/* Writes len bytes to path (created or truncated); durable: flushed to disk before it returns (an
 * order's files), else left to the system (a request's working files). */
static bool write_bytes(const char *path, const void *buf, size_t len, bool durable)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return false;
    const char *p = buf;
    bool ok = true;
    while (ok && len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        if (ok)
            p += n, len -= (size_t)n;
    }
    if (durable)
        ok = fsync(fd) == 0 && ok;
    return close(fd) == 0 && ok;
}

/* Makes the folder a file is to be written in. */
static void mkdir_parent(char *path)
{
    char *slash = strrchr(path, '/');
    if (slash) {
        *slash = '\0';
        atomic_mkdirs(path);
        *slash = '/';
    }
}

/* The date an order carries: SOURCE_DATE_EPOCH's when set (for reproducible tests), else today's. */
static void today(char date[11], char compact[9])
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    time_t t = e && *e ? (time_t)strtoll(e, NULL, 10) : time(NULL);
    struct tm tm;
    if (e && *e)
        gmtime_r(&t, &tm);
    else
        localtime_r(&t, &tm);
    strftime(date, 11, "%Y-%m-%d", &tm);
    strftime(compact, 9, "%Y%m%d", &tm);
}

/* What a build gave: its log read into the form's messages, its pages from its description. */
static bool run_build(webbuild *w, web_form *f, item_plan *ip, const char *dir, const char *job_path, const char *csv,
                      manifest_entry *e, bool warm_ok)
{
    char *log = strfmt("%s/build.log", dir), *dump = strfmt("%s/build.dump", dir);
    char *records = strfmt("%s/build.diag", dir);
    bool ok = false;
    if (log && dump && records) {
        free(ip->args[PLAN_ARG_DUMP]);
        ip->args[PLAN_ARG_DUMP] = strdup(dump);
        free(ip->args[PLAN_ARG_DIAG]);
        ip->args[PLAN_ARG_DIAG] = strdup(records);
        childproc_result cr;
        char why[512];
        if (!run_child(w, warm_ok, ip->args, log, &cr, why, sizeof why)) {
            webform_add(f, WF_GENERAL, true, "the build could not be started: %s", why);
        } else {
            /* the build's messages from its records, placed beside the fields they are about */
            size_t len;
            char *text = readfile(records, (size_t)4 << 20, &len, why, sizeof why);
            webform_take_records(f, text, job_path, csv, f->logo_path);
            free(text);
            if (cr.timed_out)
                webform_add(f, WF_GENERAL, true, "the build took longer than %.0f s and was stopped; ask for fewer items",
                            w->timeout);
            else if (cr.status != 0 && webform_errors(f) == 0)
                webform_add(f, WF_GENERAL, true, "the build failed (exit status %d) without a message", cr.status);
            else if (cr.status == 0 && !manifest_read_dump(e, dump, why, sizeof why))
                webform_add(f, WF_GENERAL, true, "cannot read the build's description: %s", why);
            else
                ok = cr.status == 0;
        }
    }
    free(log);
    free(dump);
    free(records);
    return ok && webform_errors(f) == 0;
}

/* Plans the form's one item as the batch would, for quantity items; the plan's messages go to
 * the form. False when it cannot be built. */
static bool plan_form(webbuild *w, web_form *f, const char *job_path, const char *csv, const char *outdir,
                      item_plan *ip)
{
    char *msgs = NULL, *recs = NULL;
    size_t len = 0, rlen = 0;
    FILE *sink = open_memstream(&msgs, &len);
    FILE *rsink = sink ? open_memstream(&recs, &rlen) : NULL;
    if (!sink || !rsink) {
        if (sink)
            fclose(sink);
        free(msgs);
        return false;
    }
    diag *d = diag_new(sink);
    if (d)
        diag_set_records(d, rsink);
    pthread_mutex_lock(&w->engine);
    job *j = d ? job_load_at(job_path, w->root, d) : NULL;
    bool ok = j && j->nitems == 1 && !j->items[0].error;
    if (ok) {
        plan_item(w->plan, j, &j->items[0], outdir, ip);
        ok = ip->reason == NULL;
    }
    plan_ctx_forget_files(w->plan);
    pthread_mutex_unlock(&w->engine);
    fflush(sink);
    fflush(rsink);
    webform_take_records(f, recs, job_path, csv, f->logo_path);
    if (!ok && ip->records)
        webform_take_records(f, ip->records, job_path, csv, f->logo_path);
    if (!ok && ip->reason && webform_errors(f) == 0)
        webform_add(f, WF_GENERAL, true, "%s", ip->reason);
    if (!ok && webform_errors(f) == 0)
        webform_add(f, WF_GENERAL, true, "the order could not be read back (see the server's log)");
    job_free(j);
    diag_free(d);
    fclose(sink);
    fclose(rsink);
    free(msgs);
    free(recs);
    return ok;
}

/* A preview looked for in the cache before it is built: the key, and what was found. */
typedef struct preview_probe {
    char key[SHA256_HEX];
    bool keyed; /* the key was made */
    bool hit;
    preview_entry got;
    int msgs_from; /* the form's first message from the build (after the plan's) */
} preview_probe;

/* Adds one line of the key, the request's folder in it written as DIR: the same form asked
 * for twice has the same key, though each request builds in its own folder. */
static void key_line(sha256 *s, const char *tag, const char *value, const char *dir)
{
    size_t dl = strlen(dir);
    sha256_update(s, tag, strlen(tag));
    sha256_update(s, "\t", 1);
    for (const char *p = value; *p;) {
        const char *at = strstr(p, dir);
        size_t n = at ? (size_t)(at - p) : strlen(p);
        sha256_update(s, p, n);
        p += n;
        if (at) {
            sha256_update(s, "DIR", 3);
            p += dl;
        }
    }
    sha256_update(s, "\n", 1);
}

/* The preview's key: what the batch's key for the item sums up (the program, the build's
 * arguments, every input file with its digest, the records), the request's folder left out,
 * and the preview's size. */
static void preview_key(const webbuild *w, const item_plan *ip, const char *dir, char key[SHA256_HEX])
{
    sha256 s;
    sha256_init(&s);
    char line[160];
    snprintf(line, sizeof line, "handout-preview-key\t1\nbinary\t%s\npixels\t%d\n", w->exe_sha, PREVIEW_PIXELS);
    sha256_update(&s, line, strlen(line));
    for (int k = 1; k < ip->nargs; k++)
        if (k != PLAN_ARG_OUT && k != PLAN_ARG_DUMP && k != PLAN_ARG_DIAG)
            key_line(&s, "arg", ip->args[k], dir);
    if (ip->csv_text) {
        sha256_update(&s, "records\n", 8);
        sha256_update(&s, ip->csv_text, ip->csv_len);
    }
    for (size_t k = 0; k < ip->e.ninputs; k++) {
        key_line(&s, "input", ip->e.inputs[k].path, dir);
        key_line(&s, "sha", ip->e.inputs[k].sha, dir);
    }
    sha256_hex(&s, key);
}

/* The build for quantity items (print_shop: exactly that many, one per page). With probe (a
 * preview), the cache is asked first: on a hit nothing is built, out holds the unit's pages,
 * size and sides, and *pdf stays NULL. */
static bool build(webbuild *w, web_form *f, const char *dir, const char *sub, long quantity, manifest_entry *out,
                  char **pdf, int *per_sheet, preview_probe *probe)
{
    char date[11], compact[9];
    today(date, compact);
    char *job_path = strfmt("%s/%s.ini", dir, sub);
    char *csv = f->product->partner ? strfmt("%s/%s-partner.csv", dir, sub) : NULL;
    char *outdir = strfmt("%s/%s", dir, sub);
    char *job_text = webform_job_text(f, sub, job_path, date, quantity, csv, f->logo_path);
    char *csv_text = csv ? webform_partner_csv(f, "web") : NULL;
    bool ok = job_path && outdir && job_text && (!f->product->partner || (csv && csv_text));
    if (job_path && !job_text && webform_errors(f) == 0)
        webform_add(f, WF_GENERAL, true, "the request's job file cannot hold its values as an INI file reads them "
                                         "back (a value with both \" and ', or a line end)");
    if (ok && csv && !write_bytes(csv, csv_text, strlen(csv_text), false))
        ok = false;
    if (ok && !write_bytes(job_path, job_text, strlen(job_text), false))
        ok = false;
    if (!ok && webform_errors(f) == 0)
        webform_add(f, WF_GENERAL, true, "cannot write the request's files in %s: %s", dir, strerror(errno));
    item_plan ip;
    memset(&ip, 0, sizeof ip);
    ok = ok && plan_form(w, f, job_path, csv, outdir, &ip);
    if (ok) {
        mkdir_parent(ip.out_pdf);
        /* the records the batch would write beside its output */
        if (ip.csv_text) {
            mkdir_parent(ip.csv_path);
            ok = write_bytes(ip.csv_path, ip.csv_text, ip.csv_len, false);
        }
    }
    if (ok && probe) {
        preview_key(w, &ip, dir, probe->key);
        probe->keyed = true;
        probe->msgs_from = f->nmsgs;
        probe->hit = preview_cache_get(w->previews, probe->key, &probe->got);
        if (probe->hit) {
            out->pages = probe->got.pages;
            out->page_w = probe->got.page_w;
            out->page_h = probe->got.page_h;
            out->two_sided = probe->got.two_sided;
            *per_sheet = probe->got.per_sheet;
            for (int i = 0; i < probe->got.nmsgs; i++)
                webform_add(f, (web_field)probe->got.msgs[i].field, probe->got.msgs[i].error, "%s",
                            probe->got.msgs[i].text);
        }
    }
    if (ok && !(probe && probe->hit)) {
        out->two_sided = ip.e.two_sided;
        *per_sheet = ip.e.per_sheet;
        ok = run_build(w, f, &ip, dir, job_path, csv, out, probe != NULL);
        if (ok)
            *pdf = strdup(ip.out_pdf);
    }
    item_plan_free(&ip);
    free(job_path);
    free(csv);
    free(outdir);
    free(job_text);
    free(csv_text);
    return ok;
}

/* The first page as PNG; when it cannot be made, a warning says so (the PDF itself is fine). */
static void render_preview(webbuild *w, web_form *f, const char *dir, const char *pdf, char **png)
{
    if (!w->pdftoppm)
        return;
    /* pdftoppm draws the pixels (PPM), and the PNG is written here at zlib's fastest level: its
     * own PNG writer, at zlib's default level, took twice as long as the drawing. Drawn in this
     * process with poppler's cairo renderer (libpoppler-glib) instead, the page took as much CPU
     * as pdftoppm's start and drawing together (18 ms against 17 ms, issue 17), and linking
     * poppler-glib made every start of this program 10 ms slower: pdftoppm stays. */
    char *stem = strfmt("%s/preview", dir), *log = strfmt("%s/preview.log", dir);
    char *ppm = strfmt("%s/preview.ppm", dir), *out = strfmt("%s/preview.png", dir);
    char pixels[16];
    snprintf(pixels, sizeof pixels, "%d", PREVIEW_PIXELS);
    char *argv[] = { w->pdftoppm, "-f", "1", "-l", "1", "-singlefile", "-scale-to", pixels, (char *)pdf, stem, NULL };
    childproc_result cr;
    char why[512];
    bool ok = stem && log && ppm && out && childproc_run(argv, log, w->timeout, &cr, why, sizeof why) && cr.status == 0;
    if (ok && preview_png_from_ppm(ppm, out, why, sizeof why)) {
        *png = out;
        out = NULL;
    } else {
        webform_add(f, WF_GENERAL, false, "the preview image could not be made (pdftoppm failed); the PDF is fine");
    }
    if (ppm)
        unlink(ppm);
    free(stem);
    free(log);
    free(ppm);
    free(out);
}

/* Links tmp (already on disk: write_bytes durable) to path only when path does not exist yet;
 * false (errno EEXIST) when it does. tmp is removed either way. */
static bool publish(const char *tmp, const char *path)
{
    bool ok = link(tmp, path) == 0;
    int saved = errno;
    unlink(tmp);
    errno = saved;
    return ok;
}

/* Writes the order's files: the partner's data and logo, then the job file last, so that a job
 * file in the folder always names files that are there. */
static bool write_order(webbuild *w, web_form *f, long quantity, webbuild_result *r)
{
    char date[11], compact[9];
    today(date, compact);
    char why[512] = "";
    bool ok = false;
    pthread_mutex_lock(&w->ordering);
    for (int n = 1; n <= ORDER_MAX_PER_DAY && !ok; n++) {
        char *name = strfmt("order-%s-%03d", compact, n);
        char *job_file = strfmt("%s/%s.ini", w->orders, name);
        struct stat sb;
        if (!name || !job_file || stat(job_file, &sb) == 0) {
            free(name);
            free(job_file);
            continue;
        }
        bool claimed_elsewhere = false;
        if (w->claim.claim && !w->claim.claim(w->claim.ctx, name, &claimed_elsewhere, why, sizeof why)) {
            free(name);
            free(job_file);
            if (claimed_elsewhere) {
                *why = '\0';
                continue;
            }
            break;
        }
        const char *ext = f->logo_path && strrchr(f->logo_path, '.') ? strrchr(f->logo_path, '.') : ".png";
        char *csv = f->product->partner ? strfmt("%s/%s-partner.csv", w->orders, name) : NULL;
        char *logo = f->logo_path ? strfmt("%s/%s-logo%s", w->orders, name, ext) : NULL;
        /* as the job names them: from the project folder (the data) and from the content set
         * (the logo), when the orders folder is the project's own */
        char *csv_ref = !csv ? NULL : w->orders_in_project ? strfmt("orders/%s-partner.csv", name) : strdup(csv);
        char *logo_ref = !logo ? NULL : w->orders_in_project ? strfmt("../../orders/%s-logo%s", name, ext) : strdup(logo);
        char *tmp = strfmt("%s/.%s.tmp", w->orders, name);
        char *code = strfmt("web-%s-%03d", compact, n);
        char *csv_text = csv ? webform_partner_csv(f, code) : NULL;
        char *shown = w->orders_in_project ? strfmt("orders/%s.ini", name) : strdup(job_file);
        char *job_text = shown ? webform_job_text(f, name, shown, date, quantity, csv_ref, logo_ref) : NULL;
        bool refused = shown && !job_text;
        free(shown);
        bool made_csv = false, made_logo = false;
        if (refused)
            snprintf(why, sizeof why, "a value the job file cannot hold as an INI file reads it back (a path with "
                                      "both \" and ', or a line end)");
        ok = tmp && job_text && (!csv || (csv_text && csv_ref)) && (!logo || logo_ref);
        if (ok && csv) {
            ok = write_bytes(tmp, csv_text, strlen(csv_text), true) && publish(tmp, csv);
            made_csv = ok;
        }
        if (ok && logo) {
            size_t len;
            char *bytes = readfile(f->logo_path, WEB_MAX_LOGO + 1, &len, why, sizeof why);
            ok = bytes && write_bytes(tmp, bytes, len, true) && publish(tmp, logo);
            made_logo = ok;
            free(bytes);
        }
        if (ok)
            ok = write_bytes(tmp, job_text, strlen(job_text), true) && publish(tmp, job_file);
        /* a file of this order's name is there (one left behind, or another server's): the next number */
        bool taken = !ok && !*why && errno == EEXIST;
        if (!ok) {
            if (!*why && !taken)
                snprintf(why, sizeof why, "%s", strerror(errno));
            if (made_csv)
                unlink(csv);
            if (made_logo)
                unlink(logo);
            if (tmp)
                unlink(tmp);
            if (w->claim.release)
                w->claim.release(w->claim.ctx, name);
        } else {
            r->order_name = strdup(name);
            r->order_path = strdup(job_file);
        }
        free(name);
        free(job_file);
        free(csv);
        free(logo);
        free(csv_ref);
        free(logo_ref);
        free(tmp);
        free(code);
        free(csv_text);
        free(job_text);
        if (!ok && !taken)
            break;
    }
    pthread_mutex_unlock(&w->ordering);
    if (!ok)
        webform_add(f, WF_GENERAL, true, "the order could not be written to %s: %s", w->orders,
                    *why ? why : "no free order number today");
    return ok;
}

bool webbuild_run(webbuild *w, web_form *f, webbuild_mode mode, const char *dir, webbuild_result *r)
{
    memset(r, 0, sizeof *r);
    /* one unit first: a single item, or one sheet's worth (the plan rounds up) */
    manifest_entry unit;
    memset(&unit, 0, sizeof unit);
    int per_sheet = 0;
    char *unit_pdf = NULL;
    preview_probe probe;
    memset(&probe, 0, sizeof probe);
    if (!build(w, f, dir, "unit", 1, &unit, &unit_pdf, &per_sheet, mode == WB_PREVIEW ? &probe : NULL)) {
        manifest_entry_free(&unit);
        free(unit_pdf);
        preview_entry_free(&probe.got);
        return false;
    }
    long q = f->quantity;
    long units = per_sheet > 0 ? (q + per_sheet - 1) / per_sheet : q;
    r->per_sheet = per_sheet;
    r->items = per_sheet > 0 ? units * per_sheet : q;
    r->pages = units * unit.pages;
    r->two_sided = unit.two_sided;
    r->sheets = r->two_sided ? (r->pages + 1) / 2 : r->pages;
    manifest_paper_name(unit.page_w, unit.page_h, r->paper, sizeof r->paper);
    bool ok = true;
    if (mode == WB_PREVIEW && probe.hit) {
        char *png = strfmt("%s/preview.png", dir);
        if (png && write_bytes(png, probe.got.png, probe.got.png_len, false)) {
            r->png = png;
            r->from_cache = true;
        } else {
            free(png);
            webform_add(f, WF_GENERAL, false, "the preview image could not be made (%s); the PDF is fine", strerror(errno));
        }
    } else if (mode == WB_PREVIEW) {
        r->pdf = unit_pdf;
        unit_pdf = NULL;
        render_preview(w, f, dir, r->pdf, &r->png);
        /* kept for the next request of the same form: only a clean image, with what the build
         * and the drawing said beside it */
        size_t len = 0;
        char why[256];
        unsigned char *bytes = probe.keyed && r->png && webform_errors(f) == 0
                                   ? (unsigned char *)readfile(r->png, (size_t)32 << 20, &len, why, sizeof why)
                                   : NULL;
        if (bytes) {
            int n = f->nmsgs - probe.msgs_from;
            preview_msg *msgs = n > 0 ? calloc((size_t)n, sizeof *msgs) : NULL;
            if (n <= 0 || msgs) {
                for (int i = 0; i < n; i++)
                    msgs[i] = (preview_msg){ (int)f->msgs[probe.msgs_from + i].field, f->msgs[probe.msgs_from + i].error,
                                             f->msgs[probe.msgs_from + i].text };
                preview_entry e = { .png = bytes, .png_len = len, .pages = unit.pages, .page_w = unit.page_w,
                                    .page_h = unit.page_h, .two_sided = unit.two_sided, .per_sheet = per_sheet,
                                    .msgs = msgs, .nmsgs = n > 0 ? n : 0 };
                preview_cache_put(w->previews, probe.key, &e);
            }
            free(msgs);
            free(bytes);
        }
    } else if (mode == WB_DOWNLOAD) {
        if (r->pages > WEB_MAX_DOWNLOAD_PAGES) {
            webform_add(f, WF_QUANTITY, true,
                        "Quantity: expected at most %d pages in a download, found %ld for %ld items; order them instead, "
                        "or ask for fewer", WEB_MAX_DOWNLOAD_PAGES, r->pages, q);
            ok = false;
        } else if (units == 1) {
            r->pdf = unit_pdf;
            unit_pdf = NULL;
        } else {
            manifest_entry all;
            memset(&all, 0, sizeof all);
            ok = build(w, f, dir, "all", q, &all, &r->pdf, &per_sheet, NULL);
            if (ok)
                r->pages = all.pages, r->sheets = all.sheets;
            manifest_entry_free(&all);
        }
        r->filename = strfmt("%s-%s%s.pdf", f->product->layout, f->language->code, f->print_shop ? "-print-shop" : "");
    } else {
        ok = write_order(w, f, q, r);
    }
    manifest_entry_free(&unit);
    free(unit_pdf);
    preview_entry_free(&probe.got);
    return ok && webform_errors(f) == 0;
}

void webbuild_entries_free(manifest_entry *e, int n)
{
    for (int k = 0; e && k < n; k++)
        manifest_entry_free(&e[k]);
    free(e);
}

int webbuild_job_items(webbuild *w, const char *job_file)
{
    FILE *sink = fopen("/dev/null", "w");
    diag *d = sink ? diag_new(sink) : NULL;
    int n = 0;
    if (d) {
        pthread_mutex_lock(&w->engine);
        job *j = job_load_at(job_file, w->root, d);
        pthread_mutex_unlock(&w->engine);
        n = j ? j->nitems : 0;
        job_free(j);
        diag_free(d);
    }
    if (sink)
        fclose(sink);
    return n;
}

int webbuild_batch_done(const char *outdir, double since)
{
    DIR *top = opendir(outdir);
    int n = 0;
    for (struct dirent *j; top && (j = readdir(top)) != NULL;) {
        if (j->d_name[0] == '.')
            continue;
        char *hd = strfmt("%s/%s/.handout", outdir, j->d_name);
        DIR *stamps = hd ? opendir(hd) : NULL;
        for (struct dirent *e; stamps && (e = readdir(stamps)) != NULL;) {
            size_t len = strlen(e->d_name);
            if (e->d_name[0] == '.' || len < 7 || strcmp(e->d_name + len - 6, ".stamp") != 0)
                continue;
            struct stat sb;
            char *path = strfmt("%s/%s", hd, e->d_name);
            if (path && stat(path, &sb) == 0 &&
                (double)sb.st_mtim.tv_sec + sb.st_mtim.tv_nsec / 1e9 >= since)
                n++;
            free(path);
        }
        if (stamps)
            closedir(stamps);
        free(hd);
    }
    if (top)
        closedir(top);
    return n;
}

/* Reads the stamps of outdir/SUB/.handout/ into *out. */
static bool read_stamps(const char *outdir, manifest_entry **out, int *n, char *why, size_t whylen)
{
    DIR *top = opendir(outdir);
    if (!top) {
        snprintf(why, whylen, "the batch made no folder %s: %s", outdir, strerror(errno));
        return false;
    }
    bool ok = true;
    for (struct dirent *j; ok && (j = readdir(top)) != NULL;) {
        if (j->d_name[0] == '.')
            continue;
        char *hd = strfmt("%s/%s/.handout", outdir, j->d_name);
        DIR *stamps = hd ? opendir(hd) : NULL;
        for (struct dirent *e; stamps && ok && (e = readdir(stamps)) != NULL;) {
            size_t len = strlen(e->d_name);
            if (e->d_name[0] == '.' || len < 7 || strcmp(e->d_name + len - 6, ".stamp") != 0)
                continue;
            manifest_entry *grown = realloc(*out, (size_t)(*n + 1) * sizeof *grown);
            char *path = strfmt("%s/%s", hd, e->d_name);
            if (!grown || !path) {
                if (grown)
                    *out = grown;
                free(path);
                snprintf(why, whylen, "out of memory");
                ok = false;
                break;
            }
            *out = grown;
            manifest_entry *m = &grown[*n];
            memset(m, 0, sizeof *m);
            if (!manifest_stamp_read(m, path)) {
                snprintf(why, whylen, "cannot read the batch's record %s", path);
                manifest_entry_free(m);
                ok = false;
            } else {
                /* named from the build's folder: JOB/ITEM */
                char *named = strfmt("%s/%.*s", j->d_name, (int)(len - 6), e->d_name);
                free(m->name);
                m->name = named;
                ok = named != NULL;
                (*n)++;
            }
            free(path);
        }
        if (stamps)
            closedir(stamps);
        free(hd);
    }
    closedir(top);
    if (ok && *n == 0) {
        snprintf(why, whylen, "the batch recorded no item in %s", outdir);
        ok = false;
    }
    return ok;
}

bool webbuild_batch(webbuild *w, const char *job_file, const char *outdir, const char *log, manifest_entry **out,
                    int *n, char *why, size_t whylen)
{
    *out = NULL;
    *n = 0;
    atomic_mkdirs(outdir);
    char *argv[] = { w->exe, "batch", (char *)job_file, "-o", (char *)outdir, "-q", NULL };
    childproc_result cr;
    if (!childproc_run(argv, log, w->timeout, &cr, why, whylen))
        return false;
    if (cr.timed_out) {
        snprintf(why, whylen, "the batch took longer than %.0f s and was stopped", w->timeout);
        return false;
    }
    if (cr.status != 0) {
        snprintf(why, whylen, "the batch failed (exit status %d; its messages are in %s)", cr.status, log);
        return false;
    }
    if (!read_stamps(outdir, out, n, why, whylen)) {
        webbuild_entries_free(*out, *n);
        *out = NULL;
        *n = 0;
        return false;
    }
    return true;
}
