/* readfile: a growing buffer over fread. */
#include "readfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The reason for a file over the limit, with its size when it is a regular file. */
static void too_big(FILE *fp, const char *path, size_t max, char *why, size_t whylen)
{
    struct stat sb;
    if (fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode))
        snprintf(why, whylen, "expected a file of at most %zu MiB (%zu bytes), found %s of %lld bytes", max >> 20,
                 max, path, (long long)sb.st_size);
    else
        snprintf(why, whylen, "expected a file of at most %zu MiB (%zu bytes), found %s larger", max >> 20, max,
                 path);
}

char *readfile(const char *path, size_t max, size_t *len, char *why, size_t whylen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(why, whylen, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap);
    int err = 0;
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, fp);
        if (n < cap - 1)
            break;
        if (n > max) {
            too_big(fp, path, max, why, whylen);
            err = EFBIG;
            free(buf);
            buf = NULL;
            break;
        }
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            snprintf(why, whylen, "out of memory reading %s", path);
            err = ENOMEM;
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    if (buf && ferror(fp)) {
        err = errno;
        snprintf(why, whylen, "cannot read %s: %s", path, strerror(errno));
        free(buf);
        buf = NULL;
    }
    if (buf && n > max) {
        too_big(fp, path, max, why, whylen);
        err = EFBIG;
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    errno = err;
    return buf;
}
