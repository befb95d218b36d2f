/* pdfpack: see pdfpack.h. */
#include "pdfpack.h"
#include "sha256.h"

#include <zlib.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PACK_PER_STREAM = 100, PACK_OUT = 1 << 16 };

void pdfpack_extra_free(pdfpack_extra *x)
{
    if (!x)
        return;
    free(x->text);
    free(x->start);
    free(x->end);
    free(x->root);
    memset(x, 0, sizeof *x);
}

/* A growing byte buffer. */
typedef struct buf {
    char *b;
    size_t n, cap;
    bool oom;
} buf;

static void put(buf *s, const void *p, size_t n)
{
    if (s->oom)
        return;
    if (s->n + n > s->cap) {
        size_t c = s->cap ? s->cap : 4096;
        while (c < s->n + n)
            c *= 2;
        char *nb = realloc(s->b, c);
        if (!nb) {
            s->oom = true;
            return;
        }
        s->b = nb;
        s->cap = c;
    }
    memcpy(s->b + s->n, p, n);
    s->n += n;
}

static void puts_(buf *s, const char *str)
{
    put(s, str, strlen(str));
}

/* The writer: buffered, counting, hashing what it writes. */
typedef struct out {
    atomic_file *a;
    unsigned char b[PACK_OUT];
    size_t n;
    unsigned long long off; /* bytes written in all */
    sha256 h;
} out;

static void out_flush(out *o)
{
    if (o->n)
        atomic_write(o->a, o->b, o->n);
    o->n = 0;
}

static void out_put(out *o, const void *p, size_t n)
{
    sha256_update(&o->h, p, n);
    o->off += n;
    const unsigned char *c = p;
    while (n > 0) {
        if (o->n == PACK_OUT)
            out_flush(o);
        size_t k = PACK_OUT - o->n < n ? PACK_OUT - o->n : n;
        memcpy(o->b + o->n, c, k);
        o->n += k;
        c += k;
        n -= k;
    }
}

static void out_str(out *o, const char *s)
{
    out_put(o, s, strlen(s));
}

/* One object of libharu's file. */
typedef struct pobj {
    size_t off, end; /* its bytes, "N G obj" to what follows "endobj" */
    size_t vb, ve;   /* its value */
    bool used, stream;
} pobj;

/* Where an object ends up: type 1 (at an offset) or 2 (in an object stream, at an index). */
typedef struct xent {
    unsigned char type;
    unsigned long long f2;
    unsigned f3;
} xent;

typedef struct packer {
    const unsigned char *in;
    size_t len;
    pobj *o;
    size_t n;     /* libharu's /Size */
    xent *x;      /* per object number of the output */
    size_t total; /* the output's /Size */
    size_t next_stm; /* the number the next object stream gets */
    buf hdr, body; /* the object stream being filled */
    size_t in_stm, stm_first; /* its objects, and the first one's index in order */
    size_t *stm_objs;        /* their numbers */
    out w;
    bool oom, zfail;
} packer;

static const unsigned char *find(const unsigned char *h, size_t hn, const char *needle)
{
    size_t nn = strlen(needle);
    if (nn > hn)
        return NULL;
    for (size_t i = 0; i + nn <= hn; i++)
        if (h[i] == (unsigned char)needle[0] && memcmp(h + i, needle, nn) == 0)
            return h + i;
    return NULL;
}

static bool is_ws(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

/* "N G R" after key in the trailer's text; 0 when absent. */
static unsigned long trailer_ref(const unsigned char *t, size_t tn, const char *key)
{
    const unsigned char *k = find(t, tn, key);
    if (!k)
        return 0;
    char tmp[32];
    size_t kl = strlen(key), m = 0;
    const unsigned char *p = k + kl;
    while (p < t + tn && m + 1 < sizeof tmp)
        tmp[m++] = (char)*p++;
    tmp[m] = '\0';
    return strtoul(tmp, NULL, 10);
}

/* The index of libharu's objects, from its cross-reference table. */
static bool parse(packer *pk, unsigned long *root, unsigned long *info, const unsigned char **id, size_t *idlen,
                  int *minor, char *why, size_t whylen)
{
    const unsigned char *in = pk->in;
    size_t len = pk->len;
    if (len < 16 || memcmp(in, "%PDF-1.", 7) != 0) {
        snprintf(why, whylen, "compacting the PDF: no PDF header");
        return false;
    }
    *minor = in[7] >= '0' && in[7] <= '9' ? in[7] - '0' : 0;
    size_t tail = len > 64 ? 64 : len;
    const unsigned char *sx = NULL;
    for (size_t i = len - tail; i + 9 <= len; i++)
        if (memcmp(in + i, "startxref", 9) == 0)
            sx = in + i;
    if (!sx) {
        snprintf(why, whylen, "compacting the PDF: no startxref");
        return false;
    }
    unsigned long long xo = strtoull((const char *)sx + 9, NULL, 10);
    if (xo + 4 >= len || memcmp(in + xo, "xref", 4) != 0) {
        snprintf(why, whylen, "compacting the PDF: no cross-reference table at %llu", xo);
        return false;
    }
    /* "xref\n0 N\n" then N lines of 20 bytes; the text ends at the NUL-free "trailer" */
    const char *p = (const char *)in + xo + 4;
    char *e;
    unsigned long first = strtoul(p, &e, 10);
    unsigned long count = strtoul(e, &e, 10);
    if (first != 0 || count < 2 || count > len / 20) {
        snprintf(why, whylen, "compacting the PDF: unexpected cross-reference table");
        return false;
    }
    pk->n = count;
    pk->o = calloc(count, sizeof *pk->o);
    if (!pk->o) {
        pk->oom = true;
        return false;
    }
    const char *lim = (const char *)in + len;
    for (unsigned long i = 0; i < count; i++) {
        while (e < lim && is_ws((unsigned char)*e))
            e++;
        if (lim - e < 18) {
            snprintf(why, whylen, "compacting the PDF: cross-reference table cut short");
            return false;
        }
        unsigned long long off = strtoull(e, &e, 10);
        unsigned long gen = strtoul(e, &e, 10);
        while (e < lim && *e == ' ')
            e++;
        char kind = e < lim ? *e++ : '?';
        if (kind == 'n') {
            if (gen != 0 || off >= xo) {
                snprintf(why, whylen, "compacting the PDF: object %lu: unexpected entry", i);
                return false;
            }
            pk->o[i].off = (size_t)off;
            pk->o[i].used = true;
        }
    }
    const unsigned char *tr = find((const unsigned char *)e, (size_t)(lim - e), "trailer");
    if (!tr) {
        snprintf(why, whylen, "compacting the PDF: no trailer");
        return false;
    }
    size_t tn = (size_t)(sx - tr);
    *root = trailer_ref(tr, tn, "/Root");
    *info = trailer_ref(tr, tn, "/Info");
    const unsigned char *ids = find(tr, tn, "/ID");
    *id = NULL;
    *idlen = 0;
    if (ids) {
        const unsigned char *b = find(ids, tn - (size_t)(ids - tr), "[");
        const unsigned char *c = b ? find(b, tn - (size_t)(b - tr), "]") : NULL;
        if (b && c) {
            *id = b;
            *idlen = (size_t)(c - b) + 1;
        }
    }
    if (*root == 0 || *root >= count || !pk->o[*root].used || (*info && (*info >= count || !pk->o[*info].used))) {
        snprintf(why, whylen, "compacting the PDF: the trailer's /Root or /Info is not an object");
        return false;
    }
    /* each object ends where the next one in the file begins (libharu writes them in order) */
    size_t prev = 0;
    for (size_t i = count; i-- > 1;) {
        if (!pk->o[i].used)
            continue;
        size_t end = prev ? pk->o[prev].off : (size_t)xo;
        if (pk->o[i].off >= end) {
            snprintf(why, whylen, "compacting the PDF: objects out of order at %zu", i);
            return false;
        }
        pk->o[i].end = end;
        prev = i;
    }
    /* the value: after "N 0 obj", before "endobj" */
    for (size_t i = 1; i < count; i++) {
        pobj *ob = &pk->o[i];
        if (!ob->used)
            continue;
        const unsigned char *s = in + ob->off;
        size_t sn = ob->end - ob->off;
        const unsigned char *ho = find(s, sn < 32 ? sn : 32, " obj");
        if (!ho || strtoul((const char *)s, NULL, 10) != i) {
            snprintf(why, whylen, "compacting the PDF: object %zu is not where the table says", i);
            return false;
        }
        size_t vb = (size_t)(ho - s) + 4, ve = sn;
        while (ve > vb && is_ws(s[ve - 1]))
            ve--;
        if (ve < vb + 6 || memcmp(s + ve - 6, "endobj", 6) != 0) {
            snprintf(why, whylen, "compacting the PDF: object %zu has no endobj", i);
            return false;
        }
        ve -= 6;
        while (vb < ve && is_ws(s[vb]))
            vb++;
        while (ve > vb && is_ws(s[ve - 1]))
            ve--;
        ob->vb = ob->off + vb;
        ob->ve = ob->off + ve;
        ob->stream = ve - vb >= 9 && memcmp(s + ve - 9, "endstream", 9) == 0;
    }
    return true;
}

/* Compresses n bytes into a new buffer (*zn bytes); NULL when zlib failed or memory ran out. */
static unsigned char *deflated(packer *pk, const void *src, size_t n, size_t *zn)
{
    uLongf cap = compressBound((uLong)n);
    unsigned char *z = malloc(cap ? cap : 1);
    if (!z) {
        pk->oom = true;
        return NULL;
    }
    if (compress2(z, &cap, src, (uLong)n, Z_DEFAULT_COMPRESSION) != Z_OK) {
        pk->zfail = true;
        free(z);
        return NULL;
    }
    *zn = cap;
    return z;
}

/* Writes the object stream being filled, if it holds any object. */
static void stm_flush(packer *pk)
{
    if (pk->in_stm == 0)
        return;
    size_t num = pk->next_stm++;
    buf all = { 0 };
    put(&all, pk->hdr.b, pk->hdr.n);
    put(&all, "\n", 1); /* the last offset and the first value apart */
    size_t first = all.n;
    put(&all, pk->body.b, pk->body.n);
    size_t zn = 0;
    unsigned char *z = all.oom ? NULL : deflated(pk, all.b, all.n, &zn);
    pk->oom = pk->oom || all.oom || pk->hdr.oom || pk->body.oom;
    free(all.b);
    if (z) {
        char h[160];
        pk->x[num] = (xent){ 1, pk->w.off, 0 };
        snprintf(h, sizeof h, "%zu 0 obj\n<< /Type /ObjStm /N %zu /First %zu /Filter /FlateDecode /Length %zu >>\nstream\n", num,
                 pk->in_stm, first, zn);
        out_str(&pk->w, h);
        out_put(&pk->w, z, zn);
        out_str(&pk->w, "\nendstream\nendobj\n");
        free(z);
    }
    for (size_t i = 0; i < pk->in_stm; i++)
        pk->x[pk->stm_objs[i]] = (xent){ 2, num, (unsigned)i };
    pk->hdr.n = pk->body.n = 0;
    pk->in_stm = 0;
}

/* Starts object num's value in the object stream being filled (the caller puts the value). */
static void stm_begin(packer *pk, size_t num)
{
    if (pk->in_stm == PACK_PER_STREAM)
        stm_flush(pk);
    char h[48];
    snprintf(h, sizeof h, "%s%zu %zu", pk->in_stm ? " " : "", num, pk->body.n);
    puts_(&pk->hdr, h);
    pk->stm_objs[pk->in_stm++] = num;
}

/* An extra object's text, its references to extra objects made absolute. */
static void put_extra(packer *pk, buf *dst, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        const char *m = memchr(s + i, PDFPACK_REF, n - i);
        size_t k = m ? (size_t)(m - s) : n;
        put(dst, s + i, k - i);
        if (!m)
            break;
        char *e;
        unsigned long rel = strtoul(m + 1, &e, 10);
        char num[24];
        snprintf(num, sizeof num, "%zu", pk->n + (size_t)rel);
        puts_(dst, num);
        i = (size_t)(e - s);
    }
}

/* Bytes needed for v, at least 1. */
static int width_of(unsigned long long v)
{
    int w = 1;
    while (w < 8 && (v >> (8 * w)) != 0)
        w++;
    return w;
}

bool pdfpack(const unsigned char *in, size_t len, const pdfpack_extra *x, atomic_file *a, char *why, size_t whylen)
{
    if (whylen)
        why[0] = '\0';
    packer *pk = calloc(1, sizeof *pk);
    if (!pk) {
        snprintf(why, whylen, "compacting the PDF: out of memory");
        return false;
    }
    pk->in = in;
    pk->len = len;
    pk->w.a = a;
    sha256_init(&pk->w.h);
    unsigned long root = 0, info = 0;
    const unsigned char *id = NULL;
    size_t idlen = 0;
    int minor = 0;
    bool ok = parse(pk, &root, &info, &id, &idlen, &minor, why, whylen);
    size_t nx = x ? x->n : 0;
    size_t packed = 0;
    for (size_t i = 1; ok && i < pk->n; i++)
        packed += pk->o[i].used && !pk->o[i].stream;
    packed += nx;
    size_t nstm = (packed + PACK_PER_STREAM - 1) / PACK_PER_STREAM;
    pk->total = pk->n + nx + nstm + 1;
    pk->next_stm = pk->n + nx;
    if (ok) {
        pk->x = calloc(pk->total, sizeof *pk->x);
        pk->stm_objs = malloc(PACK_PER_STREAM * sizeof *pk->stm_objs);
        ok = pk->x && pk->stm_objs;
        pk->oom = !ok;
    }
    if (ok) {
        char h[32];
        snprintf(h, sizeof h, "%%PDF-1.%d\n%%", minor > 5 ? minor : 5);
        out_str(&pk->w, h);
        out_put(&pk->w, "\xbf\xf7\xa2\xfe\n", 5);
    }
    /* libharu's objects: streams as they are, the rest into object streams */
    for (size_t i = 1; ok && i < pk->n && !pk->oom && !pk->zfail; i++) {
        const pobj *ob = &pk->o[i];
        if (!ob->used)
            continue;
        if (ob->stream) {
            pk->x[i] = (xent){ 1, pk->w.off, 0 };
            char h[32];
            snprintf(h, sizeof h, "%zu 0 obj\n", i);
            out_str(&pk->w, h);
            out_put(&pk->w, in + ob->vb, ob->ve - ob->vb);
            out_str(&pk->w, "\nendobj\n");
            continue;
        }
        stm_begin(pk, i);
        if (i == root && x && x->root) {
            /* the catalog: the extra entries before its closing ">>" */
            size_t ve = ob->ve;
            if (ve - ob->vb < 4 || memcmp(in + ve - 2, ">>", 2) != 0) {
                snprintf(why, whylen, "compacting the PDF: the catalog is not a dictionary");
                ok = false;
                break;
            }
            put(&pk->body, in + ob->vb, ve - 2 - ob->vb);
            puts_(&pk->body, "\n");
            put_extra(pk, &pk->body, x->root, strlen(x->root));
            puts_(&pk->body, "\n>>");
        } else {
            put(&pk->body, in + ob->vb, ob->ve - ob->vb);
        }
        puts_(&pk->body, "\n");
    }
    for (size_t k = 0; ok && k < nx && !pk->oom && !pk->zfail; k++) {
        size_t b = x->start[k];
        stm_begin(pk, pk->n + k);
        put_extra(pk, &pk->body, x->text + b, x->end[k] - b);
        puts_(&pk->body, "\n");
    }
    if (ok)
        stm_flush(pk);
    if (ok && (pk->oom || pk->zfail || pk->hdr.oom || pk->body.oom)) {
        snprintf(why, whylen, "compacting the PDF: %s", pk->zfail ? "zlib failed" : "out of memory");
        ok = false;
    }
    /* the cross-reference stream, the last object: rows of 1 + w + 2 bytes, PNG Up predicted */
    if (ok) {
        size_t xnum = pk->total - 1;
        unsigned long long xoff = pk->w.off;
        pk->x[xnum] = (xent){ 1, xoff, 0 };
        pk->x[0] = (xent){ 0, 0, 65535 };
        int w = width_of(xoff > pk->total ? xoff : pk->total);
        size_t cols = 1 + (size_t)w + 2, rowl = cols + 1;
        unsigned char *raw = calloc(pk->total, rowl);
        unsigned char *prev = calloc(1, cols), *cur = malloc(cols);
        ok = raw && prev && cur;
        for (size_t i = 0; ok && i < pk->total; i++) {
            const xent *e = &pk->x[i];
            cur[0] = e->type;
            for (int b = 0; b < w; b++)
                cur[1 + b] = (unsigned char)(e->f2 >> (8 * (w - 1 - b)));
            cur[1 + w] = (unsigned char)(e->f3 >> 8);
            cur[2 + w] = (unsigned char)e->f3;
            unsigned char *row = raw + i * rowl;
            row[0] = 2; /* Up */
            for (size_t c = 0; c < cols; c++)
                row[1 + c] = (unsigned char)(cur[c] - prev[c]);
            memcpy(prev, cur, cols);
        }
        size_t zn = 0;
        unsigned char *z = ok ? deflated(pk, raw, pk->total * rowl, &zn) : NULL;
        free(raw);
        free(prev);
        free(cur);
        ok = z != NULL;
        char ids[160];
        if (ok && id) {
            snprintf(ids, sizeof ids, "%.*s", (int)(idlen < 150 ? idlen : 150), (const char *)id);
        } else if (ok) {
            sha256 h = pk->w.h;
            char hex[SHA256_HEX];
            sha256_hex(&h, hex);
            snprintf(ids, sizeof ids, "[<%.32s><%.32s>]", hex, hex);
        }
        if (ok) {
            char h[512], inf[32] = "";
            if (info)
                snprintf(inf, sizeof inf, " /Info %lu 0 R", info);
            snprintf(h, sizeof h,
                     "%zu 0 obj\n<< /Type /XRef /Size %zu /W [1 %d 2] /Root %lu 0 R%s /ID %s /Filter /FlateDecode "
                     "/DecodeParms << /Columns %zu /Predictor 12 >> /Length %zu >>\nstream\n",
                     xnum, pk->total, w, root, inf, ids, cols, zn);
            out_str(&pk->w, h);
            out_put(&pk->w, z, zn);
            snprintf(h, sizeof h, "\nendstream\nendobj\nstartxref\n%llu\n%%%%EOF\n", xoff);
            out_str(&pk->w, h);
            out_flush(&pk->w);
        } else if (!z) {
            snprintf(why, whylen, "compacting the PDF: %s", pk->zfail ? "zlib failed" : "out of memory");
        }
        free(z);
    }
    if (pk->oom && ok) {
        snprintf(why, whylen, "compacting the PDF: out of memory");
        ok = false;
    }
    if (!ok && pk->oom && !why[0])
        snprintf(why, whylen, "compacting the PDF: out of memory");
    free(pk->o);
    free(pk->x);
    free(pk->stm_objs);
    free(pk->hdr.b);
    free(pk->body.b);
    free(pk);
    return ok;
}
