/* pdfpack: a saved PDF rewritten compactly, by a writer of our own (PDF 1.5, ISO 32000-1 7.5.7
 * object streams and 7.5.8 cross-reference streams; zlib for the compression). libharu 2.3.0
 * writes every object on its own, uncompressed, with a line of the cross-reference table each;
 * in a merge of many items most of the file is then the structure tree's small dictionaries.
 * The rewrite keeps libharu's objects and their numbers: every stream is copied as it is (its
 * data as libharu compressed it), every other object goes into compressed object streams of
 * PACK_PER_STREAM objects, and the cross-reference table becomes a compressed stream (PNG "Up"
 * predictor). Objects made outside libharu (pdfpack_extra: the structure tree, tags.c) join them
 * as text, numbered after libharu's, and the catalog gets entries that refer to them.
 *
 * It reads libharu's bytes once and writes as it goes: its memory is the input, an index of
 * the objects (a few words each) and one object stream, where libqpdf, used before, held every
 * object of the file as a C++ object (about 55 MB for a 500-page merge of 5,000 cards).
 *
 * The trailer's /ID: libharu's when it wrote one (a PDF/X build's, pdfx.c), else the SHA-256 of
 * the bytes before the cross-reference stream, its first 16 bytes twice; the same input gives the
 * same bytes. */
#ifndef HANDOUT_PDFPACK_H
#define HANDOUT_PDFPACK_H

#include "atomic.h"

#include <stdbool.h>
#include <stddef.h>

/* A reference to extra object k inside extra text: the byte PDFPACK_REF, k in decimal, then
 * " 0 R" as usual; written as the number the object gets. Never in a string: tags.c writes
 * strings with bytes below 0x20 in hexadecimal. */
#define PDFPACK_REF '\001'

/* Objects made outside libharu: object k's value is text[start[k] .. end[k]); root: entries
 * added to the catalog's dictionary ("/Key value ..."), or NULL. */
typedef struct pdfpack_extra {
    char *text;
    size_t *start, *end;
    size_t n;
    char *root;
} pdfpack_extra;

void pdfpack_extra_free(pdfpack_extra *x);

/* Rewrites libharu's len bytes at in, with the extra objects x (NULL: none), into a
 * (atomic_write: its errors stay in a for atomic_finish); false with a reason in why when the
 * input is not what libharu writes or memory ran out. */
bool pdfpack(const unsigned char *in, size_t len, const pdfpack_extra *x, atomic_file *a, char *why, size_t whylen);

#endif
