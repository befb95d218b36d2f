/* readfile: reading a whole input file into memory, with a size limit, NUL-terminated; and the one
 * rule for what an input file may be: a regular file (or a symbolic link to one). A FIFO, a
 * device, a socket or a folder is refused by its kind before it is opened for reading, so that
 * no read blocks on a FIFO without a writer or a terminal. */
#ifndef HANDOUT_READFILE_H
#define HANDOUT_READFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* Returns the bytes of path (plus a terminating NUL not counted in *len), or NULL with the reason
 * in why: it is not a regular file (then errno is EINVAL and why is "expected a regular file,
 * found PATH, a named pipe (FIFO)"), it cannot be opened or read, or it is larger than max bytes
 * (then errno is EFBIG and why is "expected a file of at most ..., found PATH of N bytes").
 * Caller frees. */
char *readfile(const char *path, size_t max, size_t *len, char *why, size_t whylen);

/* Reads path as readfile does, but puts a failure into one sentence of the caller's words,
 * "expected WHAT, found ...", WHAT naming what the caller wanted ("a CSV file"), and the file as
 * shown (or, with shown NULL, not at all: the caller's message names it before):
 *   expected a CSV file, found data.csv, a named pipe (FIFO)         (errno EINVAL)
 *   expected a CSV file of at most 1 MiB (1048576 bytes), found data.csv of 1048577 bytes  (EFBIG)
 *   expected a CSV file, found nothing at data.csv (No such file or directory)
 *   expected a CSV file, found data.csv, which cannot be opened (Permission denied)
 *   expected a CSV file, found data.csv, which cannot be read (Input/output error)
 * and without shown "found a named pipe (FIFO)", "found 1048577 bytes", "found nothing at that
 * path (...)", "found a file that cannot be opened (...)". errno as readfile leaves it, for
 * readfile_error_id. Caller frees. */
char *readfile_as(const char *path, const char *what, const char *shown, size_t max, size_t *len, char *why,
                  size_t whylen);

/* Opens path for reading the way readfile does: refused by its kind before it is opened, opened
 * without waiting, its kind asked again; NULL with the reason in why. For every reader that reads
 * an input itself (an image decoder, a digest). */
FILE *readfile_open(const char *path, char *why, size_t whylen);

/* True when path is a regular file, after symbolic links; else false with the reason in why, as
 * readfile gives it (ENOENT and the like: "cannot open PATH: ..."). Never opens path. For every
 * reader that opens an input itself (a library given the path). */
bool readfile_regular(const char *path, char *why, size_t whylen);

/* The diagnostic id (diag.h) of a failure of readfile or readfile_open, from the errno it left:
 * "input-not-regular" (EINVAL: a folder, a FIFO, a device), "input-too-large" (EFBIG),
 * "internal-out-of-memory" (ENOMEM), else "input-unreadable" (absent, not allowed, a read error). */
const char *readfile_error_id(int err);

/* The kind of a file that is not a regular file, for messages ("a folder", "a named pipe (FIFO)",
 * "a character device", "a block device", "a socket", "a symbolic link"); NULL for a regular
 * file. */
const char *readfile_kind(mode_t mode);

#endif
