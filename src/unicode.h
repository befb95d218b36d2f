/* unicode: what handout asks of the Unicode standard, answered by ICU (Debian's libicu-dev, the
 * one library that has all of it): text normalised to NFC before it is set, the script and
 * direction of a character (for the scripts that are refused), combining marks, line breaking
 * (UAX #14, with dictionaries), bidi levels and reordering (UAX #9), and character names for
 * messages. The only room that includes ICU. */
#ifndef HANDOUT_UNICODE_H
#define HANDOUT_UNICODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* s (len bytes of valid UTF-8) in Normalization Form C: a letter followed by combining accents
 * becomes the precomposed letter where Unicode has one (e + U+0301 is U+00E9 'é'). Returns a new
 * NUL-terminated string, or NULL when memory ran out or the text is not valid UTF-8. */
char *unicode_nfc(const char *s, size_t len);

/* When cp is in a script that handout has not been tried with (right-to-left scripts other than
 * Arabic and Hebrew, Tibetan, Mongolian, the rarer Indic and South-East Asian scripts), writes a
 * description such as "Syriac (right-to-left, shaped)" into buf and returns buf; else NULL. The
 * script is the character's Unicode Script property, not the block it sits in. */
const char *unicode_refused_script(uint32_t cp, char *buf, size_t size);

/* The ISO 15924 tag ("Latn", "Hang", "Deva") of the first character of s (len bytes of UTF-8)
 * that belongs to a script (not Common, Inherited or Unknown: digits, punctuation and marks take
 * the script of the letters around them), written into tag; false, and tag "", when there is
 * none. For shaping a run (shape.h). */
bool unicode_script_tag(const char *s, size_t len, char tag[5]);

/* Whether cp belongs to a script whose letters are shaped (they join, change shape or reorder)
 * and that handout sets (Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada,
 * Malayalam, Sinhala): a combining mark after such a letter is shaped onto it. */
bool unicode_shaped_script(uint32_t cp);

/* Whether cp is a combining mark (general category Mn or Me) that is drawn on the letter before
 * it; default-ignorable marks (variation selectors, the combining grapheme joiner) are not. */
bool unicode_is_mark(uint32_t cp);

/* Line breaking by UAX #14 (ICU's line break iterator, with its dictionaries for Thai, Lao,
 * Khmer and Myanmar and its rules for Chinese and Japanese). A breaker keeps one iterator per
 * locale, opened on first use (opening one is slow); one thread at a time. */
typedef struct unicode_breaker unicode_breaker;
unicode_breaker *unicode_breaker_new(void);
void unicode_breaker_free(unicode_breaker *b);

/* Marks in brk (len + 1 bytes, all written) where a line may break in s (len bytes of UTF-8)
 * for a text in language lang (a BCP 47 tag, NULL or "" for the root rules): brk[i] is 1 when a
 * line may start at byte i, 0 elsewhere, brk[0] and brk[len] included (0 and 1). Tailored so
 * that a URL or an e-mail address (a run of non-spaces holding "://" or "@", or starting "www.")
 * is never broken inside, and Korean, written with spaces between words, breaks at its spaces
 * only (no break between two Hangul letters, as CSS's word-break: keep-all). False when ICU fails or memory runs out (brk then marks nothing). */
bool unicode_line_breaks(unicode_breaker *b, const char *lang, const char *s, size_t len,
                         unsigned char *brk);

/* Bidi (UAX #9, ICU's ubidi). The embedding level of every byte of s (len bytes of UTF-8; a
 * character's level on each of its bytes) into levels (len bytes): even left to right, odd right
 * to left. Tailored: a phone number (digits with - . ( ) + / and single spaces between groups) and
 * a URL or e-mail address read left to right as a whole, as if isolated (plain UAX #9 shows
 * "1-888-373-7888" after an Arabic word as "7888-373-888-1"). base: 0 left to right, 1 right to left, -1 from the first strong character (left to
 * right when there is none). A line feed ends a paragraph (each has its own level with base -1).
 * *para gets the first paragraph's level (0 or 1). False when memory runs out or s is not UTF-8. */
bool unicode_bidi_levels(const char *s, size_t len, int base, unsigned char *levels,
                         unsigned char *para);

/* Visual order (UAX #9, rule L2) of n runs of one line given their levels, in logical order:
 * order[v] is the logical index of the run shown v-th from the left. False when n is too large. */
bool unicode_reorder(const unsigned char *levels, size_t n, size_t *order);

/* Whether a BCP 47 language tag names a language written right to left (ar, fa, ur, he, yi, ps,
 * sd, ug, ckb, dv, with any region: "ar-EG"). */
bool unicode_rtl_language(const char *lang);

/* Whether cp is an explicit bidi control (LRM, RLM, ALM, LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI,
 * PDI): it prints nothing and orders the text around it. */
bool unicode_bidi_control(uint32_t cp);

/* The character's Unicode name in lower case ("combining acute accent"), or "" when it has none. */
void unicode_name(uint32_t cp, char *buf, size_t size);

/* The Unicode Script property of cp by its long name ("Devanagari", "Han", "Common"). */
void unicode_script_name(uint32_t cp, char *buf, size_t size);

#endif
