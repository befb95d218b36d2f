/* orders: the command `handout orders`, staff's side of the order store on the command line.
 * Owns its actions (export, history, distribution and handouts as CSV, show, mark, handout), where the store is (ORDERS/orders.db,
 * ORDERS from --orders or ROOT/orders) and their messages; the store itself is store.c's. */
#ifndef HANDOUT_ORDERS_H
#define HANDOUT_ORDERS_H

#include "cli.h"

/* Runs `handout orders ACTION ...`; returns the exit status. */
int orders_main(const cli_options *o);

#endif
