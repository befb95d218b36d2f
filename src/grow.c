/* grow: doubling, with the multiplication checked. */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>

bool grow_to(void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return false;
        ncap *= 2;
    }
    if (size && ncap > SIZE_MAX / size)
        return false;
    void *n = realloc(*items, ncap * size);
    if (!n)
        return false;
    *items = n;
    *cap = ncap;
    return true;
}
