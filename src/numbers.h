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
/* The text keywords the last number added documents, as "HELP, INFO" (its source confirms them);
 * a number without keywords documents none, and keywords sent to it are not checked. */
bool numbers_set_keywords(numbers *n, const char *keywords);
/* The other ways in that the last number added's source asks materials advertising it to mention,
 * "text 233733 | 233-733, chat humantraffickinghotline.org/chat": items separated by commas, each
 * a name and what shows it (alternatives separated by '|'). */
bool numbers_set_mention(numbers *n, const char *mention);
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

typedef struct keyword_miss {
    char keyword[32];       /* as written in the text */
    const char *label;      /* the number it is sent to */
    const char *known;      /* the number as written in the registry */
    const char *keywords;   /* the keywords that number documents, "HELP, INFO" */
    const char *source;
} keyword_miss;

/* Looks through text for a keyword sent to a known number that documents its keywords: a word in
 * capitals just before the number, or before a short joining word ("text HELP to 233733", "Envíe
 * AYUDA al 233733", "HELP or INFO to 233733"), or the message of an SMSTO payload
 * ("SMSTO:233733:HELP"). True, with *miss filled, for the first keyword its number does not
 * document (compared without regard to case). */
bool numbers_bad_keyword(const numbers *n, const char *text, keyword_miss *miss);

typedef struct mention_miss {
    char missing[256];    /* the number's mention list, "text (233733) and chat (...)" */
    const char *label;    /* the number shown */
    const char *known;
    const char *source;
} mention_miss;

/* True, with *miss filled, when text shows a number whose entry lists other ways in to mention
 * (numbers_set_mention) and none of them: the number alone. */
bool numbers_unmentioned(const numbers *n, const char *text, mention_miss *miss);

/* Whether text shows a known phone number (one of 10 digits or more, not a short text code), as
 * dialled: digits, separators and keypad letters (1-855-FLA-SAFE). For the hierarchy check. */
bool numbers_shows_phone(const numbers *n, const char *text);

#endif
