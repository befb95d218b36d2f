/* split: see split.h. A part's temporary files sit beside its final file, named after it and this
 * process ("dir/.out-002.pdf.PID.tmp", "dir/.out.dump.PID.2.tmp"), so that the renames stay on one
 * file system and two builds never share a name. */
#include "split.h"
#include "atomic.h"
#include "childproc.h"
#include "grow.h"
#include "parts.h"
#include "readfile.h"
#include "status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The parts of one output: part p holds items p * items_per_part up to the next part's first (the
 * last part may hold fewer), on pages p * pages_per_part + 1 onwards. */
typedef struct plan {
    long count;          /* items in all */
    long parts;
    long items_per_unit; /* items on one unit of pages (a sheet's grid, else 1) */
    int pages_per_unit;  /* pages of one unit (sides, or one item's tiles) */
    long items_per_part; /* whole units */
    long pages_per_part; /* of a full part */
    char **final;        /* the names the parts get */
    char **tmp;          /* their temporary files */
    char **tmpd;         /* each part's dump, joined at the end; NULLs when there is no dump file */
} plan;

/* A dump to a file (not to stdout, not none). */
static bool dump_file(const render_opts *o)
{
    return o->dump && strcmp(o->dump, "-") != 0;
}

/* "dir/name" -> "dir/.name.PID.tmp", or "dir/.name.PID.PART.tmp" for part >= 1. */
static char *temp_name(const char *path, int pid, long part)
{
    size_t n = strlen(path) + 64;
    char *s = malloc(n);
    if (!s)
        return NULL;
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path) + 1 : 0;
    if (part > 0)
        snprintf(s, n, "%.*s.%s.%d.%ld.tmp", dirlen, path, path + dirlen, pid, part);
    else
        snprintf(s, n, "%.*s.%s.%d.tmp", dirlen, path, path + dirlen, pid);
    return s;
}

static void plan_free(plan *pl)
{
    for (long p = 0; p < pl->parts; p++) {
        if (pl->final)
            free(pl->final[p]);
        if (pl->tmp)
            free(pl->tmp[p]);
        if (pl->tmpd)
            free(pl->tmpd[p]);
    }
    free(pl->final);
    free(pl->tmp);
    free(pl->tmpd);
}

/* How many parts, which items and pages each holds, and their names; false when memory ran out. */
static bool plan_make(plan *pl, const render *r, const render_opts *o)
{
    memset(pl, 0, sizeof *pl);
    render_unit(r, &pl->items_per_unit, &pl->pages_per_unit);
    long max_pages = o->max_pages > 0 ? o->max_pages : RENDER_MAX_PAGES;
    long units = max_pages / pl->pages_per_unit < 1 ? 1 : max_pages / pl->pages_per_unit;
    pl->count = o->count;
    pl->items_per_part = units * pl->items_per_unit;
    pl->pages_per_part = units * pl->pages_per_unit;
    pl->parts = (o->count + pl->items_per_part - 1) / pl->items_per_part;
    size_t n = (size_t)pl->parts + 1;
    pl->final = calloc(n, sizeof *pl->final);
    pl->tmp = calloc(n, sizeof *pl->tmp);
    pl->tmpd = calloc(n, sizeof *pl->tmpd);
    bool ok = pl->final && pl->tmp && pl->tmpd;
    int pid = (int)getpid();
    for (long p = 0; ok && p < pl->parts; p++) {
        pl->final[p] = parts_name(o->output, p, pl->parts);
        pl->tmp[p] = pl->final[p] ? temp_name(pl->final[p], pid, 0) : NULL;
        if (dump_file(o))
            ok = (pl->tmpd[p] = temp_name(o->dump, pid, p + 1)) != NULL; /* one dump: joined at the end */
        ok = ok && pl->tmp[p];
    }
    return ok;
}

/* Registers (or unregisters) every temporary file of the plan, made yet or not. */
static void plan_track(const plan *pl, bool on)
{
    for (long p = 0; p < pl->parts; p++) {
        (on ? atomic_track : atomic_untrack)(pl->tmp[p]);
        if (pl->tmpd[p])
            (on ? atomic_track : atomic_untrack)(pl->tmpd[p]);
    }
}

/* The pages of every part together. */
static long plan_pages(const plan *pl)
{
    long full = pl->count / pl->items_per_part, rest = pl->count % pl->items_per_part;
    return full * pl->pages_per_part + (rest + pl->items_per_unit - 1) / pl->items_per_unit * pl->pages_per_unit;
}

/* ---- drawing: in this process, or in worker processes ---- */

/* Who draws which parts: first, first + step, first + 2 * step... until one fails. */
typedef struct worker {
    render *r;
    const plan *pl;
    long first, step;
} worker;

static int worker_run(void *arg)
{
    const worker *w = arg;
    const plan *pl = w->pl;
    int status = EXIT_OK;
    for (long p = w->first; p < pl->parts && status == EXIT_OK; p += w->step) {
        long first = p * pl->items_per_part;
        long last = pl->count - first > pl->items_per_part ? first + pl->items_per_part : pl->count;
        status = render_part(w->r, first, last, p * pl->pages_per_part, pl->tmp[p], pl->tmpd[p]);
    }
    return status;
}

/* jobs worker processes, worker j drawing parts j, j + jobs, ...; all are waited for. The most
 * severe of their statuses. */
static int draw_in_workers(render *r, const plan *pl, int jobs, const char *output, diag *d)
{
    worker w = { r, pl, 0, jobs };
    int status = EXIT_OK, running = 0;
    char why[256];
    for (; w.first < jobs; w.first++) {
        if (childproc_fork(worker_run, &w, why, sizeof why) < 0) {
            diag_error(d, "internal-fork-failed", diag_at(output, 0), "cannot start a build process: %s", why);
            status = EXIT_INTERNAL;
            break;
        }
        running++;
    }
    for (; running > 0; running--) {
        int ws = 0;
        long peak_kb = 0;
        if (childproc_wait_any(&ws, &peak_kb) < 0) {
            diag_error(d, "internal-process-lost", diag_at(output, 0), "a build process was lost");
            return EXIT_INTERNAL;
        }
        int st = WIFEXITED(ws) ? WEXITSTATUS(ws) : EXIT_INTERNAL;
        status = status_worst(status, st); /* the most severe of the parts */
        if (st != EXIT_OK)
            diag_error(d, "output-part-failed", diag_at(output, 0), "a build process failed (status %d)", st);
    }
    return status;
}

static int draw(render *r, const plan *pl, const render_opts *o, diag *d)
{
    long jobs = o->jobs > 1 ? o->jobs : 1;
    if (jobs > pl->parts)
        jobs = pl->parts;
    if (jobs <= 1) {
        worker w = { r, pl, 0, 1 };
        return worker_run(&w);
    }
    return draw_in_workers(r, pl, (int)jobs, o->output, d);
}

/* ---- after drawing: the dumps joined, the parts put in place ---- */

/* "input SHA PATH" lines in the order of their paths. */
static int compare_inputs(const void *a, const void *b)
{
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    const char *px = strchr(x + 6, ' '), *py = strchr(y + 6, ' ');
    int c = px && py ? strcmp(px, py) : 0;
    return c ? c : strcmp(x, y);
}

/* Writes one part's dump text to a, all but its "input" lines, which go to *ins (*nins of them,
 * room for *cap); false when memory ran out. */
static bool join_one(atomic_file *a, const char *text, char ***ins, size_t *nins, size_t *cap)
{
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) + 1 : strlen(line);
        if (strncmp(line, "input ", 6) != 0) {
            atomic_write(a, line, n);
        } else {
            char *copy = strndup(line, n);
            if (!copy || !GROW(*ins, *nins, *cap)) {
                free(copy);
                return false;
            }
            (*ins)[(*nins)++] = copy;
        }
        line += n;
    }
    return true;
}

/* Joins the parts' dumps (tmpd[0..parts)) into path, in order, their "input" lines made one list
 * and written last; with partial, the parts after the first missing one are left out. */
static bool join_dumps(const char *path, char *const *tmpd, long parts, bool partial, char *why, size_t whylen)
{
    atomic_file a;
    char **ins = NULL;
    size_t nins = 0, cap = 0;
    bool ok = atomic_open(&a, path, why, whylen);
    for (long p = 0; ok && p < parts; p++) {
        size_t len = 0;
        if (partial && access(tmpd[p], F_OK) != 0)
            break; /* parts after the failure were never made */
        char *text = readfile(tmpd[p], (size_t)1 << 30, &len, why, whylen);
        ok = text && join_one(&a, text, &ins, &nins, &cap);
        if (text && !ok)
            snprintf(why, whylen, "out of memory");
        free(text);
    }
    if (ok && nins > 0) {
        qsort(ins, nins, sizeof *ins, compare_inputs);
        for (size_t k = 0; k < nins; k++)
            if (k == 0 || strcmp(ins[k], ins[k - 1]) != 0)
                atomic_write(&a, ins[k], strlen(ins[k]));
    }
    for (size_t k = 0; k < nins; k++)
        free(ins[k]);
    free(ins);
    if (ok)
        return atomic_commit(&a, true, why, whylen);
    if (a.fd >= 0)
        atomic_commit(&a, false, why, whylen);
    return false;
}

/* Reports each target a build may not write (atomic_target_ok): the parts and the dump. */
static bool targets_ok(char *const *final, long parts, const char *dump, diag *d)
{
    char why[1024];
    for (long p = 0; p < parts; p++)
        if (!atomic_target_ok(final[p], why, sizeof why)) {
            diag_error(d, "output-target-refused", diag_at(final[p], 0), "%s", why);
            return false;
        }
    if (dump && strcmp(dump, "-") != 0 && !atomic_target_ok(dump, why, sizeof why)) {
        diag_error(d, "output-target-refused", diag_at(dump, 0), "%s", why);
        return false;
    }
    return true;
}

/* Once every part is drawn (or one failed): the targets checked again, now that every input has
 * been read; the dumps joined (even after an input error: the dump shows how far the build got);
 * the parts put in place all together, or all removed. The status, made worse on failure. */
static int finish(const plan *pl, const render_opts *o, int status, diag *d)
{
    char why[1024];
    if (status == EXIT_OK && !o->dry_run && !targets_ok(pl->final, pl->parts, NULL, d))
        status = EXIT_OUTPUT;
    if ((status == EXIT_OK || status == EXIT_INPUT) && dump_file(o) &&
        !join_dumps(o->dump, pl->tmpd, pl->parts, status != EXIT_OK, why, sizeof why)) {
        diag_error(d, "output-dump-failed", diag_at(o->dump, 0), "expected to write the dump, found an error: %s", why);
        if (status == EXIT_OK)
            status = EXIT_OUTPUT;
    }
    if (status == EXIT_OK && !o->dry_run &&
        !parts_commit(o->output, pl->tmp, pl->final, pl->parts, why, sizeof why)) {
        diag_error(d, "output-write-failed", diag_at(o->output, 0), "expected to write the PDF, found an error: %s", why);
        status = EXIT_OUTPUT;
    }
    for (long p = 0; p < pl->parts; p++) {
        if (status != EXIT_OK || o->dry_run)
            unlink(pl->tmp[p]);
        if (pl->tmpd[p])
            unlink(pl->tmpd[p]);
    }
    return status;
}

int split_build(const layout *l, content *c, fonts *f, const render_opts *o, diag *d)
{
    int status;
    render *r = render_new(l, c, f, o, d, &status);
    if (!r)
        return status;
    plan pl;
    if (!plan_make(&pl, r, o)) {
        diag_error(d, "internal-out-of-memory", diag_at(o->output, 0), "cannot start a PDF document: out of memory");
        plan_free(&pl);
        render_free(r);
        return EXIT_INTERNAL;
    }
    plan_track(&pl, true);
    /* before drawing: no part may go onto an input of the build, a device, a FIFO or a link */
    if (!o->dry_run && !targets_ok(pl.final, pl.parts, o->dump, d))
        status = EXIT_OUTPUT;
    if (status == EXIT_OK)
        status = draw(r, &pl, o, d);
    status = finish(&pl, o, status, d);
    plan_track(&pl, false);
    if (o->pages_out)
        *o->pages_out = (int)plan_pages(&pl) + (o->appendix ? 1 : 0);
    if (o->parts_out)
        *o->parts_out = pl.parts;
    plan_free(&pl);
    render_free(r);
    return status;
}
