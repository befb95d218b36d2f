/* escape: a value on one line of a text record (the --dump, the batch's stamps, diagnostic
 * records). A value may hold any byte but NUL; written escaped it holds no newline, carriage
 * return or tab: '\' becomes "\\", newline "\n", carriage return "\r", tab "\t", and any other
 * byte below 0x20 or 0x7F "\xHH". Reading undoes exactly that.
 * And text shown on a terminal (escape_shown): nothing in it can drive the terminal. */
#ifndef HANDOUT_ESCAPE_H
#define HANDOUT_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Writes s escaped to f. */
void escape_fputs(const char *s, FILE *f);
/* s escaped, in a new string (caller frees); NULL when out of memory. */
char *escape_dup(const char *s);
/* Undoes escape_dup in place (the result is never longer); a '\' not followed by one of the
 * escapes above is kept as it is. */
void escape_undo(char *s);

/* s as a terminal may show it, into out (size bytes, always NUL-terminated; cut before an escape
 * or a character that does not fit whole): a control character below 0x20 (tab and newline
 * too), DEL and a byte that is not UTF-8 as \xHH (ESC is \x1B), a C1 control (U+0080..U+009F)
 * and a bidirectional override or isolate (U+202A..U+202E, U+2066..U+2069, which reorder what
 * follows) as \uHHHH; with backslash, '\' itself as "\\" (then the form reads back without
 * doubt); every other character as it is. Returns the length written. */
size_t escape_shown(const char *s, bool backslash, char *out, size_t size);

#endif
