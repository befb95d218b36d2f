/* sha256: the SHA-256 hash (FIPS 180-4), for the batch manifest: a digest of every input and
 * output file, so that a rerun can tell what changed. Incremental (init, update, final) and a
 * whole-file helper. No library: the algorithm is small and fully specified. */
#ifndef HANDOUT_SHA256_H
#define HANDOUT_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sha256 {
    uint32_t h[8];
    uint64_t bytes;        /* message length so far */
    unsigned char buf[64]; /* a partial block */
    size_t nbuf;
} sha256;

#define SHA256_HEX 65 /* 64 hexadecimal digits and a NUL */

void sha256_init(sha256 *s);
void sha256_update(sha256 *s, const void *data, size_t len);
/* Finishes the digest as 64 lower-case hexadecimal digits. */
void sha256_hex(sha256 *s, char hex[SHA256_HEX]);
/* The digest of a whole file; false with a reason in why when it cannot be read. */
bool sha256_file(const char *path, char hex[SHA256_HEX], char *why, size_t whylen);

#endif
