/* serve: see serve.h. */
#define _DEFAULT_SOURCE   /* mkdtemp, realpath */
#include "serve.h"
#include "atomic.h"
#include "diag.h"
#include "image.h"
#include "orders.h"
#include "readfile.h"
#include "sha256.h"
#include "status.h"
#include "store.h"
#include "strfmt.h"
#include "webbuild.h"
#include "webform.h"
#include "webpage.h"
#include "webproof.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
    SERVE_MAX_BODY = 6 << 20,      /* bytes in one request's body: a logo and the form */
    SERVE_MAX_FIELDS = 64,         /* parts in one form */
    SERVE_CONNECTIONS = 64,        /* connections at once */
    SERVE_PER_CLIENT = 16,         /* connections at once from one address (a browser opens at most 6) */
    SERVE_PROOF_SECONDS = 1800,    /* the longest the staff page's proof sheet (every product built) may take */
    SERVE_IDLE_SECONDS = 30,       /* a connection that sends nothing for this long is closed (--idle-timeout) */
    SERVE_HEADER_SECONDS = 20,     /* a request's headers must have arrived within this time (--header-timeout) */
    SERVE_MIN_TOKEN = 16,          /* characters in an access token */
    SERVE_REQUEST_SECONDS = 60,    /* a whole request, headers and body, must have arrived within this time
                                      (--request-timeout): a 6 MiB upload at 1 Mbit/s takes about 50 s */
    SERVE_MAX_LOGOS = 64,          /* logos kept for reuse; the least recently used go first */
    SERVE_MAX_STAFF_BUILDS = 16,   /* staff builds whose progress is told at once */
};

/* A staff build running: what GET /staff/progress/ORDER reports. */
typedef struct staff_build {
    char name[24];  /* the order; "" when the slot is free */
    double since;   /* when it began (seconds, the real-time clock: the stamps' times are compared) */
    int total;      /* the job's items */
    char *outdir;
} staff_build;

typedef enum { R_PREVIEW, R_PREVIEW_JSON, R_DOWNLOAD, R_ORDER, R_STAFF_ACTION, R_STAFF_HANDOUT } route;

/* Where a connection's current request is: its headers arriving (from the moment the connection
 * opened, or its previous answer ended), its body arriving, or being answered. */
typedef enum { CONN_HEADERS, CONN_BODY, CONN_ANSWERING } conn_phase;

/* One open connection, as the watchdog sees it (its socket context). */
typedef struct conn {
    struct conn *prev, *next;
    int fd;           /* a duplicate of its socket, ours to shut down: never a number reused meanwhile */
    conn_phase phase;
    double since;     /* when the phase began (seconds, monotonic clock) */
    double request_since; /* when its request began: the connection opened, or its previous answer ended */
    bool cut;         /* shut down by the watchdog */
    char peer[INET6_ADDRSTRLEN];
} conn;

typedef struct server {
    web_catalogue *cat;
    webbuild *wb;
    char *root, *orders, *tmpdir, *logos;
    const char *token;
    const char *staff_token; /* the staff page's, or NULL: no staff page */
    char *css, *js, *staff_js;
    size_t css_len, js_len, staff_js_len;
    staff_build builds[SERVE_MAX_STAFF_BUILDS]; /* under lock */
    int max_builds;
    double queue_wait, build_timeout, header_timeout, request_timeout;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int building;  /* builds running */
    int in_flight; /* requests between their first call and their completion */
    unsigned long next_id;
    bool stopping;
    unsigned long served, refused;
    conn *conns;       /* the open connections (under lock) */
    bool watch_stop;   /* tells the watchdog to end (under lock) */
    store *store;      /* the order store, ORDERS/orders.db */
    webproof *proof;   /* the staff page's proof sheet, kept in the server's TMPDIR folder */
    const char *crash_at; /* HANDOUT_TEST_CRASH: a point where the tests kill the server (SIGKILL), or NULL */
    double build_linger;  /* HANDOUT_TEST_BUILD_LINGER: seconds a staff build waits, its items built, before
                           * it is recorded (so that the tests see its progress at the end), or 0 */
} server;

/* The fields of the staff page's forms: a change (order, action, staff, reason) and a hand-out
 * (order, item, date, place, quantity, staff). */
enum { SF_ORDER, SF_ACTION, SF_STAFF, SF_REASON, SF_ITEM, SF_DATE, SF_PLACE, SF_QUANTITY, SF_COUNT };

typedef struct request {
    route rt;
    bool is_post;
    struct MHD_PostProcessor *pp;
    char *dir;
    size_t received;
    int nparts;
    /* the text fields as they arrive (a value may come in pieces) */
    char *acc[WF_COUNT];
    size_t acclen[WF_COUNT];
    char logo_id[80];
    /* the uploaded logo */
    FILE *logo;
    char *logo_tmp;
    size_t logo_bytes;
    int fail_status;
    char fail_reason[300];
    web_form form;
    /* a staff page's form: each value kept up to one byte past its limit (then refused) */
    char *staff_val[SF_COUNT]; /* as STAFF_FIELDS */
    size_t staff_len[SF_COUNT];
    char seen[24];
} request;

static const char *const STAFF_FIELDS[SF_COUNT] = { "order", "action", "staff", "reason", "item", "date", "place",
                                                    "quantity" };

/* ---- small helpers ---- */

/* Compares in time independent of where the strings differ. */
static bool same_secret(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char diff = (unsigned char)(la != lb);
    for (size_t i = 0; i < la; i++)
        diff |= (unsigned char)(a[i] ^ b[i % (lb ? lb : 1)]);
    return diff == 0;
}

static void security_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cache-Control", "no-store");
}

/* reply with one more header (name: value) when name is not NULL */
static enum MHD_Result reply_with(struct MHD_Connection *c, int status, char *body, const char *type, const char *name,
                                  const char *value);

static enum MHD_Result reply(struct MHD_Connection *c, int status, char *body, const char *type)
{
    return reply_with(c, status, body, type, NULL, NULL);
}

static enum MHD_Result reply_with(struct MHD_Connection *c, int status, char *body, const char *type, const char *name,
                                  const char *value)
{
    if (!body) {
        static char oom[] = "out of memory\n";
        struct MHD_Response *r = MHD_create_response_from_buffer(strlen(oom), oom, MHD_RESPMEM_PERSISTENT);
        enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_INTERNAL_SERVER_ERROR, r);
        MHD_destroy_response(r);
        return ok;
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", type);
    if (name)
        MHD_add_response_header(r, name, value);
    security_headers(r);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ok;
}

/* One more request answered (served true) or refused, for the counts the server logs at its end. */
static void count_answer(server *s, bool served)
{
    pthread_mutex_lock(&s->lock);
    if (served)
        s->served++;
    else
        s->refused++;
    pthread_mutex_unlock(&s->lock);
}

/* A refusal: the page for a browser, a JSON object for the page's script. */
static enum MHD_Result refuse(server *s, struct MHD_Connection *c, request *rq, int status, const char *reason)
{
    count_answer(s, false);
    fprintf(stderr, "handout: serve: %d: %s\n", status, reason);
    if (rq && rq->rt == R_PREVIEW_JSON && rq->is_post)
        return reply(c, status, webpage_problem_json(status, reason), "application/json");
    return reply(c, status, webpage_problem(status, reason), "text/html; charset=utf-8");
}

/* ---- access ---- */

/* Whether the request presents the secret: as a Bearer header, in the cookie named `cookie`, or
 * in the query argument named `query` (then *set_cookie: the answer sets the cookie, so that the
 * secret need not stay in the address). */
static bool presents_secret(struct MHD_Connection *c, const char *secret, const char *cookie, const char *query,
                            bool *set_cookie)
{
    *set_cookie = false;
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (h && strncmp(h, "Bearer ", 7) == 0 && same_secret(h + 7, secret))
        return true;
    const char *k = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, cookie);
    if (k && same_secret(k, secret))
        return true;
    const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, query);
    if (q && same_secret(q, secret)) {
        *set_cookie = true;
        return true;
    }
    return false;
}

static bool authorised(server *s, struct MHD_Connection *c, bool *set_cookie)
{
    *set_cookie = false;
    return !s->token || presents_secret(c, s->token, "handout_token", "token", set_cookie);
}

/* ---- connections: the time a request may take to arrive ----
 * libmicrohttpd's own timeout (MHD_OPTION_CONNECTION_TIMEOUT) counts idle time only: a client
 * that sends a byte of its headers every few seconds is never idle, and 64 of them would hold
 * every connection (the access token is in the headers: it cannot help). So each connection is
 * watched from the moment it opens, or its previous answer ended: its request's headers must
 * have arrived within --header-timeout seconds, and the whole request, body included, within
 * --request-timeout seconds of the same moment (a body sent a byte at a time is never idle
 * either), or the watchdog shuts its socket down and libmicrohttpd closes it. At most SERVE_PER_CLIENT
 * connections come from one address, so one client cannot take all SERVE_CONNECTIONS. */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        conn *k = calloc(1, sizeof *k);
        if (!k)
            return; /* not watched: the idle limit still holds */
        const union MHD_ConnectionInfo *fd = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        k->fd = fd ? fcntl(fd->connect_fd, F_DUPFD_CLOEXEC, 0) : -1;
        const union MHD_ConnectionInfo *peer = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        const struct sockaddr *sa = peer ? peer->client_addr : NULL;
        if (sa && sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, k->peer, sizeof k->peer);
        else if (sa && sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, k->peer, sizeof k->peer);
        else
            snprintf(k->peer, sizeof k->peer, "an unknown address");
        k->phase = CONN_HEADERS;
        k->since = k->request_since = now_s();
        pthread_mutex_lock(&s->lock);
        k->next = s->conns;
        if (s->conns)
            s->conns->prev = k;
        s->conns = k;
        pthread_mutex_unlock(&s->lock);
        *socket_context = k;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        conn *k = *socket_context;
        pthread_mutex_lock(&s->lock);
        if (k->prev)
            k->prev->next = k->next;
        else
            s->conns = k->next;
        if (k->next)
            k->next->prev = k->prev;
        pthread_mutex_unlock(&s->lock);
        if (k->fd >= 0)
            close(k->fd);
        free(k);
        *socket_context = NULL;
    }
}

/* The connection's request enters a phase; its clock starts again. */
static void conn_enter(server *s, struct MHD_Connection *c, conn_phase phase)
{
    const union MHD_ConnectionInfo *i = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    conn *k = i ? i->socket_context : NULL;
    if (!k)
        return;
    pthread_mutex_lock(&s->lock);
    k->phase = phase;
    k->since = now_s();
    if (phase == CONN_HEADERS)
        k->request_since = k->since; /* a new request: its own time */
    pthread_mutex_unlock(&s->lock);
}

/* Shuts down the connections whose request is late, a few times a second, until told to end. */
static void *watchdog(void *arg)
{
    server *s = arg;
    pthread_mutex_lock(&s->lock);
    while (!s->watch_stop) {
        double now = now_s();
        for (conn *k = s->conns; k; k = k->next) {
            if (k->cut || k->fd < 0 || k->phase == CONN_ANSWERING)
                continue;
            /* the headers' own limit, then the whole request's (both from when the request began) */
            bool headers = k->phase == CONN_HEADERS && s->header_timeout < s->request_timeout &&
                           now - k->request_since >= s->header_timeout;
            if (!headers && now - k->request_since < s->request_timeout)
                continue;
            k->cut = true;
            shutdown(k->fd, SHUT_RDWR);
            if (headers)
                fprintf(stderr,
                        "handout: serve: a connection from %s had not sent its request's headers within %.0f s: closed\n",
                        k->peer, s->header_timeout);
            else
                fprintf(stderr,
                        "handout: serve: a connection from %s had not sent its whole request (%s) within %.0f s "
                        "(--request-timeout): closed\n",
                        k->peer, k->phase == CONN_HEADERS ? "its headers" : "its body", s->request_timeout);
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 200 * 1000000L; /* 0.2 s */
        if (until.tv_nsec >= 1000000000L)
            until.tv_sec++, until.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&s->changed, &s->lock, &until);
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

/* ---- reading a form ---- */

static void fail(request *rq, int status, const char *reason)
{
    if (rq->fail_status)
        return;
    rq->fail_status = status;
    snprintf(rq->fail_reason, sizeof rq->fail_reason, "%s", reason);
}

/* Appends a chunk of a form part to its value (*buf, *len, NUL-ended), keeping at most one byte
 * past limit: enough for the form's checks to tell that it is too long. False when out of
 * memory (the value is left as it was). */
static bool append_part(char **buf, size_t *len, const char *data, size_t size, size_t limit)
{
    if (*len + size > limit + 1)
        size = *len < limit + 1 ? limit + 1 - *len : 0;
    char *grown = realloc(*buf, *len + size + 1);
    if (!grown)
        return false;
    memcpy(grown + *len, data, size);
    *len += size;
    grown[*len] = '\0';
    *buf = grown;
    return true;
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
                               const char *content_type, const char *transfer_encoding, const char *data,
                               uint64_t off, size_t size)
{
    (void)kind, (void)content_type, (void)transfer_encoding;
    request *rq = cls;
    if (!key)
        return MHD_YES;
    if (off == 0 && ++rq->nparts > SERVE_MAX_FIELDS) {
        fail(rq, MHD_HTTP_BAD_REQUEST, "the form has too many parts (at most 64)");
        return MHD_YES;
    }
    if (strcmp(key, "logo") == 0) {
        if (!filename || !*filename || size == 0)
            return MHD_YES; /* no file chosen */
        if (off == 0 && rq->logo) { /* a second file: the last one counts */
            rq->logo = freopen(rq->logo_tmp, "wb", rq->logo);
            rq->logo_bytes = 0;
            if (!rq->logo) {
                fail(rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "the upload could not be stored");
                return MHD_YES;
            }
        }
        if (rq->logo_bytes + size > WEB_MAX_LOGO) {
            fail(rq, MHD_HTTP_CONTENT_TOO_LARGE, "the logo is larger than 4 MB (4,194,304 bytes); use a smaller file");
            return MHD_YES;
        }
        if (!rq->logo) {
            rq->logo_tmp = strfmt("%s/upload", rq->dir);
            rq->logo = rq->logo_tmp ? fopen(rq->logo_tmp, "wb") : NULL;
            if (!rq->logo) {
                fail(rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "the upload could not be stored");
                return MHD_YES;
            }
        }
        if (fwrite(data, 1, size, rq->logo) != size)
            fail(rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "the upload could not be stored");
        rq->logo_bytes += size;
        return MHD_YES;
    }
    if (strcmp(key, "logo_id") == 0) {
        if (off == 0)
            rq->logo_id[0] = '\0'; /* a field named twice keeps its last value */
        size_t have = strlen(rq->logo_id);
        if (have + size < sizeof rq->logo_id) {
            memcpy(rq->logo_id + have, data, size);
            rq->logo_id[have + size] = '\0';
        } else {
            rq->logo_id[0] = '?'; /* too long to be one of ours */
            rq->logo_id[1] = '\0';
        }
        return MHD_YES;
    }
    web_field f = web_field_by_name(key);
    if (f == WF_COUNT || f == WF_LOGO)
        return MHD_YES; /* the buttons' names, and anything the page does not ask for */
    if (off == 0) /* a field named twice keeps its last value, not the two joined */
        rq->acclen[f] = 0;
    /* kept up to one byte past the limit: enough for webform_set to tell that it is too long */
    if (!append_part(&rq->acc[f], &rq->acclen[f], data, size, WEB_MAX_VALUE))
        fail(rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    return MHD_YES;
}

/* The parts of a staff page's form (STAFF_FIELDS and seen); anything else is ignored. */
static enum MHD_Result on_staff_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
                                     const char *content_type, const char *transfer_encoding, const char *data,
                                     uint64_t off, size_t size)
{
    (void)kind, (void)filename, (void)content_type, (void)transfer_encoding;
    request *rq = cls;
    if (!key)
        return MHD_YES;
    if (off == 0 && ++rq->nparts > SERVE_MAX_FIELDS) {
        fail(rq, MHD_HTTP_BAD_REQUEST, "the form has too many parts (at most 64)");
        return MHD_YES;
    }
    if (strcmp(key, "seen") == 0) {
        if (off == 0)
            rq->seen[0] = '\0';
        size_t have = strlen(rq->seen);
        if (have + size < sizeof rq->seen) {
            memcpy(rq->seen + have, data, size);
            rq->seen[have + size] = '\0';
        } else {
            snprintf(rq->seen, sizeof rq->seen, "x"); /* too long to be a count */
        }
        return MHD_YES;
    }
    for (int k = 0; k < SF_COUNT; k++) {
        if (strcmp(key, STAFF_FIELDS[k]) != 0)
            continue;
        if (off == 0)
            rq->staff_len[k] = 0;
        if (!append_part(&rq->staff_val[k], &rq->staff_len[k], data, size, STORE_MAX_TEXT)) {
            fail(rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
            return MHD_YES;
        }
    }
    return MHD_YES;
}

static bool hex_name(const char *s)
{
    size_t n = strspn(s, "0123456789abcdef");
    return n == 64 && (strcmp(s + 64, ".png") == 0 || strcmp(s + 64, ".jpg") == 0);
}

/* Keeps at most SERVE_MAX_LOGOS - 1 logos, removing the least recently used (a logo named again
 * by a form has its time renewed), so that uploads cannot fill the disk. */
static void prune_logos(server *s)
{
    DIR *dir = opendir(s->logos);
    if (!dir)
        return;
    struct { char name[80]; time_t t; } kept[SERVE_MAX_LOGOS * 2];
    int n = 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        if (e->d_name[0] == '.' || strlen(e->d_name) >= sizeof kept[0].name)
            continue;
        char *path = strfmt("%s/%s", s->logos, e->d_name);
        struct stat sb;
        if (path && stat(path, &sb) == 0) {
            if (n == SERVE_MAX_LOGOS * 2) { /* more than expected: the oldest of these go first */
                unlink(path);
            } else {
                memcpy(kept[n].name, e->d_name, strlen(e->d_name) + 1); /* shorter than name: checked above */
                kept[n++].t = sb.st_mtime;
            }
        }
        free(path);
    }
    closedir(dir);
    while (n >= SERVE_MAX_LOGOS) {
        int oldest = 0;
        for (int i = 1; i < n; i++)
            if (kept[i].t < kept[oldest].t)
                oldest = i;
        char *path = strfmt("%s/%s", s->logos, kept[oldest].name);
        if (path)
            unlink(path);
        free(path);
        kept[oldest] = kept[--n];
    }
}

/* The logo: a new upload is checked (PNG or JPEG, decoded, its size in pixels) and kept under its
 * digest, so that the next step of the form can name it without sending it again. */
static void take_logo(server *s, request *rq)
{
    web_form *f = &rq->form;
    if (rq->logo) {
        fclose(rq->logo);
        rq->logo = NULL;
        image_info info;
        char why[512], sha[SHA256_HEX];
        /* the headers first: a picture too large is refused before it is decoded */
        if (!image_probe(rq->logo_tmp, &info, why, sizeof why)) {
            webform_add(f, WF_LOGO, true, "Logo: expected a PNG or JPEG image, found a file that is not one (%s)", why);
            return;
        }
        if ((long)info.width * info.height > WEB_MAX_LOGO_PIXELS) {
            webform_add(f, WF_LOGO, true, "Logo: expected at most %d pixels, found %d x %d; use a smaller image",
                        WEB_MAX_LOGO_PIXELS, info.width, info.height);
            return;
        }
        if (!image_check(rq->logo_tmp, &info, why, sizeof why)) {
            webform_add(f, WF_LOGO, true, "Logo: expected a PNG or JPEG image, found a file that is not one (%s)", why);
            return;
        }
        if (!sha256_file(rq->logo_tmp, sha, why, sizeof why)) {
            webform_add(f, WF_LOGO, true, "Logo: the upload could not be read back (%s)", why);
            return;
        }
        char *id = strfmt("%s%s", sha, info.kind == IMAGE_PNG ? ".png" : ".jpg");
        char *path = id ? strfmt("%s/%s", s->logos, id) : NULL;
        pthread_mutex_lock(&s->lock);
        prune_logos(s);
        bool kept = path && rename(rq->logo_tmp, path) == 0;
        pthread_mutex_unlock(&s->lock);
        if (!kept) {
            webform_add(f, WF_LOGO, true, "Logo: the upload could not be kept");
        } else {
            webform_set(f, WF_LOGO, id, strlen(id));
            f->logo_path = strdup(path);
        }
        free(id);
        free(path);
        return;
    }
    if (rq->logo_id[0]) {
        char *path = hex_name(rq->logo_id) ? strfmt("%s/%s", s->logos, rq->logo_id) : NULL;
        if (!path || access(path, R_OK) != 0) {
            webform_add(f, WF_LOGO, true, "Logo: the logo sent earlier is no longer on the server; choose the file again");
            free(path);
            return;
        }
        utimensat(AT_FDCWD, path, NULL, 0); /* used again: kept longer */
        webform_set(f, WF_LOGO, rq->logo_id, strlen(rq->logo_id));
        f->logo_path = path;
    }
}

/* ---- the order store ---- */

/* For the tests only: HANDOUT_TEST_CRASH=POINT kills the server (SIGKILL, nothing cleaned up) when
 * an order reaches POINT: after-reserve (its name taken in the store, no file written),
 * after-files (its files written, the store not completed), after-confirm (the store completed,
 * the confirmation not sent). */
static void crash_point(const server *s, const char *point)
{
    if (s->crash_at && strcmp(s->crash_at, point) == 0) {
        fprintf(stderr, "handout: serve: HANDOUT_TEST_CRASH=%s: killed\n", point);
        fflush(stderr);
        raise(SIGKILL);
    }
}

static bool claim_order(void *ctx, const char *name, bool *taken, char *why, size_t whylen)
{
    server *s = ctx;
    if (!store_reserve(s->store, name, taken, why, whylen))
        return false;
    crash_point(s, "after-reserve");
    return true;
}

/* Removes the files of an order that was not completed (the job file first: without it the rest
 * is no order), then its pending row. */
static void drop_order(server *s, const char *name)
{
    static const char *const suffix[] = { ".ini", "-partner.csv", "-logo.png", "-logo.jpg" };
    for (size_t k = 0; k < sizeof suffix / sizeof suffix[0]; k++) {
        char *path = strfmt("%s/%s%s", s->orders, name, suffix[k]);
        if (path)
            unlink(path);
        free(path);
    }
    char *tmp = strfmt("%s/.%s.tmp", s->orders, name);
    if (tmp)
        unlink(tmp);
    free(tmp);
    char why[512];
    if (!store_forget(s->store, name, why, sizeof why))
        fprintf(stderr, "handout: serve: the order store: %s\n", why);
}

static void release_order(void *ctx, const char *name)
{
    server *s = ctx;
    char why[512];
    if (!store_forget(s->store, name, why, sizeof why))
        fprintf(stderr, "handout: serve: the order store: %s\n", why);
}

/* At start: the orders a server was writing when it died (pending in the store) are removed,
 * files and all, so that nothing half-written stays. Only when no other server uses the folder
 * (lock: an exclusive lock on ORDERS/.serve.lock, kept shared while the server runs). */
static int recover_orders(server *s)
{
    char *lockpath = strfmt("%s/.serve.lock", s->orders);
    int fd = lockpath ? open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644) : -1;
    free(lockpath);
    if (fd < 0)
        return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
        char why[512];
        char **pending = store_pending(s->store, why, sizeof why);
        for (size_t k = 0; pending && pending[k]; k++) {
            fprintf(stderr, "handout: serve: order %s was not completed (a server stopped while writing it): its files "
                    "are removed\n", pending[k]);
            drop_order(s, pending[k]);
        }
        if (!pending)
            fprintf(stderr, "handout: serve: the order store: %s\n", why);
        store_names_free(pending);
    }
    flock(fd, LOCK_SH); /* held while the server runs: another server starting now recovers nothing */
    return fd;
}

/* Completes an order in the store once its files are written; false (and the files removed)
 * when it could not be. */
static bool confirm_order(server *s, const web_form *f, const webbuild_result *r, char key[STORE_KEY_HEX])
{
    crash_point(s, "after-files");
    store_item item = {
        .product = f->product->id, .layout = f->product->layout, .language = f->language->code,
        .version = f->print_shop ? "print-shop" : "sheets", .quantity = f->quantity, .items = r->items,
        .pages = r->pages, .sheets = r->sheets, .paper = r->paper,
    };
    store_order o = {
        .name = r->order_name, .job_file = r->order_path, .who = f->value[WF_NAME], .contact = f->value[WF_CONTACT],
        .agency = f->product->partner ? f->value[WF_AGENCY] : NULL,
        .local_phone = f->product->partner ? f->value[WF_LOCAL_PHONE] : NULL, .items = &item, .nitems = 1,
    };
    char why[512];
    if (!store_confirm(s->store, &o, key, why, sizeof why)) {
        fprintf(stderr, "handout: serve: order %s could not be stored: %s\n", r->order_name, why);
        drop_order(s, r->order_name);
        return false;
    }
    crash_point(s, "after-confirm");
    return true;
}

/* ---- builds at once ---- */

static bool take_slot(server *s)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    long ns = (long)((s->queue_wait - (long)s->queue_wait) * 1e9);
    until.tv_sec += (time_t)s->queue_wait + (until.tv_nsec + ns) / 1000000000L;
    until.tv_nsec = (until.tv_nsec + ns) % 1000000000L;
    pthread_mutex_lock(&s->lock);
    int rc = 0;
    while (s->building >= s->max_builds && rc == 0)
        rc = pthread_cond_timedwait(&s->changed, &s->lock, &until);
    bool ok = s->building < s->max_builds;
    if (ok)
        s->building++;
    pthread_mutex_unlock(&s->lock);
    return ok;
}

static void give_slot(server *s)
{
    pthread_mutex_lock(&s->lock);
    s->building--;
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->lock);
}

/* ---- answers ---- */

/* A file as the answer: type, and as an attachment named name (NULL: shown in the page). */
static enum MHD_Result send_file(struct MHD_Connection *c, const char *path, const char *type, const char *name)
{
    int fd = open(path, O_RDONLY);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        if (fd >= 0)
            close(fd);
        return MHD_NO;
    }
    struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
    if (!resp) {
        close(fd);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", type);
    if (name) {
        char disp[300];
        snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", name);
        MHD_add_response_header(resp, "Content-Disposition", disp);
    }
    security_headers(resp);
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result send_pdf(struct MHD_Connection *c, const webbuild_result *r)
{
    return send_file(c, r->pdf, "application/pdf", r->filename);
}

static enum MHD_Result answer_form(server *s, struct MHD_Connection *c, request *rq)
{
    web_form *f = &rq->form;
    for (int k = 1; k < WF_COUNT; k++) {
        if (rq->acc[k])
            webform_set(f, (web_field)k, rq->acc[k], rq->acclen[k]);
    }
    take_logo(s, rq);
    webform_check(f, s->cat, rq->rt == R_ORDER);
    webbuild_result r;
    memset(&r, 0, sizeof r);
    bool built = false;
    /* a state, county or language the page does not offer is a bad request; a field to put right, 422 */
    int status = f->bad_choice ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_UNPROCESSABLE_CONTENT;
    if (webform_errors(f) == 0) {
        if (!take_slot(s)) {
            char why[160];
            snprintf(why, sizeof why, "the server is busy: %d builds are running and none ended within %.0f s; try again",
                     s->max_builds, s->queue_wait);
            return refuse(s, c, rq, MHD_HTTP_TOO_MANY_REQUESTS, why);
        }
        webbuild_mode mode = rq->rt == R_DOWNLOAD ? WB_DOWNLOAD : rq->rt == R_ORDER ? WB_ORDER : WB_PREVIEW;
        built = webbuild_run(s->wb, f, mode, rq->dir, &r);
        give_slot(s);
        if (built)
            status = MHD_HTTP_OK;
    }
    enum MHD_Result ok;
    if (built && rq->rt == R_DOWNLOAD) {
        ok = send_pdf(c, &r);
    } else if (rq->rt == R_PREVIEW_JSON) {
        /* X-Preview-Cache: whether the image was drawn for this request or kept from an earlier one */
        ok = reply_with(c, status, webpage_preview_json(f, built ? &r : NULL), "application/json",
                        built ? "X-Preview-Cache" : NULL, r.from_cache ? "hit" : "miss");
    } else if (built && rq->rt == R_ORDER) {
        char key[STORE_KEY_HEX];
        if (!confirm_order(s, f, &r, key)) {
            status = MHD_HTTP_INTERNAL_SERVER_ERROR;
            webform_add(f, WF_GENERAL, true, "the order could not be stored (see the server's log); nothing was ordered");
            ok = reply(c, status, webpage_form(s->cat, f, NULL), "text/html; charset=utf-8");
        } else {
            fprintf(stderr, "handout: serve: order %s written\n", r.order_path);
            ok = reply(c, status, webpage_order(s->cat, f, &r, s->orders, key), "text/html; charset=utf-8");
        }
    } else {
        ok = reply_with(c, status, webpage_form(s->cat, f, built ? &r : NULL), "text/html; charset=utf-8",
                        built && rq->rt == R_PREVIEW ? "X-Preview-Cache" : NULL, r.from_cache ? "hit" : "miss");
    }
    count_answer(s, status == MHD_HTTP_OK);
    webbuild_result_free(&r);
    return ok;
}

static enum MHD_Result answer_get(server *s, struct MHD_Connection *c, const char *url, bool set_cookie)
{
    if (strcmp(url, "/") == 0) {
        char *page = webpage_form(s->cat, NULL, NULL);
        if (!page)
            return reply(c, 500, NULL, "");
        struct MHD_Response *r = MHD_create_response_from_buffer(strlen(page), page, MHD_RESPMEM_MUST_FREE);
        MHD_add_response_header(r, "Content-Type", "text/html; charset=utf-8");
        security_headers(r);
        if (set_cookie && s->token) {
            char *cookie = strfmt("handout_token=%s; Path=/; HttpOnly; SameSite=Strict", s->token);
            if (cookie)
                MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, cookie);
            free(cookie);
        }
        enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
        MHD_destroy_response(r);
        return ok;
    }
    const char *body = NULL, *type = NULL;
    size_t len = 0;
    if (strcmp(url, "/form.css") == 0)
        body = s->css, len = s->css_len, type = "text/css; charset=utf-8";
    else if (strcmp(url, "/form.js") == 0)
        body = s->js, len = s->js_len, type = "text/javascript; charset=utf-8";
    else if (strcmp(url, "/healthz") == 0)
        body = "ok\n", len = 3, type = "text/plain; charset=utf-8";
    if (!body)
        return refuse(s, c, NULL, MHD_HTTP_NOT_FOUND, "there is no such page here");
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Content-Type", type);
    security_headers(r);
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

/* ---- the staff page ---- */

static bool staff_authorised(server *s, struct MHD_Connection *c, bool *set_cookie)
{
    return presents_secret(c, s->staff_token, "handout_staff", "staff_token", set_cookie);
}

/* An order's name as the server makes them, order-YYYYMMDD-NNN: the only names that become part
 * of a path (its build's folder). */
static bool order_name_ok(const char *n)
{
    return n && strlen(n) == 18 && strncmp(n, "order-", 6) == 0 && strspn(n + 6, "0123456789") == 8 && n[14] == '-' &&
           strspn(n + 15, "0123456789") == 3;
}

static enum MHD_Result staff_page(server *s, struct MHD_Connection *c, char *page, bool set_cookie, int status)
{
    if (!page)
        return reply(c, 500, NULL, "");
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(page), page, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(page);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "text/html; charset=utf-8");
    security_headers(r);
    if (set_cookie) {
        char *cookie = strfmt("handout_staff=%s; Path=/staff; HttpOnly; SameSite=Strict", s->staff_token);
        if (cookie)
            MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, cookie);
        free(cookie);
    }
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    count_answer(s, status == MHD_HTTP_OK);
    return ok;
}

/* The staff page of the order named name, with status and, when a hand-out was refused, why
 * (shown above its form). */
static enum MHD_Result staff_order_page(server *s, struct MHD_Connection *c, const char *name, bool set_cookie,
                                        int status, const char *problem)
{
    char why[512] = "";
    store_view v;
    bool found;
    if (!store_find_by_name(s->store, name, &v, &found, why, sizeof why))
        return refuse(s, c, NULL, MHD_HTTP_NOT_FOUND, "there is no such order");
    char *file = NULL;
    store_last_file(s->store, v.name, &file, why, sizeof why);
    char *page = webpage_staff_order(&v, file != NULL, problem);
    free(file);
    store_view_free(&v);
    if (problem)
        fprintf(stderr, "handout: serve: %d: %s\n", status, problem);
    return staff_page(s, c, page, set_cookie, status);
}

/* GET /staff/proof (the page: the sheet's PNG pages and a link to its PDF) and
 * /staff/proof.pdf: the proof sheet, built first when there is none or its inputs changed (one of
 * the server's build slots meanwhile). */
static enum MHD_Result answer_proof(server *s, struct MHD_Connection *c, const char *url, bool set_cookie)
{
    if (!take_slot(s))
        return refuse(s, c, NULL, MHD_HTTP_TOO_MANY_REQUESTS, "the server is busy with other builds; try again");
    char *pdf = NULL, why[600] = "";
    int pages = 0;
    bool built = false;
    bool ok = webproof_get(s->proof, &pdf, &pages, &built, why, sizeof why);
    give_slot(s);
    if (!ok) {
        fprintf(stderr, "handout: serve: the proof sheet: %s\n", why);
        return refuse(s, c, NULL, MHD_HTTP_INTERNAL_SERVER_ERROR, "the proof sheet could not be built (see the server's log)");
    }
    if (built)
        fprintf(stderr, "handout: serve: the proof sheet built (%d pages)\n", pages);
    if (strcmp(url, "/staff/proof.pdf") == 0) {
        enum MHD_Result r = send_file(c, pdf, "application/pdf", "proof.pdf");
        free(pdf);
        if (r == MHD_NO)
            return refuse(s, c, NULL, MHD_HTTP_NOT_FOUND, "the proof sheet is no longer there; open /staff/proof again");
        count_answer(s, true);
        return r;
    }
    free(pdf);
    return staff_page(s, c, webpage_staff_proof(pages), set_cookie, MHD_HTTP_OK);
}

static enum MHD_Result answer_staff_get(server *s, struct MHD_Connection *c, const char *url, bool set_cookie)
{
    char why[512] = "";
    if (strcmp(url, "/staff") == 0 || strcmp(url, "/staff/") == 0) {
        store_view *v;
        int n;
        if (!store_list(s->store, &v, &n, why, sizeof why)) {
            fprintf(stderr, "handout: serve: the order store: %s\n", why);
            return refuse(s, c, NULL, MHD_HTTP_INTERNAL_SERVER_ERROR, "the order store cannot be read (see the server's log)");
        }
        char *page = webpage_staff_queue(v, n);
        for (int k = 0; k < n; k++)
            store_view_free(&v[k]);
        free(v);
        return staff_page(s, c, page, set_cookie, MHD_HTTP_OK);
    }
    if (strncmp(url, "/staff/order/", 13) == 0)
        return staff_order_page(s, c, url + 13, set_cookie, MHD_HTTP_OK, NULL);
    if (strcmp(url, "/staff/proof") == 0 || strcmp(url, "/staff/proof.pdf") == 0)
        return answer_proof(s, c, url, set_cookie);
    if (strncmp(url, "/staff/proof/", 13) == 0) {
        /* a page of the sheet as PNG: /staff/proof/N.png, N from 1 */
        const char *n = url + 13;
        size_t digits = strspn(n, "0123456789");
        int page = digits >= 1 && digits <= 4 && n[0] != '0' && strcmp(n + digits, ".png") == 0 ? atoi(n) : 0;
        char *png = page ? webproof_png(s->proof, page) : NULL;
        enum MHD_Result ok = png ? send_file(c, png, "image/png", NULL) : MHD_NO;
        free(png);
        if (ok == MHD_NO)
            return refuse(s, c, NULL, MHD_HTTP_NOT_FOUND, "there is no such page of the proof sheet: open /staff/proof");
        count_answer(s, true);
        return ok;
    }
    if (strcmp(url, "/staff/staff.js") == 0) {
        struct MHD_Response *r = MHD_create_response_from_buffer(s->staff_js_len, s->staff_js, MHD_RESPMEM_PERSISTENT);
        if (!r)
            return MHD_NO;
        MHD_add_response_header(r, "Content-Type", "text/javascript; charset=utf-8");
        security_headers(r);
        enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
        MHD_destroy_response(r);
        return ok;
    }
    if (strncmp(url, "/staff/progress/", 16) == 0) {
        const char *name = url + 16;
        if (!order_name_ok(name))
            return refuse(s, c, NULL, MHD_HTTP_NOT_FOUND, "there is no such order");
        staff_build b = { .total = 0 };
        pthread_mutex_lock(&s->lock);
        for (int k = 0; k < SERVE_MAX_STAFF_BUILDS; k++)
            if (strcmp(s->builds[k].name, name) == 0) {
                b = s->builds[k];
                b.outdir = b.outdir ? strdup(b.outdir) : NULL;
            }
        pthread_mutex_unlock(&s->lock);
        char *body;
        if (b.name[0]) {
            struct timespec t;
            clock_gettime(CLOCK_REALTIME, &t);
            /* a second's grace: a stamp's time is the file system's, to the tick of its clock */
            int done = b.outdir ? webbuild_batch_done(b.outdir, b.since - 1.0) : 0;
            body = strfmt("{\"order\":\"%s\",\"building\":true,\"done\":%d,\"total\":%d,\"seconds\":%.1f}\n", name,
                          done < b.total ? done : b.total, b.total,
                          (double)t.tv_sec + t.tv_nsec / 1e9 - b.since);
        } else {
            body = strfmt("{\"order\":\"%s\",\"building\":false}\n", name);
        }
        free(b.outdir);
        return reply(c, MHD_HTTP_OK, body, "application/json");
    }
    if (strncmp(url, "/staff/download/", 16) == 0) {
        const char *name = url + 16;
        char *file = NULL;
        if (!order_name_ok(name) || !store_last_file(s->store, name, &file, why, sizeof why) || strstr(file, "..") ||
            file[0] == '/')
            return free(file), refuse(s, c, NULL, MHD_HTTP_NOT_FOUND, "there is no build of such an order");
        webbuild_result r;
        memset(&r, 0, sizeof r);
        r.pdf = strfmt("%s/built/%s/%s", s->orders, name, file);
        r.filename = strfmt("%s.pdf", name);
        free(file);
        enum MHD_Result ok = r.pdf && r.filename ? send_pdf(c, &r) : MHD_NO;
        webbuild_result_free(&r);
        if (ok == MHD_NO)
            return refuse(s, c, NULL, MHD_HTTP_NOT_FOUND, "the build's file is no longer there; build the order again");
        return ok;
    }
    return refuse(s, c, NULL, MHD_HTTP_NOT_FOUND, "there is no such page here");
}

/* A 303 to the order's staff page, after a change. */
static enum MHD_Result see_order(server *s, struct MHD_Connection *c, const char *name)
{
    char *to = strfmt("/staff/order/%s", name);
    struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!r || !to) {
        free(to);
        if (r)
            MHD_destroy_response(r);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, to);
    security_headers(r);
    free(to);
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_SEE_OTHER, r);
    MHD_destroy_response(r);
    count_answer(s, true);
    return ok;
}

/* A staff build begins: its progress can be asked for (GET /staff/progress/ORDER) until it
 * ends. The slot, or -1 when all are taken (the build runs, untold). */
static int progress_begin(server *s, const char *name, const char *job, const char *outdir)
{
    int total = webbuild_job_items(s->wb, job);
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    char *dir = outdir ? strdup(outdir) : NULL;
    int slot = -1;
    pthread_mutex_lock(&s->lock);
    for (int k = 0; k < SERVE_MAX_STAFF_BUILDS && slot < 0; k++)
        if (!s->builds[k].name[0])
            slot = k;
    if (slot >= 0) {
        staff_build *b = &s->builds[slot];
        snprintf(b->name, sizeof b->name, "%s", name);
        b->since = (double)t.tv_sec + t.tv_nsec / 1e9;
        b->total = total;
        b->outdir = dir;
        dir = NULL;
    }
    pthread_mutex_unlock(&s->lock);
    free(dir);
    return slot;
}

static void progress_end(server *s, int slot)
{
    if (slot < 0)
        return;
    pthread_mutex_lock(&s->lock);
    s->builds[slot].name[0] = '\0';
    free(s->builds[slot].outdir);
    s->builds[slot].outdir = NULL;
    pthread_mutex_unlock(&s->lock);
}

/* POST /staff/action: order, action (approve, build, printed, shipped, cancel), staff, reason,
 * seen (the number of changes the page showed). Every change is recorded with the staff member;
 * one the order's status does not allow, or one sent after another change (or twice), is 409. */
static enum MHD_Result answer_staff_action(server *s, struct MHD_Connection *c, request *rq)
{
    static const struct {
        const char *name;
        store_status to;
    } ACTIONS[] = { { "approve", STORE_APPROVED }, { "build", STORE_BUILT }, { "printed", STORE_PRINTED },
                    { "shipped", STORE_SHIPPED }, { "cancel", STORE_CANCELLED } };
    const char *name = rq->staff_val[0], *action = rq->staff_val[1], *staff = rq->staff_val[2];
    const char *reason = rq->staff_val[3];
    store_status to = STORE_NSTATUS;
    for (size_t k = 0; action && k < sizeof ACTIONS / sizeof ACTIONS[0]; k++)
        if (strcmp(action, ACTIONS[k].name) == 0)
            to = ACTIONS[k].to;
    char *end = NULL;
    long seen = rq->seen[0] ? strtol(rq->seen, &end, 10) : -1;
    if (!name || !order_name_ok(name))
        return refuse(s, c, rq, MHD_HTTP_NOT_FOUND, "there is no such order");
    if (to == STORE_NSTATUS)
        return refuse(s, c, rq, MHD_HTTP_BAD_REQUEST, "expected an action: approve, build, printed, shipped or cancel");
    if (seen < 0 || !end || *end)
        return refuse(s, c, rq, MHD_HTTP_BAD_REQUEST, "expected the number of changes the page showed (seen)");
    if (!staff || !*staff || strlen(staff) > STORE_MAX_TEXT)
        return refuse(s, c, rq, MHD_HTTP_UNPROCESSABLE_CONTENT, "expected your name (1 to 1000 bytes)");
    if (reason && strlen(reason) > STORE_MAX_TEXT)
        return refuse(s, c, rq, MHD_HTTP_UNPROCESSABLE_CONTENT, "expected a reason of at most 1000 bytes");
    bool conflict = false;
    char why[1024] = "";
    bool ok;
    if (to == STORE_BUILT) {
        store_view v;
        bool found;
        if (!store_find_by_name(s->store, name, &v, &found, why, sizeof why))
            return refuse(s, c, rq, MHD_HTTP_NOT_FOUND, "there is no such order");
        bool fresh = v.nevents == seen && store_change_allowed(v.status, STORE_BUILT);
        char *job = strdup(v.job_file);
        store_view_free(&v);
        if (!fresh || !job) {
            free(job);
            return refuse(s, c, rq, MHD_HTTP_CONFLICT, "the order changed since the page showed it, or cannot be built "
                                                     "now: nothing was done; open it again");
        }
        if (!take_slot(s)) {
            free(job);
            return refuse(s, c, rq, MHD_HTTP_TOO_MANY_REQUESTS, "the server is busy with other builds; try again");
        }
        char *outdir = strfmt("%s/built/%s", s->orders, name), *log = strfmt("%s/built/%s.log", s->orders, name);
        manifest_entry *e = NULL;
        int n = 0;
        int slot = progress_begin(s, name, job, outdir);
        ok = outdir && log && webbuild_batch(s->wb, job, outdir, log, &e, &n, why, sizeof why);
        if (s->build_linger > 0) {
            struct timespec ts = { (time_t)s->build_linger, (long)((s->build_linger - (long)s->build_linger) * 1e9) };
            while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
            }
        }
        progress_end(s, slot);
        give_slot(s);
        if (ok) {
            const manifest_entry **list = calloc((size_t)n, sizeof *list);
            for (int k = 0; list && k < n; k++)
                list[k] = &e[k];
            ok = list && store_record_build(s->store, name, seen, list, n, staff, &conflict, why, sizeof why);
            free(list);
        }
        webbuild_entries_free(e, n);
        free(outdir);
        free(log);
        free(job);
        if (!ok && !conflict) {
            fprintf(stderr, "handout: serve: building %s: %s\n", name, why);
            return refuse(s, c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "the build failed (see the server's log)");
        }
    } else {
        ok = store_set_status(s->store, name, seen, to, staff, reason, &conflict, why, sizeof why);
    }
    if (!ok) {
        if (conflict)
            return refuse(s, c, rq, strncmp(why, "there is no order", 17) == 0 ? MHD_HTTP_NOT_FOUND : MHD_HTTP_CONFLICT,
                          why);
        fprintf(stderr, "handout: serve: the order store: %s\n", why);
        return refuse(s, c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "the change could not be recorded (see the server's log)");
    }
    fprintf(stderr, "handout: serve: %s is %s (%s)\n", name, store_status_name(to), "staff page");
    return see_order(s, c, name);
}

/* POST /staff/handout: order, item, date, place, quantity, staff, seen (the number of hand-outs
 * the page showed). Recorded through orders_record_handout, as `handout orders handout` records
 * it; a refusal is the order's page again with the reason above the form (422; 409 for a form
 * sent again or after another hand-out), nothing written. */
static enum MHD_Result answer_staff_handout(server *s, struct MHD_Connection *c, request *rq)
{
    const char *name = rq->staff_val[SF_ORDER];
    if (!name || !order_name_ok(name))
        return refuse(s, c, rq, MHD_HTTP_NOT_FOUND, "there is no such order");
    char *end = NULL;
    long seen = rq->seen[0] ? strtol(rq->seen, &end, 10) : -1;
    if (seen < 0 || !end || *end)
        return refuse(s, c, rq, MHD_HTTP_BAD_REQUEST, "expected the number of hand-outs the page showed (seen)");
    orders_handout h = { name, rq->staff_val[SF_ITEM], rq->staff_val[SF_DATE], rq->staff_val[SF_PLACE],
                         rq->staff_val[SF_QUANTITY], rq->staff_val[SF_STAFF], seen };
    orders_value bad = ORDERS_VALUE_OK;
    char why[2048] = "";
    switch (orders_record_handout(s->store, &h, false, &bad, why, sizeof why)) {
    case ORDERS_HANDOUT_RECORDED:
        fprintf(stderr, "handout: serve: %s: a hand-out of %s recorded (staff page)\n", name, h.item);
        return see_order(s, c, name);
    case ORDERS_HANDOUT_NO_ORDER:
        return refuse(s, c, rq, MHD_HTTP_NOT_FOUND, "there is no such order");
    case ORDERS_HANDOUT_STALE:
        return staff_order_page(s, c, name, false, MHD_HTTP_CONFLICT, why);
    case ORDERS_HANDOUT_BAD_VALUE:
    case ORDERS_HANDOUT_REFUSED:
        return staff_order_page(s, c, name, false, MHD_HTTP_UNPROCESSABLE_CONTENT, why);
    case ORDERS_HANDOUT_FAILED:
        break;
    }
    fprintf(stderr, "handout: serve: the order store: %s\n", why);
    return refuse(s, c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "the hand-out could not be recorded (see the server's log)");
}

/* GET /status/KEY: the order's status and history; any key that is not an order's gets the
 * answer any unknown page gets. */
static enum MHD_Result answer_status(server *s, struct MHD_Connection *c, const char *key)
{
    store_view v;
    bool found;
    char why[512] = "";
    if (!store_find_by_key(s->store, key, &v, &found, why, sizeof why)) {
        if (*why)
            fprintf(stderr, "handout: serve: the order store: %s\n", why);
        return refuse(s, c, NULL, MHD_HTTP_NOT_FOUND, "there is no such page here");
    }
    char *page = webpage_status(&v);
    store_view_free(&v);
    count_answer(s, true);
    return reply(c, MHD_HTTP_OK, page, "text/html; charset=utf-8");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    (void)version;
    server *s = cls;
    request *rq = *con_cls;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq)
            return MHD_NO;
        webform_init(&rq->form);
        *con_cls = rq;
        /* the headers are in: a POST's body is to come, anything else is answered now */
        conn_enter(s, c, strcmp(method, "POST") == 0 ? CONN_BODY : CONN_ANSWERING);
        pthread_mutex_lock(&s->lock);
        s->in_flight++;
        bool stopping = s->stopping;
        unsigned long id = ++s->next_id;
        pthread_mutex_unlock(&s->lock);
        bool set_cookie;
        rq->is_post = strcmp(method, "POST") == 0;
        /* a partner's status page: its key is its access (it needs no token) */
        if (strncmp(url, "/status/", 8) == 0 && (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0))
            return answer_status(s, c, url + 8);
        /* the style sheet is public: the status and staff pages, opened without the partners' token, use it */
        if (strcmp(url, "/form.css") == 0 && (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0))
            return answer_get(s, c, url, false);
        /* the staff page: the staff token alone opens it (the partners' token does not) */
        if (strcmp(url, "/staff") == 0 || strncmp(url, "/staff/", 7) == 0) {
            if (!s->staff_token)
                return refuse(s, c, NULL, MHD_HTTP_NOT_FOUND, "there is no such page here");
            if (!staff_authorised(s, c, &set_cookie))
                return refuse(s, c, NULL, MHD_HTTP_UNAUTHORIZED,
                              "the staff page needs the staff token: open /staff?staff_token=... as the server's "
                              "keeper gave it");
            if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
                return answer_staff_get(s, c, url, set_cookie);
            bool handout = strcmp(url, "/staff/handout") == 0;
            if (strcmp(method, "POST") != 0 || (strcmp(url, "/staff/action") != 0 && !handout))
                return refuse(s, c, NULL, strcmp(method, "POST") == 0 ? MHD_HTTP_NOT_FOUND : MHD_HTTP_METHOD_NOT_ALLOWED,
                              strcmp(method, "POST") == 0 ? "there is no such form here" : "only GET and POST are answered here");
            rq->is_post = true;
            rq->rt = handout ? R_STAFF_HANDOUT : R_STAFF_ACTION;
            if (stopping)
                return refuse(s, c, rq, MHD_HTTP_SERVICE_UNAVAILABLE, "the server is stopping; try again in a moment");
            rq->pp = MHD_create_post_processor(c, 16384, on_staff_part, rq);
            if (!rq->pp)
                return refuse(s, c, rq, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                              "expected a form (multipart/form-data or application/x-www-form-urlencoded)");
            return MHD_YES;
        }
        if (strcmp(url, "/preview.json") == 0)
            rq->rt = R_PREVIEW_JSON; /* the page's script reads its refusals as JSON, this one too */
        if (!authorised(s, c, &set_cookie))
            return refuse(s, c, rq, MHD_HTTP_UNAUTHORIZED,
                          "this server needs its access token: open the address with ?token=... as the staff gave it");
        if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
            return answer_get(s, c, url, set_cookie);
        if (strcmp(method, "POST") != 0)
            return refuse(s, c, NULL, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and POST are answered here");
        rq->is_post = true;
        if (strcmp(url, "/preview") == 0)
            rq->rt = R_PREVIEW;
        else if (strcmp(url, "/preview.json") == 0)
            rq->rt = R_PREVIEW_JSON;
        else if (strcmp(url, "/download") == 0)
            rq->rt = R_DOWNLOAD;
        else if (strcmp(url, "/order") == 0)
            rq->rt = R_ORDER;
        else
            return refuse(s, c, NULL, MHD_HTTP_NOT_FOUND, "there is no such form here");
        if (stopping)
            return refuse(s, c, rq, MHD_HTTP_SERVICE_UNAVAILABLE, "the server is stopping; try again in a moment");
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > SERVE_MAX_BODY)
            return refuse(s, c, rq, MHD_HTTP_CONTENT_TOO_LARGE,
                          "the request is larger than 6 MB (6,291,456 bytes); a logo may be at most 4 MB");
        rq->dir = strfmt("%s/r%lu", s->tmpdir, id);
        if (!rq->dir || mkdir(rq->dir, 0700) != 0)
            return refuse(s, c, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "the server cannot make a working folder");
        rq->pp = MHD_create_post_processor(c, 16384, on_part, rq);
        if (!rq->pp)
            return refuse(s, c, rq, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                          "expected a form (multipart/form-data or application/x-www-form-urlencoded)");
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        rq->received += *upload_data_size;
        if (rq->received > SERVE_MAX_BODY) {
            fail(rq, MHD_HTTP_CONTENT_TOO_LARGE, "the request is larger than 6 MB (6,291,456 bytes); a logo may be at most 4 MB");
            if (rq->received > 4 * (size_t)SERVE_MAX_BODY)
                return MHD_NO; /* it will not stop: close the connection */
        } else if (!rq->fail_status && MHD_post_process(rq->pp, upload_data, *upload_data_size) != MHD_YES) {
            fail(rq, MHD_HTTP_BAD_REQUEST, "the form data could not be read");
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    conn_enter(s, c, CONN_ANSWERING); /* the whole request is in */
    if (rq->pp) {
        enum MHD_Result done = MHD_destroy_post_processor(rq->pp);
        rq->pp = NULL;
        if (done != MHD_YES)
            fail(rq, MHD_HTTP_BAD_REQUEST, "the form data ended before it was complete");
    }
    if (rq->fail_status)
        return refuse(s, c, rq, rq->fail_status, rq->fail_reason);
    if (rq->rt == R_STAFF_ACTION)
        return answer_staff_action(s, c, rq);
    if (rq->rt == R_STAFF_HANDOUT)
        return answer_staff_handout(s, c, rq);
    return answer_form(s, c, rq);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode code)
{
    (void)code;
    server *s = cls;
    conn_enter(s, c, CONN_HEADERS); /* the next request on this connection, if any, has its own time */
    request *rq = *con_cls;
    if (!rq)
        return;
    if (rq->pp)
        MHD_destroy_post_processor(rq->pp);
    if (rq->logo)
        fclose(rq->logo);
    free(rq->logo_tmp);
    for (int k = 0; k < WF_COUNT; k++)
        free(rq->acc[k]);
    for (int k = 0; k < SF_COUNT; k++)
        free(rq->staff_val[k]);
    webform_free(&rq->form);
    atomic_remove_tree(rq->dir);
    free(rq->dir);
    free(rq);
    *con_cls = NULL;
    pthread_mutex_lock(&s->lock);
    s->in_flight--;
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->lock);
}

/* ---- the command ---- */

static bool number_arg(const char *v, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double d = v ? strtod(v, &end) : 0;
    if (!v || errno || end == v || *end || d < lo || d > hi)
        return false;
    *out = d;
    return true;
}

static char *read_static(const char *root, const char *name, size_t *len, diag *d)
{
    char *path = strfmt("%s/web/%s", root, name);
    char why[512] = "out of memory";
    char *text = path ? readfile(path, 1 << 20, len, why, sizeof why) : NULL;
    if (!text)
        diag_error(d, path ? readfile_error_id(errno) : "internal-out-of-memory", diag_at(path ? path : name, 0), "%s",
                   why);
    free(path);
    return text;
}

/* What serve's command line asks for, read and checked. */
typedef struct serve_opts {
    const char *listen_on, *root_arg, *orders_arg, *token, *staff_token;
    double port, max_builds, timeout, queue_wait, header_timeout, idle_timeout, request_timeout;
    struct sockaddr_in a4;
    struct sockaddr_in6 a6;
    bool v6;
    int (*self_main)(int argc, char **argv); /* for the warm renderer (webbuild.h) */
} serve_opts;

/* Reads serve's options into so: numbers in their ranges, the address to listen on, the token
 * it needs. -1 when they are usable; else the exit status, after the message. */
static int serve_options(const cli_options *o, serve_opts *so)
{
    if (o->args.n > 0)
        return cli_usage_fail(CMD_SERVE, "usage-unexpected-argument", "unexpected argument %s", o->args.items[0]);
    so->listen_on = "127.0.0.1";
    so->root_arg = ".";
    so->self_main = o->self_main;
    so->orders_arg = o->value[OPT_ORDERS];
    so->token = getenv("HANDOUT_TOKEN");
    if (o->value[OPT_LISTEN])
        so->listen_on = o->value[OPT_LISTEN];
    if (o->value[OPT_TOKEN])
        so->token = o->value[OPT_TOKEN];
    so->staff_token = getenv("HANDOUT_STAFF_TOKEN");
    if (o->value[OPT_STAFF_TOKEN])
        so->staff_token = o->value[OPT_STAFF_TOKEN];
    if (so->staff_token && !*so->staff_token)
        so->staff_token = NULL;
    if (o->value[OPT_ROOT])
        so->root_arg = o->value[OPT_ROOT];
    so->port = 8080, so->max_builds = 2, so->timeout = 60, so->queue_wait = 20;
    so->header_timeout = SERVE_HEADER_SECONDS, so->idle_timeout = SERVE_IDLE_SECONDS;
    so->request_timeout = SERVE_REQUEST_SECONDS;
    static const struct {
        cli_opt id;
        double lo, hi;
    } NUMBERS[] = { { OPT_PORT, 0, 65535 }, { OPT_MAX_BUILDS, 1, 64 }, { OPT_BUILD_TIMEOUT, 1, 3600 },
                    { OPT_QUEUE_WAIT, 0, 600 }, { OPT_HEADER_TIMEOUT, 1, 600 }, { OPT_IDLE_TIMEOUT, 1, 600 },
                    { OPT_REQUEST_TIMEOUT, 1, 3600 } };
    double *into[] = { &so->port,           &so->max_builds,   &so->timeout,        &so->queue_wait,
                       &so->header_timeout, &so->idle_timeout, &so->request_timeout };
    for (size_t k = 0; k < sizeof NUMBERS / sizeof NUMBERS[0]; k++) {
        const char *v = o->value[NUMBERS[k].id];
        if (v && !number_arg(v, NUMBERS[k].lo, NUMBERS[k].hi, into[k]))
            return cli_usage_fail(CMD_SERVE, "usage-bad-number", "%s: expected a value in range, found %s",
                                  o->spelled[NUMBERS[k].id], v);
    }
    if (so->port != (int)so->port || so->max_builds != (int)so->max_builds)
        return cli_fail(CMD_SERVE, "usage-bad-number", "--port and --max-builds: expected whole numbers");
    if (so->idle_timeout != (int)so->idle_timeout)
        return cli_usage_fail(CMD_SERVE, "usage-bad-number", "%s: expected a whole number of seconds, found %s",
                              o->spelled[OPT_IDLE_TIMEOUT], o->value[OPT_IDLE_TIMEOUT]);
    memset(&so->a4, 0, sizeof so->a4);
    memset(&so->a6, 0, sizeof so->a6);
    so->v6 = false;
    bool loopback;
    if (inet_pton(AF_INET, so->listen_on, &so->a4.sin_addr) == 1) {
        so->a4.sin_family = AF_INET;
        so->a4.sin_port = htons((uint16_t)so->port);
        loopback = (ntohl(so->a4.sin_addr.s_addr) >> 24) == 127;
    } else if (inet_pton(AF_INET6, so->listen_on, &so->a6.sin6_addr) == 1) {
        so->v6 = true;
        so->a6.sin6_family = AF_INET6;
        so->a6.sin6_port = htons((uint16_t)so->port);
        loopback = IN6_IS_ADDR_LOOPBACK(&so->a6.sin6_addr);
    } else {
        return cli_fail(CMD_SERVE, "usage-bad-address",
                        "--listen: expected an IPv4 or IPv6 address (127.0.0.1, ::1), found \"%s\"", so->listen_on);
    }
    if (so->token && strlen(so->token) < SERVE_MIN_TOKEN)
        return cli_fail(CMD_SERVE, "usage-short-token", "--token: expected at least %d characters, found %zu",
                        SERVE_MIN_TOKEN, strlen(so->token));
    if (so->staff_token && strlen(so->staff_token) < SERVE_MIN_TOKEN)
        return cli_fail(CMD_SERVE, "usage-short-token", "--staff-token: expected at least %d characters, found %zu",
                        SERVE_MIN_TOKEN, strlen(so->staff_token));
    if (so->staff_token && so->token && strcmp(so->staff_token, so->token) == 0)
        return cli_fail(CMD_SERVE, "usage-options-exclude",
                        "--staff-token: expected a token of its own, found the same as --token (the partners')");
    if (!loopback && !so->token)
        return cli_fail(CMD_SERVE, "usage-token-needed",
                        "--listen %s: expected --token TOKEN (or HANDOUT_TOKEN) to listen on an address other "
                        "machines can reach, found none",
                        so->listen_on);
    return -1;
}

/* The server's state before it listens: the project folder, the orders folder, the catalogue,
 * the page's static files, the builds, the order store (with the recovery of a crashed run's
 * orders) and a working folder. False when one of them is missing (said through d); what was
 * made is released by serve_release. */
static void warm_first_preview(server *s);

static bool serve_setup(server *s, const serve_opts *so, diag *d, int *lockfd)
{
    s->token = so->token && *so->token ? so->token : NULL;
    s->staff_token = so->staff_token;
    s->max_builds = (int)so->max_builds;
    s->build_timeout = so->timeout;
    s->queue_wait = so->queue_wait;
    s->header_timeout = so->header_timeout;
    s->request_timeout = so->request_timeout;
    char rootbuf[PATH_MAX];
    if (!realpath(so->root_arg, rootbuf)) {
        diag_error(d, "serve-bad-root", diag_at(NULL, 0), "--root %s: %s", so->root_arg, strerror(errno));
        return false;
    }
    s->root = strdup(rootbuf);
    s->orders = so->orders_arg ? strdup(so->orders_arg) : strfmt("%s/orders", s->root);
    if (so->orders_arg && mkdir(so->orders_arg, 0777) != 0 && errno != EEXIST) {
        diag_error(d, "serve-bad-orders", diag_at(NULL, 0), "--orders %s: %s", so->orders_arg, strerror(errno));
        return false;
    }
    if (so->orders_arg && realpath(so->orders_arg, rootbuf)) {
        free(s->orders);
        s->orders = strdup(rootbuf);
    }
    s->cat = webcat_load(s->root, d);
    s->css = read_static(s->root, "form.css", &s->css_len, d);
    s->js = read_static(s->root, "form.js", &s->js_len, d);
    s->staff_js = read_static(s->root, "staff.js", &s->staff_js_len, d);
    char why[512];
    s->wb = s->cat ? webbuild_new(s->cat, s->root, s->orders, so->timeout, so->self_main, why, sizeof why) : NULL;
    if (s->cat && !s->wb)
        diag_error(d, "serve-start-failed", diag_at(NULL, 0), "serve: %s", why);
    if (s->wb) {
        /* the order store, made with the first use; the orders folder exists now (webbuild_new) */
        char *dbpath = strfmt("%s/%s", s->orders, STORE_FILE);
        s->store = dbpath ? store_open(dbpath, true, why, sizeof why) : NULL;
        free(dbpath);
        if (!s->store) {
            diag_error(d, "serve-store-failed", diag_at(NULL, 0), "serve: the order store: %s", why);
        } else {
            webbuild_claim cl = { claim_order, release_order, s };
            webbuild_set_claim(s->wb, &cl);
            const char *crash = getenv("HANDOUT_TEST_CRASH");
            s->crash_at = crash && *crash ? crash : NULL;
            const char *linger = getenv("HANDOUT_TEST_BUILD_LINGER");
            s->build_linger = linger && *linger ? strtod(linger, NULL) : 0;
            if (!(s->build_linger > 0 && s->build_linger <= 60))
                s->build_linger = 0;
            *lockfd = recover_orders(s);
        }
    }
    const char *tmp = getenv("TMPDIR");
    s->tmpdir = strfmt("%s/handout-serve-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (s->tmpdir && !mkdtemp(s->tmpdir)) {
        diag_error(d, "internal-temporary-folder", diag_at(NULL, 0), "serve: cannot make a working folder %s: %s",
                   s->tmpdir, strerror(errno));
        free(s->tmpdir);
        s->tmpdir = NULL;
    }
    s->logos = s->tmpdir ? strfmt("%s/logos", s->tmpdir) : NULL;
    if (s->logos)
        mkdir(s->logos, 0700);
    if (s->tmpdir && s->staff_token) {
        /* the proof sheet runs every product's build: it may take many times one build's limit */
        char exe[PATH_MAX], *cache = strfmt("%s/proof", s->tmpdir);
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n > 0)
            exe[n] = '\0';
        s->proof = n > 0 && cache ? webproof_new(s->root, exe, cache, SERVE_PROOF_SECONDS, why, sizeof why) : NULL;
        if (!s->proof)
            diag_error(d, "serve-start-failed", diag_at(NULL, 0), "serve: the proof sheet: %s",
                       n > 0 && cache ? why : "cannot find this program's own file (/proc/self/exe)");
        free(cache);
    }
    bool ok = s->cat && s->wb && s->store && s->css && s->js && s->staff_js && s->tmpdir && s->logos &&
              (s->proof || !s->staff_token);
    if (ok)
        warm_first_preview(s);
    return ok;
}

/* The preview the page shows first (its script asks for it as the page opens: the first product,
 * English where the catalogue has it, one item), drawn once before the server listens so that
 * the first paint of an unchanged page comes from the preview cache. Nothing is said when it
 * cannot be drawn: the page's own request will say why. */
static void warm_first_preview(server *s)
{
    if (!webbuild_has_preview(s->wb) || s->cat->nproducts == 0 || s->cat->nlanguages == 0)
        return;
    const char *lang = s->cat->languages[0].code;
    for (int i = 0; i < s->cat->nlanguages; i++)
        if (strcmp(s->cat->languages[i].code, "en") == 0)
            lang = "en";
    web_form f;
    webform_init(&f);
    webform_set(&f, WF_PRODUCT, s->cat->products[0].id, strlen(s->cat->products[0].id));
    webform_set(&f, WF_LANGUAGE, lang, strlen(lang));
    webform_set(&f, WF_QUANTITY, "1", 1);
    webform_check(&f, s->cat, false);
    char *dir = strfmt("%s/first-preview", s->tmpdir);
    if (dir && webform_errors(&f) == 0 && mkdir(dir, 0700) == 0) {
        webbuild_result r;
        webbuild_run(s->wb, &f, WB_PREVIEW, dir, &r);
        webbuild_result_free(&r);
        atomic_remove_tree(dir);
    }
    free(dir);
    webform_free(&f);
}

/* Listens until SIGINT, SIGTERM or SIGHUP, then finishes the requests in flight (within the
 * build time limit, the queue's wait and 10 s) and stops. The exit status. */
static int serve_listen(server *s, const serve_opts *so, diag *d)
{
    int status = EXIT_INPUT;
    /* the signals are taken by this thread alone (sigwait), never by the server's threads */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ITC |
                     (so->v6 ? MHD_USE_IPv6 : 0);
    pthread_t watcher;
    int watching = pthread_create(&watcher, NULL, watchdog, s);
    struct MHD_Daemon *daemon = watching != 0 ? NULL : MHD_start_daemon(
        flags, (uint16_t)so->port, NULL, NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, so->v6 ? (const struct sockaddr *)&so->a6 : (const struct sockaddr *)&so->a4,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVE_CONNECTIONS,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)SERVE_PER_CLIENT,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)so->idle_timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
        MHD_OPTION_END);
    if (watching != 0) {
        diag_error(d, "internal-thread-failed", diag_at(NULL, 0),
                   "serve: cannot start the connections' watchdog: %s", strerror(watching));
        status = EXIT_INTERNAL;
    } else if (!daemon) {
        diag_error(d, "serve-listen-failed", diag_at(NULL, 0), "serve: cannot listen on %s port %d: %s", so->listen_on,
                   (int)so->port, errno ? strerror(errno) : "the address is in use or not this machine's");
    } else {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
        int bound = info ? info->port : (int)so->port;
        fprintf(stderr, "handout: serving http://%s%s%s:%d/ (orders go to %s; stop with Ctrl-C or SIGTERM)\n",
                so->v6 ? "[" : "", so->listen_on, so->v6 ? "]" : "", bound, s->orders);
        fflush(stderr);
        int sig = 0;
        while (sigwait(&stop, &sig) != 0) {
        }
        fprintf(stderr, "handout: serve: signal %d: finishing the requests in flight, then stopping\n", sig);
        pthread_mutex_lock(&s->lock);
        s->stopping = true;
        pthread_mutex_unlock(&s->lock);
        int fd = (int)MHD_quiesce_daemon(daemon);
        if (fd >= 0)
            close(fd);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += (time_t)(so->timeout + so->queue_wait + 10);
        pthread_mutex_lock(&s->lock);
        int rc = 0;
        while (s->in_flight > 0 && rc == 0)
            rc = pthread_cond_timedwait(&s->changed, &s->lock, &until);
        pthread_mutex_unlock(&s->lock);
        MHD_stop_daemon(daemon);
        fprintf(stderr, "handout: serve: stopped (%lu requests answered, %lu refused)\n", s->served, s->refused);
        status = 0;
    }
    if (watching == 0) {
        pthread_mutex_lock(&s->lock);
        s->watch_stop = true;
        pthread_cond_broadcast(&s->changed);
        pthread_mutex_unlock(&s->lock);
        pthread_join(watcher, NULL);
    }
    while (s->conns) { /* every connection was closed with the daemon: none should be left */
        conn *k = s->conns;
        s->conns = k->next;
        if (k->fd >= 0)
            close(k->fd);
        free(k);
    }
    return status;
}

/* Everything serve_setup made, released (what was not made is NULL). */
static void serve_release(server *s, int lockfd)
{
    webproof_free(s->proof);
    atomic_remove_tree(s->tmpdir);
    store_close(s->store);
    if (lockfd >= 0)
        close(lockfd);
    webbuild_free(s->wb);
    webcat_free(s->cat);
    free(s->css);
    free(s->js);
    free(s->staff_js);
    free(s->root);
    free(s->orders);
    free(s->tmpdir);
    free(s->logos);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->changed);
}

int serve_main(const cli_options *o)
{
    serve_opts so;
    int st = serve_options(o, &so);
    if (st >= 0)
        return st;
    diag *d = diag_new(stderr);
    if (!d)
        return EXIT_INTERNAL;
    server s;
    memset(&s, 0, sizeof s);
    pthread_mutex_init(&s.lock, NULL);
    pthread_cond_init(&s.changed, NULL);
    int lockfd = -1;
    int status = serve_setup(&s, &so, d, &lockfd) ? serve_listen(&s, &so, d) : EXIT_INPUT;
    serve_release(&s, lockfd);
    diag_free(d);
    return status;
}
