/* utf8: decoding and validating UTF-8 text (RFC 3629: no overlongs, no surrogates, <= U+10FFFF). */
#ifndef HANDOUT_UTF8_H
#define HANDOUT_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one code point at s (n bytes left). Returns its length in bytes, or 0 when the
 * bytes there are not valid UTF-8. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Returns the byte offset of the first invalid sequence, or -1 when all of s is valid. */
long utf8_invalid_at(const char *s, size_t n);

/* Writes a short printable form of a code point ("U+00E9 'é'") into buf. */
void utf8_describe(uint32_t cp, char *buf, size_t size);

#endif
