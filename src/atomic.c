/* atomic: temporary file, fsync, rename. */
#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool atomic_open(atomic_file *a, const char *path, char *why, size_t whylen)
{
    memset(a, 0, sizeof *a);
    a->fd = -1;
    size_t n = strlen(path);
    a->tmp = malloc(n + 32);
    a->path = strdup(path);
    if (!a->tmp || !a->path) {
        snprintf(why, whylen, "out of memory");
        free(a->tmp);
        free(a->path);
        return false;
    }
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    snprintf(a->tmp, n + 32, "%.*s.%s.XXXXXX", (int)dirlen, path, path + dirlen);
    a->fd = mkstemp(a->tmp);
    if (a->fd < 0) {
        snprintf(why, whylen, "cannot create a file in the folder of %s: %s", path, strerror(errno));
        free(a->tmp);
        free(a->path);
        return false;
    }
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(a->fd, 0666 & ~mask) != 0)
        a->err = errno;
    return true;
}

bool atomic_open_at(atomic_file *a, const char *tmp, const char *path, char *why, size_t whylen)
{
    memset(a, 0, sizeof *a);
    a->tmp = strdup(tmp);
    a->path = strdup(path);
    a->fd = a->tmp ? open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666) : -1;
    if (a->fd < 0) {
        snprintf(why, whylen, "cannot create %s: %s", tmp, a->tmp ? strerror(errno) : "out of memory");
        free(a->tmp);
        free(a->path);
        return false;
    }
    return true;
}

bool atomic_finish(atomic_file *a, char *why, size_t whylen)
{
    if (!a->err && fsync(a->fd) != 0)
        a->err = errno;
    if (close(a->fd) != 0 && !a->err)
        a->err = errno;
    bool ok = !a->err;
    if (!ok) {
        snprintf(why, whylen, "cannot write %s: %s", a->tmp, strerror(a->err));
        unlink(a->tmp);
    }
    free(a->tmp);
    free(a->path);
    a->tmp = a->path = NULL;
    a->fd = -1;
    return ok;
}

void atomic_write(atomic_file *a, const void *buf, size_t len)
{
    const char *b = buf;
    while (len > 0 && !a->err) {
        ssize_t w = write(a->fd, b, len);
        if (w < 0) {
            if (errno != EINTR)
                a->err = errno;
            continue;
        }
        b += w;
        len -= (size_t)w;
    }
}

bool atomic_commit(atomic_file *a, bool keep, char *why, size_t whylen)
{
    if (keep && !a->err && fsync(a->fd) != 0)
        a->err = errno;
    if (close(a->fd) != 0 && !a->err)
        a->err = errno;
    bool ok = keep && !a->err;
    if (ok && rename(a->tmp, a->path) != 0) {
        a->err = errno;
        ok = false;
    }
    if (!ok) {
        if (keep)
            snprintf(why, whylen, "cannot write %s: %s", a->path, strerror(a->err));
        unlink(a->tmp);
    }
    free(a->tmp);
    free(a->path);
    a->tmp = a->path = NULL;
    a->fd = -1;
    return ok;
}
