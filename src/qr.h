/* qr: QR code symbols (ISO/IEC 18004). The only room that includes qrencode.h. Encodes a
 * payload in 8-bit mode with its case kept, and counts the modules' horizontal runs (the dump
 * lists them; the PDF draws the module matrix as one image mask, pdf.h pdf_qr). A payload of ASCII alone is encoded as it always
 * was, with no character-set marker; one holding any other byte must be UTF-8 and is marked as
 * such: an ECI designator 000026 (ISO/IEC 18004:2015 7.4.2, the AIM ECI register's UTF-8) ahead
 * of its 8-bit data, so that a scanner does not guess Latin-1 or Shift-JIS. */
#ifndef HANDOUT_QR_H
#define HANDOUT_QR_H

#include <stdbool.h>
#include <stddef.h>

typedef struct qr_code {
    int version;          /* 1..40 */
    int width;            /* modules per side, without the quiet zone */
    unsigned char *dark;  /* width * width bytes, 1 = dark */
    int eci;              /* the ECI designator written ahead of the data: QR_ECI_UTF8, or 0 (none) */
} qr_code;

#define QR_ECI_UTF8 26 /* AIM ECI 000026: UTF-8 */

typedef struct qr_run {
    int x, y, len; /* in modules, from the top-left corner of the symbol */
} qr_run;

typedef enum { QR_OK = 0, QR_TOO_LONG, QR_BAD_INPUT, QR_NO_MEMORY } qr_status;

/* ecc: 'L', 'M', 'Q' or 'H'. On success fills *out (free with qr_code_free). The version is the
 * smallest libqrencode finds for the data, the ECI header's 12 bits counted (libqrencode 4.1.1
 * estimates them as 28, so a payload within 2 bytes of a version's edge may get the next one).
 * QR_TOO_LONG: no version holds it; QR_BAD_INPUT: empty, a bad ecc, or bytes of 0x80 and above
 * that are not valid UTF-8 (RFC 3629). */
qr_status qr_encode(const char *payload, char ecc, qr_code *out);
void qr_code_free(qr_code *q);

/* The runs of dark modules, row by row; returns their count and sets *runs (caller frees). */
size_t qr_runs(const qr_code *q, qr_run **runs);

#endif
