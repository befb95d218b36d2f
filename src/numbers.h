/* numbers: the registry of known phone and text numbers (data/known-numbers.ini) and the search
 * for near misses in text: a number one keystroke away from a known one (a digit changed,
 * dropped, added or two neighbours swapped), with letters read as on a phone keypad, so that
 * 1-888-373-7887 or 1-800-FLA-SAVE is caught before it is printed. */
#ifndef HANDOUT_NUMBERS_H
#define HANDOUT_NUMBERS_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct numbers numbers;

numbers *numbers_load(const char *path, diag *d); /* NULL after reporting */
numbers *numbers_new(void);                        /* empty, for tests */
bool numbers_add(numbers *n, const char *number, const char *label, const char *source);
void numbers_free(numbers *n);

typedef struct number_miss {
    char found[64];       /* as written in the text */
    const char *label;    /* the known number it nearly is */
    const char *known;    /* as written in the registry */
    const char *source;
} number_miss;

/* Looks through text for phone-like runs (digits, keypad letters and separators); returns true
 * and fills *miss for the first that is a near miss of a known number (an exact match is fine). */
bool numbers_near_miss(const numbers *n, const char *text, number_miss *miss);

#endif
