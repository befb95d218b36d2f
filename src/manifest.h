/* manifest: what the batch knows about each output it made. Owns the record of one item (its
 * inputs with their SHA-256, the key that sums them up, the output's digest, pages, sheets, paper
 * and the QR payloads it carries), the record's file beside the output (.handout/NAME.stamp, read
 * back on the next run to tell what is up to date) and the job's manifest.csv and manifest.json.
 * A record owns every string in it; manifest_entry_free releases them. */
#ifndef HANDOUT_MANIFEST_H
#define HANDOUT_MANIFEST_H

#include "sha256.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct manifest_input {
    char *path;
    char sha[SHA256_HEX];
} manifest_input;

/* One QR payload and the element that carries it, with how many times it is printed. */
typedef struct manifest_qr {
    char *element;
    char *payload;
    long uses;
} manifest_qr;

/* One record of a data file with quantities: its line, its first column's value, its copies. */
typedef struct manifest_record {
    int line;
    char *label;
    long quantity;
} manifest_record;

typedef struct manifest_entry {
    char *name;       /* the output is NAME.pdf, in the job's folder */
    char *section;    /* the item's section in the job file */
    char *layout;     /* path */
    char *language;
    long asked;       /* quantity in the job file */
    long items;       /* items made: asked, rounded up to full sheets */
    int per_sheet;    /* items per sheet, 0 when not imposed on a sheet */
    int pages;
    long sheets;      /* sheets of paper: pages, or half of them when two-sided */
    bool two_sided;
    double page_w, page_h; /* points, of the first page */
    char version[32];      /* of the handout that built it */
    char tool_sha[SHA256_HEX]; /* of the handout binary that built it */
    char key[SHA256_HEX];  /* sums up the inputs, the binary and the build's arguments */
    char sha[SHA256_HEX];  /* of the output */
    long long bytes;
    manifest_input *inputs;
    size_t ninputs, capinputs;
    manifest_qr *qrs;
    size_t nqrs, capqrs;
    /* with quantities per record (a job item's quantity_column): the data file, the column, and
     * each record's line, first value and copies, in record order (its serials follow on) */
    char *qty_data, *qty_column;
    manifest_record *records;
    size_t nrecords, caprecords;
} manifest_entry;

void manifest_entry_free(manifest_entry *e); /* the strings and arrays, not e itself */
/* Adds an input (kept in the order added; a path already there is not added again). */
bool manifest_add_input(manifest_entry *e, const char *path, const char *sha);
/* Removes the input at path, if it is there. */
void manifest_remove_input(manifest_entry *e, const char *path);
/* Adds a record with quantities (kept in the order added). */
bool manifest_add_record(manifest_entry *e, int line, const char *label, long quantity);
/* Counts one use of payload by element. */
bool manifest_add_qr(manifest_entry *e, const char *element, const char *payload);

/* Reads a build's description (--dump): its pages with the first one's size, and the QR payloads
 * with their elements; sheets follow from the pages and e->two_sided. False with a reason. */
bool manifest_read_dump(manifest_entry *e, const char *path, char *why, size_t whylen);

/* The paper's name for a page size ("letter", "a4", "tabloid", "18 x 24 in"), into buf. */
void manifest_paper_name(double w, double h, char *buf, size_t size);

/* Writes the record to path (atomically); false with a reason. */
bool manifest_stamp_write(const manifest_entry *e, const char *path, char *why, size_t whylen);
/* Reads a record written by manifest_stamp_write; false when it is missing or unreadable. */
bool manifest_stamp_read(manifest_entry *e, const char *path);

/* The job's manifests, one row per output file (path relative to the job's folder). Each is
 * written only when its bytes change, so that a rerun leaves the files (and their times) as
 * they were. */
bool manifest_write_csv(const manifest_entry *const *e, int n, const char *path, char *why, size_t whylen);
bool manifest_write_json(const char *job_name, const manifest_entry *const *e, int n, const char *path,
                         char *why, size_t whylen);

/* Replaces path with len bytes of buf unless it already holds exactly those (atomically). */
bool manifest_write_if_changed(const char *path, const char *buf, size_t len, char *why, size_t whylen);

#endif
