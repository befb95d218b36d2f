/* pdfpack: a saved PDF rewritten compactly, with libqpdf (its C API, qpdf-c.h; the only room that
 * includes it). libharu 2.3.0 writes every object on its own, uncompressed, with a line of the
 * cross-reference table each; in a merge of many items most of the file is then the structure
 * tree's small dictionaries. The rewrite (PDF 1.5, ISO 32000-1 7.5.7 and 7.5.8) puts every object
 * that may go there into compressed object streams and writes the cross-reference table as a
 * compressed stream. Streams keep their data as libharu compressed it (nothing is decoded or
 * compressed again; unreferenced objects are dropped). The trailer's /ID is the one qpdf computes
 * from the file's content (its deterministic ID: the first element kept when the file had one, as
 * a PDF/X build's), so the same input still gives the same bytes. */
#ifndef HANDOUT_PDFPACK_H
#define HANDOUT_PDFPACK_H

#include "atomic.h"

#include <stdbool.h>
#include <stddef.h>

/* Rewrites the len bytes at in into a (atomic_write: its errors stay in a for atomic_finish);
 * false with a reason in why when libqpdf could not read or write them. */
bool pdfpack(const unsigned char *in, size_t len, atomic_file *a, char *why, size_t whylen);

#endif
