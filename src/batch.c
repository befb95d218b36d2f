/* batch: plan (plan.c), build, record, report.
 *
 * Every item is planned (its inputs hashed into its key), the other shards' items too, since a
 * job's report needs them all. Building runs `handout build` (this binary, /proc/self/exe) in a child process, so
 * that every check is the build command's own; the child's messages go to a log that is shown when
 * it fails. The record of each item (.handout/NAME.stamp beside the output) is written after a
 * successful build; an item whose stamp holds the current key, and whose output still has the
 * digest the stamp recorded, is up to date.
 *
 * A signal (SIGINT, SIGTERM, SIGHUP) stops the batch as a whole: the builds running are started
 * by childproc.c and registered with atomic.c, as are the batch's temporary folder and the logs
 * and dumps in it, so the signal is passed on to the builds (each removes its own temporary
 * files), they are waited for, the folder is removed and the batch ends by the signal. A build
 * stopped so writes no PDF, and the batch writes no stamp for it. */
#define _DEFAULT_SOURCE /* mkdtemp */
#include "batch.h"
#include "build.h"
#include "atomic.h"
#include "childproc.h"
#include "strfmt.h"
#include "diag.h"
#include "escape.h"
#include "fonts.h"
#include "job.h"
#include "manifest.h"
#include "plan.h"
#include "readfile.h"
#include "report.h"
#include "sha256.h"
#include "status.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef HANDOUT_VERSION
#define HANDOUT_VERSION "0.1.0"
#endif

enum { BATCH_MAX_PARALLEL = 64 };

typedef struct batch_opts {
    const char *const *jobs; /* the command line's */
    int njobs;
    int parallel;  /* -j */
    long shard_k, shard_n;
    int verbosity; /* 0 --quiet, 1 default, 2 --verbose */
    const char *outdir;
    bool sha256_mode; /* --sha256 FILE...: print digests like sha256sum */
    const char *theme; /* --theme: every item's, over the jobs' own; or NULL */
} batch_opts;

typedef enum { ITEM_FAILED, ITEM_UP_TO_DATE, ITEM_TO_BUILD, ITEM_BUILT, ITEM_OTHER_SHARD } item_state;

typedef struct batch_item {
    job *job;
    job_item *it;
    int index;   /* in the whole batch */
    bool mine;   /* in this shard */
    item_state state;
    item_plan p; /* its inputs, key and command line; reason and status of a failure */
    char *log_path, *dump_path, *diag_path; /* the build's text, its description, its diagnostic records */
    pid_t pid;
    double started;
    long peak_kb; /* the build's peak memory (maximum resident set) */
} batch_item;

typedef struct batch {
    batch_opts o;
    char exe[4096];
    char exe_sha[SHA256_HEX];
    long long epoch;
    char *tmpdir;
    job **jobs;         /* NULL for a job file that could not be read */
    batch_item *items;
    int nitems;
    plan_ctx *plan;
    diag *d; /* the batch's own errors (each item's build has its own) */
    int worst;
    /* progress */
    bool tty;
    int total, done;
    double t0;
} batch;

/* ---- small helpers ---- */


static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void worse(batch *b, int status)
{
    b->worst = status_worst(b->worst, status);
}

/* ---- building ---- */

static void progress(batch *b, bool final)
{
    if (!b->tty || b->o.verbosity < 1 || b->total == 0)
        return;
    if (final) {
        fputs("\r\033[K", stderr);
        return;
    }
    double el = now() - b->t0;
    double rate = el > 0 ? b->done / el : 0;
    char left[32] = "?";
    if (rate > 0) {
        long s = (long)ceil((b->total - b->done) / rate);
        snprintf(left, sizeof left, "%ld:%02ld", s / 60, s % 60);
    }
    fprintf(stderr, "\rhandout: batch: %d/%d items, %.1f items/s, about %s left\033[K", b->done, b->total, rate, left);
    fflush(stderr);
}

/* Removes an item's log and dump from the temporary folder, and from the signal's clean-up. */
static void forget_files(batch_item *bi)
{
    const char *files[] = { bi->log_path, bi->dump_path, bi->diag_path };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        if (files[i]) {
            unlink(files[i]);
            atomic_untrack(files[i]);
        }
    }
}

static bool spawn(batch *b, batch_item *bi)
{
    char why[512];
    if (bi->p.csv_text) {
        if (!manifest_write_if_changed(bi->p.csv_path, bi->p.csv_text, bi->p.csv_len, why, sizeof why)) {
            bi->p.reason = strfmt("cannot write the records %s: %s", bi->p.csv_path, why);
            bi->p.status = EXIT_OUTPUT;
            return false;
        }
    }
    bi->log_path = strfmt("%s/%d.log", b->tmpdir, bi->index);
    bi->dump_path = strfmt("%s/%d.dump", b->tmpdir, bi->index);
    bi->diag_path = strfmt("%s/%d.diag", b->tmpdir, bi->index);
    if (!bi->log_path || !bi->dump_path || !bi->diag_path) {
        bi->p.reason = strdup("out of memory");
        bi->p.status = EXIT_INTERNAL;
        return false;
    }
    free(bi->p.args[PLAN_ARG_DUMP]);
    bi->p.args[PLAN_ARG_DUMP] = strdup(bi->dump_path);
    free(bi->p.args[PLAN_ARG_DIAG]);
    bi->p.args[PLAN_ARG_DIAG] = strdup(bi->diag_path);
    unlink(bi->dump_path);
    unlink(bi->diag_path);
    atomic_track(bi->log_path); /* removed by a signal, with the folder */
    atomic_track(bi->dump_path);
    atomic_track(bi->diag_path);
    if (b->o.verbosity >= 2) {
        fprintf(stderr, "handout: batch: %s/%s: handout", bi->job->slug, bi->p.e.name);
        for (int k = 1; k < bi->p.nargs; k++)
            fprintf(stderr, " %s", bi->p.args[k]);
        fputc('\n', stderr);
    }
    fflush(stderr);
    bi->started = now();
    pid_t pid = childproc_start(bi->p.args, bi->log_path, why, sizeof why); /* args[0] is b->exe */
    if (pid < 0) {
        bi->p.reason = strfmt("cannot start a process: %s", why);
        bi->p.status = EXIT_INTERNAL;
        forget_files(bi);
        return false;
    }
    bi->pid = pid;
    return true;
}

/* The first error the build reported, read from its diagnostic records (never from its text):
 * "FILE:LINE: [SECTION] KEY: TEXT", as the build printed it without its "handout: error: ", and as
 * safe on a terminal (escape_shown). */
static char *first_error(const char *diag_path)
{
    size_t len = 0;
    char why[256];
    char *text = readfile(diag_path, (size_t)16 << 20, &len, why, sizeof why);
    char *out = NULL;
    for (char *line = text, *next; !out && line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        diag_record r;
        if (!diag_record_parse(line, &r) || strcmp(r.level, "error") != 0)
            continue;
        out = diag_record_shown(&r);
    }
    free(text);
    return out;
}

static void finish(batch *b, batch_item *bi, int wstatus)
{
    size_t len = 0;
    char why[512];
    char *log = readfile(bi->log_path, (size_t)16 << 20, &len, why, sizeof why);
    int status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : EXIT_INTERNAL;
    if (status == 0) {
        struct stat sb;
        bool read = manifest_read_dump(&bi->p.e, bi->dump_path, why, sizeof why);
        /* the item's records, derived by the plan under the output folder, are in the key already */
        if (read && bi->p.csv_path)
            manifest_remove_input(&bi->p.e, bi->p.csv_path);
        if (!read) {
            bi->p.reason = strfmt("cannot read the build's description: %s", why);
            status = EXIT_INTERNAL;
        } else if (stat(bi->p.out_pdf, &sb) != 0 || !sha256_file(bi->p.out_pdf, bi->p.e.sha, why, sizeof why)) {
            bi->p.reason = strfmt("expected %s after a successful build, found none", bi->p.out_pdf);
            status = EXIT_INTERNAL;
        } else {
            bi->p.e.bytes = (long long)sb.st_size;
            if (!manifest_stamp_write(&bi->p.e, bi->p.stamp, why, sizeof why)) {
                bi->p.reason = strfmt("cannot write %s: %s", bi->p.stamp, why);
                status = EXIT_OUTPUT;
            }
        }
    } else if (WIFSIGNALED(wstatus)) {
        bi->p.reason = strfmt("the build was stopped by signal %d", WTERMSIG(wstatus));
    } else {
        bi->p.reason = first_error(bi->diag_path);
        if (!bi->p.reason)
            bi->p.reason = strfmt("the build failed with status %d", status);
    }
    if (status == 0) {
        bi->state = ITEM_BUILT;
        if (b->o.verbosity >= 2) {
            progress(b, true);
            fprintf(stderr, "handout: batch: built %s (%d page%s, %.2f s, peak %.1f MB)\n", bi->p.out_pdf, bi->p.e.pages,
                    bi->p.e.pages == 1 ? "" : "s", now() - bi->started, bi->peak_kb / 1024.0);
            if (log)
                fputs(log, stderr);
        }
    } else {
        bi->state = ITEM_FAILED;
        bi->p.status = status;
        worse(b, status);
        progress(b, true);
        fprintf(stderr, "handout: batch: job %s, item [%s] failed: %s\n", bi->job->name, bi->it->section, bi->p.reason);
        if (log)
            fputs(log, stderr); /* the build's own messages: errors, shown even with --quiet */
    }
    free(log);
    forget_files(bi);
    b->done++;
    progress(b, false);
}

static void build_all(batch *b)
{
    int next = 0, running = 0;
    b->t0 = now();
    progress(b, false);
    for (;;) {
        while (running < b->o.parallel && next < b->nitems) {
            batch_item *bi = &b->items[next++];
            if (bi->state != ITEM_TO_BUILD)
                continue;
            if (spawn(b, bi)) {
                running++;
            } else {
                bi->state = ITEM_FAILED;
                worse(b, bi->p.status);
                b->done++;
                progress(b, true);
                fprintf(stderr, "handout: batch: job %s, item [%s] failed: %s\n", bi->job->name, bi->it->section,
                        bi->p.reason);
            }
        }
        if (running == 0)
            break;
        int ws = 0;
        long peak_kb = 0;
        pid_t pid = childproc_wait_any(&ws, &peak_kb);
        if (pid < 0)
            break;
        for (int i = 0; i < b->nitems; i++) {
            if (b->items[i].pid == pid && b->items[i].state == ITEM_TO_BUILD) {
                b->items[i].pid = 0;
                b->items[i].peak_kb = peak_kb;
                running--;
                finish(b, &b->items[i], ws);
                break;
            }
        }
    }
    progress(b, true);
}

/* ---- reports ---- */

static void remove_if_there(const char *dir, const char *name)
{
    char *p = strfmt("%s/%s", dir, name);
    if (p)
        unlink(p);
    free(p);
}

/* Writes the job's report and manifests when every item is there and up to date. */
static void job_outputs(batch *b, job *j, int first, int count)
{
    char *dir = strfmt("%s/%s", b->o.outdir, j->slug);
    const manifest_entry **e = calloc((size_t)count + 1, sizeof *e);
    int missing = 0;
    for (int i = 0; i < count; i++) {
        batch_item *bi = &b->items[first + i];
        if (bi->state == ITEM_BUILT || bi->state == ITEM_UP_TO_DATE)
            e[i] = &bi->p.e;
        else
            missing++;
    }
    if (!dir || !e) {
        worse(b, EXIT_INTERNAL);
    } else if (missing) {
        /* what is there describes other inputs: it goes */
        remove_if_there(dir, "report.pdf");
        remove_if_there(dir, "manifest.csv");
        remove_if_there(dir, "manifest.json");
        if (b->o.verbosity >= 2 || (b->o.verbosity >= 1 && b->o.shard_n > 1))
            fprintf(stderr, "handout: batch: job %s: report and manifests wait for %d of %d items%s\n", j->name, missing,
                    count, b->o.shard_n > 1 ? " (built by other shards, or failed)" : "");
    } else {
        char why[512];
        char *report = strfmt("%s/report.pdf", dir), *csv = strfmt("%s/manifest.csv", dir), *json = strfmt("%s/manifest.json", dir);
        fonts *f = plan_fonts(b->plan, j->root);
        const char *failed = NULL;
        if (!report || !csv || !json || !f) {
            snprintf(why, sizeof why, "%s", f ? "out of memory" : "fontconfig could not be initialised");
            failed = report;
        } else if (!report_job_write(j, e, count, f, report, b->epoch, b->d, why, sizeof why)) {
            failed = report;
        } else if (!manifest_write_csv(e, count, csv, why, sizeof why)) {
            failed = csv;
        } else if (!manifest_write_json(j->name, e, count, json, why, sizeof why)) {
            failed = json;
        }
        if (failed || !report || !csv || !json) {
            diag_error(b->d, "batch-report-failed", diag_at(failed ? failed : dir, 0),
                       "expected to write the job's report, found an error: %s", why);
            worse(b, EXIT_OUTPUT);
        } else if (b->o.verbosity >= 2) {
            fprintf(stderr, "handout: batch: job %s: wrote %s, %s and %s\n", j->name, report, csv, json);
        }
        free(report);
        free(csv);
        free(json);
    }
    free(e);
    free(dir);
}

/* ---- the command line ---- */

static bool whole(const char *s, long min, long max, long *out)
{
    long v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9' && v <= max; p++)
        v = v * 10 + (*p - '0');
    if (p == s || *p || v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* The batch's options, from the command line read by cli.c: the numbers' ranges, --shard's form,
 * the job files. Returns -1, or the exit status after a usage error. */
static int parse(const cli_options *cl, batch_opts *o)
{
    o->jobs = cl->args.items;
    o->njobs = (int)cl->args.n;
    o->parallel = 1;
    o->shard_k = o->shard_n = 1;
    o->outdir = cl->value[OPT_OUTPUT] ? cl->value[OPT_OUTPUT] : "output";
    o->sha256_mode = cl->given[OPT_SHA256];
    o->theme = cl->value[OPT_THEME];
    const char *v = cl->value[OPT_JOBS];
    long n;
    if (v && !whole(v, 1, BATCH_MAX_PARALLEL, &n))
        return cli_usage_fail(CMD_BATCH, "usage-bad-number", "%s: expected a whole number from 1 to %d, found \"%s\"",
                              cl->spelled[OPT_JOBS], BATCH_MAX_PARALLEL, v);
    if (v)
        o->parallel = (int)n;
    v = cl->value[OPT_SHARD];
    if (v) {
        const char *slash = strchr(v, '/');
        char k_text[32];
        snprintf(k_text, sizeof k_text, "%.*s", slash ? (int)(slash - v) : 0, v);
        if (!slash || slash - v >= 31 || !whole(k_text, 1, 100000, &o->shard_k) ||
            !whole(slash + 1, 1, 100000, &o->shard_n) || o->shard_k > o->shard_n)
            return cli_usage_fail(CMD_BATCH, "usage-bad-shard",
                                  "--shard: expected K/N with 1 <= K <= N (e.g. 2/4), found \"%s\"", v);
    }
    bool quiet = cl->given[OPT_QUIET], verbose = cl->given[OPT_VERBOSE];
    if (quiet && verbose)
        return cli_usage_fail(CMD_BATCH, "usage-options-exclude", "--quiet and --verbose exclude each other");
    o->verbosity = quiet ? 0 : verbose ? 2 : 1;
    if (o->njobs == 0)
        return cli_usage_fail(CMD_BATCH, "usage-missing-argument", "%s",
                              o->sha256_mode ? "--sha256 needs files" : "batch needs job files (jobs/NAME.ini)");
    return -1;
}

static int sha256_mode(const batch_opts *o, diag *d)
{
    int status = 0;
    for (int i = 0; i < o->njobs; i++) {
        char hex[SHA256_HEX], why[512];
        if (sha256_file(o->jobs[i], hex, why, sizeof why)) {
            printf("%s  %s\n", hex, o->jobs[i]);
        } else {
            diag_error(d, readfile_error_id(errno), diag_at(NULL, 0), "%s", why);
            status = EXIT_INPUT;
        }
    }
    return status;
}

static void batch_free(batch *b)
{
    for (int i = 0; i < b->nitems; i++) {
        batch_item *bi = &b->items[i];
        item_plan_free(&bi->p);
        free(bi->log_path);
        free(bi->dump_path);
        free(bi->diag_path);
    }
    free(b->items);
    for (int i = 0; b->jobs && i < b->o.njobs; i++)
        job_free(b->jobs[i]);
    free(b->jobs);
    plan_ctx_free(b->plan);
    diag_free(b->d);
    if (b->tmpdir) {
        rmdir(b->tmpdir);
        atomic_untrack_dir(b->tmpdir);
    }
    free(b->tmpdir);
}

/* The jobs of the command line, and every item in a stable order (a job file that cannot be read,
 * or whose name another job's folder has, is left out with its message). False when out of
 * memory. */
static bool load_jobs(batch *b)
{
    b->jobs = calloc((size_t)b->o.njobs, sizeof *b->jobs);
    diag *d = diag_new(stderr);
    int total_items = 0;
    for (int i = 0; b->jobs && d && i < b->o.njobs; i++) {
        b->jobs[i] = job_load(b->o.jobs[i], d);
        if (!b->jobs[i]) {
            worse(b, EXIT_INPUT);
            continue;
        }
        if (b->o.theme && !job_set_theme(b->jobs[i], b->o.theme)) {
            diag_free(d);
            return false;
        }
        for (int k = 0; k < i; k++) {
            if (b->jobs[k] && strcmp(b->jobs[k]->slug, b->jobs[i]->slug) == 0) {
                diag_loc loc = { b->o.jobs[i], 0, "job", "name" };
                diag_error(d, "batch-duplicate-job-name", loc,
                           "expected a job name of its own, found \"%s\", which names the folder %s/%s as %s does",
                           b->jobs[i]->name, b->o.outdir, b->jobs[i]->slug, b->o.jobs[k]);
                job_free(b->jobs[i]);
                b->jobs[i] = NULL;
                worse(b, EXIT_INPUT);
                break;
            }
        }
        if (b->jobs[i])
            total_items += b->jobs[i]->nitems;
    }
    diag_free(d);
    b->items = calloc((size_t)total_items + 1, sizeof *b->items);
    if (!b->jobs || !b->items)
        return false;
    for (int i = 0; i < b->o.njobs; i++) {
        for (int k = 0; b->jobs[i] && k < b->jobs[i]->nitems; k++) {
            batch_item *bi = &b->items[b->nitems];
            bi->job = b->jobs[i];
            bi->it = &b->jobs[i]->items[k];
            bi->index = b->nitems++;
            bi->mine = bi->index % b->o.shard_n == b->o.shard_k - 1;
        }
    }
    return true;
}

/* Plans every item (the others' shards' too: a job's report needs them all) and says what each
 * of this shard's items will be: to build, up to date, or failed (with its messages). Counts this
 * shard's items and those to build and up to date. */
static void plan_all(batch *b, int *mine_out, int *to_build_out, int *fresh_out)
{
    int to_build = 0, fresh = 0, mine = 0;
    for (int i = 0; i < b->nitems; i++) {
        batch_item *bi = &b->items[i];
        plan_item(b->plan, bi->job, bi->it, b->o.outdir, &bi->p);
        char *dir = strfmt("%s/%s/.handout", b->o.outdir, bi->job->slug);
        if (bi->mine && dir && !atomic_mkdirs(dir) && !bi->p.reason) {
            bi->p.reason = strfmt("cannot make the folder %s: %s", dir, strerror(errno));
            bi->p.status = EXIT_OUTPUT;
        }
        free(dir);
        char stale[512];
        if (plan_up_to_date(b->plan, &bi->p, stale, sizeof stale))
            bi->state = ITEM_UP_TO_DATE;
        else if (!bi->mine)
            bi->state = ITEM_OTHER_SHARD;
        else if (bi->p.reason)
            bi->state = ITEM_FAILED;
        else
            bi->state = ITEM_TO_BUILD;
        if (!bi->mine)
            continue;
        mine++;
        if (bi->state == ITEM_TO_BUILD) {
            to_build++;
            /* an item made before (by this run's folder or a shard copied in) that no longer
             * matches: never kept, and the run says why */
            if (stale[0] && b->o.verbosity >= 1)
                fprintf(stderr, "handout: batch: job %s, item [%s] is built again: %s\n", bi->job->name,
                        bi->it->section, stale);
        }
        else if (bi->state == ITEM_UP_TO_DATE)
            fresh++;
        else {
            worse(b, bi->p.status);
            /* what the job file's check (already reported) or the plan found */
            if (bi->p.messages && *bi->p.messages)
                fputs(bi->p.messages, stderr);
            else if (!bi->it->error)
                fprintf(stderr, "handout: batch: job %s, item [%s] failed: %s\n", bi->job->name, bi->it->section, bi->p.reason);
        }
    }
    *mine_out = mine;
    *to_build_out = to_build;
    *fresh_out = fresh;
}

/* The closing lines: what failed and why, or what was built; the peak memory when verbose. */
static void say_outcome(const batch *b, int mine, int fresh, double t0)
{
    int built = 0, failed = 0;
    for (int i = 0; i < b->nitems; i++) {
        if (!b->items[i].mine)
            continue;
        built += b->items[i].state == ITEM_BUILT;
        failed += b->items[i].state == ITEM_FAILED;
    }
    int bad_jobs = 0;
    for (int i = 0; i < b->o.njobs; i++)
        bad_jobs += !b->jobs[i];
    if (failed || bad_jobs) {
        fputs("handout: batch: failed: ", stderr);
        if (failed)
            fprintf(stderr, "%d of %d item%s%s", failed, mine, mine == 1 ? "" : "s", bad_jobs ? ", and " : "");
        if (bad_jobs)
            fprintf(stderr, "%d job file%s that could not be read", bad_jobs, bad_jobs == 1 ? "" : "s");
        fputs(":\n", stderr);
        for (int i = 0; i < b->o.njobs; i++)
            if (!b->jobs[i])
                fprintf(stderr, "  %s: the job file is invalid (see the errors above)\n", b->o.jobs[i]);
        for (int i = 0; i < b->nitems; i++)
            if (b->items[i].mine && b->items[i].state == ITEM_FAILED)
                fprintf(stderr, "  job %s, item [%s]: %s\n", b->items[i].job->name, b->items[i].it->section,
                        b->items[i].p.reason ? b->items[i].p.reason : "unknown");
    } else if (b->o.verbosity >= 1 && built == 0) {
        fprintf(stderr, "handout: batch: nothing to build: all %d item%s up to date\n", mine, mine == 1 ? " is" : "s are");
    }
    if (b->o.verbosity >= 1 && (built || failed))
        fprintf(stderr, "handout: batch: %d item%s: %d built, %d up to date, %d failed (%.1f s)\n", mine,
                mine == 1 ? "" : "s", built, fresh, failed, now() - t0);
    if (b->o.verbosity >= 2) {
        struct rusage self;
        if (getrusage(RUSAGE_SELF, &self) == 0)
            fprintf(stderr, "handout: batch: this process's peak memory %.1f MB\n", self.ru_maxrss / 1024.0);
    }
}

int batch_main(const cli_options *o)
{
    batch b;
    memset(&b, 0, sizeof b);
    int st = parse(o, &b.o);
    if (st >= 0)
        return st;
    b.d = diag_new(stderr);
    if (!b.d)
        return EXIT_INTERNAL;
    if (b.o.sha256_mode) {
        st = sha256_mode(&b.o, b.d);
        batch_free(&b);
        return st;
    }
    st = build_source_date_epoch(&b.epoch, b.d);
    if (st) {
        batch_free(&b);
        return st;
    }
    b.tty = isatty(2);
    double t0 = now();
    char why[512];
    ssize_t n = readlink("/proc/self/exe", b.exe, sizeof b.exe - 1);
    if (n <= 0 || !sha256_file((b.exe[n > 0 ? n : 0] = '\0', b.exe), b.exe_sha, why, sizeof why)) {
        diag_error(b.d, "internal-own-file", diag_at(NULL, 0),
                   "batch: cannot find this program's own file (/proc/self/exe)");
        batch_free(&b);
        return EXIT_INTERNAL;
    }
    b.plan = plan_ctx_new(b.exe, b.exe_sha, getenv("SOURCE_DATE_EPOCH"));
    if (!b.plan) {
        batch_free(&b);
        return EXIT_INTERNAL;
    }
    const char *tmp = getenv("TMPDIR");
    b.tmpdir = strfmt("%s/handout-batch.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!b.tmpdir || !mkdtemp(b.tmpdir)) {
        diag_error(b.d, "internal-temporary-folder", diag_at(NULL, 0), "batch: cannot make a temporary folder: %s",
                   strerror(errno));
        free(b.tmpdir);
        b.tmpdir = NULL;
        batch_free(&b);
        return EXIT_INTERNAL;
    }
    atomic_track_dir(b.tmpdir);
    if (!load_jobs(&b)) {
        batch_free(&b);
        return EXIT_INTERNAL;
    }
    int to_build = 0, fresh = 0, mine = 0;
    plan_all(&b, &mine, &to_build, &fresh);
    if (b.o.verbosity >= 2)
        fprintf(stderr, "handout: batch: %d item%s in %d job file%s%s: %d to build, %d up to date\n", b.nitems,
                b.nitems == 1 ? "" : "s", b.o.njobs, b.o.njobs == 1 ? "" : "s",
                b.o.shard_n > 1 ? "; this shard's share" : "", to_build, fresh);
    b.total = to_build;
    build_all(&b);
    /* each job's report, when all its items are there */
    for (int i = 0, first = 0; i < b.o.njobs; i++) {
        if (!b.jobs[i])
            continue;
        job_outputs(&b, b.jobs[i], first, b.jobs[i]->nitems);
        first += b.jobs[i]->nitems;
    }
    say_outcome(&b, mine, fresh, t0);
    int status = b.worst;
    batch_free(&b);
    return status;
}
