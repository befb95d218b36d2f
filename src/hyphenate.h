/* hyphenate: where a word may be hyphenated, from the TeX patterns of the system's hyphenation
 * dictionaries (Liang's algorithm, as used by LibreOffice). The only room that includes
 * libhyphen's <hyphen.h>. A language without a dictionary (Vietnamese, whose syllables are
 * already apart) simply gets no break points; that is not an error.
 *
 * Dictionaries are read from /usr/share/hyphen, or from the folder named by the environment
 * variable HANDOUT_HYPHEN_DIR (read once, by hyphenator_new). For "es-MX" the files tried are
 * hyph_es_MX.dic, hyph_es.dic and hyph_es_ES.dic, in that order; each language is looked up once
 * and its dictionary (or its absence) is cached by the hyphenator, which owns and frees them.
 * Only UTF-8 dictionaries (first line "UTF-8") are used; an 8-bit one counts as missing. */
#ifndef HANDOUT_HYPHENATE_H
#define HANDOUT_HYPHENATE_H

#include <stddef.h>

typedef struct hyphenator hyphenator;

hyphenator *hyphenator_new(void); /* NULL when out of memory */
void hyphenator_free(hyphenator *h); /* accepts NULL */

/* Writes into `points` the byte offsets inside the UTF-8 word where a hyphen may go (a break
 * between bytes points[i]-1 and points[i]), in increasing order; returns how many (at most max).
 *
 * lang: a code such as "en", "en-US", "en_US", "es", "vi"; an unknown language, a malformed code
 * or no dictionary gives 0. Leading and trailing punctuation (quotes, brackets, commas, periods,
 * ; : ! ? and Spanish inverted marks, ellipsis) is not part of the word, and the offsets are those
 * of the word as given. A word whose remaining core holds anything but letters and apostrophes
 * in ASCII (a digit, '@', '/', '-', '.' ...), a hyphen or dash (U+00AD, U+2010..U+2015, U+2212),
 * invalid UTF-8 or more than HYPHEN_MAX_WORD bytes is not broken. At least lefthyphenmin characters
 * stay before a break and righthyphenmin after it: the dictionary's LEFTHYPHENMIN and
 * RIGHTHYPHENMIN when it states them, else 2 and 3. Case does not matter (ASCII and the Latin-1
 * capitals A-grave..THORN are folded). Non-standard breaks that change the spelling (German
 * "Schiffahrt" -> "Schiff-fahrt") are left out. */
size_t hyphenator_points(hyphenator *h, const char *lang, const char *word, size_t len, size_t *points,
                         size_t max);

#define HYPHEN_MAX_WORD 255

#endif
