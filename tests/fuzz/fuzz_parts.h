/* fuzz_parts: what the fuzz targets whose input is several files share: splitting one input into
 * parts at lines that hold only "%%", and writing a part to a file. Included by fuzz_build.c and
 * fuzz_family.c (each target is one program). */
#ifndef HANDOUT_FUZZ_PARTS_H
#define HANDOUT_FUZZ_PARTS_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static void write_file(const char *path, const char *s, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(s, 1, n, f);
        fclose(f);
    }
}

/* The next part of [*p, end): up to a line "%%" (which is skipped) or the end. */
static bool next_part(const char **p, const char *end, const char **start, size_t *len)
{
    if (*p > end)
        return false;
    *start = *p;
    const char *s = *p;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *eol = nl ? nl : end;
        if (eol - s == 2 && s[0] == '%' && s[1] == '%') {
            *len = (size_t)(s - *start);
            *p = nl ? nl + 1 : end + 1;
            return true;
        }
        s = nl ? nl + 1 : end;
    }
    *len = (size_t)(end - *start);
    *p = end + 1;
    return true;
}

#endif
