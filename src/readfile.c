/* readfile: a growing buffer over fread, after the file's kind is checked (see readfile.h). */
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *readfile_kind(mode_t mode)
{
    return S_ISREG(mode)    ? NULL
           : S_ISDIR(mode)  ? "a folder"
           : S_ISFIFO(mode) ? "a named pipe (FIFO)"
           : S_ISCHR(mode)  ? "a character device"
           : S_ISBLK(mode)  ? "a block device"
           : S_ISSOCK(mode) ? "a socket"
           : S_ISLNK(mode)  ? "a symbolic link"
                            : "not a regular file";
}

const char *readfile_error_id(int err)
{
    return err == EINVAL   ? "input-not-regular"
           : err == EFBIG  ? "input-too-large"
           : err == ENOMEM ? "internal-out-of-memory"
                           : "input-unreadable";
}

/* The reason for st (of path) when it is not a regular file; false then. */
static bool regular(const struct stat *st, const char *path, char *why, size_t whylen)
{
    const char *kind = readfile_kind(st->st_mode);
    if (kind)
        snprintf(why, whylen, "expected a regular file, found %s, %s", path, kind);
    return kind == NULL;
}

bool readfile_regular(const char *path, char *why, size_t whylen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(why, whylen, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    if (!regular(&st, path, why, whylen)) {
        errno = EINVAL;
        return false;
    }
    return true;
}

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

FILE *readfile_open(const char *path, char *why, size_t whylen)
{
    /* the kind first, without opening (opening a device may act on it); then opened without
     * waiting (a FIFO put in its place meanwhile does not block) and the kind asked again */
    if (!readfile_regular(path, why, whylen))
        return NULL;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(why, whylen, "cannot open %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (!regular(&st, path, why, whylen)) {
        close(fd);
        errno = EINVAL;
        return NULL;
    }
    FILE *fp = fdopen(fd, "rb");
    if (!fp) {
        snprintf(why, whylen, "cannot open %s: %s", path, strerror(errno));
        close(fd);
    }
    return fp;
}

char *readfile(const char *path, size_t max, size_t *len, char *why, size_t whylen)
{
    FILE *fp = readfile_open(path, why, whylen);
    if (!fp)
        return NULL;
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
