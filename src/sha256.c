/* sha256: FIPS 180-4's SHA-256 by nettle (its sha256_init, sha256_update and sha256_digest,
 * whose names this module's own functions share: nettle's are reached under the names its
 * header maps them to, nettle_sha256_*). */
#include "sha256.h"
#include "readfile.h"

#include <nettle/sha2.h>
#undef sha256_init
#undef sha256_update
#undef sha256_digest

#include <errno.h>
#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(struct sha256_ctx) <= sizeof(((sha256 *)0)->ctx.room), "sha256: room for nettle's state");

static struct sha256_ctx *ctx_of(sha256 *s)
{
    return (struct sha256_ctx *)(void *)s->ctx.room;
}

void sha256_init(sha256 *s)
{
    nettle_sha256_init(ctx_of(s));
}

void sha256_update(sha256 *s, const void *data, size_t len)
{
    nettle_sha256_update(ctx_of(s), len, data);
}

void sha256_hex(sha256 *s, char hex[SHA256_HEX])
{
    uint8_t d[SHA256_DIGEST_SIZE];
    nettle_sha256_digest(ctx_of(s), sizeof d, d);
    static const char DIGITS[] = "0123456789abcdef";
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
        hex[2 * i] = DIGITS[d[i] >> 4];
        hex[2 * i + 1] = DIGITS[d[i] & 15];
    }
    hex[64] = '\0';
}

bool sha256_file(const char *path, char hex[SHA256_HEX], char *why, size_t whylen)
{
    FILE *fp = readfile_open(path, why, whylen); /* a regular file: a FIFO would block the read */
    if (!fp)
        return false;
    sha256 s;
    sha256_init(&s);
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        sha256_update(&s, buf, n);
    bool ok = !ferror(fp);
    if (!ok)
        snprintf(why, whylen, "cannot read %s: %s", path, strerror(errno));
    fclose(fp);
    if (ok)
        sha256_hex(&s, hex);
    return ok;
}
