/* preview: see preview.h. The PNG is written as the PNG specification (W3C, second edition,
 * sections 5 and 11) lays it out: the signature, IHDR, one IDAT holding the zlib stream of the
 * filtered rows, IEND; each chunk its length, type, data and the CRC-32 of type and data. */
#include "preview.h"
#include "readfile.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum { PREVIEW_MAX_SIDE = 20000 }; /* pixels: far beyond what a preview is drawn at */

/* ---- PNG from PPM ---- */

/* The next number of a PPM header at *p (whitespace and # comments skipped before it). */
static bool ppm_number(const unsigned char **p, const unsigned char *end, long *v)
{
    const unsigned char *s = *p;
    for (;;) {
        while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
            s++;
        if (s < end && *s == '#') {
            while (s < end && *s != '\n')
                s++;
            continue;
        }
        break;
    }
    if (s >= end || *s < '0' || *s > '9')
        return false;
    long n = 0;
    while (s < end && *s >= '0' && *s <= '9' && n <= PREVIEW_MAX_SIDE)
        n = n * 10 + (*s++ - '0');
    *v = n;
    *p = s;
    return true;
}

static void put32(unsigned char *b, uint32_t v)
{
    b[0] = (unsigned char)(v >> 24);
    b[1] = (unsigned char)(v >> 16);
    b[2] = (unsigned char)(v >> 8);
    b[3] = (unsigned char)v;
}

static bool chunk(FILE *o, const char *type, const unsigned char *data, size_t len)
{
    unsigned char head[8];
    put32(head, (uint32_t)len);
    memcpy(head + 4, type, 4);
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, head + 4, 4);
    if (len)
        crc = crc32(crc, data, (uInt)len);
    unsigned char tail[4];
    put32(tail, (uint32_t)crc);
    return fwrite(head, 1, 8, o) == 8 && (len == 0 || fwrite(data, 1, len, o) == len) && fwrite(tail, 1, 4, o) == 4;
}

bool preview_png_from_ppm(const char *ppm, const char *png, char *why, size_t whylen)
{
    size_t len;
    unsigned char *in = (unsigned char *)readfile(ppm, (size_t)256 << 20, &len, why, whylen);
    if (!in)
        return false;
    const unsigned char *p = in + 2, *end = in + len;
    long w = 0, h = 0, maxval = 0;
    bool ok = len > 2 && in[0] == 'P' && in[1] == '6' && ppm_number(&p, end, &w) && ppm_number(&p, end, &h) &&
              ppm_number(&p, end, &maxval) && p < end && maxval == 255 && w > 0 && h > 0 && w <= PREVIEW_MAX_SIDE &&
              h <= PREVIEW_MAX_SIDE && (size_t)(end - p - 1) >= (size_t)w * (size_t)h * 3;
    if (!ok) {
        snprintf(why, whylen, "expected a binary PPM image (P6, 255 levels), found %s not one", ppm);
        free(in);
        return false;
    }
    p++; /* the one whitespace character after maxval */
    /* the rows, each behind its filter byte: Sub (1), the difference from the pixel on the left,
     * which costs little and leaves the flat areas of a page as runs of zeros */
    size_t row = (size_t)w * 3, raw_len = (row + 1) * (size_t)h;
    unsigned char *raw = malloc(raw_len);
    uLongf zlen = compressBound((uLong)raw_len);
    unsigned char *z = raw ? malloc(zlen) : NULL;
    if (!raw || !z) {
        snprintf(why, whylen, "out of memory");
        free(raw);
        free(z);
        free(in);
        return false;
    }
    for (long y = 0; y < h; y++) {
        const unsigned char *src = p + (size_t)y * row;
        unsigned char *dst = raw + (size_t)y * (row + 1);
        dst[0] = 1;
        memcpy(dst + 1, src, 3);
        for (size_t x = 3; x < row; x++)
            dst[1 + x] = (unsigned char)(src[x] - src[x - 3]);
    }
    free(in);
    /* zlib's fastest level: a few ms of CPU for a Letter page at 900 px (its default level, as
     * pdftoppm writes PNG, took longer than the drawing); run-length matches alone (Z_RLE) were
     * no faster here, and larger */
    int zerr = compress2(z, &zlen, raw, (uLong)raw_len, Z_BEST_SPEED);
    free(raw);
    if (zerr != Z_OK) {
        snprintf(why, whylen, "zlib could not compress the image (error %d)", zerr);
        free(z);
        return false;
    }
    FILE *o = fopen(png, "wb");
    if (!o) {
        snprintf(why, whylen, "cannot write %s: %s", png, strerror(errno));
        free(z);
        return false;
    }
    static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    unsigned char ihdr[13];
    put32(ihdr, (uint32_t)w);
    put32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;  /* bits per sample */
    ihdr[9] = 2;  /* colour type: RGB */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering, a filter byte per row */
    ihdr[12] = 0; /* not interlaced */
    ok = fwrite(sig, 1, 8, o) == 8 && chunk(o, "IHDR", ihdr, sizeof ihdr) && chunk(o, "IDAT", z, zlen) &&
         chunk(o, "IEND", NULL, 0);
    free(z);
    if (fclose(o) != 0)
        ok = false;
    if (!ok)
        snprintf(why, whylen, "cannot write %s: %s", png, strerror(errno));
    return ok;
}

/* ---- the cache ---- */

typedef struct slot {
    char key[SHA256_HEX];
    preview_entry e;
    size_t bytes;
    unsigned long used; /* the tick of its last use */
} slot;

struct preview_cache {
    pthread_mutex_t lock;
    slot *slots;
    int n, max;
    size_t bytes, max_bytes;
    unsigned long tick, hits, misses;
};

void preview_entry_free(preview_entry *e)
{
    if (!e)
        return;
    free(e->png);
    for (int i = 0; i < e->nmsgs; i++)
        free(e->msgs[i].text);
    free(e->msgs);
    memset(e, 0, sizeof *e);
}

static bool entry_copy(preview_entry *dst, const preview_entry *src, size_t *bytes)
{
    *dst = *src;
    dst->png = NULL;
    dst->msgs = NULL;
    dst->nmsgs = 0;
    size_t total = sizeof *dst + src->png_len;
    dst->png = malloc(src->png_len ? src->png_len : 1);
    if (!dst->png)
        return false;
    memcpy(dst->png, src->png, src->png_len);
    if (src->nmsgs > 0) {
        dst->msgs = calloc((size_t)src->nmsgs, sizeof *dst->msgs);
        if (!dst->msgs) {
            preview_entry_free(dst);
            return false;
        }
        for (int i = 0; i < src->nmsgs; i++) {
            dst->msgs[i] = src->msgs[i];
            dst->msgs[i].text = strdup(src->msgs[i].text ? src->msgs[i].text : "");
            dst->nmsgs = i + 1;
            if (!dst->msgs[i].text) {
                preview_entry_free(dst);
                return false;
            }
            total += sizeof dst->msgs[i] + strlen(dst->msgs[i].text) + 1;
        }
    }
    if (bytes)
        *bytes = total;
    return true;
}

preview_cache *preview_cache_new(int max_entries, size_t max_bytes)
{
    preview_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->slots = calloc((size_t)(max_entries > 0 ? max_entries : 1), sizeof *c->slots);
    if (!c->slots) {
        free(c);
        return NULL;
    }
    c->max = max_entries > 0 ? max_entries : 1;
    c->max_bytes = max_bytes;
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

void preview_cache_free(preview_cache *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->n; i++)
        preview_entry_free(&c->slots[i].e);
    free(c->slots);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static int find(const preview_cache *c, const char *key)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->slots[i].key, key) == 0)
            return i;
    return -1;
}

static void drop(preview_cache *c, int i)
{
    c->bytes -= c->slots[i].bytes;
    preview_entry_free(&c->slots[i].e);
    c->slots[i] = c->slots[--c->n];
}

bool preview_cache_get(preview_cache *c, const char key[SHA256_HEX], preview_entry *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&c->lock);
    int i = find(c, key);
    bool ok = i >= 0 && entry_copy(out, &c->slots[i].e, NULL);
    if (ok) {
        c->slots[i].used = ++c->tick;
        c->hits++;
    } else {
        c->misses++;
    }
    pthread_mutex_unlock(&c->lock);
    return ok;
}

void preview_cache_put(preview_cache *c, const char key[SHA256_HEX], const preview_entry *e)
{
    preview_entry copy;
    size_t bytes = 0;
    if (!entry_copy(&copy, e, &bytes))
        return;
    if (bytes > c->max_bytes) {
        preview_entry_free(&copy);
        return;
    }
    pthread_mutex_lock(&c->lock);
    int i = find(c, key);
    if (i >= 0)
        drop(c, i);
    /* the least recently used go until the new one fits */
    while (c->n > 0 && (c->n >= c->max || c->bytes + bytes > c->max_bytes)) {
        int oldest = 0;
        for (int k = 1; k < c->n; k++)
            if (c->slots[k].used < c->slots[oldest].used)
                oldest = k;
        drop(c, oldest);
    }
    slot *s = &c->slots[c->n++];
    memcpy(s->key, key, SHA256_HEX);
    s->e = copy;
    s->bytes = bytes;
    s->used = ++c->tick;
    c->bytes += bytes;
    pthread_mutex_unlock(&c->lock);
}

void preview_cache_counts(preview_cache *c, unsigned long *hits, unsigned long *misses, int *entries)
{
    pthread_mutex_lock(&c->lock);
    *hits = c->hits;
    *misses = c->misses;
    *entries = c->n;
    pthread_mutex_unlock(&c->lock);
}
