/* payload: the rules for what a QR code may carry, as pure functions (a string in, a payload or
 * an error out): a phone number made into a tel: URI (RFC 3966), a number and message made into
 * an SMSTO: payload, an http(s) address checked, tracking parameters found in an address, and
 * the text of any payload checked as UTF-8.
 * No drawing and no content here: render.c expands placeholders, calls these and reports. */
#ifndef HANDOUT_PAYLOAD_H
#define HANDOUT_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>

/* "1-888-373-7888", "(888) 373-7888", "+44 20 7946 0000" -> "tel:+18883737888" ... A 10-digit
 * number without '+' is taken as a US number. NULL with the reason in why (written as the
 * "expected ..., found ..." of a message). Caller frees. */
char *payload_tel(const char *number, char *why, size_t whylen);

/* number (digits, an optional leading '+'; not empty) and an optional message without ':' ->
 * "SMSTO:233733:HELP". NULL with the reason in why; *bad_key is set to "sms" or "sms_body", the
 * key the reason is about. Caller frees. */
char *payload_sms(const char *number, const char *body, const char **bad_key, char *why, size_t whylen);

/* The alternative text of a QR code, for a reader that cannot see it (tagged PDF), from what it
 * carries: "tel:+18883737888" -> "QR code: call 1-888-373-7888" (a North American number in its
 * usual groups, others as given); "SMSTO:233733:HELP" -> "QR code: text HELP to 233733";
 * "https://example.org/donate" -> "QR code: example.org/donate" (scheme, "www." and a final
 * '/' left out); anything else as "QR code: " and the payload, cut at 200 bytes on a character
 * boundary and with control characters as spaces. Caller frees; NULL when out of memory. */
char *payload_alt(const char *payload);

/* An http:// or https:// address of printable ASCII, at least 12 characters: NULL when it is one,
 * else the reason (a static string). */
const char *payload_url_problem(const char *url);

/* The first tracking parameter of url's query (src, ref, utm_*, fbclid...), compared after
 * percent-decoding and without regard to case (so "%73rc" and "SRC" are "src"), copied into
 * found; NULL when there is none. */
const char *payload_tracking_parameter(const char *url, char *found, size_t foundlen);

/* Whether a payload's bytes may be encoded: ASCII, or valid UTF-8 (RFC 3629), which qr.c marks
 * with the ECI designator for UTF-8 so that scanners do not guess the character set. false with
 * the reason in why (the "expected ..., found ..." of a message, naming the first bad byte). */
bool payload_text_ok(const char *payload, char *why, size_t whylen);

#endif
