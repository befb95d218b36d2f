/* job: a job file (jobs/NAME.ini): an event packet or a partner order. Owns the job model: the
 * [job] section (name, kind, date, place or partner, description, theme) and one item per other section
 * (layout, language, quantity, data, output, version, set_<field>), every value checked strictly, every
 * path resolved from the project folder (the folder above jobs/). A problem in [job], or more
 * than JOB_MAX_ITEMS items, makes the whole job invalid; a problem in an item marks that item only, so the others can still be built.
 * The job owns every string it holds; job_free releases them. */
#ifndef HANDOUT_JOB_H
#define HANDOUT_JOB_H

#include "diag.h"

#include <stdbool.h>

typedef enum { JOB_EVENT, JOB_ORDER } job_kind;

#define JOB_MAX_QUANTITY 1000000L
/* Items (sections besides [job]) in one job file: far more than an event or an order needs, few
 * enough that a mistake (a generated file gone wrong) is caught before anything is built. */
#define JOB_MAX_ITEMS 1000

typedef struct job_item {
    char *section;  /* the section name (lower-case), as in the file */
    int line;       /* of the section header */
    char *name;     /* the output's name: NAME.pdf in the job's folder */
    char *layout;   /* the layout file, resolved */
    char *size;     /* the size to build it at (a name LAYOUT-SIZE of a layout's [page] sizes), or NULL */
    char *content;  /* the content folder (content/<language>), resolved */
    char *language; /* as written */
    long quantity;  /* items asked for, 1 to JOB_MAX_QUANTITY; 0 when it is missing or wrong, or when the
                     * records' quantities say it (quantity_column) */
    char *quantity_column; /* quantity_column = NAME: each record of the data file makes the copies
                            * its column NAME asks for (then no quantity); or NULL */
    char *data;     /* the item's data file, resolved, or NULL */
    bool print_shop; /* version = print-shop: one item per page, with bleed, exactly quantity of them */
    char *ink_limit; /* ink_limit = PERCENT (checked), for CMYK output; or NULL */
    bool overprint_black; /* overprint_black = yes */
    char **sets;    /* "field=value", in file order */
    int nsets;
    char *error;    /* NULL, or why the item cannot be built (already reported) */
} job_item;

typedef struct job {
    char *path;
    char *root;     /* the project folder: "." for jobs/NAME.ini */
    char *name;
    char *slug;     /* the name made safe as a folder name: lower-case a-z, 0-9 and '-' */
    job_kind kind;
    char date[11];  /* YYYY-MM-DD */
    char *place;    /* or NULL */
    char *partner;  /* or NULL */
    char *description; /* or NULL */
    char *theme;    /* [job] theme: the theme of every item, resolved (a path); or NULL (the default) */
    job_item *items;
    int nitems;
} job;

/* Loads and checks path, reporting every problem to d. NULL when the file cannot be read or its
 * [job] section is invalid; otherwise a job whose broken items carry an error. */
job *job_load(const char *path, diag *d);
/* The same, with the project folder given (root) rather than taken from where the file lies: for
 * a job written elsewhere, such as the web page's temporary ones. */
job *job_load_at(const char *path, const char *root, diag *d);
void job_free(job *j);

const char *job_kind_name(job_kind k);

/* Sets the theme of every item (handout batch --theme, over the file's own); false when out of
 * memory. theme is a name or path, as the command line gave it. */
bool job_set_theme(job *j, const char *theme);

/* True when path is a job file rather than a layout, as `handout check` tells them apart: an INI
 * file with a [job] section that has no `type` key (a layout's sections are [page] and elements,
 * and every element has a type, so a layout element named [job] is not taken for one). A file
 * that cannot be read as INI is a job file when the folder holding it is named jobs; its errors
 * are then reported by job_load. */
bool job_is_job_file(const char *path);

/* A date written YYYY-MM-DD that is a real calendar day (Gregorian leap years), years 1900 to
 * 9999. Also used for the dates of a distribution log. */
bool job_date(const char *s);

#endif
