/* proof: `handout proof`, the proof sheet (issue 16, item 6). Every product in every language (the
 * builds `make run` makes: LAYOUT CONTENT_DIR NAME [SIZE] lines, from a file, standard input or
 * tools/run-pairs.sh) is built in a child process of this program with its findings kept as
 * records; the first page of each is rasterised by pdftoppm into a thumbnail; the sheet is then a
 * layout this module writes (a grid of image and text elements) built by this program with a data
 * file, one record a page, so that its labels and findings are set with the font fallback and
 * shaping of every other product. PNG pages of the sheet are written beside it (pdftoppm). */
#ifndef HANDOUT_PROOF_H
#define HANDOUT_PROOF_H

#include "cli.h"

/* Runs `handout proof [PAIRS] [-o OUT.pdf]`; returns the exit status (status.h): 0 when the sheet
 * is written and no product had an error, 1 when some had (the sheet shows them), 2 usage, 3 not
 * written, 4 internal. */
int proof_main(const cli_options *o);

#endif
