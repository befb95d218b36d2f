/* atomic: writing a file so that it appears whole or not at all. A temporary file is made in the
 * target's own folder (so rename() stays on one file system), written, flushed to disk, given the
 * usual permissions, then renamed over the target. On failure the temporary file is removed and an
 * existing file at the target is left untouched. */
#ifndef HANDOUT_ATOMIC_H
#define HANDOUT_ATOMIC_H

#include <stdbool.h>
#include <stddef.h>

typedef struct atomic_file {
    int fd;
    char *tmp;
    char *path;
    int err; /* the first errno met, 0 when none */
} atomic_file;

/* The one rule for where a run may write: path is absent or a regular file (not a link, folder,
 * device, FIFO or socket) and is not an input of this run (inputs.h). False with the reason in
 * why. atomic_open and atomic_commit ask it; so must every other rename onto a target. */
bool atomic_target_ok(const char *path, char *why, size_t whylen);
/* Opens the temporary file for path (after atomic_target_ok). False with a reason in why. */
bool atomic_open(atomic_file *a, const char *path, char *why, size_t whylen);
/* Opens exactly tmp (which must not exist) as the temporary file for path. */
bool atomic_open_at(atomic_file *a, const char *tmp, const char *path, char *why, size_t whylen);
/* Flushes and closes without renaming: the bytes stay in a->tmp's file for the caller to rename. */
bool atomic_finish(atomic_file *a, char *why, size_t whylen);

/* Appends bytes; a failure is remembered and reported by atomic_commit. */
void atomic_write(atomic_file *a, const void *buf, size_t len);
/* Flushes, closes and renames; or, with keep = false or after an error, removes the temporary
 * file. Returns true when the target now holds the bytes written. */
bool atomic_commit(atomic_file *a, bool keep, char *why, size_t whylen);

/* Temporary files are registered while they exist; on SIGINT, SIGTERM or SIGHUP the signal is
 * passed on to every registered child process, which gets 10 s to end (then SIGKILL) and is
 * waited for; then every registered file is removed, then every registered folder, and the
 * signal ends the process as it would have (status 128 + N in a shell). So an interrupted run
 * leaves nothing half-written, no temporary file and no process behind. A process that starts
 * with SIGHUP ignored (nohup) keeps it ignored; SIGINT and SIGTERM are caught whatever they were
 * (a shell starts a script's background commands with SIGINT ignored, not by the user's wish). */
void atomic_catch_signals(void);

/* Makes the folder path and the folders above it that are missing (an output's folder); true when
 * it is there at the end. */
bool atomic_mkdirs(const char *path);
/* A temporary file that someone else will rename; a path registered already stays registered
 * once. At most ATOMIC_TRACKED (256) at once: past that, a file is not registered. */
#define ATOMIC_TRACKED 256
void atomic_track(const char *tmp);
void atomic_untrack(const char *tmp);
/* A temporary folder of this run: removed on a signal, after the files (so only when empty). */
void atomic_track_dir(const char *dir);
void atomic_untrack_dir(const char *dir);
/* Removes a folder and everything under it (links not followed); nothing when path is NULL or
 * absent. For a run's own temporary folders, once they are no longer needed. */
void atomic_remove_tree(const char *path);
/* Child processes that write temporary files: a signal to this process is passed on to them.
 * Untrack a child before reaping it (waitid with WNOWAIT first), so that a signal in between
 * is never passed to another process given the same number (childproc.h does both). At most
 * ATOMIC_CHILDREN at once (the registry is fixed, for the signal handler): false when full. */
#define ATOMIC_CHILDREN 64
bool atomic_track_child(int pid);
void atomic_untrack_child(int pid);
bool atomic_tracks_child(int pid);
/* In a child made by fork(): forgets the files, folders and children registered by the parent,
 * which are not this process's to remove or stop; what it registers itself is its own. */
void atomic_forget_inherited(void);

#endif
