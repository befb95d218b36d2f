/* plan: what one item of a job is made from, and how it is built. Reads the item with the
 * engine's own modules (content, layout, impose, data, fonts) to learn its inputs (the layout,
 * every file of its content sets, its sheet, its data file, the font files it uses, a compliance
 * profile), its items per sheet and the records it is made from; hashes the inputs, with the
 * build's arguments and the handout binary, into the item's key; and writes down the `handout
 * build` command line that makes it. Owns the plan context (the digests of the files read so
 * far and one fontconfig per project folder, shared by the items) and each item's plan. */
#ifndef HANDOUT_PLAN_H
#define HANDOUT_PLAN_H

#include "fonts.h"
#include "job.h"
#include "manifest.h"

#include <stdbool.h>
#include <stddef.h>

enum {
    PLAN_MAX_ARGS = 64,
    PLAN_ARG_OUT = 5,  /* args[5]: the output PDF */
    PLAN_ARG_DUMP = 7, /* args[7]: "DUMP", for the caller to replace with the dump file's path */
    PLAN_ARG_DIAG = 9, /* args[9]: "DIAG", for the caller to replace with the path of the build's
                        * diagnostic records (--diagnostics), which it reads instead of the text */
    PLAN_MAX_PAGES = 100000, /* the build's --max-pages limit: one file per item */
};

typedef struct plan_ctx plan_ctx;

/* exe: the handout binary the builds run; exe_sha its SHA-256; epoch: SOURCE_DATE_EPOCH as
 * written, or NULL. The strings are copied. */
plan_ctx *plan_ctx_new(const char *exe, const char *exe_sha, const char *epoch);
void plan_ctx_free(plan_ctx *pc);
/* Forgets the digests of the files read so far (they are read again when next needed): for a
 * long-running caller whose files change, and whose inputs differ from one plan to the next. */
void plan_ctx_forget_files(plan_ctx *pc);
/* The fonts of a project folder (cached; owned by the context). NULL when fontconfig fails. */
fonts *plan_fonts(plan_ctx *pc, const char *root);

typedef struct item_plan {
    manifest_entry e;          /* the record so far: names, counts, inputs and key */
    char *args[PLAN_MAX_ARGS]; /* the build's command line, NULL-terminated */
    int nargs;
    char *out_pdf;   /* OUTDIR/<job>/<item>.pdf */
    char *stamp;     /* OUTDIR/<job>/.handout/<item>.stamp */
    char *csv_path;  /* OUTDIR/<job>/.handout/<item>.csv when csv_text is set, else NULL */
    char *csv_text;  /* the records to build from, when they differ from the data file */
    size_t csv_len;
    char *reason;    /* why the item cannot be built, or NULL */
    char *messages;  /* the diagnostics that led to reason, as the build would print them */
    char *records;   /* the same as diagnostic records (diag_set_records), for programs */
    int status;      /* the exit status that goes with reason */
} item_plan;

/* Plans item it of job j, whose outputs go under outdir. On a problem p->reason is set. */
void plan_item(plan_ctx *pc, const job *j, const job_item *it, const char *outdir, item_plan *p);
void item_plan_free(item_plan *p);

/* True when the item's stamp holds the plan's key, every file the last build read still has the
 * digest it had then, and its output still has the digest the stamp recorded; the record's
 * results (digest, pages, sheets, QR payloads, inputs) are then taken from it. When false and the
 * item has a stamp (it was built before, here or by another shard), stale (when not NULL) says
 * why in words: the first input that changed, other job values or program, or another PDF;
 * otherwise stale is "". */
bool plan_up_to_date(plan_ctx *pc, item_plan *p, char *stale, size_t stalelen);

#endif
