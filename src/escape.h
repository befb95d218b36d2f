/* escape: a value on one line of a text record (the --dump, the batch's stamps). A value may hold
 * any byte but NUL; written escaped it holds no newline, carriage return or tab: '\' becomes
 * "\\", newline "\n", carriage return "\r", tab "\t", and any other byte below 0x20 or 0x7F
 * "\xHH". Reading undoes exactly that. */
#ifndef HANDOUT_ESCAPE_H
#define HANDOUT_ESCAPE_H

#include <stdio.h>

/* Writes s escaped to f. */
void escape_fputs(const char *s, FILE *f);
/* s escaped, in a new string (caller frees); NULL when out of memory. */
char *escape_dup(const char *s);
/* Undoes escape_dup in place (the result is never longer); a '\' not followed by one of the
 * escapes above is kept as it is. */
void escape_undo(char *s);

#endif
