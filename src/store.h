/* store: the order store, one SQLite database (ORDERS/orders.db). The only room that includes
 * sqlite3.h. Owns the schema and its versions (PRAGMA user_version, migrated step by step in code
 * when a database is opened), every transaction, the connection's settings (WAL journal, full
 * synchronisation, a busy timeout, so that the server and the command line may use the file at
 * once), the orders with their items, who ordered and how to reach them, each order's status and
 * its history (time and staff member of every change), the manifests of its builds (files,
 * SHA-256, pages) and the QR codes they carry, what staff handed out at events from an order's
 * items, the partner's order key (kept as its SHA-256 only), and the CSV export of orders,
 * history and hand-outs. Every value from outside reaches SQLite as a
 * bound parameter, never as part of a statement's text.
 *
 * An order is written in two steps: store_reserve takes its name (a pending row that no read
 * shows), the caller writes the order's files, store_confirm completes it in one transaction;
 * only then is it acknowledged. A pending row found later (the process died between the two) is
 * rolled back with store_pending and store_forget, its files removed by the caller.
 *
 * A store handle may be used from several threads: each call takes the handle's lock. Failures
 * return false (NULL) with a reason in why. */
#ifndef HANDOUT_STORE_H
#define HANDOUT_STORE_H

#include "manifest.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum {
    STORE_VERSION = 3,       /* the schema this program writes */
    STORE_KEY_HEX = 65,      /* an order key: 64 lower-case hexadecimal digits (32 random bytes) and a NUL */
    STORE_MAX_TEXT = 1000,   /* bytes in a staff member's name or a reason */
};

/* The store's file in an orders folder: ORDERS/orders.db (with orders.db-wal and orders.db-shm
 * beside it while it is in use). */
#define STORE_FILE "orders.db"

typedef enum {
    STORE_RECEIVED, STORE_APPROVED, STORE_BUILT, STORE_PRINTED, STORE_SHIPPED, STORE_CANCELLED, STORE_NSTATUS
} store_status;

const char *store_status_name(store_status s); /* "received" */
/* The status of that name; STORE_NSTATUS when none. */
store_status store_status_by_name(const char *name);

typedef struct store store;

/* Opens the store at path, creating it (and its schema) when create is set and it is not there,
 * and migrating an older schema to STORE_VERSION. NULL with a reason when the file is not a
 * store, is from a newer program, or cannot be opened. */
store *store_open(const char *path, bool create, char *why, size_t whylen);
void store_close(store *s);
/* The schema version of the open file (after migration: STORE_VERSION). */
int store_schema_version(store *s);

/* One item of an order. */
typedef struct store_item {
    const char *product, *layout, *language, *version;
    long quantity, items, pages, sheets;
    const char *paper;
} store_item;

/* What an order holds when it is confirmed. */
typedef struct store_order {
    const char *name;        /* "order-20261128-001", as store_reserve took it */
    const char *job_file;    /* the job file, as staff would type it */
    const char *who, *contact;
    const char *agency, *local_phone; /* or NULL */
    const store_item *items;
    int nitems;
} store_order;

/* Takes name for an order being written: false with *taken set when the store already has it. */
bool store_reserve(store *s, const char *name, bool *taken, char *why, size_t whylen);
/* Completes a reserved order in one transaction (its details, items, status received with the
 * time), and makes its key: 32 bytes from getrandom as hexadecimal, into key. Only the key's
 * SHA-256 is kept. */
bool store_confirm(store *s, const store_order *o, char key[STORE_KEY_HEX], char *why, size_t whylen);
/* The names of the pending orders (reserved, never confirmed), NULL-terminated; caller frees
 * with store_names_free. NULL on failure. */
char **store_pending(store *s, char *why, size_t whylen);
void store_names_free(char **names);
/* Removes a pending order (a confirmed one is never removed). */
bool store_forget(store *s, const char *name, char *why, size_t whylen);

/* Whether an order of status from may become to (the changes store_set_status allows). */
bool store_change_allowed(store_status from, store_status to);

/* Changes an order's status, recording the time, the staff member and the reason, in one
 * transaction. Only the changes of the order's life are allowed: received to approved, approved
 * to built, built to built again (a rebuild) or printed, printed to shipped, and any but
 * shipped and cancelled to cancelled (which needs a reason); any other is refused with *conflict
 * set. seen, when not negative, is the number of changes the staff member saw in the order's
 * history: when the history has another number (a change made meanwhile, or the same change sent
 * twice), nothing changes and *conflict is set. */
bool store_set_status(store *s, const char *name, long seen, store_status to, const char *staff, const char *reason,
                      bool *conflict, char *why, size_t whylen);
/* Records a build of the order: each output with its SHA-256, bytes and pages, and the QR codes
 * it carries, and sets the status to built (as store_set_status), in one transaction. */
bool store_record_build(store *s, const char *name, long seen, const manifest_entry *const *e, int n,
                        const char *staff, bool *conflict, char *why, size_t whylen);

/* The first file of the order's last build ("JOB/ITEM.pdf", as store_record_build was given it):
 * false (and *file NULL) when the order has no build. Caller frees. */
bool store_last_file(store *s, const char *name, char **file, char *why, size_t whylen);

/* One change of status, as shown. */
typedef struct store_event {
    store_status status;
    char *at, *staff, *reason; /* reason: "" when none */
} store_event;

/* One hand-out of an order, as shown to staff. */
typedef struct store_given {
    char *day, *place, *item, *staff, *at; /* item: "product (language)"; at: when it was recorded */
    long quantity;
} store_given;

/* An order as read back: what a partner's status page shows (name, status, history) and, for
 * staff, who ordered, its first item, every item's name ("product (language)", as
 * store_record_handout takes it) and what was handed out from it. */
typedef struct store_view {
    char *name, *placed_at;
    store_status status;
    store_event *events;
    int nevents;
    char *who, *contact, *agency, *local_phone, *job_file; /* "" when none */
    char *product, *language, *version;
    long quantity;
    char **items; /* by store_find_by_name and store_find_by_key only */
    int nitems;
    store_given *given; /* likewise, as recorded */
    int ngiven;
} store_view;

/* Finds the confirmed order whose key is key: false (and *found false) when there is none, or
 * the key is not 64 lower-case hexadecimal digits. */
bool store_find_by_key(store *s, const char *key, store_view *v, bool *found, char *why, size_t whylen);
/* The same by the order's name (for staff). */
bool store_find_by_name(store *s, const char *name, store_view *v, bool *found, char *why, size_t whylen);
void store_view_free(store_view *v);
/* Every confirmed order (without its history), oldest first; *n of them. Caller frees each with
 * store_view_free, then the array. */
bool store_list(store *s, store_view **out, int *n, char *why, size_t whylen);

/* The confirmed orders as CSV (RFC 4180; a cell that a spreadsheet would take for a formula,
 * starting with = + - @ or a tab, gets a leading '): one row per item, with who ordered, the
 * current status and the time each status was last reached. */
bool store_export_orders(store *s, FILE *out, char *why, size_t whylen);
/* Every change of status of the confirmed orders as CSV, one row each, in the order made. */
bool store_export_history(store *s, FILE *out, char *why, size_t whylen);

/* The shipped orders as a distribution log (the CSV `handout report` reads): columns date (the
 * day it was shipped, YYYY-MM-DD), partner (the agency, else who ordered), item (product and
 * language, "flyer-letter (en)") and quantity (the items made), one row per item, in the order
 * shipped. Cells are quoted as RFC 4180 asks, not defused: the report reads them as text. */
bool store_export_distribution(store *s, FILE *out, char *why, size_t whylen);

/* What staff handed out at an event from an order's item (schema version 3). */
typedef struct store_handout {
    const char *order;   /* the order's name */
    const char *item;    /* the item's product ("flyer-letter"), or "flyer-letter (es)" when the order has the
                          * product in several languages */
    const char *date;    /* the day handed out, YYYY-MM-DD (checked by the caller) */
    const char *place;   /* where: the event or place, 1 to STORE_MAX_TEXT bytes */
    long quantity;       /* more than 0 */
    const char *staff;   /* who recorded it, 1 to STORE_MAX_TEXT bytes */
    long seen;           /* the number of the order's hand-outs the staff page showed (a form sent again, or
                          * after another hand-out, is refused), or -1: not checked (the command line) */
} store_handout;

/* Records a hand-out in one transaction, with the item's product and language and the time now.
 * Refused (false, *refused set, nothing written) when the order is unknown or was never built
 * (built, printed or shipped), the item is unknown or ambiguous, the place or the staff member's
 * name is empty or too long, the order's hand-outs are not the h->seen the page showed (why then
 * begins "expected the hand-outs"), or the quantity would bring the item's hand-outs above the
 * items built for it. */
bool store_record_handout(store *s, const store_handout *h, bool *refused, char *why, size_t whylen);
/* The hand-outs as CSV, by date then as recorded: order, date, place, partner, product,
 * language, item ("product (language)"), quantity, staff, recorded_at (cells defused as in
 * store_export_orders). */
bool store_export_handouts(store *s, FILE *out, char *why, size_t whylen);
/* The hand-outs as a distribution log (date, partner, item, quantity; not defused). */
bool store_export_handout_log(store *s, FILE *out, char *why, size_t whylen);
/* Per partner (the agency, else who ordered), by name: the quantity ordered (orders not
 * cancelled), built (items made of the orders built, printed or shipped), shipped and handed
 * out, as CSV partner,ordered,built,shipped,handed_out. */
bool store_export_partner_totals(store *s, FILE *out, char *why, size_t whylen);

/* The time now as the store writes it, "2026-02-02T00:00:00Z" (UTC): SOURCE_DATE_EPOCH's when
 * it is set, so that tests are reproducible. */
void store_now(char out[21]);

#endif
