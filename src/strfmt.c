/* strfmt: two passes of vsnprintf, the first to measure. */
#include "strfmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

char *strfmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}
