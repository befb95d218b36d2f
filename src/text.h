/* text: line breaking and fitting, with no PDF in sight. Blocks of styled spans are broken into
 * lines where UAX #14 allows (unicode.h: after spaces, after hyphens, between ideographs, between
 * the words of Thai, Lao, Khmer and Myanmar), at soft hyphens and at hyphenation points, aligned (left, centre, right, justified)
 * and stacked with line height and paragraph spacing; text_fit lowers the size step by step down
 * to a minimum until the text fits its box. Widths come from a measuring function that the
 * caller provides. */
#ifndef HANDOUT_TEXT_H
#define HANDOUT_TEXT_H

#include "layout.h"
#include "unicode.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct text_span {
    int font;          /* a font slot (FONT_REGULAR...) */
    const char *s;     /* UTF-8, single spaces between words; not owned */
    size_t len;
    bool hard_break;   /* a forced line break before this span's text */
    const char *lang;  /* its language (BCP 47) when it is not the block's, else NULL; not
                        * owned. Fragments of different languages are never merged, and each
                        * fragment carries its span's (the typesetter tags such a run as a Span
                        * with its own /Lang); its words are not hyphenated (text_style's
                        * hyphenation is the block's language's) */
} text_span;

typedef struct text_block {
    const text_span *spans;
    size_t nspans;
    double size;         /* font size in pt before scaling */
    double indent;       /* left indent of every line, pt before scaling */
    const char *marker;  /* a list marker hung left of the indent, or NULL */
    int marker_font;
    double space_before; /* pt before scaling; ignored for the first block */
    double space_after;  /* pt before scaling; ignored for the last block */
    int colour;          /* passed through to the fragments (0 body, 1 heading) */
    bool heading;        /* keep with the lines that follow: never the last thing in a column */
    bool balance;        /* not justified: lines of even length (the fewest lines, then the
                          * breaks that leave the least squared room on every line, the last
                          * too), so that no line ends on a lone short word */
} text_block;

/* U+00AD SOFT HYPHEN marks where a word may be broken. It is never drawn: a line that ends there
 * ends with a hyphen ("-" in the font of the text before it), and anywhere else it prints nothing.
 * A word that holds one is broken only at its soft hyphens, never by the hyphenation dictionary.
 * One before a space, a hard break or the end of the text is no place to break and is ignored. */
enum { TEXT_SOFT_HYPHEN = 0x00AD };

/* Removes in place, from the NUL-terminated s, the characters that are set as nothing and that
 * handout does not need to break lines: U+FEFF ZERO WIDTH NO-BREAK SPACE (a byte order mark left
 * inside pasted text, too) and U+2060 WORD JOINER (so a break UAX #14 allows beside one, after a
 * hyphen say, stays allowed). With
 * soft_hyphens, U+00AD goes as well: the text as it reads on a line (for the number checks).
 * Returns the new length. */
size_t text_drop_invisible(char *s, bool soft_hyphens);

/* Whether s (len bytes) holds something that prints: a character other than a space or a soft
 * hyphen. */
bool text_prints(const char *s, size_t len);

/* Width in points of s in font slot `font` at `size`, shaped right to left when rtl. */
typedef double (*text_measure_fn)(void *ctx, int font, const char *s, size_t len, double size,
                                  bool rtl);

typedef struct text_frag {
    double x;        /* from the left edge of the box */
    double baseline; /* from the top edge of the box, downwards */
    double width;
    int font;
    double size;
    int colour;
    const char *s; /* points into a span, in logical order */
    size_t len;
    int level;     /* bidi embedding level (UAX #9): odd is set right to left */
    bool joined;   /* the fragment that ends a line's text (its last word, or the hyphen after
                    * it): the text goes on in the next line with no space, the line breaking
                    * inside a word (a hyphen, a soft hyphen, a hyphenation point) or where UAX #14
                    * allows a break without one (between Thai, Khmer, Lao or Burmese words,
                    * ideographs, after a dash) */
    const char *lang; /* the span's language (text_span), NULL for the block's */
} text_frag;

/* One laid-out line: its fragments, where it sits, and its place in its block. */
typedef struct text_line {
    size_t first, count; /* fragments */
    double top, height;
    size_t block;
    size_t index;        /* 0 for a block's first line */
    bool last;           /* a block's last line */
    bool heading;        /* the block is a heading (kept with what follows) */
    int column;
    int words;           /* the words on it (the parts of a word joined without a space: one) */
    double natural;      /* its width before justification */
    double measure;      /* the width it is set in */
    bool starts_run;     /* the first line after a forced break (or of its block) */
} text_line;

typedef struct text_result {
    text_frag *frags;
    size_t n, cap;
    text_line *line;     /* the lines, in order */
    size_t nline, linecap;
    double height;      /* from the top of the first line to the bottom of the last */
    size_t lines;
    double scale;       /* the scale used (1 = the stated sizes) */
    double badness;     /* justified text: the sum of the squared slack of its full lines */
    /* when a word is wider than the box: */
    double too_wide;    /* by how many points, 0 when none */
    const char *wide_word;
    size_t wide_len;
} text_result;

typedef enum { BREAK_TOTAL_FIT = 0, BREAK_GREEDY } text_breaking;

/* A paragraph's last line of one word narrower than this share of the measure is a widow: total
 * fit avoids one where it can, and the check warns of those left (typeset.c, text-widow). */
#define TEXT_WIDOW_SHARE 0.25

typedef struct text_style {
    text_align align;
    double line_height; /* multiple of the size */
    double ascent;      /* baseline below the top of a line, as a multiple of the size */
    int columns;        /* 0 or 1: one column */
    double gap;         /* between columns, points */
    text_breaking breaking; /* justified text: total fit (default) or greedy */
    /* where a word may be hyphenated (byte offsets into it); NULL: never */
    size_t (*hyphenate)(void *ctx, const char *word, size_t len, size_t *points, size_t max);
    void *hyphenate_ctx;
    /* where lines may break (UAX #14) and the text's language (BCP 47, for the rules of Chinese
     * and Japanese); without a breaker, lines break at spaces and soft hyphens only */
    unicode_breaker *breaker;
    const char *lang;
    /* each block is a paragraph (UAX #9) of this base direction; auto: right to left when lang
     * is a right-to-left language (unicode_rtl_language), else from the first strong letter.
     * Its lines are reordered into visual order; start and end alignment, justified text's last
     * line and a list marker follow the paragraph's direction. */
    text_direction direction;
    /* justified text: the widest a word space may stretch, as a multiple of its natural width
     * (0: no limit). A line that, after hyphenation, would stretch a space further is set at
     * the paragraph's start instead (ragged); the line breaking avoids such lines where it can. */
    double justify_limit;
} text_style;

/* Lays out the blocks at one scale. Returns false when a word is wider than width. */
bool text_layout(const text_block *b, size_t nb, double width, double scale, const text_style *st,
                 text_measure_fn measure, void *ctx, text_result *out);

typedef enum { TEXT_FITS, TEXT_TOO_TALL, TEXT_TOO_WIDE, TEXT_NO_MEMORY } text_fit_status;

/* Lays out at scale 1; when shrink is set and the text does not fit width x height, tries
 * sizes lowered in steps of 0.25 pt (of the body size `size`) down to min_size. On TEXT_TOO_TALL
 * out holds the layout at the smallest size tried (out->height > height). When max_size is above
 * size and the text fits at size, it grows: the largest size, in steps of 0.25 pt up to max_size
 * (the last step may be shorter), at which it still fits, found by bisection. */
text_fit_status text_fit(const text_block *b, size_t nb, double width, double height, double size,
                         double min_size, double max_size, bool shrink, const text_style *st, text_measure_fn measure,
                         void *ctx, text_result *out);

void text_result_free(text_result *r);

/* Balances laid-out lines over `columns` columns of the given width and gap: the shortest column
 * height at which they fit, breaking only where a heading keeps its first lines and no paragraph
 * leaves a single line alone at a column's top or bottom (unless nothing else fits). Moves the
 * fragments and sets r->height to the tallest column. The first column is the leftmost, or with
 * rtl (text_layout: the first paragraph is right to left) the rightmost, the next to its left. */
void text_balance(text_result *r, int columns, double column_width, double gap, bool rtl);

#endif
