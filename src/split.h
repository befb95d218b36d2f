/* split: one build's output made in parts, the caller's side of drawing (render.h draws one part,
 * this module never draws). Owns the plan (how many files of at most --max-pages pages, whole
 * sheets, which items each holds, their names from parts.h and their temporary names), who draws
 * them (this process one after the other, or -j worker processes made by childproc.h, each
 * drawing every jobs-th part), the parts' dumps joined into one, the targets checked again once
 * every input has been read, and the commit: every part in place together or none (parts.h).
 * The parts' temporary files are registered with atomic.h from before the first is drawn until
 * they are renamed or removed, so that a signal at any moment leaves none behind. */
#ifndef HANDOUT_SPLIT_H
#define HANDOUT_SPLIT_H

#include "render.h"

/* Checks, lays out, draws and saves every item of o (o->count) into o->output, or into numbered
 * parts of it when they pass o->max_pages pages (RENDER_MAX_PAGES when 0), o->jobs parts at once;
 * *o->pages_out and *o->parts_out receive the pages and files. Nothing is written when any error
 * was found, in any part. An exit status (status.h): the most severe of the parts'. */
int split_build(const layout *l, content *c, fonts *f, const render_opts *o, diag *d);

#endif
