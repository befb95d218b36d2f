/* qr: libqrencode behind a small interface. libqrencode reports through errno (ERANGE: the data
 * does not fit version 40; EINVAL: bad arguments), read at once after the call. A module is dark
 * when bit 0 of its byte is set; the other bits are libqrencode's own. */
#include "qr.h"

#include "utf8.h"

#include <errno.h>
#include <limits.h>
#include <qrencode.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* A payload beyond ASCII: the ECI designator for UTF-8, then the whole payload as one 8-bit
 * segment (ISO/IEC 18004:2015 7.4.2: a designator applies to the data that follows it). The
 * version is left to libqrencode (0: the smallest that holds the input, the header included). */
static QRcode *encode_utf8(const char *payload, size_t len, QRecLevel level)
{
    QRinput *in = QRinput_new2(0, level);
    if (!in)
        return NULL;
    QRcode *q = NULL;
    if (QRinput_appendECIheader(in, QR_ECI_UTF8) == 0 &&
        QRinput_append(in, QR_MODE_8, (int)len, (const unsigned char *)payload) == 0)
        q = QRcode_encodeInput(in);
    int err = errno;
    QRinput_free(in);
    errno = err;
    return q;
}

qr_status qr_encode(const char *payload, char ecc, qr_code *out)
{
    QRecLevel level;
    switch (ecc) {
    case 'L': level = QR_ECLEVEL_L; break;
    case 'M': level = QR_ECLEVEL_M; break;
    case 'Q': level = QR_ECLEVEL_Q; break;
    case 'H': level = QR_ECLEVEL_H; break;
    default: return QR_BAD_INPUT;
    }
    if (payload[0] == '\0')
        return QR_BAD_INPUT;
    size_t len = strlen(payload);
    bool ascii = true;
    for (size_t i = 0; i < len && ascii; i++)
        ascii = (unsigned char)payload[i] < 0x80;
    if (!ascii && utf8_invalid_at(payload, len) >= 0)
        return QR_BAD_INPUT; /* never marked as UTF-8 when it is not */
    if (len > INT_MAX)
        return QR_TOO_LONG;
    errno = 0;
    /* 8-bit mode, case-sensitive: the payload comes back byte for byte. ASCII as it always was
     * (libqrencode may put runs of digits in numeric mode); anything else marked as UTF-8. */
    QRcode *q = ascii ? QRcode_encodeString(payload, 0, level, QR_MODE_8, 1) : encode_utf8(payload, len, level);
    int err = errno;
    if (!q)
        return err == ERANGE ? QR_TOO_LONG : err == ENOMEM ? QR_NO_MEMORY : QR_BAD_INPUT;
    size_t n = (size_t)q->width * (size_t)q->width;
    out->dark = malloc(n);
    if (!out->dark) {
        QRcode_free(q);
        return QR_NO_MEMORY;
    }
    for (size_t i = 0; i < n; i++)
        out->dark[i] = q->data[i] & 1;
    out->version = q->version;
    out->width = q->width;
    out->eci = ascii ? 0 : QR_ECI_UTF8;
    QRcode_free(q);
    return QR_OK;
}

void qr_code_free(qr_code *q)
{
    if (q) {
        free(q->dark);
        q->dark = NULL;
    }
}

size_t qr_runs(const qr_code *q, qr_run **runs)
{
    size_t cap = 64, n = 0;
    qr_run *r = malloc(cap * sizeof *r);
    if (!r) {
        *runs = NULL;
        return 0;
    }
    for (int y = 0; y < q->width; y++) {
        const unsigned char *row = q->dark + (size_t)y * (size_t)q->width;
        int x = 0;
        while (x < q->width) {
            if (!row[x]) {
                x++;
                continue;
            }
            int start = x;
            while (x < q->width && row[x])
                x++;
            if (n == cap) {
                cap *= 2;
                qr_run *nr = realloc(r, cap * sizeof *nr);
                if (!nr) {
                    free(r);
                    *runs = NULL;
                    return 0;
                }
                r = nr;
            }
            r[n].x = start;
            r[n].y = y;
            r[n].len = x - start;
            n++;
        }
    }
    *runs = r;
    return n;
}
