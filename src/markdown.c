/* markdown: a walk over cmark's tree that flattens blocks and collects styled inline text, after a
 * first walk without recursion (cmark's iterator) that measures the nesting. A table, which
 * CommonMark reads as a paragraph of pipes, is found in the source lines of paragraphs. */
#include "markdown.h"

#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct md_walk {
    md_doc *doc;
    const char *path;
    diag *d;
    bool failed;
    const char *text; /* the source, for the lines of a paragraph */
    size_t len;
} md_walk;

static md_block *new_block(md_walk *w, md_kind kind, int level, int line)
{
    md_doc *doc = w->doc;
    if (doc->n == doc->cap) {
        size_t cap = doc->cap ? doc->cap * 2 : 16;
        md_block *nb = realloc(doc->blocks, cap * sizeof *nb);
        if (!nb) {
            w->failed = true;
            return NULL;
        }
        doc->blocks = nb;
        doc->cap = cap;
    }
    md_block *b = &doc->blocks[doc->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->level = level;
    b->line = line;
    return b;
}

/* Appends text in a style, collapsing whitespace; merges with the previous span of that style. */
static void add_text(md_walk *w, md_block *b, int style, const char *s, size_t n, bool hard)
{
    md_span *last = b->nspans ? &b->spans[b->nspans - 1] : NULL;
    if (!last || last->style != style || hard) {
        md_span *ns = realloc(b->spans, (b->nspans + 1) * sizeof *ns);
        if (!ns) {
            w->failed = true;
            return;
        }
        b->spans = ns;
        last = &b->spans[b->nspans++];
        memset(last, 0, sizeof *last);
        last->style = style;
        last->hard_break = hard;
    }
    char *grown = realloc(last->s, last->len + n + 1);
    if (!grown) {
        w->failed = true;
        return;
    }
    last->s = grown;
    /* the previous character of the block, to collapse spaces across spans */
    char prevc = last->len ? last->s[last->len - 1] : ' ';
    if (!last->len && b->nspans > 1 && !hard) {
        md_span *p = &b->spans[b->nspans - 2];
        prevc = p->len ? p->s[p->len - 1] : ' ';
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\n' || c == '\t' || c == '\r')
            c = ' ';
        if (c == ' ' && prevc == ' ')
            continue;
        last->s[last->len++] = c;
        prevc = c;
    }
    last->s[last->len] = '\0';
}

static void unsupported(md_walk *w, cmark_node *n, const char *what)
{
    diag_error(w->d, "markdown-unsupported", diag_at(w->path, cmark_node_get_start_line(n)),
               "expected Markdown headings, paragraphs, lists, emphasis or links, found %s", what);
    w->failed = true;
}

/* Line `line` (1-based) of the source: its start, and its length without the newline. */
static bool source_line(const md_walk *w, int line, const char **s, size_t *n)
{
    size_t i = 0;
    for (int l = 1; l < line; l++) {
        const char *nl = memchr(w->text + i, '\n', w->len - i);
        if (!nl)
            return false;
        i = (size_t)(nl - w->text) + 1;
    }
    const char *nl = memchr(w->text + i, '\n', w->len - i);
    *s = w->text + i;
    *n = nl ? (size_t)(nl - *s) : w->len - i;
    if (*n > 0 && (*s)[*n - 1] == '\r')
        (*n)--;
    return true;
}

/* A GitHub-flavoured table's delimiter row: cells of dashes, each with an optional colon at
 * either end, between pipes ("|---|:--:|", "--- | ---"); at least one pipe. */
static bool delimiter_row(const char *s, size_t n)
{
    size_t i = 0, pipes = 0, cells = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i == n)
            break;
        if (s[i] == '|') {
            pipes++;
            i++;
            continue;
        }
        if (s[i] == ':')
            i++;
        size_t dashes = 0;
        while (i < n && s[i] == '-')
            i++, dashes++;
        if (i < n && s[i] == ':')
            i++;
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (dashes == 0 || (i < n && s[i] != '|'))
            return false;
        cells++;
    }
    return pipes > 0 && cells > 0;
}

/* A paragraph from line `first` to `last` that holds a table: a delimiter row under a line of the
 * paragraph (the header row). Reports the header row's line. */
static bool table_in(md_walk *w, int first, int last)
{
    for (int line = first + 1; line <= last; line++) {
        const char *s;
        size_t n;
        if (!source_line(w, line, &s, &n))
            return false;
        if (delimiter_row(s, n)) {
            diag_error(w->d, "markdown-table", diag_at(w->path, line - 1),
                       "expected Markdown headings, paragraphs, lists, emphasis or links, found a "
                       "table (its header row here, the row of dashes below it): tables are not "
                       "supported; write the rows as a list");
            w->failed = true;
            return true;
        }
    }
    return false;
}

static void walk_inlines(md_walk *w, md_block *b, cmark_node *parent, int style)
{
    for (cmark_node *n = cmark_node_first_child(parent); n && !w->failed; n = cmark_node_next(n)) {
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE: {
            const char *s = cmark_node_get_literal(n);
            add_text(w, b, style, s, strlen(s), false);
            break;
        }
        case CMARK_NODE_SOFTBREAK:
            add_text(w, b, style, " ", 1, false);
            break;
        case CMARK_NODE_LINEBREAK:
            add_text(w, b, style, "", 0, true);
            break;
        case CMARK_NODE_EMPH:
            walk_inlines(w, b, n, style | MD_ITALIC);
            break;
        case CMARK_NODE_STRONG:
            walk_inlines(w, b, n, style | MD_BOLD);
            break;
        case CMARK_NODE_LINK: {
            const char *url = cmark_node_get_url(n);
            char **nl = realloc(w->doc->links, (w->doc->nlinks + 1) * sizeof *nl);
            if (!nl || !(nl[w->doc->nlinks] = strdup(url ? url : ""))) {
                if (nl)
                    w->doc->links = nl;
                w->failed = true;
                break;
            }
            w->doc->links = nl;
            w->doc->nlinks++;
            walk_inlines(w, b, n, style);
            break;
        }
        case CMARK_NODE_IMAGE:
            unsupported(w, n, "an image (use an image element in the layout)");
            break;
        case CMARK_NODE_HTML_INLINE:
            unsupported(w, n, "inline HTML");
            break;
        default:
            unsupported(w, n, "an unsupported inline element");
            break;
        }
    }
}

static void walk_blocks(md_walk *w, cmark_node *parent, int depth, const char *marker);

static void walk_list(md_walk *w, cmark_node *list, int depth)
{
    bool ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
    int num = cmark_node_get_list_start(list);
    for (cmark_node *item = cmark_node_first_child(list); item && !w->failed;
         item = cmark_node_next(item)) {
        char marker[24];
        if (ordered)
            snprintf(marker, sizeof marker, "%d.", num++);
        else
            snprintf(marker, sizeof marker, "%s", "\xE2\x80\xA2"); /* U+2022 bullet */
        walk_blocks(w, item, depth + 1, marker);
    }
}

static void walk_blocks(md_walk *w, cmark_node *parent, int depth, const char *marker)
{
    for (cmark_node *n = cmark_node_first_child(parent); n && !w->failed; n = cmark_node_next(n)) {
        int line = cmark_node_get_start_line(n);
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_PARAGRAPH: {
            if (table_in(w, line, cmark_node_get_end_line(n)))
                break;
            md_block *b = new_block(w, marker ? MD_ITEM : MD_PARAGRAPH, depth, line);
            if (!b)
                return;
            if (marker) {
                snprintf(b->marker, sizeof b->marker, "%s", marker);
                marker = NULL; /* only the first paragraph of an item carries it */
            }
            walk_inlines(w, b, n, 0);
            break;
        }
        case CMARK_NODE_HEADING: {
            if (depth > 0) {
                unsupported(w, n, "a heading inside a list");
                break;
            }
            md_block *b = new_block(w, MD_HEADING, cmark_node_get_heading_level(n), line);
            if (!b)
                return;
            walk_inlines(w, b, n, 0);
            break;
        }
        case CMARK_NODE_LIST: {
            /* "a | b" over "- | -": the delimiter row reads as a list that interrupts the
             * paragraph before it */
            cmark_node *prev = cmark_node_previous(n);
            if (prev && cmark_node_get_type(prev) == CMARK_NODE_PARAGRAPH &&
                cmark_node_get_end_line(prev) == line - 1 && table_in(w, line - 1, line))
                break;
            if (marker) {
                /* an item that starts with a list: give the marker its own empty line */
                md_block *b = new_block(w, MD_ITEM, depth, line);
                if (!b)
                    return;
                snprintf(b->marker, sizeof b->marker, "%s", marker);
                marker = NULL;
            }
            walk_list(w, n, depth);
            break;
        }
        case CMARK_NODE_BLOCK_QUOTE:
            unsupported(w, n, "a block quote");
            break;
        case CMARK_NODE_CODE_BLOCK:
            unsupported(w, n, "a code block");
            break;
        case CMARK_NODE_HTML_BLOCK:
            unsupported(w, n, "an HTML block");
            break;
        case CMARK_NODE_THEMATIC_BREAK:
            unsupported(w, n, "a thematic break (---)");
            break;
        default:
            unsupported(w, n, "an unsupported block");
            break;
        }
    }
}

void markdown_free(md_doc *doc)
{
    for (size_t i = 0; i < doc->n; i++) {
        for (size_t k = 0; k < doc->blocks[i].nspans; k++)
            free(doc->blocks[i].spans[k].s);
        free(doc->blocks[i].spans);
    }
    free(doc->blocks);
    for (size_t i = 0; i < doc->nlinks; i++)
        free(doc->links[i]);
    free(doc->links);
    memset(doc, 0, sizeof *doc);
}

/* A node that nests what it holds one level deeper. */
static bool nests(cmark_node_type t)
{
    return t == CMARK_NODE_LIST || t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_EMPH ||
           t == CMARK_NODE_STRONG || t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE;
}

/* The nesting of the tree, measured with cmark's iterator (no recursion): false after reporting
 * the first node deeper than MARKDOWN_MAX_DEPTH, with the deepest level found. */
static bool check_depth(cmark_node *root, const char *path, diag *d)
{
    cmark_iter *it = cmark_iter_new(root);
    if (!it)
        return false;
    int depth = 0, deepest = 0, first_line = 0;
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (!nests(cmark_node_get_type(n)))
            continue;
        if (ev == CMARK_EVENT_ENTER) {
            depth++;
            if (depth > deepest)
                deepest = depth;
            if (depth > MARKDOWN_MAX_DEPTH && !first_line)
                first_line = cmark_node_get_start_line(n);
        } else if (ev == CMARK_EVENT_EXIT) {
            depth--;
        }
    }
    cmark_iter_free(it);
    if (deepest > MARKDOWN_MAX_DEPTH) {
        /* inline nodes may carry no line: the file's first line then */
        diag_error(d, "markdown-too-deep", diag_at(path, first_line > 0 ? first_line : 1),
                   "expected lists, block quotes, emphasis and links nested at most %d deep, found %d levels",
                   MARKDOWN_MAX_DEPTH, deepest);
        return false;
    }
    return true;
}

bool markdown_parse(const char *text, size_t len, const char *path, md_doc *out, diag *d)
{
    memset(out, 0, sizeof *out);
    cmark_node *root = cmark_parse_document(text, len, CMARK_OPT_DEFAULT);
    if (!root) {
        diag_error(d, "markdown-unparsable", diag_at(path, 0), "cannot be parsed as Markdown");
        return false;
    }
    if (!check_depth(root, path, d)) {
        cmark_node_free(root);
        return false;
    }
    md_walk w = { out, path, d, false, text, len };
    walk_blocks(&w, root, 0, NULL);
    cmark_node_free(root);
    if (w.failed) {
        markdown_free(out);
        return false;
    }
    return true;
}
