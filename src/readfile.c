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

/* Why a read failed, before it is put into words: the stage that failed, the errno, and what
 * was found (the file's mode for a kind, its size for a file over the limit). */
typedef enum { RF_KIND, RF_OPEN, RF_READ, RF_SIZE, RF_MEMORY } rf_stage;
typedef struct rf_fail {
    rf_stage stage;
    int err;         /* errno of the failed call (RF_OPEN, RF_READ) */
    mode_t mode;     /* RF_KIND */
    long long size;  /* RF_SIZE: the file's size, or -1 when not known (it grew while read) */
} rf_fail;

/* The errno a failure leaves for readfile_error_id. */
static int rf_errno(const rf_fail *f)
{
    return f->stage == RF_KIND ? EINVAL : f->stage == RF_SIZE ? EFBIG : f->stage == RF_MEMORY ? ENOMEM : f->err;
}

/* The sentence of readfile, readfile_open and readfile_regular (readfile.h). */
static void rf_why(const rf_fail *f, const char *path, size_t max, char *why, size_t whylen)
{
    switch (f->stage) {
    case RF_KIND:
        snprintf(why, whylen, "expected a regular file, found %s, %s", path, readfile_kind(f->mode));
        break;
    case RF_OPEN:
        snprintf(why, whylen, "cannot open %s: %s", path, strerror(f->err));
        break;
    case RF_READ:
        snprintf(why, whylen, "cannot read %s: %s", path, strerror(f->err));
        break;
    case RF_SIZE:
        if (f->size >= 0)
            snprintf(why, whylen, "expected a file of at most %zu MiB (%zu bytes), found %s of %lld bytes", max >> 20,
                     max, path, f->size);
        else
            snprintf(why, whylen, "expected a file of at most %zu MiB (%zu bytes), found %s larger", max >> 20, max,
                     path);
        break;
    case RF_MEMORY:
        snprintf(why, whylen, "out of memory reading %s", path);
        break;
    }
}

/* The kind of path, without opening it: true for a regular file, else false with f filled. */
static bool rf_regular(const char *path, rf_fail *f)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        *f = (rf_fail){ .stage = RF_OPEN, .err = errno };
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        *f = (rf_fail){ .stage = RF_KIND, .mode = st.st_mode };
        return false;
    }
    return true;
}

bool readfile_regular(const char *path, char *why, size_t whylen)
{
    rf_fail f;
    if (rf_regular(path, &f))
        return true;
    rf_why(&f, path, 0, why, whylen);
    errno = rf_errno(&f);
    return false;
}

static FILE *rf_open(const char *path, rf_fail *f)
{
    /* the kind first, without opening (opening a device may act on it); then opened without
     * waiting (a FIFO put in its place meanwhile does not block) and the kind asked again */
    if (!rf_regular(path, f))
        return NULL;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        *f = (rf_fail){ .stage = RF_OPEN, .err = errno };
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        *f = (rf_fail){ .stage = RF_KIND, .mode = st.st_mode };
        close(fd);
        return NULL;
    }
    FILE *fp = fdopen(fd, "rb");
    if (!fp) {
        *f = (rf_fail){ .stage = RF_OPEN, .err = errno };
        close(fd);
    }
    return fp;
}

FILE *readfile_open(const char *path, char *why, size_t whylen)
{
    rf_fail f;
    FILE *fp = rf_open(path, &f);
    if (!fp) {
        rf_why(&f, path, 0, why, whylen);
        errno = rf_errno(&f);
    }
    return fp;
}

/* The failure of a file over the limit, with its size when it is a regular file. */
static rf_fail too_big(FILE *fp)
{
    struct stat sb;
    bool known = fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode);
    return (rf_fail){ .stage = RF_SIZE, .size = known ? (long long)sb.st_size : -1 };
}

static char *rf_read(const char *path, size_t max, size_t *len, rf_fail *f)
{
    FILE *fp = rf_open(path, f);
    if (!fp)
        return NULL;
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        *f = (rf_fail){ .stage = RF_MEMORY };
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, fp);
        if (n < cap - 1)
            break;
        if (n > max) {
            *f = too_big(fp);
            free(buf);
            buf = NULL;
            break;
        }
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            *f = (rf_fail){ .stage = RF_MEMORY };
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    if (buf && ferror(fp)) {
        *f = (rf_fail){ .stage = RF_READ, .err = errno };
        free(buf);
        buf = NULL;
    }
    if (buf && n > max) {
        *f = too_big(fp);
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

char *readfile(const char *path, size_t max, size_t *len, char *why, size_t whylen)
{
    rf_fail f;
    char *buf = rf_read(path, max, len, &f);
    if (!buf)
        rf_why(&f, path, max, why, whylen);
    errno = buf ? 0 : rf_errno(&f);
    return buf;
}

char *readfile_as(const char *path, const char *what, const char *shown, size_t max, size_t *len, char *why,
                  size_t whylen)
{
    rf_fail f;
    char *buf = rf_read(path, max, len, &f);
    if (buf) {
        errno = 0;
        return buf;
    }
    /* "found SHOWN, ..." names the file; without shown, the message names it before */
    char at[1024];
    if (shown)
        snprintf(at, sizeof at, "%s, ", shown);
    else
        at[0] = '\0';
    switch (f.stage) {
    case RF_KIND:
        snprintf(why, whylen, "expected %s, found %s%s", what, at, readfile_kind(f.mode));
        break;
    case RF_OPEN:
        if (f.err == ENOENT || f.err == ENOTDIR)
            snprintf(why, whylen, "expected %s, found nothing at %s (%s)", what, shown ? shown : "that path",
                     strerror(f.err));
        else
            snprintf(why, whylen, "expected %s, found %s%s (%s)", what, at,
                     shown ? "which cannot be opened" : "a file that cannot be opened", strerror(f.err));
        break;
    case RF_READ:
        snprintf(why, whylen, "expected %s, found %s%s (%s)", what, at,
                 shown ? "which cannot be read" : "a file that cannot be read", strerror(f.err));
        break;
    case RF_SIZE:
        if (f.size >= 0 && shown)
            snprintf(why, whylen, "expected %s of at most %zu MiB (%zu bytes), found %s of %lld bytes", what,
                     max >> 20, max, shown, f.size);
        else if (f.size >= 0)
            snprintf(why, whylen, "expected %s of at most %zu MiB (%zu bytes), found %lld bytes", what, max >> 20,
                     max, f.size);
        else if (shown)
            snprintf(why, whylen, "expected %s of at most %zu MiB (%zu bytes), found %s larger", what, max >> 20,
                     max, shown);
        else
            snprintf(why, whylen, "expected %s of at most %zu MiB (%zu bytes), found more", what, max >> 20, max);
        break;
    case RF_MEMORY:
        snprintf(why, whylen, "expected %s, found %stoo large for the memory left", what, at);
        break;
    }
    errno = rf_errno(&f);
    return NULL;
}
