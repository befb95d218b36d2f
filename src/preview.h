/* preview: the web page's preview images and the previews kept for reuse. Owns writing a PNG
 * from the raw pixels a renderer gives (pdftoppm's PPM: encoding its PNG there at zlib's default
 * level was most of a preview's time, so it is done here at the fastest level; the only room
 * that includes zlib.h), and the cache of previews per canonical input: a key the caller makes
 * from everything the image depends on (webbuild.c: the plan's inputs with their digests, the
 * build's arguments, the program), with the image and what the page says beside it. The cache
 * holds at most a number of entries and of bytes, dropping the least recently used first; it
 * may be used from several threads at once. */
#ifndef HANDOUT_PREVIEW_H
#define HANDOUT_PREVIEW_H

#include "sha256.h"

#include <stdbool.h>
#include <stddef.h>

/* Reads a binary PPM (P6, maxval 255) and writes it as an 8-bit RGB PNG. False with a reason. */
bool preview_png_from_ppm(const char *ppm, const char *png, char *why, size_t whylen);

/* A message shown beside the preview: its field (the caller's numbering), error or warning. */
typedef struct preview_msg {
    int field;
    bool error;
    char *text;
} preview_msg;

/* One preview: the image and the facts of the one unit it was drawn from. */
typedef struct preview_entry {
    unsigned char *png;
    size_t png_len;
    long pages;           /* pages of one unit (an item, or a sheet of them) */
    double page_w, page_h; /* points */
    bool two_sided;
    int per_sheet;        /* 0 when not imposed */
    preview_msg *msgs;    /* what the build and the rendering said */
    int nmsgs;
} preview_entry;

void preview_entry_free(preview_entry *e);

typedef struct preview_cache preview_cache;

preview_cache *preview_cache_new(int max_entries, size_t max_bytes);
void preview_cache_free(preview_cache *c);
/* A copy of the entry under key into *out (free with preview_entry_free); false (a miss,
 * counted) when there is none. */
bool preview_cache_get(preview_cache *c, const char key[SHA256_HEX], preview_entry *out);
/* Keeps a copy of e under key (replacing one there); an entry larger than the cache's bytes is
 * not kept. */
void preview_cache_put(preview_cache *c, const char key[SHA256_HEX], const preview_entry *e);
/* The hits and misses so far and the entries held. */
void preview_cache_counts(preview_cache *c, unsigned long *hits, unsigned long *misses, int *entries);

#endif
