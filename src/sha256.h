/* sha256: the SHA-256 hash (FIPS 180-4), for the batch manifest: a digest of every input and
 * output file, so that a rerun can tell what changed. Incremental (init, update, final) and a
 * whole-file helper. The block function is nettle's (the only room that includes nettle's
 * headers): it uses the processor's SHA instructions where there are some, four times as fast as
 * the portable C this module had, which was a fifth of a web preview's time (issue 17: every
 * build and every preview's plan digests its fonts). */
#ifndef HANDOUT_SHA256_H
#define HANDOUT_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* room for nettle's state (its header renames sha256_init and the others, so it stays out of
 * this one) */
typedef struct sha256 {
    union {
        unsigned char room[192];
        uint64_t align;
    } ctx;
} sha256;

#define SHA256_HEX 65 /* 64 hexadecimal digits and a NUL */

void sha256_init(sha256 *s);
void sha256_update(sha256 *s, const void *data, size_t len);
/* Finishes the digest as 64 lower-case hexadecimal digits. */
void sha256_hex(sha256 *s, char hex[SHA256_HEX]);
/* The digest of a whole file; false with a reason in why when it cannot be read. */
bool sha256_file(const char *path, char hex[SHA256_HEX], char *why, size_t whylen);

#endif
