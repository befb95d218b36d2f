/* orders: the command `handout orders`, staff's side of the order store on the command line.
 * Owns its actions (export, history, distribution and handouts as CSV, show, mark, handout), where the store is (ORDERS/orders.db,
 * ORDERS from --orders or ROOT/orders) and their messages; the store itself is store.c's. Owns too
 * the one path by which a hand-out is recorded, for the command and for the staff page
 * (orders_record_handout): its checks of the typed values and its refusals. */
#ifndef HANDOUT_ORDERS_H
#define HANDOUT_ORDERS_H

#include "cli.h"
#include "store.h"

/* Runs `handout orders ACTION ...`; returns the exit status. */
int orders_main(const cli_options *o);

/* A hand-out as typed (on the command line or the staff page's form); NULL: not given. */
typedef struct orders_handout {
    const char *order, *item, *date, *place, *quantity, *staff;
    long seen; /* as store_handout's: the hand-outs the page showed, or -1 (the command line) */
} orders_handout;

/* What was wrong with a typed value (the command's usage ids: usage-missing-option, usage-bad-date,
 * usage-bad-number). */
typedef enum { ORDERS_VALUE_OK, ORDERS_VALUE_MISSING, ORDERS_VALUE_BAD_DATE, ORDERS_VALUE_BAD_NUMBER } orders_value;

typedef enum {
    ORDERS_HANDOUT_RECORDED,
    ORDERS_HANDOUT_BAD_VALUE,  /* a value missing or malformed (nothing looked up); *bad says which */
    ORDERS_HANDOUT_NO_ORDER,   /* no such order */
    ORDERS_HANDOUT_STALE,      /* the page's form was sent again, or after another hand-out */
    ORDERS_HANDOUT_REFUSED,    /* the store refused it (not built, no such item, more than was built...) */
    ORDERS_HANDOUT_FAILED      /* the store could not be read or written */
} orders_handout_result;

/* Checks the typed values (every one given, a real date, a whole quantity from 1 up): true, with
 * the quantity, or false with the message in why and what was wrong in *bad. cli: the values are named
 * as the command's options ("--date"), else as the page's fields ("date"). */
bool orders_handout_check(const orders_handout *h, bool cli, long *quantity, orders_value *bad, char *why,
                          size_t whylen);
/* Checks and records a hand-out in the store; why gets the message of any refusal. */
orders_handout_result orders_record_handout(store *st, const orders_handout *h, bool cli, orders_value *bad, char *why,
                                            size_t whylen);

#endif
