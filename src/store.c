/* store: see store.h. */
#define _DEFAULT_SOURCE /* getrandom */
#include "store.h"
#include "sha256.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

enum {
    STORE_BUSY_MS = 10000,          /* how long a write waits for another process's transaction */
    STORE_APPLICATION_ID = 0x48444f54, /* "HDOT": PRAGMA application_id, which tells our file from another */
};

struct store {
    sqlite3 *db;
    pthread_mutex_t lock;
    int version;
};

static const char *const STATUS_NAMES[STORE_NSTATUS] = { "received", "approved", "built",
                                                          "printed",  "shipped",  "cancelled" };

const char *store_status_name(store_status s)
{
    return s >= 0 && s < STORE_NSTATUS ? STATUS_NAMES[s] : "unknown";
}

store_status store_status_by_name(const char *name)
{
    for (int k = 0; name && k < STORE_NSTATUS; k++)
        if (strcmp(name, STATUS_NAMES[k]) == 0)
            return (store_status)k;
    return STORE_NSTATUS;
}

/* ---- the schema, one step per version ----
 * Step k takes a file of version k-1 to version k; a step is never changed once released (a file
 * made by it exists somewhere), a change is a new step. */

static const char SCHEMA_1[] =
    /* version 1: orders, their items and their history */
    "CREATE TABLE orders ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','received','approved','built','printed',"
    "'shipped','cancelled')),"
    " key_sha256 TEXT UNIQUE,"
    " placed_at TEXT,"
    " job_file TEXT,"
    " who TEXT,"
    " contact TEXT,"
    " agency TEXT,"
    " local_phone TEXT);"
    "CREATE TABLE items ("
    " id INTEGER PRIMARY KEY,"
    " order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
    " product TEXT NOT NULL,"
    " layout TEXT NOT NULL,"
    " language TEXT NOT NULL,"
    " version TEXT NOT NULL,"
    " quantity INTEGER NOT NULL CHECK (quantity > 0),"
    " items INTEGER,"
    " pages INTEGER,"
    " sheets INTEGER,"
    " paper TEXT);"
    "CREATE INDEX items_order ON items(order_id);"
    "CREATE TABLE history ("
    " id INTEGER PRIMARY KEY,"
    " order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
    " status TEXT NOT NULL CHECK (status IN ('received','approved','built','printed','shipped','cancelled')),"
    " at TEXT NOT NULL,"
    " staff TEXT NOT NULL,"
    " reason TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX history_order ON history(order_id, id);";

static const char SCHEMA_2[] =
    /* version 2: the builds of an order, their files (the manifest) and the QR codes they carry */
    "CREATE TABLE builds ("
    " id INTEGER PRIMARY KEY,"
    " order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
    " at TEXT NOT NULL,"
    " staff TEXT NOT NULL);"
    "CREATE INDEX builds_order ON builds(order_id);"
    "CREATE TABLE build_files ("
    " id INTEGER PRIMARY KEY,"
    " build_id INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,"
    " file TEXT NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " bytes INTEGER NOT NULL,"
    " pages INTEGER NOT NULL,"
    " sheets INTEGER NOT NULL,"
    " layout TEXT,"
    " language TEXT);"
    "CREATE INDEX build_files_build ON build_files(build_id);"
    "CREATE TABLE qr_codes ("
    " id INTEGER PRIMARY KEY,"
    " build_file_id INTEGER NOT NULL REFERENCES build_files(id) ON DELETE CASCADE,"
    " element TEXT NOT NULL,"
    " payload TEXT NOT NULL,"
    " uses INTEGER NOT NULL);"
    "CREATE INDEX qr_codes_file ON qr_codes(build_file_id);"
    "CREATE INDEX orders_status ON orders(status);";

static const char SCHEMA_3[] =
    /* version 3: what staff handed out at an event against an order's item */
    "CREATE TABLE handouts ("
    " id INTEGER PRIMARY KEY,"
    " order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
    " item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,"
    " day TEXT NOT NULL,"
    " place TEXT NOT NULL,"
    " product TEXT NOT NULL,"
    " language TEXT NOT NULL,"
    " quantity INTEGER NOT NULL CHECK (quantity > 0),"
    " staff TEXT NOT NULL,"
    " recorded_at TEXT NOT NULL);"
    "CREATE INDEX handouts_order ON handouts(order_id, item_id);";

static const char *const STEPS[STORE_VERSION] = { SCHEMA_1, SCHEMA_2, SCHEMA_3 };

/* ---- small helpers ---- */

static bool failed(store *s, const char *what, char *why, size_t whylen)
{
    snprintf(why, whylen, "%s: %s", what, s->db ? sqlite3_errmsg(s->db) : "no database");
    return false;
}

static bool exec(store *s, const char *sql, char *why, size_t whylen)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return true;
    snprintf(why, whylen, "%s", msg ? msg : sqlite3_errmsg(s->db));
    sqlite3_free(msg);
    return false;
}

static void rollback(store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static sqlite3_stmt *prep(store *s, const char *sql, char *why, size_t whylen)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        failed(s, "cannot prepare a statement", why, whylen);
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* Binds text (NULL: SQL NULL); a copy is made. */
static bool bind_text(sqlite3_stmt *st, int k, const char *v)
{
    return (v ? sqlite3_bind_text(st, k, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, k)) == SQLITE_OK;
}

/* One integer from a query of one row and one column (bound with text a, when given). */
static bool query_int(store *s, const char *sql, const char *a, long long *out, char *why, size_t whylen)
{
    sqlite3_stmt *st = prep(s, sql, why, whylen);
    if (!st)
        return false;
    bool ok = (!a || bind_text(st, 1, a)) && sqlite3_step(st) == SQLITE_ROW;
    if (ok)
        *out = sqlite3_column_int64(st, 0);
    else
        failed(s, "cannot read the store", why, whylen);
    sqlite3_finalize(st);
    return ok;
}

static char *dup_col(sqlite3_stmt *st, int k)
{
    const unsigned char *t = sqlite3_column_text(st, k);
    return strdup(t ? (const char *)t : "");
}

void store_now(char out[21])
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    long long v = e && *e ? strtoll(e, &end, 10) : 0;
    time_t t = e && *e && end && !*end && v >= 0 ? (time_t)v : time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    if (strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, 21, "1970-01-01T00:00:00Z");
}

/* ---- opening and migrating ---- */

static bool migrate(store *s, char *why, size_t whylen)
{
    /* one writer migrates; another process opening the same file at once waits, then finds it done */
    if (!exec(s, "BEGIN IMMEDIATE", why, whylen))
        return false;
    long long version = 0, app = 0, tables = 0;
    bool ok = query_int(s, "PRAGMA user_version", NULL, &version, why, whylen) &&
              query_int(s, "PRAGMA application_id", NULL, &app, why, whylen) &&
              query_int(s, "SELECT count(*) FROM sqlite_schema", NULL, &tables, why, whylen);
    if (ok && ((version == 0 && tables > 0) || (version > 0 && app != STORE_APPLICATION_ID))) {
        snprintf(why, whylen, "expected an order store (made by handout), found another SQLite database");
        ok = false;
    } else if (ok && version > STORE_VERSION) {
        snprintf(why, whylen, "expected an order store of version %d at most, found version %lld (made by a newer "
                 "handout)", STORE_VERSION, version);
        ok = false;
    }
    for (long long k = version; ok && k < STORE_VERSION; k++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %lld", k + 1); /* a number of ours, not a value */
        ok = exec(s, STEPS[k], why, whylen) && exec(s, pragma, why, whylen);
    }
    if (ok && version < STORE_VERSION) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA application_id = %d", STORE_APPLICATION_ID);
        ok = exec(s, pragma, why, whylen);
    }
    if (ok)
        ok = exec(s, "COMMIT", why, whylen);
    if (!ok)
        rollback(s);
    s->version = ok ? STORE_VERSION : (int)version;
    return ok;
}

store *store_open(const char *path, bool create, char *why, size_t whylen)
{
    store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(why, whylen, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&s->lock, NULL);
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_FULLMUTEX;
    int rc = sqlite3_open_v2(path, &s->db, flags, NULL);
    bool ok = rc == SQLITE_OK;
    if (!ok) {
        if (rc == SQLITE_CANTOPEN && !create)
            snprintf(why, whylen, "there is no order store %s (it is made when the first order is placed)", path);
        else
            snprintf(why, whylen, "cannot open the order store %s: %s", path,
                     s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
    }
    char inner[512] = "";
    if (ok) {
        sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
        sqlite3_extended_result_codes(s->db, 1);
        /* WAL: readers never wait for the writer, and the server and the command line share the
         * file; synchronous FULL: a transaction committed is on the disk (an acknowledged order
         * survives a power cut, not only a crash) */
        ok = exec(s, "PRAGMA foreign_keys = ON", inner, sizeof inner) &&
             exec(s, "PRAGMA journal_mode = WAL", inner, sizeof inner) &&
             exec(s, "PRAGMA synchronous = FULL", inner, sizeof inner) && migrate(s, inner, sizeof inner);
        if (!ok)
            snprintf(why, whylen, "%s: %s", path, inner);
    }
    if (!ok) {
        store_close(s);
        return NULL;
    }
    return s;
}

void store_close(store *s)
{
    if (!s)
        return;
    sqlite3_close(s->db);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

int store_schema_version(store *s)
{
    return s ? s->version : 0;
}

/* ---- writing an order ---- */

bool store_reserve(store *s, const char *name, bool *taken, char *why, size_t whylen)
{
    *taken = false;
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = prep(s, "INSERT INTO orders (name) VALUES (?1)", why, whylen);
    bool ok = st && bind_text(st, 1, name);
    int rc = ok ? sqlite3_step(st) : SQLITE_ERROR;
    ok = ok && rc == SQLITE_DONE;
    if (!ok && (rc & 0xff) == SQLITE_CONSTRAINT)
        *taken = true;
    if (!ok && st && !*taken)
        failed(s, "cannot reserve the order's name", why, whylen);
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->lock);
    return ok;
}

static void hexify(const unsigned char *b, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t k = 0; k < n; k++) {
        out[2 * k] = digits[b[k] >> 4];
        out[2 * k + 1] = digits[b[k] & 15];
    }
    out[2 * n] = '\0';
}

static bool make_key(char key[STORE_KEY_HEX])
{
    unsigned char bytes[32];
    size_t have = 0;
    while (have < sizeof bytes) {
        ssize_t n = getrandom(bytes + have, sizeof bytes - have, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        have += (size_t)n;
    }
    hexify(bytes, sizeof bytes, key);
    return true;
}

static void key_digest(const char *key, char out[SHA256_HEX])
{
    sha256 h;
    sha256_init(&h);
    sha256_update(&h, key, strlen(key));
    sha256_hex(&h, out);
}

/* Appends a change of status to the order's history and sets its status (inside a transaction). */
static bool add_event(store *s, long long order_id, store_status to, const char *at, const char *staff,
                      const char *reason, char *why, size_t whylen)
{
    sqlite3_stmt *st = prep(s, "INSERT INTO history (order_id, status, at, staff, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
                            why, whylen);
    bool ok = st && sqlite3_bind_int64(st, 1, order_id) == SQLITE_OK && bind_text(st, 2, store_status_name(to)) &&
              bind_text(st, 3, at) && bind_text(st, 4, staff) && bind_text(st, 5, reason ? reason : "") &&
              sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    st = ok ? prep(s, "UPDATE orders SET status = ?1 WHERE id = ?2", why, whylen) : NULL;
    ok = st && bind_text(st, 1, store_status_name(to)) && sqlite3_bind_int64(st, 2, order_id) == SQLITE_OK &&
         sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    if (!ok && !*why)
        failed(s, "cannot record the change of status", why, whylen);
    return ok;
}

bool store_confirm(store *s, const store_order *o, char key[STORE_KEY_HEX], char *why, size_t whylen)
{
    *why = '\0';
    if (!make_key(key)) {
        snprintf(why, whylen, "cannot make the order's key: getrandom: %s", strerror(errno));
        return false;
    }
    char digest[SHA256_HEX], at[21];
    key_digest(key, digest);
    store_now(at);
    pthread_mutex_lock(&s->lock);
    bool ok = exec(s, "BEGIN IMMEDIATE", why, whylen);
    long long id = 0;
    if (ok) {
        ok = query_int(s, "SELECT id FROM orders WHERE name = ?1 AND status = 'pending'", o->name, &id, why, whylen);
        if (!ok)
            snprintf(why, whylen, "the order %s was not reserved", o->name);
    }
    sqlite3_stmt *st = ok ? prep(s, "UPDATE orders SET key_sha256 = ?1, placed_at = ?2, job_file = ?3, who = ?4, "
                                    "contact = ?5, agency = ?6, local_phone = ?7 WHERE id = ?8", why, whylen)
                          : NULL;
    ok = st && bind_text(st, 1, digest) && bind_text(st, 2, at) && bind_text(st, 3, o->job_file) &&
         bind_text(st, 4, o->who) && bind_text(st, 5, o->contact) && bind_text(st, 6, o->agency) &&
         bind_text(st, 7, o->local_phone) && sqlite3_bind_int64(st, 8, id) == SQLITE_OK &&
         sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    for (int k = 0; ok && k < o->nitems; k++) {
        const store_item *it = &o->items[k];
        st = prep(s, "INSERT INTO items (order_id, product, layout, language, version, quantity, items, pages, sheets, "
                     "paper) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", why, whylen);
        ok = st && sqlite3_bind_int64(st, 1, id) == SQLITE_OK && bind_text(st, 2, it->product) &&
             bind_text(st, 3, it->layout) && bind_text(st, 4, it->language) && bind_text(st, 5, it->version) &&
             sqlite3_bind_int64(st, 6, it->quantity) == SQLITE_OK && sqlite3_bind_int64(st, 7, it->items) == SQLITE_OK &&
             sqlite3_bind_int64(st, 8, it->pages) == SQLITE_OK && sqlite3_bind_int64(st, 9, it->sheets) == SQLITE_OK &&
             bind_text(st, 10, it->paper) && sqlite3_step(st) == SQLITE_DONE;
        sqlite3_finalize(st);
    }
    ok = ok && add_event(s, id, STORE_RECEIVED, at, "web", "", why, whylen);
    ok = ok && exec(s, "COMMIT", why, whylen);
    if (!ok) {
        if (!*why)
            failed(s, "cannot write the order", why, whylen);
        rollback(s);
        memset(key, 0, STORE_KEY_HEX);
    }
    pthread_mutex_unlock(&s->lock);
    return ok;
}

char **store_pending(store *s, char *why, size_t whylen)
{
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = prep(s, "SELECT name FROM orders WHERE status = 'pending' ORDER BY id", why, whylen);
    char **names = calloc(1, sizeof *names);
    size_t n = 0;
    bool ok = st && names;
    int rc = SQLITE_DONE;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        char **grown = realloc(names, (n + 2) * sizeof *names);
        ok = grown != NULL;
        if (ok) {
            names = grown;
            names[n] = dup_col(st, 0);
            names[++n] = NULL;
            ok = names[n - 1] != NULL;
        }
    }
    if (ok && rc != SQLITE_DONE)
        ok = failed(s, "cannot read the store", why, whylen);
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->lock);
    if (!ok) {
        store_names_free(names);
        return NULL;
    }
    return names;
}

void store_names_free(char **names)
{
    for (size_t k = 0; names && names[k]; k++)
        free(names[k]);
    free(names);
}

bool store_forget(store *s, const char *name, char *why, size_t whylen)
{
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = prep(s, "DELETE FROM orders WHERE name = ?1 AND status = 'pending'", why, whylen);
    bool ok = st && bind_text(st, 1, name) && sqlite3_step(st) == SQLITE_DONE;
    if (st && !ok)
        failed(s, "cannot remove a pending order", why, whylen);
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->lock);
    return ok;
}

/* ---- changes of status ---- */

bool store_change_allowed(store_status from, store_status to)
{
    switch (to) {
    case STORE_APPROVED:
        return from == STORE_RECEIVED;
    case STORE_BUILT:
        return from == STORE_APPROVED || from == STORE_BUILT;
    case STORE_PRINTED:
        return from == STORE_BUILT;
    case STORE_SHIPPED:
        return from == STORE_PRINTED;
    case STORE_CANCELLED:
        return from != STORE_SHIPPED && from != STORE_CANCELLED;
    default:
        return false;
    }
}

/* Inside a transaction: the order's id after checking the change; false with *conflict when it
 * is not one to make now. */
static bool check_change(store *s, const char *name, long seen, store_status to, const char *staff,
                         const char *reason, long long *id, bool *conflict, char *why, size_t whylen)
{
    sqlite3_stmt *st = prep(s, "SELECT o.id, o.status, (SELECT count(*) FROM history h WHERE h.order_id = o.id) "
                               "FROM orders o WHERE o.name = ?1 AND o.status <> 'pending'", why, whylen);
    if (!st)
        return false;
    bool ok = bind_text(st, 1, name);
    int rc = ok ? sqlite3_step(st) : SQLITE_ERROR;
    if (rc == SQLITE_DONE) {
        snprintf(why, whylen, "there is no order %s", name);
        *conflict = true;
        ok = false;
    } else if (rc != SQLITE_ROW) {
        ok = failed(s, "cannot read the order", why, whylen);
    } else {
        *id = sqlite3_column_int64(st, 0);
        store_status now = store_status_by_name((const char *)sqlite3_column_text(st, 1));
        long long events = sqlite3_column_int64(st, 2);
        if (seen >= 0 && events != seen) {
            snprintf(why, whylen, "the order %s changed since it was shown (it is %s now, after %lld changes; the page "
                     "showed %ld): nothing was done", name, store_status_name(now), events, seen);
            *conflict = true;
            ok = false;
        } else if (!store_change_allowed(now, to)) {
            snprintf(why, whylen, "the order %s is %s: it cannot become %s", name, store_status_name(now),
                     store_status_name(to));
            *conflict = true;
            ok = false;
        }
    }
    sqlite3_finalize(st);
    if (ok && (!staff || !*staff || strlen(staff) > STORE_MAX_TEXT)) {
        snprintf(why, whylen, "expected the staff member's name (1 to %d bytes), found %s", STORE_MAX_TEXT,
                 staff && *staff ? "a longer one" : "none");
        *conflict = true;
        ok = false;
    }
    if (ok && reason && strlen(reason) > STORE_MAX_TEXT) {
        snprintf(why, whylen, "expected a reason of at most %d bytes, found %zu", STORE_MAX_TEXT, strlen(reason));
        *conflict = true;
        ok = false;
    }
    if (ok && to == STORE_CANCELLED && (!reason || !*reason)) {
        snprintf(why, whylen, "expected a reason for cancelling the order %s, found none", name);
        *conflict = true;
        ok = false;
    }
    return ok;
}

bool store_set_status(store *s, const char *name, long seen, store_status to, const char *staff, const char *reason,
                      bool *conflict, char *why, size_t whylen)
{
    *conflict = false;
    *why = '\0';
    if (to == STORE_RECEIVED || to >= STORE_NSTATUS) {
        snprintf(why, whylen, "expected approved, built, printed, shipped or cancelled, found %s",
                 store_status_name(to));
        *conflict = true;
        return false;
    }
    char at[21];
    store_now(at);
    pthread_mutex_lock(&s->lock);
    long long id = 0;
    bool ok = exec(s, "BEGIN IMMEDIATE", why, whylen) &&
              check_change(s, name, seen, to, staff, reason, &id, conflict, why, whylen) &&
              add_event(s, id, to, at, staff, reason, why, whylen) && exec(s, "COMMIT", why, whylen);
    if (!ok)
        rollback(s);
    pthread_mutex_unlock(&s->lock);
    return ok;
}

bool store_record_build(store *s, const char *name, long seen, const manifest_entry *const *e, int n,
                        const char *staff, bool *conflict, char *why, size_t whylen)
{
    *conflict = false;
    *why = '\0';
    char at[21];
    store_now(at);
    pthread_mutex_lock(&s->lock);
    long long id = 0, build = 0;
    bool ok = exec(s, "BEGIN IMMEDIATE", why, whylen) &&
              check_change(s, name, seen, STORE_BUILT, staff, NULL, &id, conflict, why, whylen);
    sqlite3_stmt *st = ok ? prep(s, "INSERT INTO builds (order_id, at, staff) VALUES (?1, ?2, ?3)", why, whylen) : NULL;
    ok = st && sqlite3_bind_int64(st, 1, id) == SQLITE_OK && bind_text(st, 2, at) && bind_text(st, 3, staff) &&
         sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    if (ok)
        build = sqlite3_last_insert_rowid(s->db);
    for (int k = 0; ok && k < n; k++) {
        char *file = malloc(strlen(e[k]->name) + 5);
        if (file)
            memcpy(file, e[k]->name, strlen(e[k]->name)), memcpy(file + strlen(e[k]->name), ".pdf", 5);
        st = prep(s, "INSERT INTO build_files (build_id, file, sha256, bytes, pages, sheets, layout, language) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", why, whylen);
        ok = file && st && sqlite3_bind_int64(st, 1, build) == SQLITE_OK && bind_text(st, 2, file) &&
             bind_text(st, 3, e[k]->sha) && sqlite3_bind_int64(st, 4, e[k]->bytes) == SQLITE_OK &&
             sqlite3_bind_int64(st, 5, e[k]->pages) == SQLITE_OK && sqlite3_bind_int64(st, 6, e[k]->sheets) == SQLITE_OK &&
             bind_text(st, 7, e[k]->layout) && bind_text(st, 8, e[k]->language) && sqlite3_step(st) == SQLITE_DONE;
        sqlite3_finalize(st);
        free(file);
        long long fid = ok ? sqlite3_last_insert_rowid(s->db) : 0;
        for (size_t q = 0; ok && q < e[k]->nqrs; q++) {
            st = prep(s, "INSERT INTO qr_codes (build_file_id, element, payload, uses) VALUES (?1, ?2, ?3, ?4)", why,
                      whylen);
            ok = st && sqlite3_bind_int64(st, 1, fid) == SQLITE_OK && bind_text(st, 2, e[k]->qrs[q].element) &&
                 bind_text(st, 3, e[k]->qrs[q].payload) && sqlite3_bind_int64(st, 4, e[k]->qrs[q].uses) == SQLITE_OK &&
                 sqlite3_step(st) == SQLITE_DONE;
            sqlite3_finalize(st);
        }
    }
    if (!ok && !*why)
        failed(s, "cannot record the build", why, whylen);
    ok = ok && add_event(s, id, STORE_BUILT, at, staff, "", why, whylen) && exec(s, "COMMIT", why, whylen);
    if (!ok)
        rollback(s);
    pthread_mutex_unlock(&s->lock);
    return ok;
}

/* ---- reading ---- */

bool store_last_file(store *s, const char *name, char **file, char *why, size_t whylen)
{
    *file = NULL;
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = prep(s, "SELECT f.file FROM build_files f JOIN builds b ON b.id = f.build_id JOIN orders o ON "
                               "o.id = b.order_id WHERE o.name = ?1 AND o.status <> 'pending' ORDER BY b.id DESC, f.id "
                               "LIMIT 1", why, whylen);
    int rc = st && bind_text(st, 1, name) ? sqlite3_step(st) : SQLITE_ERROR;
    if (rc == SQLITE_ROW)
        *file = dup_col(st, 0);
    else if (rc != SQLITE_DONE && st)
        failed(s, "cannot read the order's builds", why, whylen);
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->lock);
    return *file != NULL;
}

void store_view_free(store_view *v)
{
    if (!v)
        return;
    free(v->name);
    free(v->placed_at);
    free(v->who);
    free(v->contact);
    free(v->agency);
    free(v->local_phone);
    free(v->job_file);
    free(v->product);
    free(v->language);
    free(v->version);
    for (int k = 0; k < v->nevents; k++) {
        free(v->events[k].at);
        free(v->events[k].staff);
        free(v->events[k].reason);
    }
    free(v->events);
    for (int k = 0; k < v->nitems; k++)
        free(v->items[k]);
    free(v->items);
    for (int k = 0; k < v->ngiven; k++) {
        free(v->given[k].day);
        free(v->given[k].place);
        free(v->given[k].item);
        free(v->given[k].staff);
        free(v->given[k].at);
    }
    free(v->given);
    memset(v, 0, sizeof *v);
}

/* The columns every read of an order takes, in the order view_row reads them. */
#define VIEW_COLUMNS                                                                                                 \
    "o.id, o.name, o.placed_at, o.status, o.who, o.contact, o.agency, o.local_phone, o.job_file, i.product, "       \
    "i.language, i.version, i.quantity FROM orders o LEFT JOIN items i ON i.id = (SELECT min(id) FROM items WHERE "  \
    "order_id = o.id) "

static long long view_row(sqlite3_stmt *st, store_view *v)
{
    v->name = dup_col(st, 1);
    v->placed_at = dup_col(st, 2);
    v->status = store_status_by_name((const char *)sqlite3_column_text(st, 3));
    v->who = dup_col(st, 4);
    v->contact = dup_col(st, 5);
    v->agency = dup_col(st, 6);
    v->local_phone = dup_col(st, 7);
    v->job_file = dup_col(st, 8);
    v->product = dup_col(st, 9);
    v->language = dup_col(st, 10);
    v->version = dup_col(st, 11);
    v->quantity = (long)sqlite3_column_int64(st, 12);
    return sqlite3_column_int64(st, 0);
}

bool store_list(store *s, store_view **out, int *n, char *why, size_t whylen)
{
    *out = NULL;
    *n = 0;
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *st = prep(s, "SELECT " VIEW_COLUMNS "WHERE o.status <> 'pending' ORDER BY o.id", why, whylen);
    bool ok = st != NULL;
    int rc = SQLITE_DONE;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_view *grown = realloc(*out, (size_t)(*n + 1) * sizeof *grown);
        if (!grown) {
            ok = false;
            snprintf(why, whylen, "out of memory");
            break;
        }
        *out = grown;
        memset(&grown[*n], 0, sizeof *grown);
        view_row(st, &grown[(*n)++]);
    }
    if (ok && rc != SQLITE_DONE)
        ok = failed(s, "cannot read the store", why, whylen);
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->lock);
    if (!ok) {
        for (int k = 0; k < *n; k++)
            store_view_free(&(*out)[k]);
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return ok;
}

/* The order's items by name ("product (language)") and its hand-outs, into v. */
static bool read_items_given(store *s, long long id, store_view *v, char *why, size_t whylen)
{
    sqlite3_stmt *st = prep(s, "SELECT product || ' (' || language || ')' FROM items WHERE order_id = ?1 ORDER BY id",
                            why, whylen);
    int rc = st && sqlite3_bind_int64(st, 1, id) == SQLITE_OK ? SQLITE_OK : SQLITE_ERROR;
    while (rc != SQLITE_ERROR && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        char **grown = realloc(v->items, (size_t)(v->nitems + 1) * sizeof *grown);
        if (!grown) {
            rc = SQLITE_NOMEM;
            break;
        }
        v->items = grown;
        v->items[v->nitems++] = dup_col(st, 0);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return st ? failed(s, "cannot read the order's items", why, whylen) : false;
    st = prep(s, "SELECT day, place, product || ' (' || language || ')', staff, recorded_at, quantity FROM handouts "
                 "WHERE order_id = ?1 ORDER BY id", why, whylen);
    rc = st && sqlite3_bind_int64(st, 1, id) == SQLITE_OK ? SQLITE_OK : SQLITE_ERROR;
    while (rc != SQLITE_ERROR && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_given *grown = realloc(v->given, (size_t)(v->ngiven + 1) * sizeof *grown);
        if (!grown) {
            rc = SQLITE_NOMEM;
            break;
        }
        v->given = grown;
        store_given *g = &v->given[v->ngiven++];
        g->day = dup_col(st, 0);
        g->place = dup_col(st, 1);
        g->item = dup_col(st, 2);
        g->staff = dup_col(st, 3);
        g->at = dup_col(st, 4);
        g->quantity = (long)sqlite3_column_int64(st, 5);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return st ? failed(s, "cannot read the order's hand-outs", why, whylen) : false;
    return true;
}

/* The confirmed order of the row where column col equals value, with its history. */
static bool find(store *s, const char *col_sql, const char *value, store_view *v, bool *found, char *why,
                 size_t whylen)
{
    memset(v, 0, sizeof *v);
    *found = false;
    pthread_mutex_lock(&s->lock);
    /* one read transaction: the order and its history as of one moment */
    bool ok = exec(s, "BEGIN", why, whylen);
    sqlite3_stmt *st = ok ? prep(s, col_sql, why, whylen) : NULL;
    ok = st && bind_text(st, 1, value);
    int rc = ok ? sqlite3_step(st) : SQLITE_ERROR;
    long long id = 0;
    if (rc == SQLITE_ROW) {
        id = view_row(st, v);
        *found = true;
    } else if (rc != SQLITE_DONE) {
        ok = ok && failed(s, "cannot read the order", why, whylen);
    }
    sqlite3_finalize(st);
    st = ok && *found ? prep(s, "SELECT status, at, staff, reason FROM history WHERE order_id = ?1 ORDER BY id", why,
                             whylen)
                      : NULL;
    if (st && sqlite3_bind_int64(st, 1, id) == SQLITE_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            store_event *grown = realloc(v->events, (size_t)(v->nevents + 1) * sizeof *grown);
            if (!grown) {
                rc = SQLITE_NOMEM;
                break;
            }
            v->events = grown;
            store_event *ev = &v->events[v->nevents++];
            ev->status = store_status_by_name((const char *)sqlite3_column_text(st, 0));
            ev->at = dup_col(st, 1);
            ev->staff = dup_col(st, 2);
            ev->reason = dup_col(st, 3);
        }
        if (rc != SQLITE_DONE)
            ok = failed(s, "cannot read the order's history", why, whylen);
    }
    sqlite3_finalize(st);
    ok = ok && (!*found || read_items_given(s, id, v, why, whylen));
    if (ok)
        exec(s, "COMMIT", why, whylen);
    else
        rollback(s);
    pthread_mutex_unlock(&s->lock);
    if (!ok) {
        store_view_free(v);
        *found = false;
    }
    return ok && *found;
}

static bool is_key(const char *key)
{
    return key && strlen(key) == STORE_KEY_HEX - 1 && strspn(key, "0123456789abcdef") == STORE_KEY_HEX - 1;
}

bool store_find_by_key(store *s, const char *key, store_view *v, bool *found, char *why, size_t whylen)
{
    memset(v, 0, sizeof *v);
    *found = false;
    if (!is_key(key))
        return false;
    char digest[SHA256_HEX];
    key_digest(key, digest);
    return find(s, "SELECT " VIEW_COLUMNS "WHERE o.key_sha256 = ?1 AND o.status <> 'pending'", digest, v, found, why,
                whylen);
}

bool store_find_by_name(store *s, const char *name, store_view *v, bool *found, char *why, size_t whylen)
{
    return find(s, "SELECT " VIEW_COLUMNS "WHERE o.name = ?1 AND o.status <> 'pending'", name, v, found, why, whylen);
}

/* ---- export ---- */

/* One CSV cell (RFC 4180): quoted when it holds a comma, quote, line end or leading/trailing
 * space; a cell a spreadsheet would read as a formula gets a leading apostrophe. */
static void csv_cell(FILE *out, const char *v, bool last, bool defuse)
{
    if (!v)
        v = "";
    bool formula = defuse && strchr("=+-@\t\r", v[0]) != NULL && v[0] != '\0';
    bool quote = formula || strpbrk(v, ",\"\r\n") != NULL || (v[0] == ' ') || (*v && v[strlen(v) - 1] == ' ');
    if (quote)
        fputc('"', out);
    if (formula)
        fputc('\'', out);
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    if (quote)
        fputc('"', out);
    fputs(last ? "\r\n" : ",", out);
}

/* Writes the rows of sql (no parameters: every value comes from the store) under a header. */
static bool export_query(store *s, FILE *out, const char *header, const char *sql, bool defuse, char *why,
                         size_t whylen)
{
    pthread_mutex_lock(&s->lock);
    bool ok = exec(s, "BEGIN", why, whylen);
    sqlite3_stmt *st = ok ? prep(s, sql, why, whylen) : NULL;
    ok = st != NULL;
    if (ok) {
        fputs(header, out);
        fputs("\r\n", out);
    }
    int rc = SQLITE_DONE;
    int ncol = st ? sqlite3_column_count(st) : 0;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW)
        for (int k = 0; k < ncol; k++)
            csv_cell(out, (const char *)sqlite3_column_text(st, k), k == ncol - 1, defuse);
    if (ok && rc != SQLITE_DONE)
        ok = failed(s, "cannot read the store", why, whylen);
    sqlite3_finalize(st);
    if (ok)
        exec(s, "COMMIT", why, whylen);
    else
        rollback(s);
    pthread_mutex_unlock(&s->lock);
    if (ok && ferror(out)) {
        snprintf(why, whylen, "cannot write the CSV: %s", strerror(errno));
        ok = false;
    }
    return ok;
}

#define LAST_AT(st) "(SELECT max(h.at) FROM history h WHERE h.order_id = o.id AND h.status = '" st "')"

bool store_export_orders(store *s, FILE *out, char *why, size_t whylen)
{
    return export_query(
        s, out,
        "order,placed_at,status,who,contact,agency,local_phone,product,layout,language,version,quantity,items,pages,"
        "sheets,paper,approved_at,built_at,printed_at,shipped_at,cancelled_at,cancel_reason,job_file",
        "SELECT o.name, o.placed_at, o.status, o.who, o.contact, o.agency, o.local_phone, i.product, i.layout, "
        "i.language, i.version, i.quantity, i.items, i.pages, i.sheets, i.paper, " LAST_AT("approved") ", "
        LAST_AT("built") ", " LAST_AT("printed") ", " LAST_AT("shipped") ", " LAST_AT("cancelled") ", "
        "(SELECT h.reason FROM history h WHERE h.order_id = o.id AND h.status = 'cancelled' ORDER BY h.id DESC "
        "LIMIT 1), o.job_file "
        "FROM orders o LEFT JOIN items i ON i.order_id = o.id WHERE o.status <> 'pending' ORDER BY o.id, i.id",
        true, why, whylen);
}

bool store_export_history(store *s, FILE *out, char *why, size_t whylen)
{
    return export_query(s, out, "order,at,status,staff,reason",
                        "SELECT o.name, h.at, h.status, h.staff, h.reason FROM history h JOIN orders o ON "
                        "o.id = h.order_id WHERE o.status <> 'pending' ORDER BY h.id",
                        true, why, whylen);
}

bool store_export_distribution(store *s, FILE *out, char *why, size_t whylen)
{
    return export_query(
        s, out, "date,partner,item,quantity",
        "SELECT substr(" LAST_AT("shipped") ", 1, 10) AS day, coalesce(nullif(o.agency, ''), o.who), "
        "i.product || ' (' || i.language || ')', coalesce(i.items, i.quantity) FROM orders o JOIN items i ON "
        "i.order_id = o.id WHERE o.status = 'shipped' ORDER BY day, o.id, i.id",
        false, why, whylen);
}

/* ---- hand-outs ---- */

bool store_record_handout(store *s, const store_handout *h, bool *refused, char *why, size_t whylen)
{
    *refused = false;
    *why = '\0';
    if (!h->staff || !*h->staff || strlen(h->staff) > STORE_MAX_TEXT || !h->place || !*h->place ||
        strlen(h->place) > STORE_MAX_TEXT) {
        bool staff = !h->staff || !*h->staff || strlen(h->staff) > STORE_MAX_TEXT;
        const char *v = staff ? h->staff : h->place;
        snprintf(why, whylen, "expected %s (1 to %d bytes), found %s", staff ? "the staff member's name" : "the place",
                 STORE_MAX_TEXT, v && *v ? "a longer one" : "none");
        *refused = true;
        return false;
    }
    char at[21];
    store_now(at);
    pthread_mutex_lock(&s->lock);
    bool ok = exec(s, "BEGIN IMMEDIATE", why, whylen);
    /* the order and its status */
    long long order_id = 0;
    store_status status = STORE_NSTATUS;
    sqlite3_stmt *st = ok ? prep(s, "SELECT id, status FROM orders WHERE name = ?1 AND status <> 'pending'", why, whylen)
                          : NULL;
    int rc = st && bind_text(st, 1, h->order) ? sqlite3_step(st) : SQLITE_ERROR;
    if (rc == SQLITE_ROW) {
        order_id = sqlite3_column_int64(st, 0);
        status = store_status_by_name((const char *)sqlite3_column_text(st, 1));
    } else if (rc == SQLITE_DONE) {
        snprintf(why, whylen, "expected an order of the store, found no order named \"%s\"", h->order);
        *refused = true;
        ok = false;
    } else if (st) {
        ok = failed(s, "cannot read the order", why, whylen);
    } else {
        ok = false;
    }
    sqlite3_finalize(st);
    if (ok && status != STORE_BUILT && status != STORE_PRINTED && status != STORE_SHIPPED) {
        snprintf(why, whylen, "expected an order that was built (built, printed or shipped), found the order %s %s: "
                 "nothing was handed out from it", h->order, store_status_name(status));
        *refused = true;
        ok = false;
    }
    /* a staff page's form: sent after another hand-out of the order, or a second time */
    if (ok && h->seen >= 0) {
        long long now = -1;
        st = prep(s, "SELECT count(*) FROM handouts WHERE order_id = ?1", why, whylen);
        if (st && sqlite3_bind_int64(st, 1, order_id) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            now = sqlite3_column_int64(st, 0);
        else
            ok = st ? failed(s, "cannot read the order's hand-outs", why, whylen) : false;
        sqlite3_finalize(st);
        if (ok && now != h->seen) {
            snprintf(why, whylen, "expected the hand-outs the page showed (%ld), found %lld: the form was sent again, "
                     "or after another hand-out; nothing was recorded: open the order again", h->seen, now);
            *refused = true;
            ok = false;
        }
    }
    /* the item: by its product, or as "product (language)" when the order has the product in
     * several languages */
    long long item_id = 0, made = 0, given = 0, matches = 0;
    char *product = NULL, *language = NULL, *names = NULL;
    st = ok ? prep(s, "SELECT i.id, i.product, i.language, coalesce(i.items, i.quantity), (SELECT coalesce(sum(x.quantity), 0) "
                      "FROM handouts x WHERE x.item_id = i.id) FROM items i WHERE i.order_id = ?1 ORDER BY i.id",
                   why, whylen)
            : NULL;
    if (st && sqlite3_bind_int64(st, 1, order_id) == SQLITE_OK) {
        size_t nlen = 0;
        FILE *list = open_memstream(&names, &nlen);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *p = (const char *)sqlite3_column_text(st, 1), *l = (const char *)sqlite3_column_text(st, 2);
            p = p ? p : "";
            l = l ? l : "";
            if (list)
                fprintf(list, "%s\"%s (%s)\"", ftell(list) ? ", " : "", p, l);
            size_t pl = strlen(p);
            bool whole = strcmp(h->item, p) == 0;
            bool tagged = strncmp(h->item, p, pl) == 0 && strncmp(h->item + pl, " (", 2) == 0 &&
                          strncmp(h->item + pl + 2, l, strlen(l)) == 0 && strcmp(h->item + pl + 2 + strlen(l), ")") == 0;
            if (whole || tagged) {
                matches++;
                item_id = sqlite3_column_int64(st, 0);
                free(product);
                free(language);
                product = strdup(p);
                language = strdup(l);
                made = sqlite3_column_int64(st, 3);
                given = sqlite3_column_int64(st, 4);
            }
        }
        if (list)
            fclose(list);
        if (rc != SQLITE_DONE)
            ok = failed(s, "cannot read the order's items", why, whylen);
    } else {
        ok = false;
    }
    sqlite3_finalize(st);
    if (ok && matches != 1) {
        snprintf(why, whylen, "expected %s of the order %s (%s), found %s \"%s\"",
                 matches ? "one item, named as product (language)," : "an item", h->order, names ? names : "",
                 matches ? "several items named" : "no item named", h->item);
        *refused = true;
        ok = false;
    }
    if (ok && (!product || !language)) {
        snprintf(why, whylen, "out of memory");
        ok = false;
    }
    if (ok && h->quantity > made - given) {
        snprintf(why, whylen, "expected at most %lld more of %s (%s) from the order %s (%lld built, %lld handed out "
                 "already), found %ld: nothing was recorded", made - given > 0 ? made - given : 0, product, language,
                 h->order, made, given, h->quantity);
        *refused = true;
        ok = false;
    }
    st = ok ? prep(s, "INSERT INTO handouts (order_id, item_id, day, place, product, language, quantity, staff, "
                      "recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", why, whylen)
            : NULL;
    if (ok)
        ok = st && sqlite3_bind_int64(st, 1, order_id) == SQLITE_OK && sqlite3_bind_int64(st, 2, item_id) == SQLITE_OK &&
             bind_text(st, 3, h->date) && bind_text(st, 4, h->place) && bind_text(st, 5, product) &&
             bind_text(st, 6, language) && sqlite3_bind_int64(st, 7, h->quantity) == SQLITE_OK &&
             bind_text(st, 8, h->staff) && bind_text(st, 9, at) && sqlite3_step(st) == SQLITE_DONE;
    if (!ok && st && !*why)
        failed(s, "cannot record the hand-out", why, whylen);
    sqlite3_finalize(st);
    ok = ok && exec(s, "COMMIT", why, whylen);
    if (!ok)
        rollback(s);
    pthread_mutex_unlock(&s->lock);
    free(product);
    free(language);
    free(names);
    return ok;
}

/* The partner of an order as the distribution log names it: the agency, else who ordered. */
#define PARTNER "coalesce(nullif(o.agency, ''), o.who)"

bool store_export_handouts(store *s, FILE *out, char *why, size_t whylen)
{
    return export_query(s, out, "order,date,place,partner,product,language,item,quantity,staff,recorded_at",
                        "SELECT o.name, x.day, x.place, " PARTNER ", x.product, x.language, x.product || ' (' || "
                        "x.language || ')', x.quantity, x.staff, x.recorded_at FROM handouts x JOIN orders o ON "
                        "o.id = x.order_id ORDER BY x.day, x.id",
                        true, why, whylen);
}

bool store_export_handout_log(store *s, FILE *out, char *why, size_t whylen)
{
    return export_query(s, out, "date,partner,item,quantity",
                        "SELECT x.day, " PARTNER ", x.product || ' (' || x.language || ')', x.quantity FROM handouts x "
                        "JOIN orders o ON o.id = x.order_id ORDER BY x.day, x.id",
                        false, why, whylen);
}

bool store_export_partner_totals(store *s, FILE *out, char *why, size_t whylen)
{
    /* ordered: every confirmed order but the cancelled; built, shipped: the items made of the
     * orders that reached that status (a shipped order was built) */
    return export_query(
        s, out, "partner,ordered,built,shipped,handed_out",
        "SELECT " PARTNER " AS p, "
        "sum(CASE WHEN o.status <> 'cancelled' THEN i.quantity ELSE 0 END), "
        "sum(CASE WHEN o.status IN ('built','printed','shipped') THEN coalesce(i.items, i.quantity) ELSE 0 END), "
        "sum(CASE WHEN o.status = 'shipped' THEN coalesce(i.items, i.quantity) ELSE 0 END), "
        "sum((SELECT coalesce(sum(x.quantity), 0) FROM handouts x WHERE x.item_id = i.id)) "
        "FROM orders o JOIN items i ON i.order_id = o.id WHERE o.status <> 'pending' GROUP BY p ORDER BY p",
        false, why, whylen);
}
