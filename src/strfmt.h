/* strfmt: printf into a new string of the right size. */
#ifndef HANDOUT_STRFMT_H
#define HANDOUT_STRFMT_H

/* A newly allocated string (caller frees), or NULL when out of memory. */
char *strfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
