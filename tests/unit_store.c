/* Unit tests of the order store (src/store.c): the changes of status an order may go through,
 * as docs/web.md lists them (received, approved, built, printed, shipped, in that order; built
 * again; cancelled from any but shipped and cancelled), a name reserved once, a pending order invisible and forgotten, a
 * confirmed one found by its key and never forgotten, the time from SOURCE_DATE_EPOCH. */
#define _DEFAULT_SOURCE /* mkdtemp, setenv */
#include "store.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_changes(void)
{
    /* the table of the order's life, written out from docs/web.md: row from, column to */
    static const char *const want[STORE_NSTATUS] = {
        /*            rec app blt prn shp can */
        /* received */ "010001",
        /* approved */ "001001",
        /* built    */ "001101",
        /* printed  */ "000011",
        /* shipped  */ "000000",
        /* cancelled*/ "000000",
    };
    int wrong = 0;
    char first[128] = "";
    for (int from = 0; from < STORE_NSTATUS; from++)
        for (int to = 0; to < STORE_NSTATUS; to++) {
            bool got = store_change_allowed((store_status)from, (store_status)to);
            if (got != (want[from][to] == '1')) {
                if (!wrong)
                    snprintf(first, sizeof first, "%s to %s: %s", store_status_name((store_status)from),
                             store_status_name((store_status)to), got ? "allowed" : "refused");
                wrong++;
            }
        }
    check(wrong == 0, "store: the 36 changes of status allowed and refused as the order's life has them", first);
    check(store_status_by_name("shipped") == STORE_SHIPPED && store_status_by_name("pending") == STORE_NSTATUS &&
              store_status_by_name(NULL) == STORE_NSTATUS,
          "store: status names read back; pending and NULL are none", NULL);
}

static void test_orders(void)
{
    char dir[] = "/tmp/handout-unit-store-XXXXXX";
    if (!mkdtemp(dir)) {
        check(0, "store: a temporary folder", NULL);
        return;
    }
    char path[128], why[512] = "";
    snprintf(path, sizeof path, "%s/orders.db", dir);
    store *none = store_open(path, false, why, sizeof why);
    check(!none && strstr(why, "there is no order store"), "store: opening without create makes nothing", why);
    store_close(none);
    setenv("SOURCE_DATE_EPOCH", "1770000000", 1);
    store *s = store_open(path, true, why, sizeof why);
    check(s != NULL, "store: made in a new file", why);
    if (!s) {
        unsetenv("SOURCE_DATE_EPOCH");
        return;
    }
    CHECK_INT("store: schema version", store_schema_version(s), STORE_VERSION);
    bool taken = false;
    check(store_reserve(s, "order-20260202-001", &taken, why, sizeof why), "store: a name reserved", why);
    check(!store_reserve(s, "order-20260202-001", &taken, why, sizeof why) && taken,
          "store: the same name again is taken", NULL);
    store_view v;
    bool found = true;
    check(!store_find_by_name(s, "order-20260202-001", &v, &found, why, sizeof why) && !found,
          "store: a pending order is not found", NULL);
    char **pending = store_pending(s, why, sizeof why);
    check(pending && pending[0] && strcmp(pending[0], "order-20260202-001") == 0 && !pending[1],
          "store: the pending order is listed", NULL);
    store_names_free(pending);
    store_item item = { "flyer-letter", "flyer-letter", "en", "sheets", 3, 3, 3, 3, "letter" };
    store_order o = { "order-20260202-001", "orders/order-20260202-001.ini", "Ann", "ann@example.org", NULL, NULL,
                      &item, 1 };
    char key[STORE_KEY_HEX];
    check(store_confirm(s, &o, key, why, sizeof why) && strlen(key) == 64, "store: the order confirmed, a key made",
          why);
    check(store_find_by_key(s, key, &v, &found, why, sizeof why) && found && strcmp(v.name, o.name) == 0 &&
              v.status == STORE_RECEIVED && v.nevents == 1 && strcmp(v.events[0].at, "2026-02-02T02:40:00Z") == 0 &&
              v.quantity == 3 && strcmp(v.who, "Ann") == 0,
          "store: found by its key: received at SOURCE_DATE_EPOCH's time, who and quantity", why);
    store_view_free(&v);
    key[0] = key[0] == 'a' ? 'b' : 'a';
    check(!store_find_by_key(s, key, &v, &found, why, sizeof why) && !found, "store: another key finds nothing", NULL);
    check(store_forget(s, o.name, why, sizeof why) && store_find_by_name(s, o.name, &v, &found, why, sizeof why),
          "store: a confirmed order is never forgotten", why);
    store_view_free(&v);
    bool conflict = false;
    check(!store_set_status(s, o.name, 0, STORE_APPROVED, "Sam", NULL, &conflict, why, sizeof why) && conflict,
          "store: a change with a stale count of changes is refused", why);
    check(store_set_status(s, o.name, 1, STORE_APPROVED, "Sam", NULL, &conflict, why, sizeof why),
          "store: approved with the right count", why);
    check(!store_set_status(s, o.name, 1, STORE_APPROVED, "Sam", NULL, &conflict, why, sizeof why) && conflict,
          "store: the same change sent again is refused", why);
    check(!store_set_status(s, o.name, -1, STORE_RECEIVED, "Sam", NULL, &conflict, why, sizeof why) && conflict,
          "store: no order becomes received again", why);
    store_close(s);
    unsetenv("SOURCE_DATE_EPOCH");
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

void test_store(void)
{
    test_changes();
    test_orders();
}
