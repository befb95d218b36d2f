/* suggest: two-row dynamic programming for the edit distance. */
#include "suggest.h"

#include <stdio.h>
#include <string.h>

size_t suggest_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 64;
    size_t prev[64], cur[64];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
    }
    return prev[lb];
}

bool suggest_near(const char *word, size_t distance)
{
    return distance <= 2 + strlen(word) / 4;
}

void suggest_unknown_key(diag *d, const char *id, diag_loc loc, const char *key, const char *const *keys,
                         const char *guess)
{
    char known[512] = "", near[160] = "";
    size_t n = 0, nn = 0;
    for (int i = 0; keys[i] && n < sizeof known; i++)
        n += (size_t)snprintf(known + n, sizeof known - n, "%s%s", i ? ", " : "", keys[i]);
    size_t best = 99;
    for (int i = 0; keys[i]; i++) {
        size_t dist = suggest_distance(key, keys[i]);
        if (dist < best)
            best = dist;
    }
    if (guess)
        nn += (size_t)snprintf(near, sizeof near, "\"%s\"", guess);
    for (int i = 0; keys[i] && !guess && suggest_near(key, best); i++)
        if (suggest_distance(key, keys[i]) == best && nn < sizeof near)
            nn += (size_t)snprintf(near + nn, sizeof near - nn, "%s\"%s\"", nn ? " or " : "", keys[i]);
    if (nn)
        diag_error(d, id, loc, "expected a known key, found an unknown one; did you mean %s? known keys: %s", near,
                   known);
    else
        diag_error(d, id, loc, "expected a known key, found an unknown one; known keys: %s", known);
}
