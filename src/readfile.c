/* readfile: a growing buffer over fread. */
#include "readfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *readfile(const char *path, size_t max, size_t *len, char *why, size_t whylen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(why, whylen, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, fp);
        if (n < cap - 1)
            break;
        if (n > max) {
            snprintf(why, whylen, "expected a file of at most %zu MB, found %s larger", max >> 20, path);
            free(buf);
            buf = NULL;
            break;
        }
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            snprintf(why, whylen, "out of memory reading %s", path);
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    if (buf && ferror(fp)) {
        snprintf(why, whylen, "cannot read %s: %s", path, strerror(errno));
        free(buf);
        buf = NULL;
    }
    if (buf && n > max) {
        snprintf(why, whylen, "expected a file of at most %zu MB, found %s larger", max >> 20, path);
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}
