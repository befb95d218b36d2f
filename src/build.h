/* build: one build as asked (a build_request: layout, content set, --set, --data, sheet, printer,
 * tile, count, output...) turned into one resolved specification (a build_spec): every file the
 * build reads found by one set of rules, and loaded. handout build and check run a spec
 * (build_spec_run); the batch's plan reads a spec's files and counts (plan.c), so the two cannot
 * find different files. Where each file is: project.h. */
#ifndef HANDOUT_BUILD_H
#define HANDOUT_BUILD_H

#include "compliance.h"
#include "content.h"
#include "data.h"
#include "diag.h"
#include "fonts.h"
#include "impose.h"
#include "layout.h"
#include "numbers.h"
#include "posting.h"
#include "project.h"
#include "render.h"

#include <stdbool.h>
#include <stdio.h>

/* One build as asked: by build, or by check for each layout and content set, or for a job's item. */
typedef struct build_request {
    const char *layout;
    const char *content;
    const char *output;
    const char *dump;
    const char *sheet;     /* --sheet FILE|NAME|none */
    const char *data;      /* --data FILE.csv */
    const char *quantity_column; /* --quantity-column NAME|none; NULL: "quantity" when there is one */
    const char *printer;   /* --printer FILE */
    const char *count;     /* --count N */
    const char *jobs;      /* -j N, --jobs N */
    const char *max_pages; /* --max-pages N */
    const char *tile;      /* --tile PAPER */
    const char *size;      /* --size NAME: one of the layout's [page] sizes, or NULL (its design size) */
    const char *theme;     /* --theme FILE|NAME (theme.h's theme_for), or NULL: the project's default */
    const char *overlap;   /* --overlap LENGTH */
    bool print_shop;
    bool pdfx;             /* --pdfx (print_shop implies it) */
    const char *ink_limit; /* --ink-limit PERCENT, or NULL */
    bool overprint_black;  /* --overprint-black */
    bool no_marks;
    bool posting;          /* --posting-instructions: posting.h's page after the items */
    const char *const *sets; /* key=value, in order */
    int nsets;
    bool dry_run;        /* check: build everything, write nothing */
    const char *context; /* check: "jobs/x.ini:12: [posters]", put before an item's messages */
    bool job_item;       /* a job's item: set_ fields replace data columns (as in a batch), and
                          * the count stops at the data file's records */
    FILE *records;       /* --diagnostics: every message also as a record (diag_set_records) */
    fonts *fonts;        /* fonts to use (borrowed; a batch's plan shares them), or NULL */
} build_request;

/* A resolved build: read it, never change it. */
typedef struct build_spec {
    const build_request *rq;
    long long epoch;    /* SOURCE_DATE_EPOCH, or -1 */
    /* the files, by project.h's rules: NULL when the build reads none of that kind */
    char *root;         /* the project folder */
    char *sheet_path;
    char *data_file;
    char *profile_path;
    char *numbers_path; /* data/known-numbers.ini, when the project has one */
    char **lang_dirs;   /* one per language of [page] languages (content_sibling_path) */
    int nlangs;
    char *output;       /* -o, else output/<layout>-<content>.pdf */
    /* the inputs, loaded (NULL where not read, or where loading failed) */
    content *set;
    struct theme *theme; /* the theme the set's {theme.KEY} read, or NULL (none in the project) */
    layout *lay;
    content **lang_sets; /* nlangs of them (NULL where one failed to load) */
    data_table *data;
    sheet *sh;          /* prepared for the layout's page, when sheet output */
    printer_adjust printer;
    bool have_printer;
    compliance *profile;
    posting *posting;   /* --posting-instructions: the sheet, or NULL */
    numbers *known;
    fonts *fontdb;
    bool own_fontdb;
    long count;         /* the items to build (per language, times the languages) */
    render_opts ro;     /* what render_build is given */
    int status;         /* EXIT_OK, or the status found while resolving (status.h) */
} build_spec;

/* Resolves and loads what rq asks for, reporting every problem to d. Returns NULL only when out
 * of memory; otherwise a spec whose status says whether it can be built. */
build_spec *build_spec_load(const build_request *rq, diag *d);
void build_spec_free(build_spec *s);

/* Builds a spec that loaded without problems: checks, lays out, draws, and (unless a dry run)
 * writes, then says what was written. Returns the exit status. */
int build_spec_run(build_spec *s, diag *d);

/* SOURCE_DATE_EPOCH (reproducible-builds.org): seconds since 1970, digits only; -1 when unset.
 * EXIT_USAGE after a message when it is something else. */
int build_source_date_epoch(long long *epoch, diag *d);

#endif
