/* webproof: see webproof.h. */
#define _DEFAULT_SOURCE /* realpath, scandir, alphasort */
#include "webproof.h"
#include "atomic.h"
#include "childproc.h"
#include "sha256.h"
#include "strfmt.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { WEBPROOF_MAX_DEPTH = 12, WEBPROOF_MAX_PAGES = 500 };

/* The folders of the project whose files are the sheet's inputs, and the list of its products. */
static const char *const INPUT_DIRS[] = { "layouts", "content", "themes", "data", "profiles", "sheets", "printers", "fonts" };
static const char PAIRS_SCRIPT[] = "tools/run-pairs.sh";

struct webproof {
    char *root, *exe, *cache;
    double timeout;
    pthread_mutex_t lock;
    /* the sheet in the cache (under lock): its inputs' fingerprint, its folder, its files */
    char fp[SHA256_HEX];
    char *dir, *pdf;
    char **png;
    int pages;
};

webproof *webproof_new(const char *root, const char *exe, const char *cache, double timeout, char *why,
                       size_t whylen)
{
    if (mkdir(cache, 0700) != 0 && errno != EEXIST) {
        snprintf(why, whylen, "cannot make the proof sheet's folder %s: %s", cache, strerror(errno));
        return NULL;
    }
    webproof *p = calloc(1, sizeof *p);
    char abs[PATH_MAX];
    if (!p || !realpath(cache, abs)) {
        snprintf(why, whylen, "%s", p ? strerror(errno) : "out of memory");
        free(p);
        return NULL;
    }
    p->root = strdup(root);
    p->exe = strdup(exe);
    p->cache = strdup(abs);
    p->timeout = timeout;
    if (!p->root || !p->exe || !p->cache || pthread_mutex_init(&p->lock, NULL) != 0) {
        free(p->root);
        free(p->exe);
        free(p->cache);
        free(p);
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    return p;
}

/* Forgets the sheet held (its files stay; see atomic_remove_tree). */
static void forget(webproof *p)
{
    for (int k = 0; k < p->pages; k++)
        free(p->png[k]);
    free(p->png);
    free(p->pdf);
    free(p->dir);
    p->png = NULL;
    p->pdf = p->dir = NULL;
    p->pages = 0;
    p->fp[0] = '\0';
}

void webproof_free(webproof *p)
{
    if (!p)
        return;
    atomic_remove_tree(p->dir);
    forget(p);
    pthread_mutex_destroy(&p->lock);
    free(p->root);
    free(p->exe);
    free(p->cache);
    free(p);
}

/* Adds the files under path (named rel from the project) to the fingerprint, in name order:
 * each one's name, size and modification time. */
static void walk(sha256 *h, const char *path, const char *rel, int depth)
{
    struct dirent **names = NULL;
    int n = depth < WEBPROOF_MAX_DEPTH ? scandir(path, &names, NULL, alphasort) : -1;
    for (int k = 0; k < n; k++) {
        const char *nm = names[k]->d_name;
        char *sub = strcmp(nm, ".") && strcmp(nm, "..") ? strfmt("%s/%s", path, nm) : NULL;
        char *subrel = sub ? strfmt("%s/%s", rel, nm) : NULL;
        struct stat sb;
        if (sub && subrel && lstat(sub, &sb) == 0) {
            if (S_ISDIR(sb.st_mode)) {
                walk(h, sub, subrel, depth + 1);
            } else if (S_ISREG(sb.st_mode) || S_ISLNK(sb.st_mode)) {
                char line[96];
                int len = snprintf(line, sizeof line, "\t%lld\t%lld.%09ld\n", (long long)sb.st_size,
                                   (long long)sb.st_mtim.tv_sec, (long)sb.st_mtim.tv_nsec);
                sha256_update(h, subrel, strlen(subrel));
                sha256_update(h, line, (size_t)len);
            }
        }
        free(sub);
        free(subrel);
        free(names[k]);
    }
    free(names);
}

/* The fingerprint of the sheet's inputs now. */
static bool fingerprint(const webproof *p, char out[SHA256_HEX], char *why, size_t whylen)
{
    char exe_sha[SHA256_HEX];
    if (!sha256_file(p->exe, exe_sha, why, whylen))
        return false;
    sha256 h;
    sha256_init(&h);
    sha256_update(&h, "handout-proof-inputs\t1\n", strlen("handout-proof-inputs\t1\n"));
    sha256_update(&h, exe_sha, strlen(exe_sha));
    for (size_t k = 0; k < sizeof INPUT_DIRS / sizeof INPUT_DIRS[0]; k++) {
        char *dir = strfmt("%s/%s", p->root, INPUT_DIRS[k]);
        if (!dir) {
            snprintf(why, whylen, "out of memory");
            return false;
        }
        walk(&h, dir, INPUT_DIRS[k], 0);
        free(dir);
    }
    char *pairs = strfmt("%s/%s", p->root, PAIRS_SCRIPT);
    char pairs_sha[SHA256_HEX] = "none", ignored[8];
    if (pairs)
        sha256_file(pairs, pairs_sha, ignored, sizeof ignored);
    free(pairs);
    sha256_update(&h, pairs_sha, strlen(pairs_sha));
    sha256_hex(&h, out);
    return true;
}

/* The PNG pages pdftoppm wrote beside DIR/proof.pdf (proof-1.png, or proof-01.png... as the count
 * asks), in page order. */
static bool find_pages(webproof *p)
{
    struct dirent **names = NULL;
    int n = scandir(p->dir, &names, NULL, alphasort);
    char **png = calloc(WEBPROOF_MAX_PAGES, sizeof *png);
    int pages = 0;
    for (int k = 0; k < n; k++) {
        const char *nm = names[k]->d_name;
        size_t digits = strncmp(nm, "proof-", 6) == 0 ? strspn(nm + 6, "0123456789") : 0;
        char *end = NULL;
        long page = digits ? strtol(nm + 6, &end, 10) : 0;
        if (png && digits && digits < 5 && strcmp(nm + 6 + digits, ".png") == 0 && page >= 1 &&
            page <= WEBPROOF_MAX_PAGES && !png[page - 1]) {
            png[page - 1] = strfmt("%s/%s", p->dir, nm);
            if (page > pages)
                pages = (int)page;
        }
        free(names[k]);
    }
    free(names);
    bool ok = png && pages > 0;
    for (int k = 0; ok && k < pages; k++)
        ok = png[k] != NULL; /* every page, none missing */
    if (!ok) {
        for (int k = 0; png && k < WEBPROOF_MAX_PAGES; k++)
            free(png[k]);
        free(png);
        return false;
    }
    p->png = png;
    p->pages = pages;
    return true;
}

/* The last line of a log, for a reason. */
static void last_line(const char *log, char *why, size_t whylen)
{
    FILE *f = fopen(log, "r");
    char line[512], last[512] = "";
    while (f && fgets(line, sizeof line, f))
        if (line[0] != '\n')
            snprintf(last, sizeof last, "%s", line);
    if (f)
        fclose(f);
    last[strcspn(last, "\n")] = '\0';
    snprintf(why, whylen, "handout proof wrote no sheet%s%s", *last ? ": " : "", last);
}

/* Builds the sheet of the inputs fp into the cache, replacing the one held. */
static bool build(webproof *p, const char fp[SHA256_HEX], char *why, size_t whylen)
{
    char *dir = strfmt("%s/%.16s", p->cache, fp);
    char *pdf = dir ? strfmt("%s/proof.pdf", dir) : NULL;
    char *log = dir ? strfmt("%s/proof.log", dir) : NULL;
    if (!dir || !pdf || !log) {
        free(dir), free(pdf), free(log);
        snprintf(why, whylen, "out of memory");
        return false;
    }
    atomic_remove_tree(dir); /* a build of these inputs that did not finish */
    bool ok = mkdir(dir, 0700) == 0;
    if (!ok)
        snprintf(why, whylen, "cannot make %s: %s", dir, strerror(errno));
    /* run where staff would run it: the project folder (its list of products is
     * tools/run-pairs.sh there); nothing of a request is on this command line */
    char *argv[] = { "/bin/sh", "-c", "cd -- \"$1\" && exec \"$2\" proof -o \"$3\"", "handout-proof", p->root,
                     p->exe, pdf, NULL };
    childproc_result r;
    ok = ok && childproc_run(argv, log, p->timeout, &r, why, whylen);
    struct stat sb;
    /* 1: some product had an error; the sheet shows it */
    if (ok && (r.status != 0 && r.status != 1)) {
        ok = false;
        if (r.timed_out)
            snprintf(why, whylen, "handout proof ran past %.0f s and was stopped", p->timeout);
        else
            last_line(log, why, whylen);
    }
    if (ok && stat(pdf, &sb) != 0) {
        ok = false;
        last_line(log, why, whylen);
    }
    if (ok) {
        char *old = p->dir;
        p->dir = NULL;
        forget(p);
        if (old && strcmp(old, dir) != 0)
            atomic_remove_tree(old);
        free(old);
        p->dir = dir;
        dir = NULL;
        if (!find_pages(p)) {
            snprintf(why, whylen, "handout proof wrote no PNG pages beside its sheet (is pdftoppm installed?)");
            atomic_remove_tree(p->dir);
            forget(p);
            ok = false;
        } else {
            p->pdf = pdf;
            pdf = NULL;
            memcpy(p->fp, fp, SHA256_HEX);
        }
    } else {
        atomic_remove_tree(dir);
    }
    free(dir);
    free(pdf);
    free(log);
    return ok;
}

bool webproof_get(webproof *p, char **pdf, int *pages, bool *built, char *why, size_t whylen)
{
    *pdf = NULL;
    *pages = 0;
    *built = false;
    pthread_mutex_lock(&p->lock);
    char fp[SHA256_HEX];
    bool ok = fingerprint(p, fp, why, whylen);
    if (ok && (!p->pdf || strcmp(fp, p->fp) != 0)) {
        ok = build(p, fp, why, whylen);
        *built = ok;
    }
    if (ok) {
        *pdf = strdup(p->pdf);
        *pages = p->pages;
        ok = *pdf != NULL;
    }
    pthread_mutex_unlock(&p->lock);
    return ok;
}

char *webproof_png(webproof *p, int page)
{
    pthread_mutex_lock(&p->lock);
    char *png = page >= 1 && page <= p->pages ? strdup(p->png[page - 1]) : NULL;
    pthread_mutex_unlock(&p->lock);
    return png;
}
