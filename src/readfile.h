/* readfile: reading a whole input file into memory, with a size limit, NUL-terminated. */
#ifndef HANDOUT_READFILE_H
#define HANDOUT_READFILE_H

#include <stddef.h>

/* Returns the bytes of path (plus a terminating NUL not counted in *len), or NULL with the reason
 * in why: it cannot be opened or read, or it is larger than max bytes (then errno is EFBIG and
 * why is "expected a file of at most ..., found PATH of N bytes"). Caller frees. */
char *readfile(const char *path, size_t max, size_t *len, char *why, size_t whylen);

#endif
