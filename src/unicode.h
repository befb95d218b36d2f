/* unicode: what handout asks of the Unicode standard, answered by ICU (Debian's libicu-dev, the
 * one library that has all of it and that line breaking will need too): text normalised to NFC
 * before it is set, the script and direction of a character (for the scripts that are refused),
 * combining marks, and character names for messages. The only room that includes ICU. */
#ifndef HANDOUT_UNICODE_H
#define HANDOUT_UNICODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* s (len bytes of valid UTF-8) in Normalization Form C: a letter followed by combining accents
 * becomes the precomposed letter where Unicode has one (e + U+0301 is U+00E9 'é'). Returns a new
 * NUL-terminated string, or NULL when memory ran out or the text is not valid UTF-8. */
char *unicode_nfc(const char *s, size_t len);

/* When cp is in a script that handout cannot set yet (right-to-left scripts and their marks, the
 * scripts written without spaces between words, and shaped scripts not yet tried), writes a
 * description such as "Hebrew (right-to-left)" into buf and returns buf; else returns NULL. The
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

/* The character's Unicode name in lower case ("combining acute accent"), or "" when it has none. */
void unicode_name(uint32_t cp, char *buf, size_t size);

/* The Unicode Script property of cp by its long name ("Devanagari", "Han", "Common"). */
void unicode_script_name(uint32_t cp, char *buf, size_t size);

#endif
