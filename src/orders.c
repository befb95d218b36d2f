/* orders: see orders.h. */
#include "orders.h"
#include "atomic.h"
#include "diag.h"
#include "job.h"
#include "status.h"
#include "store.h"
#include "strfmt.h"
#include "units.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    ACT_EXPORT, ACT_HISTORY, ACT_DISTRIBUTION, ACT_SHOW, ACT_MARK, ACT_HANDOUT, ACT_HANDOUTS, ACT_COUNT
} orders_action;

static const struct {
    const char *name;
    size_t args; /* after the action's name */
} ACTIONS[ACT_COUNT] = { { "export", 0 }, { "history", 0 }, { "distribution", 0 }, { "show", 1 }, { "mark", 2 },
                             { "handout", 1 }, { "handouts", 0 } };

#define ACTION_NAMES "export, history, distribution, handouts, show, mark or handout"
#define IS_CSV(act) ((act) == ACT_EXPORT || (act) == ACT_HISTORY || (act) == ACT_DISTRIBUTION || (act) == ACT_HANDOUTS)

/* The store's path: --orders DIR, else ROOT/orders (ROOT from --root, default "."). */
static char *store_path(const cli_options *o)
{
    if (o->value[OPT_ORDERS])
        return strfmt("%s/%s", o->value[OPT_ORDERS], STORE_FILE);
    return strfmt("%s/orders/%s", o->value[OPT_ROOT] ? o->value[OPT_ROOT] : ".", STORE_FILE);
}

/* The CSV to stdout, or to -o FILE (atomically). */
static int write_csv(const cli_options *o, store *st, orders_action act, diag *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    char why[1024] = "out of memory";
    bool ok = mem && (act == ACT_EXPORT     ? store_export_orders(st, mem, why, sizeof why)
                      : act == ACT_HISTORY  ? store_export_history(st, mem, why, sizeof why)
                      : act == ACT_HANDOUTS ? store_export_handouts(st, mem, why, sizeof why)
                                            : store_export_distribution(st, mem, why, sizeof why));
    if (mem)
        fclose(mem);
    if (!ok) {
        diag_error(d, "orders-store-failed", diag_at(NULL, 0), "orders: %s", why);
        free(buf);
        return EXIT_INTERNAL;
    }
    const char *out = o->value[OPT_OUTPUT];
    int status = EXIT_OK;
    if (!out) {
        if (fwrite(buf, 1, len, stdout) != len)
            status = EXIT_OUTPUT; /* main reports a failed standard output */
    } else {
        atomic_file a;
        if (!atomic_open(&a, out, why, sizeof why)) {
            diag_error(d, "output-write-failed", diag_at(out, 0), "%s", why);
            status = EXIT_OUTPUT;
        } else {
            atomic_write(&a, buf, len);
            if (!atomic_commit(&a, true, why, sizeof why)) {
                diag_error(d, "output-write-failed", diag_at(out, 0), "%s", why);
                status = EXIT_OUTPUT;
            }
        }
    }
    free(buf);
    return status;
}

static int show(store *st, const char *name, diag *d)
{
    store_view v;
    bool found;
    char why[1024] = "";
    if (!store_find_by_name(st, name, &v, &found, why, sizeof why)) {
        if (found || *why) {
            diag_error(d, "orders-store-failed", diag_at(NULL, 0), "orders: %s", why);
            return EXIT_INTERNAL;
        }
        diag_error(d, "orders-no-such-order", diag_at(NULL, 0), "orders: expected an order of the store, found no "
                   "order named \"%s\"", name);
        return EXIT_INPUT;
    }
    printf("order %s\nplaced %s\nstatus %s\n", v.name, v.placed_at, store_status_name(v.status));
    for (int k = 0; k < v.nevents; k++)
        printf("%s\t%s\t%s%s%s\n", v.events[k].at, store_status_name(v.events[k].status), v.events[k].staff,
               *v.events[k].reason ? "\t" : "", v.events[k].reason);
    store_view_free(&v);
    return EXIT_OK;
}

static int mark(const cli_options *o, store *st, const char *name, const char *to_name, diag *d)
{
    store_status to = store_status_by_name(to_name);
    if (to == STORE_RECEIVED || to == STORE_BUILT || to == STORE_NSTATUS)
        return cli_usage_fail(CMD_ORDERS, "usage-bad-status",
                              "mark: expected approved, printed, shipped or cancelled, found \"%s\"%s", to_name,
                              to == STORE_BUILT ? " (an order becomes built when the staff page builds it)" : "");
    if (!o->value[OPT_STAFF])
        return cli_usage_fail(CMD_ORDERS, "usage-missing-staff", "mark: expected --staff NAME, found none");
    bool conflict;
    char why[1024] = "";
    if (!store_set_status(st, name, -1, to, o->value[OPT_STAFF], o->value[OPT_REASON], &conflict, why, sizeof why)) {
        if (conflict) {
            diag_error(d, "orders-change-refused", diag_at(NULL, 0), "orders: %s", why);
            return EXIT_INPUT;
        }
        diag_error(d, "orders-store-failed", diag_at(NULL, 0), "orders: %s", why);
        return EXIT_INTERNAL;
    }
    fprintf(stderr, "handout: orders: %s is %s\n", name, store_status_name(to));
    return EXIT_OK;
}

/* How much of a bad value a message quotes: all of it on the command line, 40 bytes on the page. */
static int shown(const char *v, bool cli)
{
    size_t n = strlen(v);
    return (int)(cli || n < 40 ? (n < 4000 ? n : 4000) : 40);
}

bool orders_handout_check(const orders_handout *h, bool cli, long *quantity, orders_value *bad, char *why,
                          size_t whylen)
{
    const struct {
        const char *value, *cli, *web;
    } NEED[] = { { h->date, "--date YYYY-MM-DD", "date: expected a date as YYYY-MM-DD" },
                 { h->place, "--place TEXT", "place: expected where it was handed out" },
                 { h->item, "--item NAME", "item: expected one of the order's items" },
                 { h->quantity, "--quantity N", "quantity: expected a whole number from 1 up" },
                 { h->staff, "--staff NAME", "staff: expected your name" } };
    for (size_t k = 0; k < sizeof NEED / sizeof NEED[0]; k++)
        if (!NEED[k].value || (!cli && !*NEED[k].value)) {
            *bad = ORDERS_VALUE_MISSING;
            snprintf(why, whylen, cli ? "expected %s, found none" : "%s, found none", cli ? NEED[k].cli : NEED[k].web);
            return false;
        }
    if (!job_date(h->date)) {
        *bad = ORDERS_VALUE_BAD_DATE;
        snprintf(why, whylen, "%s: expected a date as YYYY-MM-DD (a real day), found \"%.*s%s\"", cli ? "--date" : "date",
                 shown(h->date, cli), h->date, (size_t)shown(h->date, cli) < strlen(h->date) ? "..." : "");
        return false;
    }
    if (!units_int(h->quantity, quantity, NULL) || strchr(h->quantity, ' ') || *quantity < 1) {
        *bad = ORDERS_VALUE_BAD_NUMBER;
        snprintf(why, whylen, "%s: expected a whole number from 1 up, found \"%.*s%s\"", cli ? "--quantity" : "quantity",
                 shown(h->quantity, cli), h->quantity, (size_t)shown(h->quantity, cli) < strlen(h->quantity) ? "..." : "");
        return false;
    }
    return true;
}

orders_handout_result orders_record_handout(store *st, const orders_handout *h, bool cli, orders_value *bad, char *why,
                                            size_t whylen)
{
    long quantity;
    if (!orders_handout_check(h, cli, &quantity, bad, why, whylen))
        return ORDERS_HANDOUT_BAD_VALUE;
    store_handout sh = { .order = h->order, .item = h->item, .date = h->date, .place = h->place,
                         .quantity = quantity, .staff = h->staff, .seen = h->seen };
    bool refused;
    *why = '\0';
    if (store_record_handout(st, &sh, &refused, why, whylen))
        return ORDERS_HANDOUT_RECORDED;
    if (!refused)
        return ORDERS_HANDOUT_FAILED;
    if (strncmp(why, "expected an order of the store", 30) == 0)
        return ORDERS_HANDOUT_NO_ORDER;
    if (strncmp(why, "expected the hand-outs", 22) == 0)
        return ORDERS_HANDOUT_STALE;
    return ORDERS_HANDOUT_REFUSED;
}

/* The usage message of a bad value of `orders handout` (why from orders_handout_check). */
static int handout_usage(orders_value bad, const char *why)
{
    if (bad == ORDERS_VALUE_MISSING)
        return cli_usage_fail(CMD_ORDERS, "usage-missing-option", "handout: %s", why);
    if (bad == ORDERS_VALUE_BAD_DATE)
        return cli_usage_fail(CMD_ORDERS, "usage-bad-date", "handout: %s", why);
    return cli_usage_fail(CMD_ORDERS, "usage-bad-number", "handout: %s", why);
}

/* The hand-out of the command line's options. */
static orders_handout cli_handout(const cli_options *o, const char *name)
{
    orders_handout h = { name, o->value[OPT_ITEM], o->value[OPT_DATE], o->value[OPT_PLACE], o->value[OPT_QUANTITY],
                         o->value[OPT_STAFF], -1 };
    return h;
}

static int handout(const cli_options *o, store *st, const char *name, diag *d)
{
    orders_handout h = cli_handout(o, name);
    orders_value bad = ORDERS_VALUE_OK;
    char why[2048] = "";
    orders_handout_result r = orders_record_handout(st, &h, true, &bad, why, sizeof why);
    if (r == ORDERS_HANDOUT_BAD_VALUE)
        return handout_usage(bad, why); /* checked before the store was opened */
    if (r != ORDERS_HANDOUT_RECORDED) {
        diag_error(d, r == ORDERS_HANDOUT_FAILED ? "orders-store-failed" : r == ORDERS_HANDOUT_NO_ORDER ? "orders-no-such-order"
                   : "orders-handout-refused", diag_at(NULL, 0), "orders: %s", why);
        return r == ORDERS_HANDOUT_FAILED ? EXIT_INTERNAL : EXIT_INPUT;
    }
    long quantity = 0;
    units_int(h.quantity, &quantity, NULL);
    fprintf(stderr, "handout: orders: %s: %ld of %s handed out on %s recorded\n", name, quantity, h.item, h.date);
    return EXIT_OK;
}

int orders_main(const cli_options *o)
{
    if (o->args.n == 0)
        return cli_usage_fail(CMD_ORDERS, "usage-missing-argument", "expected " ACTION_NAMES ", found none");
    orders_action act = ACT_COUNT;
    for (int k = 0; k < ACT_COUNT; k++)
        if (strcmp(o->args.items[0], ACTIONS[k].name) == 0)
            act = (orders_action)k;
    if (act == ACT_COUNT)
        return cli_usage_fail(CMD_ORDERS, "usage-unknown-action", "expected " ACTION_NAMES ", found \"%s\"",
                              o->args.items[0]);
    if (o->args.n - 1 != ACTIONS[act].args)
        return cli_usage_fail(CMD_ORDERS, o->args.n - 1 < ACTIONS[act].args ? "usage-missing-argument" : "usage-unexpected-argument",
                              "%s: expected %zu argument%s, found %zu", ACTIONS[act].name, ACTIONS[act].args,
                              ACTIONS[act].args == 1 ? "" : "s", o->args.n - 1);
    if (o->value[OPT_OUTPUT] && !IS_CSV(act))
        return cli_usage_fail(CMD_ORDERS, "usage-option-not-taken", "%s takes no -o: it writes no file",
                              ACTIONS[act].name);
    if ((o->value[OPT_STAFF] && act != ACT_MARK && act != ACT_HANDOUT) || (o->value[OPT_REASON] && act != ACT_MARK))
        return cli_usage_fail(CMD_ORDERS, "usage-option-not-taken", "--staff is for mark and handout, --reason for mark");
    if ((o->value[OPT_DATE] || o->value[OPT_PLACE] || o->value[OPT_ITEM] || o->value[OPT_QUANTITY]) &&
        act != ACT_HANDOUT)
        return cli_usage_fail(CMD_ORDERS, "usage-option-not-taken", "--date, --place, --item and --quantity are for handout");
    if (o->value[OPT_ORDERS] && o->value[OPT_ROOT])
        return cli_usage_fail(CMD_ORDERS, "usage-options-exclude", "--orders and --root: expected one, found both");
    int status;
    if (act == ACT_HANDOUT) {
        /* the values are checked before the store is opened (orders_record_handout checks them again) */
        orders_handout h = cli_handout(o, o->args.items[1]);
        long quantity;
        orders_value bad = ORDERS_VALUE_OK;
        char why[300];
        if (!orders_handout_check(&h, true, &quantity, &bad, why, sizeof why))
            return handout_usage(bad, why);
    }
    diag *d = diag_new(stderr);
    if (!d)
        return EXIT_INTERNAL;
    char *path = store_path(o);
    char why[1024] = "out of memory";
    /* no store is made here: the server makes it with the first order */
    store *st = path ? store_open(path, false, why, sizeof why) : NULL;
    if (!st) {
        diag_error(d, "orders-store-failed", diag_at(NULL, 0), "orders: %s", why);
        status = EXIT_INPUT;
    } else if (IS_CSV(act)) {
        status = write_csv(o, st, act, d);
    } else if (act == ACT_SHOW) {
        status = show(st, o->args.items[1], d);
    } else if (act == ACT_HANDOUT) {
        status = handout(o, st, o->args.items[1], d);
    } else {
        status = mark(o, st, o->args.items[1], o->args.items[2], d);
    }
    store_close(st);
    free(path);
    diag_free(d);
    return status;
}
