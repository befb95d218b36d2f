/* markdown: Markdown body text parsed with cmark (CommonMark) into a flat list of blocks
 * (headings, paragraphs, list items) of styled spans. The only room that includes cmark.
 * Supported: headings, paragraphs, bullet and numbered lists (nested), emphasis, strong
 * emphasis, code spans (as plain text), hard line breaks and links (their text). Anything else
 * is an error naming its line (a table too, which CommonMark would print as a paragraph of pipes),
 * and so is nesting deeper than MARKDOWN_MAX_DEPTH. */
#ifndef HANDOUT_MARKDOWN_H
#define HANDOUT_MARKDOWN_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

enum { MD_BOLD = 1, MD_ITALIC = 2 };

/* Lists, block quotes, emphasis, strong emphasis and links nested in one another: at most this
 * many levels (docs/formats.md). A printed list three levels deep is already hard to read; the
 * limit keeps the walk over cmark's tree, which recurses, shallow. */
enum { MARKDOWN_MAX_DEPTH = 32 };
typedef enum { MD_PARAGRAPH, MD_HEADING, MD_ITEM } md_kind;

typedef struct md_span {
    int style; /* MD_BOLD | MD_ITALIC */
    char *s;   /* whitespace collapsed to single spaces */
    size_t len;
    bool hard_break;
} md_span;

typedef struct md_block {
    md_kind kind;
    int level;        /* heading level 1..6; list depth for items and paragraphs inside lists */
    char marker[24];  /* "•" or "3." for the first paragraph of an item; "" otherwise */
    int line;         /* in the source */
    md_span *spans;
    size_t nspans;
} md_block;

typedef struct md_doc {
    md_block *blocks;
    size_t n, cap;
    char **links;   /* every link's destination, in order (printed as text; a QR element may
                     * carry one: see link_file in docs/formats.md) */
    size_t nlinks;
} md_doc;

/* Parses text (from path, for messages). Returns false after reporting to d. */
bool markdown_parse(const char *text, size_t len, const char *path, md_doc *out, diag *d);
void markdown_free(md_doc *doc);

#endif
