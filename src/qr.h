/* qr: QR code symbols (ISO/IEC 18004). The only room that includes qrencode.h. Encodes a
 * payload in 8-bit mode with its case kept, and turns the modules into horizontal runs so that
 * a symbol is drawn as few vector rectangles. */
#ifndef HANDOUT_QR_H
#define HANDOUT_QR_H

#include <stdbool.h>
#include <stddef.h>

typedef struct qr_code {
    int version;          /* 1..40 */
    int width;            /* modules per side, without the quiet zone */
    unsigned char *dark;  /* width * width bytes, 1 = dark */
} qr_code;

typedef struct qr_run {
    int x, y, len; /* in modules, from the top-left corner of the symbol */
} qr_run;

typedef enum { QR_OK = 0, QR_TOO_LONG, QR_BAD_INPUT, QR_NO_MEMORY } qr_status;

/* ecc: 'L', 'M', 'Q' or 'H'. On success fills *out (free with qr_code_free). */
qr_status qr_encode(const char *payload, char ecc, qr_code *out);
void qr_code_free(qr_code *q);

/* The runs of dark modules, row by row; returns their count and sets *runs (caller frees). */
size_t qr_runs(const qr_code *q, qr_run **runs);

#endif
