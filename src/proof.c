/* proof: the proof sheet (proof.h). Owns the list of products to show, their builds and
 * thumbnails in a work folder of its own, the sheet's generated layout and data file, and the PNG
 * pages. It includes no library: builds and rasterising are child processes (childproc.h). */
#include "proof.h"
#include "childproc.h"
#include "diag.h"
#include "strfmt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define COLS 6              /* thumbnails across a page */
#define ROWS 2              /* and down */
#define PER_PAGE (COLS * ROWS)
#define MAX_SHOWN 6         /* findings written out under a thumbnail; the rest are counted */
#define FINDING_CHARS 150   /* bytes of a finding's text shown, at most */
#define BUILD_SECONDS 600.0 /* the most one product's build may take */

/* A 1 x 1 white PNG: the picture of a cell left empty on the last page (the data file needs a
 * file in every record). */
static const unsigned char BLANK_PNG[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
    0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00,
    0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xff, 0xff, 0x3f, 0x00, 0x05, 0xfe, 0x02, 0xfe, 0x0d,
    0xef, 0x46, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82
};

/* One product: a line of the list, and what its build left. */
typedef struct product {
    char *layout, *content, *name, *size;
    char *findings; /* the text under its thumbnail */
    bool built;     /* a PDF was written */
    bool thumb;     /* and its first page rasterised */
    int errors, warnings;
} product;

typedef struct proof {
    char work[256]; /* the work folder */
    char exe[4096]; /* this program */
    char *pdftoppm; /* its path, or NULL when it is not installed */
    product *p;
    size_t n, cap;
} proof;

static void say(const char *id, const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void say(const char *id, const char *file, int line, const char *fmt, ...)
{
    diag *d = diag_new(stderr);
    va_list ap;
    va_start(ap, fmt);
    if (d)
        diag_verror(d, id, diag_at(file, line), fmt, ap);
    va_end(ap);
    diag_free(d);
}

/* The path of an executable found in PATH, or NULL. */
static char *find_in_path(const char *name)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        size_t len = strcspn(path, ":");
        char *full = strfmt("%.*s/%s", (int)len, len ? path : ".", name);
        if (full && access(full, X_OK) == 0)
            return full;
        free(full);
        path += len + (path[len] == ':');
    }
    return NULL;
}

/* A file of the work folder, as a new string. */
static char *work_file(const proof *pf, const char *name)
{
    return strfmt("%s/%s", pf->work, name);
}

/* Product i's file of the work folder with this ending ("" for none), as a new string. */
static char *work_item(const proof *pf, size_t i, const char *ending)
{
    return strfmt("%s/p%zu%s", pf->work, i, ending);
}

/* Reads the list: LAYOUT CONTENT_DIR NAME [SIZE] a line; blank lines and # comments skipped. */
static bool read_pairs(proof *pf, FILE *f, const char *from)
{
    char line[4096];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *w[5] = { 0 };
        int k = 0;
        for (char *t = strtok(line, " \t\r\n"); t && k < 5; t = strtok(NULL, " \t\r\n"))
            w[k++] = t;
        if (k == 0 || w[0][0] == '#')
            continue;
        if (k < 3 || k > 4) {
            say("proof-bad-list", from, lineno, "expected LAYOUT CONTENT_DIR NAME [SIZE] (as make run-pairs prints), found %d word%s",
                k, k == 1 ? "" : "s");
            return false;
        }
        if (pf->n == pf->cap) {
            size_t cap = pf->cap ? pf->cap * 2 : 64;
            product *np = realloc(pf->p, cap * sizeof *np);
            if (!np)
                return false;
            pf->p = np;
            pf->cap = cap;
        }
        product *p = &pf->p[pf->n++];
        memset(p, 0, sizeof *p);
        p->layout = strdup(w[0]);
        p->content = strdup(w[1]);
        p->name = strdup(w[2]);
        p->size = k == 4 ? strdup(w[3]) : NULL;
        if (!p->layout || !p->content || !p->name || (k == 4 && !p->size))
            return false;
    }
    return true;
}

/* The list from tools/run-pairs.sh, run from the project folder (the current one). */
static bool pairs_from_script(proof *pf)
{
    const char *script = "tools/run-pairs.sh";
    if (access(script, R_OK) != 0) {
        say("proof-no-list", script, 0,
            "expected the list of products: a file of LAYOUT CONTENT_DIR NAME [SIZE] lines (or - for standard input), "
            "or tools/run-pairs.sh in the project folder, found neither");
        return false;
    }
    char *log = work_file(pf, "pairs.txt");
    char *argv[] = { "/bin/sh", (char *)script, NULL };
    childproc_result res;
    char why[256];
    bool ok = log && childproc_run(argv, log, 60, &res, why, sizeof why) && res.status == 0;
    FILE *f = ok ? fopen(log, "r") : NULL;
    if (!ok || !f)
        say("proof-no-list", script, 0, "expected the list of products from it, found %s", ok ? strerror(errno) : "it failed");
    ok = f && read_pairs(pf, f, script);
    if (f)
        fclose(f);
    if (log)
        unlink(log);
    free(log);
    return ok;
}

/* Appends s to the growing string *buf (length *len). */
static bool append(char **buf, size_t *len, const char *s)
{
    size_t add = strlen(s);
    char *nb = realloc(*buf, *len + add + 1);
    if (!nb)
        return false;
    memcpy(nb + *len, s, add + 1);
    *buf = nb;
    *len += add;
    return true;
}

/* The findings of one build, from its records file: a count, then each (level, id, place, text),
 * the first MAX_SHOWN written out. */
static void read_findings(product *p, const char *rec_path, int status)
{
    char *list = NULL;
    size_t len = 0;
    int shown = 0;
    FILE *f = fopen(rec_path, "r");
    char line[8192];
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        diag_record r;
        if (!diag_record_parse(line, &r))
            continue;
        bool err = strcmp(r.level, "error") == 0;
        p->errors += err;
        p->warnings += !err;
        if (shown++ >= MAX_SHOWN)
            continue;
        char place[256] = "";
        if (r.section && *r.section)
            snprintf(place, sizeof place, "[%s]%s%s: ", r.section, r.key && *r.key ? " " : "", r.key ? r.key : "");
        char text[FINDING_CHARS + 8];
        size_t tl = strlen(r.text);
        if (tl > FINDING_CHARS) { /* cut at a character's start */
            size_t cut = FINDING_CHARS;
            while (cut > 0 && ((unsigned char)r.text[cut] & 0xC0) == 0x80)
                cut--;
            snprintf(text, sizeof text, "%.*s...", (int)cut, r.text);
        } else {
            snprintf(text, sizeof text, "%s", r.text);
        }
        char *one = strfmt("\\n%s %s: %s%s", r.level, r.id, place, text);
        if (one)
            append(&list, &len, one);
        free(one);
    }
    if (f)
        fclose(f);
    char *head;
    if (!p->built)
        head = strfmt("NOT BUILT (exit %d): %d error%s, %d warning%s", status, p->errors, p->errors == 1 ? "" : "s",
                      p->warnings, p->warnings == 1 ? "" : "s");
    else if (p->errors + p->warnings == 0)
        head = strfmt("no findings");
    else
        head = strfmt("%d error%s, %d warning%s", p->errors, p->errors == 1 ? "" : "s", p->warnings,
                      p->warnings == 1 ? "" : "s");
    char *more = shown > MAX_SHOWN ? strfmt("\\n... and %d more", shown - MAX_SHOWN) : NULL;
    p->findings = strfmt("%s%s%s", head ? head : "", list ? list : "", more ? more : "");
    free(head);
    free(more);
    free(list);
}

/* Builds one product into the work folder, keeps its records, rasterises its first page. */
static void build_one(proof *pf, size_t i)
{
    product *p = &pf->p[i];
    char *pdf = work_item(pf, i, ".pdf"), *rec = work_item(pf, i, ".rec"), *log = work_item(pf, i, ".log");
    char *png = work_item(pf, i, "");
    int status = -1;
    if (pdf && rec && log && png) {
        char *argv[12];
        int k = 0;
        argv[k++] = pf->exe;
        argv[k++] = "build";
        argv[k++] = p->layout;
        argv[k++] = p->content;
        if (p->size) {
            argv[k++] = "--size";
            argv[k++] = p->size;
        }
        argv[k++] = "-o";
        argv[k++] = pdf;
        argv[k++] = "--diagnostics";
        argv[k++] = rec;
        argv[k] = NULL;
        childproc_result res;
        char why[256];
        if (childproc_run(argv, log, BUILD_SECONDS, &res, why, sizeof why))
            status = res.status;
        struct stat sb;
        p->built = status == 0 && stat(pdf, &sb) == 0;
        if (p->built && pf->pdftoppm) {
            /* the longer side 360 pixels: about 120 dpi in the sheet's cells */
            char *rargv[] = { pf->pdftoppm, "-png", "-f", "1", "-l", "1", "-scale-to", "360", "-singlefile", pdf, png, NULL };
            p->thumb = childproc_run(rargv, log, 120, &res, why, sizeof why) && res.status == 0;
        }
        read_findings(p, rec, status);
        unlink(pdf);
        unlink(rec);
        unlink(log);
    }
    free(pdf);
    free(rec);
    free(log);
    free(png);
}

/* A CSV field: quoted, quotes doubled. */
static void csv_field(FILE *f, const char *s, bool last)
{
    fputc('"', f);
    for (; s && *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
    fputc(last ? '\n' : ',', f);
}

/* The sheet's layout: tabloid across, a heading, then COLS x ROWS cells of a thumbnail, its label
 * and its findings. Every value comes from the data file. */
static bool write_layout(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    fprintf(f, "; the proof sheet's layout, written by handout proof\n[page]\nsize = 17in x 11in\nmargin = 0.3in\n"
               "title = Proof sheet\naudience = public\n\n"
               "[heading]\ntype = text\nx = 0.3in\ny = 0.3in\nwidth = 16.4in\nheight = 0.35in\ntext = {heading}\n"
               "font = Liberation Sans:bold\nsize = 14pt\nmin_size = 8pt\nfit = shrink\n\n");
    double cw = 16.4 / COLS, top = 0.75, ch = (11 - 0.3 - top) / ROWS;
    for (int k = 0; k < PER_PAGE; k++) {
        double x = 0.3 + (k % COLS) * cw, y = top + (k / COLS) * ch, w = cw - 0.15;
        fprintf(f,
                "[frame%d]\ntype = box\nx = %.3fin\ny = %.3fin\nwidth = %.3fin\nheight = 2.5in\nstroke = \"#b0b8c4\"\n"
                "stroke_width = 0.5pt\n\n",
                k, x, y, w);
        fprintf(f,
                "[thumb%d]\ntype = image\nx = %.3fin\ny = %.3fin\nwidth = %.3fin\nheight = 2.4in\nfile = {thumb%d}\n"
                "alt = {label%d}\n\n",
                k, x + 0.05, y + 0.05, w - 0.1, k, k);
        fprintf(f,
                "[label%d]\ntype = text\nx = %.3fin\ny = %.3fin\nwidth = %.3fin\nheight = 0.42in\ntext = {label%d}\n"
                "font = Liberation Sans:bold\nsize = 7.5pt\nmin_size = 4pt\nfit = shrink\nline_height = 1.15\n\n",
                k, x, y + 2.55, w, k);
        fprintf(f,
                "[findings%d]\ntype = text\nx = %.3fin\ny = %.3fin\nwidth = %.3fin\nheight = %.3fin\ntext = {findings%d}\n"
                "size = 6pt\nmin_size = 4pt\nfit = shrink\nline_height = 1.1\nalign = left\nhyphenate = no\nbalance = no\n\n",
                k, x, y + 2.97, w, ch - 3.05, k);
    }
    return (ferror(f) | fclose(f)) == 0;
}

/* The data file: one record a page. */
static bool write_data(const proof *pf, const char *path, const char *blank, size_t pages, int with_errors, int warned)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    fputs("heading", f);
    for (int k = 0; k < PER_PAGE; k++)
        fprintf(f, ",thumb%d,label%d,findings%d", k, k, k);
    fputc('\n', f);
    for (size_t pg = 0; pg < pages; pg++) {
        size_t first = pg * PER_PAGE, last = first + PER_PAGE < pf->n ? first + PER_PAGE : pf->n;
        char *heading = strfmt("Proof sheet, page %zu of %zu: products %zu to %zu of %zu (every layout with every "
                               "content set it is built with); %d with errors, %d with warnings",
                               pg + 1, pages, first + 1, last, pf->n, with_errors, warned);
        csv_field(f, heading, false);
        free(heading);
        for (int k = 0; k < PER_PAGE; k++) {
            size_t i = first + (size_t)k;
            bool lastf = k == PER_PAGE - 1;
            if (i >= pf->n) { /* an empty cell: a white pixel, and spaces */
                csv_field(f, blank, false);
                csv_field(f, " ", false);
                csv_field(f, " ", lastf);
                continue;
            }
            const product *p = &pf->p[i];
            char *thumb = p->thumb ? work_item(pf, i, ".png") : NULL;
            char *label = strfmt("%s\\n%s + %s%s%s", p->name, p->layout, p->content, p->size ? " at " : "",
                                 p->size ? p->size : "");
            csv_field(f, thumb ? thumb : blank, false);
            csv_field(f, label, false);
            csv_field(f, p->findings, lastf);
            free(thumb);
            free(label);
        }
    }
    return (ferror(f) | fclose(f)) == 0;
}

static bool write_bytes(const char *path, const unsigned char *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    fwrite(b, 1, n, f);
    return (ferror(f) | fclose(f)) == 0;
}

/* Removes what the work folder holds (the files this module names) and the folder. */
static void clean_work(const proof *pf)
{
    for (size_t i = 0; i < pf->n; i++) {
        char *png = work_item(pf, i, ".png");
        if (png)
            unlink(png);
        free(png);
    }
    static const char *const FILES[] = { "blank.png", "proof.ini", "proof.csv", "proof.log", "proof.rec",
                                         "content/content.ini", "pairs.txt", NULL };
    for (int k = 0; FILES[k]; k++) {
        char *f = work_file(pf, FILES[k]);
        if (f)
            unlink(f);
        free(f);
    }
    char *c = work_file(pf, "content");
    if (c)
        rmdir(c);
    free(c);
    rmdir(pf->work);
}

/* The sheet's PNG pages beside it: OUT.pdf -> OUT-1.png ... (pdftoppm numbers them). */
static int png_pages(const proof *pf, const char *out, const char *log)
{
    size_t len = strlen(out);
    char *prefix = len > 4 && strcmp(out + len - 4, ".pdf") == 0 ? strfmt("%.*s", (int)(len - 4), out) : strfmt("%s", out);
    char *argv[] = { pf->pdftoppm, "-png", "-r", "100", (char *)out, prefix, NULL };
    childproc_result res;
    char why[256];
    bool ok = prefix && childproc_run(argv, log, 600, &res, why, sizeof why) && res.status == 0;
    if (ok)
        fprintf(stderr, "handout: proof: wrote its pages as PNG, %s-N.png (100 dpi)\n", prefix);
    else
        say("proof-png-failed", out, 0, "expected PNG pages from pdftoppm, found it failed (%s)", prefix ? why : "out of memory");
    free(prefix);
    return ok ? 0 : 1;
}

static void free_proof(proof *pf)
{
    for (size_t i = 0; i < pf->n; i++) {
        free(pf->p[i].layout);
        free(pf->p[i].content);
        free(pf->p[i].name);
        free(pf->p[i].size);
        free(pf->p[i].findings);
    }
    free(pf->p);
    free(pf->pdftoppm);
}

int proof_main(const cli_options *o)
{
    if (o->args.n > 1)
        return cli_usage_fail(CMD_PROOF, "usage-unexpected-argument", "expected at most one list of products, found %zu arguments",
                              o->args.n);
    const char *out = o->value[OPT_OUTPUT] ? o->value[OPT_OUTPUT] : "output/proof.pdf";
    proof pf = { 0 };
    ssize_t n = readlink("/proc/self/exe", pf.exe, sizeof pf.exe - 1);
    if (n <= 0) {
        say("internal-own-file", NULL, 0, "proof: cannot find this program's own file (/proc/self/exe)");
        return EXIT_INTERNAL;
    }
    pf.exe[n] = '\0';
    const char *tmp = getenv("TMPDIR");
    snprintf(pf.work, sizeof pf.work, "%s/handout-proof.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(pf.work)) {
        say("output-write-failed", pf.work, 0, "expected a work folder, found an error: %s", strerror(errno));
        return EXIT_OUTPUT;
    }
    pf.pdftoppm = find_in_path("pdftoppm");
    int status = EXIT_OK;
    bool ok;
    if (o->args.n == 1 && strcmp(o->args.items[0], "-") == 0) {
        ok = read_pairs(&pf, stdin, "standard input");
    } else if (o->args.n == 1) {
        FILE *f = fopen(o->args.items[0], "r");
        if (!f)
            say("proof-no-list", o->args.items[0], 0, "expected a list of products to read, found %s", strerror(errno));
        ok = f && read_pairs(&pf, f, o->args.items[0]);
        if (f)
            fclose(f);
    } else {
        ok = pairs_from_script(&pf);
    }
    if (ok && pf.n == 0) {
        say("proof-no-list", o->args.n ? o->args.items[0] : NULL, 0, "expected at least one product in the list, found none");
        ok = false;
    }
    if (!ok) {
        clean_work(&pf);
        free_proof(&pf);
        return EXIT_INPUT;
    }
    if (!pf.pdftoppm)
        fprintf(stderr, "handout: proof: pdftoppm (poppler-utils) is not installed: the sheet shows labels and findings "
                        "without thumbnails, and no PNG pages are written\n");
    int with_errors = 0, warned = 0;
    for (size_t i = 0; i < pf.n; i++) {
        build_one(&pf, i);
        with_errors += pf.p[i].errors > 0 || !pf.p[i].built;
        warned += pf.p[i].warnings > 0;
    }
    size_t pages = (pf.n + PER_PAGE - 1) / PER_PAGE;
    char *ini = work_file(&pf, "proof.ini"), *csv = work_file(&pf, "proof.csv"), *log = work_file(&pf, "proof.log");
    char *blank = work_file(&pf, "blank.png"), *cdir = work_file(&pf, "content");
    char *cini = work_file(&pf, "content/content.ini"), *rec = work_file(&pf, "proof.rec");
    ok = ini && csv && log && blank && cdir && cini && rec && write_bytes(blank, BLANK_PNG, sizeof BLANK_PNG) &&
         write_layout(ini) && write_data(&pf, csv, blank, pages, with_errors, warned) && mkdir(cdir, 0700) == 0;
    FILE *cf = ok ? fopen(cini, "w") : NULL;
    ok = cf && fputs("[content]\nlanguage = en\ndescription = the proof sheet's own words\n", cf) >= 0;
    if (cf && (ferror(cf) | fclose(cf)) != 0)
        ok = false;
    if (!ok) {
        say("output-write-failed", pf.work, 0, "expected to write the proof sheet's layout and data, found an error: %s", strerror(errno));
        status = EXIT_OUTPUT;
    } else {
        char *argv[] = { pf.exe, "build", ini, cdir, "--data", csv, "-o", (char *)out, "--diagnostics", rec, NULL };
        childproc_result res;
        char why[256];
        if (!childproc_run(argv, log, BUILD_SECONDS, &res, why, sizeof why) || res.status != 0) {
            FILE *lf = fopen(log, "r");
            char line[2048];
            while (lf && fgets(line, sizeof line, lf))
                fputs(line, stderr);
            if (lf)
                fclose(lf);
            say("output-write-failed", out, 0, "expected the proof sheet written, found its build failed");
            status = EXIT_OUTPUT;
        } else {
            fprintf(stderr, "handout: proof: wrote %s (%zu page%s): %zu products, %d with errors, %d with warnings\n", out,
                    pages, pages == 1 ? "" : "s", pf.n, with_errors, warned);
            if (pf.pdftoppm && png_pages(&pf, out, log) != 0)
                status = EXIT_OUTPUT;
            else if (with_errors)
                status = EXIT_INPUT;
        }
    }
    free(ini);
    free(csv);
    free(log);
    free(blank);
    free(cdir);
    free(cini);
    free(rec);
    clean_work(&pf);
    free_proof(&pf);
    return status;
}
