/* suggest: "did you mean": the edit distance between two words, and whether it is near enough
 * to suggest one for the other. */
#ifndef HANDOUT_SUGGEST_H
#define HANDOUT_SUGGEST_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

/* Levenshtein distance (insertions, deletions, substitutions); words of 64 bytes or more: 64. */
size_t suggest_distance(const char *a, const char *b);
/* Is a word at this distance near enough to be suggested for `word`? */
bool suggest_near(const char *word, size_t distance);

/* Reports key as unknown at loc, as the error id (the area's own, such as "layout-unknown-key"):
 * the known keys listed, and every one as near as the nearest suggested ("did you mean "side" or
 * "size"?"). guess, when not NULL, is suggested first. */
void suggest_unknown_key(diag *d, const char *id, diag_loc loc, const char *key, const char *const *keys,
                         const char *guess);

#endif
