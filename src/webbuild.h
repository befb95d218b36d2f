/* webbuild: what the web page asks of the engine. Owns turning a checked form into builds: the
 * partner's data file, a job file read by the batch's own job and plan modules (so that the page's
 * PDF is the one `handout batch` makes of the same order), running `handout build` in a child
 * process with a time limit (in the
 * warm renderer's copy of the server, warm.h, where there is one), the preview image of the first page (pdftoppm; preview.h keeps them
 * per canonical input, and a preview asked for again is not built again), and writing an order
 * into the orders folder under a name the server chooses. All work happens in a folder the
 * caller gives each request; nothing from the form becomes part of a path. */
#ifndef HANDOUT_WEBBUILD_H
#define HANDOUT_WEBBUILD_H

#include "manifest.h"
#include "warm.h"
#include "webform.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum { WB_PREVIEW, WB_DOWNLOAD, WB_ORDER } webbuild_mode;

enum { WEB_MAX_DOWNLOAD_PAGES = 1000 };

typedef struct webbuild webbuild;

/* root: the project folder (absolute); orders: the folder orders are written to; timeout: seconds
 * one build may take; entry: this program's main, for the warm renderer (warm.h: builds run
 * without starting this program again), or NULL for none. With entry, call before the process
 * starts a thread. NULL with a reason when the engine's binary or the orders folder is not
 * usable. */
webbuild *webbuild_new(const web_catalogue *cat, const char *root, const char *orders, double timeout,
                       warm_main_fn entry, char *why, size_t whylen);
void webbuild_free(webbuild *w);

/* What an order's name is claimed with before its files are written (the order store), and
 * released with when they could not be: claim returns false with *taken when another has the
 * name (the next number is tried), false without it when the claim failed (the order fails). */
typedef struct webbuild_claim {
    bool (*claim)(void *ctx, const char *name, bool *taken, char *why, size_t whylen);
    void (*release)(void *ctx, const char *name);
    void *ctx;
} webbuild_claim;
void webbuild_set_claim(webbuild *w, const webbuild_claim *c);
bool webbuild_has_preview(const webbuild *w); /* pdftoppm was found */
/* The previews served from the cache (hits), those drawn (misses) and the previews held. */
void webbuild_preview_counts(webbuild *w, unsigned long *hits, unsigned long *misses, int *entries);

typedef struct webbuild_result {
    char *pdf;          /* the PDF made (in dir) */
    char *png;          /* preview: the first page as PNG (in dir), or NULL */
    bool from_cache;    /* preview: the image is the one drawn for an earlier request of the same
                         * form (the same inputs); then pdf is NULL */
    char *filename;     /* download: the name to offer, "flyer-letter-en.pdf" */
    long items;         /* items made: the quantity, rounded up to full sheets on a sheet */
    int per_sheet;      /* 0 when not imposed */
    long pages;         /* of the whole quantity */
    long sheets;        /* sheets of paper */
    bool two_sided;
    char paper[64];     /* "letter" */
    char *order_name;   /* order: "order-20261128-001" */
    char *order_path;   /* order: the job file written */
} webbuild_result;

void webbuild_result_free(webbuild_result *r);

/* Builds what the form asks for, in dir (an empty folder of the request's own). The form must
 * have passed webform_check without errors. The engine's messages are added to the form beside
 * their fields; false when there is an error among them, or the build failed (a message says
 * why). For an order, the job file is written only when the build succeeded. */
bool webbuild_run(webbuild *w, web_form *f, webbuild_mode mode, const char *dir, webbuild_result *r);

/* Builds an order's job file as staff would by hand: `handout batch JOB -o outdir` (this same
 * program, in a child process, with the time limit), its messages to log. Then reads back each
 * item's record (the batch's stamps, outdir/JOB/.handout/ITEM.stamp), each named "JOB/ITEM" (its
 * PDF is outdir/JOB/ITEM.pdf), into *out (*n of them; caller frees with webbuild_entries_free).
 * False with a reason. */
bool webbuild_batch(webbuild *w, const char *job_file, const char *outdir, const char *log, manifest_entry **out,
                    int *n, char *why, size_t whylen);
void webbuild_entries_free(manifest_entry *e, int n);

/* A staff build's progress: the items of a job file (0 when it cannot be read), and the items
 * the batch has recorded in outdir since a time (its stamps, outdir/JOB/.handout/ITEM.stamp,
 * written as each item ends). */
int webbuild_job_items(webbuild *w, const char *job_file);
int webbuild_batch_done(const char *outdir, double since);

#endif
