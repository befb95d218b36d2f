/* units: the value types of a layout, parsed strictly and without the locale: numbers,
 * lengths (pt, in, mm, cm), page sizes (by name or "W x H") and colours (#rrggbb, cmyk()). */
#ifndef HANDOUT_UNITS_H
#define HANDOUT_UNITS_H

#include <stdbool.h>
#include <stddef.h>

#define UNITS_PT_PER_IN 72.0
#define UNITS_PT_PER_MM (72.0 / 25.4)

typedef enum { COLOUR_NONE = 0, COLOUR_RGB, COLOUR_CMYK } colour_space;

/* RGB components are 0..1; CMYK components are 0..1 (written as 0..100 percent). */
typedef struct colour {
    colour_space space;
    double c[4];
} colour;

/* Each parser returns true on success; on failure it writes into `expected` (when not NULL) a
 * phrase saying what it expected, e.g. "a length with a unit (pt, in, mm, cm)". */

/* A plain decimal number: [-]digits[.digits]; no exponent, no locale. */
bool units_number(const char *s, double *out, const char **expected);
/* A non-negative integer without leading zeros ambiguity ("010" is read as ten). */
bool units_int(const char *s, long *out, const char **expected);
/* A non-negative length with a unit; "0" alone is allowed. */
bool units_length(const char *s, double *pt, const char **expected);
/* What a relative length is of. */
typedef enum { UNITS_ABSOLUTE, UNITS_PERCENT, UNITS_PERCENT_W, UNITS_PERCENT_H } units_basis;
/* A length that may be relative to the trim: an absolute length as units_length reads it (value in
 * points), or a percentage from 0 to 100 (value: the percentage): "10%" (of the trim's dimension
 * along the key's own axis), "10%w" (of the trim width) or "10%h" (of the trim height). */
bool units_rel_length(const char *s, double *value, units_basis *basis, const char **expected);
/* A distance (reading or scanning): a length in m, cm, mm, ft or in, up to 100 m. */
bool units_distance(const char *s, double *pt, const char **expected);
/* A page size: a name (letter, a4, ...) or "W x H" with units. */
bool units_page_size(const char *s, double *w, double *h, const char **expected);
/* A colour: "#rrggbb", "#rgb" or "cmyk(c,m,y,k)" with components 0..100. */
bool units_colour(const char *s, colour *out, const char **expected);
/* Walks a comma-separated list ("Liberation Sans, NanumGothic"): copies the next item, trimmed,
 * into item and advances *p; false when there is none left. */
bool units_list_next(const char **p, char *item, size_t size);

/* The page-size names in a comma-separated list, for messages. */
const char *units_page_names(void);

#endif
