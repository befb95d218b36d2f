/* atomic: temporary file, fsync, rename; removing a temporary folder whole; and what a signal
 * leaves behind: the registered temporary files and folders are removed, the registered child
 * processes stopped first. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "atomic.h"
#include "inputs.h"
#include "readfile.h"

#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The registry: fixed buffers, so that the signal handler needs no allocation. 256 files: a batch
 * of 64 builds at once keeps two files of each (a log and a dump) and its own. */
static char tracked[ATOMIC_TRACKED][512];
static volatile sig_atomic_t tracked_used[ATOMIC_TRACKED];

void atomic_track(const char *tmp)
{
    int free_slot = -1;
    for (int i = 0; i < ATOMIC_TRACKED; i++) {
        if (tracked_used[i] && strcmp(tracked[i], tmp) == 0)
            return; /* once is enough: one atomic_untrack forgets it */
        if (!tracked_used[i] && free_slot < 0)
            free_slot = i;
    }
    if (free_slot >= 0) {
        snprintf(tracked[free_slot], sizeof tracked[free_slot], "%s", tmp);
        tracked_used[free_slot] = 1;
    }
}

void atomic_untrack(const char *tmp)
{
    for (int i = 0; i < ATOMIC_TRACKED; i++)
        if (tracked_used[i] && strcmp(tracked[i], tmp) == 0) {
            tracked_used[i] = 0;
            return;
        }
}

/* Temporary folders, removed after the files (they must be empty by then). */
#define ATOMIC_DIRS 4
static char tracked_dir[ATOMIC_DIRS][512];
static volatile sig_atomic_t tracked_dir_used[ATOMIC_DIRS];

void atomic_track_dir(const char *dir)
{
    for (int i = 0; i < ATOMIC_DIRS; i++)
        if (!tracked_dir_used[i]) {
            snprintf(tracked_dir[i], sizeof tracked_dir[i], "%s", dir);
            tracked_dir_used[i] = 1;
            return;
        }
}

void atomic_untrack_dir(const char *dir)
{
    for (int i = 0; i < ATOMIC_DIRS; i++)
        if (tracked_dir_used[i] && strcmp(tracked_dir[i], dir) == 0) {
            tracked_dir_used[i] = 0;
            return;
        }
}

static volatile sig_atomic_t children[ATOMIC_CHILDREN];

bool atomic_track_child(int pid)
{
    for (int i = 0; i < ATOMIC_CHILDREN; i++)
        if (!children[i]) {
            children[i] = pid;
            return true;
        }
    return false;
}

bool atomic_tracks_child(int pid)
{
    for (int i = 0; i < ATOMIC_CHILDREN; i++)
        if (children[i] == pid)
            return true;
    return false;
}

void atomic_forget_inherited(void)
{
    for (int i = 0; i < ATOMIC_CHILDREN; i++)
        children[i] = 0;
    for (int i = 0; i < ATOMIC_TRACKED; i++)
        tracked_used[i] = 0;
    for (int i = 0; i < ATOMIC_DIRS; i++)
        tracked_dir_used[i] = 0;
}

void atomic_untrack_child(int pid)
{
    for (int i = 0; i < ATOMIC_CHILDREN; i++)
        if (children[i] == pid)
            children[i] = 0;
}

/* How long the children get to end after the signal is passed on (they remove their own temporary
 * files), in naps of 10 ms; then SIGKILL. */
#define ATOMIC_CHILD_NAPS 1000

/* Only async-signal-safe calls: kill, waitpid, nanosleep, unlink, rmdir, signal, raise. */
static void on_signal(int sig)
{
    /* children first: each removes its own files, and the waits below let them finish that */
    for (int i = 0; i < ATOMIC_CHILDREN; i++)
        if (children[i] > 0)
            kill((pid_t)children[i], sig);
    for (int nap = 0; nap < ATOMIC_CHILD_NAPS; nap++) {
        int left = 0;
        for (int i = 0; i < ATOMIC_CHILDREN; i++) {
            if (children[i] <= 0)
                continue;
            pid_t got = waitpid((pid_t)children[i], NULL, WNOHANG);
            if (got == 0 || (got < 0 && errno == EINTR))
                left++;
            else
                children[i] = 0; /* ended (or not a child of ours any more) */
        }
        if (left == 0)
            break;
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    for (int i = 0; i < ATOMIC_CHILDREN; i++)
        if (children[i] > 0) {
            kill((pid_t)children[i], SIGKILL);
            waitpid((pid_t)children[i], NULL, 0);
            children[i] = 0;
        }
    for (int i = 0; i < ATOMIC_TRACKED; i++)
        if (tracked_used[i])
            unlink(tracked[i]);
    for (int i = 0; i < ATOMIC_DIRS; i++)
        if (tracked_dir_used[i])
            rmdir(tracked_dir[i]);
    signal(sig, SIG_DFL);
    raise(sig);
}

void atomic_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    /* one clean-up at a time: a second signal waits for the first one's */
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGHUP);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* started under nohup (SIGHUP ignored): a hangup is meant to pass it by, so it stays ignored */
    struct sigaction was;
    if (sigaction(SIGHUP, NULL, &was) != 0 || was.sa_handler != SIG_IGN)
        sigaction(SIGHUP, &sa, NULL);
}

bool atomic_target_ok(const char *path, char *why, size_t whylen)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return true;
        snprintf(why, whylen, "cannot look at %s: %s", path, strerror(errno));
        return false;
    }
    const char *what = readfile_kind(st.st_mode); /* of the path itself: a link is refused */
    if (what) {
        snprintf(why, whylen,
                 "expected a regular file or nothing at %s, found %s; choose another output path",
                 path, what);
        return false;
    }
    const char *as = NULL;
    if (inputs_holds(path, &as)) {
        if (strcmp(as, path) == 0)
            snprintf(why, whylen,
                     "expected an output path that is not an input of this run, found %s, which "
                     "it reads; choose another output path",
                     path);
        else
            snprintf(why, whylen,
                     "expected an output path that is not an input of this run, found %s, which "
                     "it reads as %s; choose another output path",
                     path, as);
        return false;
    }
    return true;
}

bool atomic_open(atomic_file *a, const char *path, char *why, size_t whylen)
{
    memset(a, 0, sizeof *a);
    a->fd = -1;
    if (!atomic_target_ok(path, why, whylen))
        return false;
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
    atomic_track(a->tmp);
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
    atomic_track(a->tmp);
    return true;
}

/* Flushes (when sync) and closes the temporary file, keeping the first error. */
static void atomic_close(atomic_file *a, bool sync)
{
    if (sync && !a->err && fsync(a->fd) != 0)
        a->err = errno;
    if (close(a->fd) != 0 && !a->err)
        a->err = errno;
}

static void atomic_release(atomic_file *a)
{
    free(a->tmp);
    free(a->path);
    a->tmp = a->path = NULL;
    a->fd = -1;
}

bool atomic_finish(atomic_file *a, char *why, size_t whylen)
{
    atomic_close(a, true);
    bool ok = !a->err;
    if (!ok) {
        snprintf(why, whylen, "cannot write %s: %s", a->tmp, strerror(a->err));
        unlink(a->tmp);
        atomic_untrack(a->tmp);
    }
    /* when it succeeded, the file stays tracked until its owner renames it (atomic_untrack) */
    atomic_release(a);
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
    atomic_close(a, keep);
    bool ok = keep && !a->err;
    if (ok && !atomic_target_ok(a->path, why, whylen)) { /* inputs read since atomic_open */
        unlink(a->tmp);
        atomic_untrack(a->tmp);
        atomic_release(a);
        return false;
    }
    if (ok && rename(a->tmp, a->path) != 0) {
        a->err = errno;
        ok = false;
    }
    if (!ok) {
        if (keep)
            snprintf(why, whylen, "cannot write %s: %s", a->path, strerror(a->err));
        unlink(a->tmp);
    }
    atomic_untrack(a->tmp);
    atomic_release(a);
    return ok;
}

bool atomic_mkdirs(const char *path)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return false;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return false;
            *p = '/';
        }
    }
    return mkdir(buf, 0777) == 0 || errno == EEXIST;
}

static int remove_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb, (void)ftw;
    if (type == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

void atomic_remove_tree(const char *path)
{
    if (path)
        nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
